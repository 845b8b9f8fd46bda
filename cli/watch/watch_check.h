// One check of one watch: fetch the URL politely and safely (robots.txt, per-host pacing,
// redirects followed and recorded, conditional requests), decide what the answer means, and
// record it — a capture in the article's stream through the same path as `ingest` when the page
// shows new text, new watches for the links a feed announces, and always a CheckedEvent in the
// watch's own stream.
//
// Thread safety: CheckWatch may run concurrently for watches of different hosts; everything in
// the CheckEnvironment is shared and thread-safe.

#ifndef PALIMPSEST_CLI_WATCH_WATCH_CHECK_H_
#define PALIMPSEST_CLI_WATCH_WATCH_CHECK_H_

#include <functional>
#include <string>

#include "cli/watch/http_fetcher.h"
#include "cli/watch/politeness.h"
#include "palimpsest/archive.h"
#include "palimpsest/watches.h"

namespace palimpsest::cli {

// What a check needs from the run it belongs to. Everything referenced outlives the check.
struct CheckEnvironment {
  Archive* archive = nullptr;
  const HttpFetcher* fetcher = nullptr;
  HostPacer* pacer = nullptr;
  RobotsCache* robots = nullptr;
  std::function<Timestamp()> now;
  // Returns at or after `t` on the `now` clock (tests advance a simulated clock).
  std::function<void(Timestamp t)> sleep_until;
  std::string actor;           // the events' actor
  std::string correlation_id;  // groups the events of one run
  size_t max_redirects = 5;
  size_t max_new_links = 1000;  // watches one feed read may add
};

// Checks `watch` once and records the outcome. Returns the CheckedEvent recorded; an error
// only when the archive could not record it (disk full, damage): a failed fetch is an outcome.
Result<CheckedEvent> CheckWatch(const WatchInfo& watch, CheckEnvironment& env);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_WATCH_CHECK_H_
