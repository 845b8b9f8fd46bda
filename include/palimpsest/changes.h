// The global change feed: which documents changed in a window of time, revision by revision.

#ifndef PALIMPSEST_CHANGES_H_
#define PALIMPSEST_CHANGES_H_

#include <cstdint>
#include <string>

#include "palimpsest/timestamp.h"

namespace palimpsest {

enum class TimeAxis {
  kRecorded,   // when the archive recorded the revision (transaction time)
  kEffective,  // when the change took effect at the publisher (valid time)
};

struct ChangeFilter {
  Timestamp since = kNoTime;  // inclusive; kNoTime: from the beginning
  Timestamp until = kNoTime;  // exclusive; kNoTime: up to now
  TimeAxis axis = TimeAxis::kRecorded;
  std::string source;         // exact match when non-empty
  std::string doc_id;         // one document's changes only (as ResolveDocument names it); "": all
  size_t limit = 0;           // 0: no limit
  bool newest_first = false;  // the latest `limit` changes of the window, newest first
  // Fill in each entry's stored diff (ChangeEntry::diff, cosmetic).
  bool with_diffs = false;
};

// One revision in the feed.
struct ChangeEntry {
  std::string id;
  uint32_t rev = 0;
  std::string kind;
  std::string note;
  bool stealth = false;
  bool redacted = false;
  Timestamp effective_at = kNoTime;
  Timestamp recorded_at = kNoTime;
  std::string title;  // "" when redacted
  std::string source;
  uint64_t seq = 0;  // the event that introduced the revision
  // With ChangeFilter::with_diffs: the change against the previous revision, rendered as text
  // once when the change summaries reached it (RenderArticleText in diff.h, no colour); empty
  // for a first revision, a redacted one, or until the summaries have caught up. `cosmetic`:
  // only punctuation changed inside sentences (feeds and hooks may skip it).
  std::string diff;
  bool cosmetic = false;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_CHANGES_H_
