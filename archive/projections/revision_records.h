// Conversions between the article projections' stored records (schemas/projections.capnp)
// and the public RevisionInfo / ArticleContent / DocumentRecord values.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_REVISION_RECORDS_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_REVISION_RECORDS_H_

#include <string>
#include <string_view>

#include "palimpsest/article.h"
#include "palimpsest/documents.h"
#include "palimpsest/status.h"

namespace palimpsest {

// The `documents` record of one document.
struct DocumentState {
  std::string source;
  std::string url;
  uint32_t current_rev = 0;
  uint64_t version = 0;
  std::string title;
  Timestamp last_change = kNoTime;
  bool retracted = false;
  bool has_last_raw = false;
  Digest last_raw{};
  // What the latest capture showed. A hand-entered correction changes the revision but not the
  // page, so a re-capture of the same page is compared with this, too.
  std::string last_capture_hash;
  // A capture was once inserted before a revision recorded earlier (a backfill): revision
  // numbers no longer rise with the seqs of the events that introduced them.
  bool backfilled = false;
  std::vector<DocumentMerge> merges;  // documents merged into this one (DocumentRecord.merges)
};

// A revision with its content, as stored in `revisions`.
struct StoredRevision {
  RevisionInfo info;
  ArticleContent content;  // content.body is not encoded: see body_hash
  bool retracted = false;
  bool has_body = false;  // body_hash names the body in `revision_texts`
  Digest body_hash{};
  std::string capture_url;  // the URL of the latest capture that showed this revision, if any
};

std::string EncodeDocumentState(const DocumentState& state);
Result<DocumentState> DecodeDocumentState(std::string_view bytes);

std::string EncodeRevision(const StoredRevision& revision);
Result<StoredRevision> DecodeRevision(std::string_view bytes);
// Only what selecting a revision by time or introducing event needs: info.rev,
// info.effective_at, info.recorded_at, info.captured_at, info.seq, info.merged_from and
// info.joined_at are set, everything else is
// left default. Cheaper than DecodeRevision (no strings are copied), for scanning every revision of
// a document.
Result<StoredRevision> DecodeRevisionTimes(std::string_view bytes);

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_REVISION_RECORDS_H_
