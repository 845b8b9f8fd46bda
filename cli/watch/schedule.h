// When a watch is checked next: the adaptive schedule and its bounds. Pure functions of a
// watch's state (WatchInfo), so the scheduler, `watch list` and /api/health agree, and tests
// drive them with any clock.
//
// The rules (also in README.md, "Watching the web"):
// - A watch never checked is due at once.
// - A fixed schedule (`--every`) rechecks every `every_seconds`.
// - The adaptive schedule rechecks after a tenth of how long the page has been quiet: the time
//   since it last changed (or since it was first captured, or added), so an article that is
//   fresh or still changing is checked every few minutes, one quiet for a day every ~2.4 hours,
//   one quiet for a month every 3 days, and none less often than `max_interval` (7 days).
//   Feeds follow the same rule on the time since they last announced a new link, capped at
//   `max_feed_interval` (1 hour): new articles must be found while they are young.
// - Every adaptive interval is kept within [min_interval, max_interval] — or the bounds given
//   for the watch's source (`watch run --source-interval SOURCE=MIN:MAX`) — and spread by a
//   jitter of up to
//   ±10% (derived from the watch's id and its last check, so it is the same on every reading).
// - A failed check is retried sooner: after n failures in a row, after retry_base·2^(n-1), never
//   later than the normal interval. A Retry-After the server sent is honoured (within
//   max_interval). A page gone (404/410) is rechecked at max_interval.
// - A watch is overdue when its check is late by more than three times its interval: the
//   scheduler stalled or cannot keep up.
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_CLI_WATCH_SCHEDULE_H_
#define PALIMPSEST_CLI_WATCH_SCHEDULE_H_

#include <cstdint>
#include <map>
#include <string>

#include "palimpsest/timestamp.h"
#include "palimpsest/watches.h"

namespace palimpsest::cli {

// Interval bounds, in seconds.
struct IntervalBounds {
  int64_t min_seconds = 0;
  int64_t max_seconds = 0;
};

struct SchedulePolicy {
  int64_t min_interval_seconds = 5 * 60;
  int64_t max_interval_seconds = 7 * 24 * 3600;
  // Bounds of the adaptive interval for the watches of one source (an outlet that asks to be
  // checked no more often than hourly, one worth checking at least daily), in place of the two
  // above.
  std::map<std::string, IntervalBounds> source_bounds;
  int64_t max_feed_interval_seconds = 3600;
  int64_t retry_base_seconds = 60;
  // A tenth of the quiet time (adaptive_divisor = 10).
  int64_t adaptive_divisor = 10;
  double jitter = 0.1;
};

// The interval the watch is on now (before jitter and failure rules), in seconds.
int64_t WatchInterval(const WatchInfo& watch, Timestamp now, const SchedulePolicy& policy);

// When the watch is due next.
Timestamp NextCheckAt(const WatchInfo& watch, Timestamp now, const SchedulePolicy& policy);

// True when the check due at NextCheckAt is late, at `now`, by more than three intervals.
bool IsOverdue(const WatchInfo& watch, Timestamp now, const SchedulePolicy& policy);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_SCHEDULE_H_
