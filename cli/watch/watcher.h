// The watch scheduler: finds the watches due (schedule.h) and checks them (watch_check.h),
// hosts in parallel on a few threads, one request at a time per host; then delivers the changes
// due to webhooks (hook_delivery.h). `palimpsest watch run`
// runs it until stopped; tests drive RunDue with a simulated clock.
//
// It writes through Archive::Append/AppendEach, a transaction per check, so other writers
// (`import`, `ingest`, `correct`, `watch add`) commit between its checks.
//
// Thread safety: Stop may be called from any thread (a signal handler's thread); RunDue and Run
// from one thread at a time.

#ifndef PALIMPSEST_CLI_WATCH_WATCHER_H_
#define PALIMPSEST_CLI_WATCH_WATCHER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "cli/watch/hook_delivery.h"
#include "cli/watch/http_fetcher.h"
#include "cli/watch/politeness.h"
#include "cli/watch/schedule.h"
#include "palimpsest/archive.h"

namespace palimpsest::cli {

struct WatcherOptions {
  FetcherOptions fetch;
  SchedulePolicy schedule;
  double host_spacing_seconds = 1.0;  // between two requests to one host (or its Crawl-delay)
  int64_t robots_ttl_seconds = 24 * 3600;
  std::string product_token = "palimpsest";  // the robots.txt user-agent it obeys
  unsigned workers = 4;                      // hosts checked at once
  size_t max_redirects = 5;
  size_t max_new_links = 1000;  // per feed read
  std::string actor = "watch";
  // How often Run looks for work when nothing is due (new watches from other processes).
  int64_t poll_seconds = 2;
  HookOptions hooks;  // webhook delivery after each round (hook_delivery.h)
};

// The clock a watcher reads and waits on. Defaults: the system clock and a real sleep.
struct WatchClock {
  std::function<Timestamp()> now;
  std::function<void(Timestamp)> sleep_until;
  static WatchClock System();
};

// What one round of checks did.
struct WatchRound {
  uint64_t checks = 0;
  std::map<CheckOutcome, uint64_t> outcomes;
  uint64_t new_links = 0;        // watches feeds added
  DeliveryRound deliveries;      // webhook attempts after the checks
  Timestamp next_due = kNoTime;  // the earliest check due after the round; kNoTime: none
};

class Watcher {
 public:
  // `archive` must outlive the watcher.
  Watcher(Archive& archive, WatcherOptions options, WatchClock clock);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Checks every watch due at the clock's now, once. An error only when the archive could not
  // record a check (the others of the round finish first).
  Result<WatchRound> RunDue();

  // Rounds until Stop(): after each, waits (on the real clock) until the next check is due or
  // poll_seconds have passed. `after_round` (may be empty) sees each round.
  Status Run(const std::function<void(const WatchRound&)>& after_round);

  // Makes Run return after the round in progress.
  void Stop();

 private:
  Archive& archive_;
  const WatcherOptions options_;
  const WatchClock clock_;
  HttpFetcher fetcher_;
  HostPacer pacer_;
  RobotsCache robots_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_WATCHER_H_
