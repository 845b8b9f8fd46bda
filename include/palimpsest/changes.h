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
  std::string source;  // exact match when non-empty
  size_t limit = 0;    // 0: no limit
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
};

}  // namespace palimpsest

#endif  // PALIMPSEST_CHANGES_H_
