// Documents as the projections see them: revisions, their kinds and times, and what a reader
// asks for (a revision number, a point in effective time, a point in recorded time).
//
// Revision kinds: "original" (revision 1 of a captured document), "correction",
// "clarification", "update", "editorial" (a note or an explicit correction says so, or a
// substantive change without any note: "update" with stealth = true), "retraction".

#ifndef PALIMPSEST_DOCUMENTS_H_
#define PALIMPSEST_DOCUMENTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "palimpsest/article.h"
#include "palimpsest/hash.h"
#include "palimpsest/timestamp.h"

namespace palimpsest {

struct RevisionInfo {
  uint32_t rev = 0;
  std::string kind;
  std::string note;
  bool stealth = false;              // changed without any note or updated time
  Timestamp effective_at = kNoTime;  // valid time: when the change took effect
  Timestamp recorded_at = kNoTime;   // when the archive recorded the introducing event
  Timestamp captured_at = kNoTime;   // when the content was first observed
  Timestamp last_seen_at = kNoTime;  // the last observation of this content
  std::string content_hash;          // "sha256:…" over the extracted content
  uint64_t words_added = 0;
  uint64_t words_removed = 0;
  uint64_t seq = 0;      // the event that introduced this revision
  uint64_t version = 0;  // the stream version of that event
  bool has_raw = false;  // a capture's bytes are available (--raw)
  Digest raw_hash{};
  bool redacted = false;
  std::string redaction_reason;
  std::string redaction_actor;
  // What changed against the previous revision, as JSON (see the change-summary projection),
  // or "" while the asynchronous projection has not caught up (and for revision 1).
  std::string change_summary;
  // Set when another document's stream introduced this revision and a merge brought it here:
  // that document's id, and the recorded time of the merge.
  std::string merged_from;
  Timestamp joined_at = kNoTime;
};

// Another document merged into this one: a redirect showed they are one (event.h, MergedEvent).
struct DocumentMerge {
  std::string from;  // the merged-away id, which still resolves to this document
  std::string into;  // the document it joined then: this one, or one merged into it since
  uint64_t seq = 0;  // the merge event
  Timestamp recorded_at = kNoTime;
};

// One address a document has been seen at (URL identity).
struct DocumentUrl {
  std::string url;                 // as first seen, percent-encoded as event URLs are
  Timestamp first_seen = kNoTime;  // capture time of the first event that named it
  Timestamp last_seen = kNoTime;   // ... and of the latest
  bool captured = false;           // a capture or re-capture was made here
  bool canonical = false;          // a captured page declared this its canonical URL
  bool redirect = false;           // this address redirected to another
  bool redirect_target = false;    // a redirect pointed here
};

// What a document id names now (Archive::ResolveDocument).
struct ResolvedDocument {
  std::string id;                     // the id asked for, or the document it was merged into
  std::vector<DocumentMerge> merges;  // documents merged into that one, oldest first
};

struct DocumentView {
  std::string id;
  uint64_t version = 0;  // the document's current stream version
  std::string source;
  std::string url;
  bool retracted = false;  // as of the selected revision
  RevisionInfo revision;
  ArticleContent content;             // empty when the revision is redacted
  std::vector<DocumentUrl> urls;      // every address it has been seen at (Archive::DocumentUrls)
  std::vector<DocumentMerge> merges;  // documents merged into this one, oldest first
};

// Which revision to read. At most one of `rev` / `as_of` picks; `known_at` restricts to what
// the archive had recorded by then and combines with either (bitemporal).
struct RevisionSelector {
  std::optional<uint32_t> rev;
  // The revision the event at this seq introduced: unlike a number, a reference no backfill
  // changes.
  std::optional<uint64_t> seq;
  Timestamp as_of = kNoTime;     // the revision in effect at this effective time
  Timestamp known_at = kNoTime;  // as the archive knew it at this recorded time
};

struct DocumentSummary {
  std::string id;
  std::string title;
  std::string source;
  std::string url;
  uint32_t rev = 0;
  std::string kind;
  Timestamp last_change = kNoTime;  // recorded time of the selected revision
  Timestamp effective_at = kNoTime;
  bool retracted = false;
};

struct ListFilter {
  Timestamp as_of = kNoTime;
  Timestamp known_at = kNoTime;
  std::string source;  // exact match when non-empty
  // Only documents whose listed revision was recorded at or after this time.
  Timestamp changed_since = kNoTime;
  // Paging: only ids after this one (byte order), and at most `limit` documents. The engine
  // walks the documents in id order from `after_id`, so a page costs what it lists plus the
  // documents the other conditions skip, never the whole archive.
  std::string after_id;
  size_t limit = SIZE_MAX;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_DOCUMENTS_H_
