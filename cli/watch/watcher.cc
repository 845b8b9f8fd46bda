#include "cli/watch/watcher.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "cli/watch/watch_check.h"

namespace palimpsest::cli {

namespace {

// The due watches of one host, checked one after another.
struct HostQueue {
  std::string origin;
  std::vector<WatchInfo> watches;
};

std::vector<HostQueue> DueByHost(const std::vector<WatchInfo>& watches, Timestamp now,
                                 const SchedulePolicy& policy) {
  std::map<std::string, HostQueue> by_host;
  for (const WatchInfo& w : watches) {
    if (NextCheckAt(w, now, policy) > now) continue;
    HostQueue& q = by_host[UrlOrigin(w.url)];
    q.origin = UrlOrigin(w.url);
    q.watches.push_back(w);
  }
  std::vector<HostQueue> out;
  for (auto& [origin, q] : by_host) {
    // The most overdue first.
    std::stable_sort(q.watches.begin(), q.watches.end(), [&](const auto& a, const auto& b) {
      return NextCheckAt(a, now, policy) < NextCheckAt(b, now, policy);
    });
    out.push_back(std::move(q));
  }
  return out;
}

std::string RoundId(Timestamp now) { return "watch-" + std::to_string(now); }

}  // namespace

WatchClock WatchClock::System() {
  WatchClock clock;
  clock.now = Now;
  clock.sleep_until = [](Timestamp t) {
    const Timestamp now = Now();
    if (t > now) std::this_thread::sleep_for(std::chrono::microseconds(t - now));
  };
  return clock;
}

Watcher::Watcher(Archive& archive, WatcherOptions options, WatchClock clock)
    : archive_(archive),
      options_(std::move(options)),
      clock_(std::move(clock)),
      fetcher_(options_.fetch),
      pacer_(options_.host_spacing_seconds),
      robots_(fetcher_, options_.product_token, options_.robots_ttl_seconds) {}

Watcher::~Watcher() = default;

Result<WatchRound> Watcher::RunDue() {
  const Timestamp now = clock_.now();
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<WatchInfo> watches, archive_.Watches());
  std::vector<HostQueue> queues = DueByHost(watches, now, options_.schedule);
  CheckEnvironment env{&archive_,
                       &fetcher_,
                       &pacer_,
                       &robots_,
                       clock_.now,
                       clock_.sleep_until,
                       options_.actor,
                       RoundId(now),
                       options_.max_redirects,
                       options_.max_new_links};
  WatchRound round;
  Status failure;
  std::mutex mu;
  std::atomic<size_t> next_queue{0};
  auto work = [&] {
    for (size_t q; (q = next_queue++) < queues.size();) {
      for (const WatchInfo& w : queues[q].watches) {
        auto check = CheckWatch(w, env);
        std::lock_guard<std::mutex> lock(mu);
        if (!check.ok()) {
          if (failure.ok()) failure = check.status();
          return;
        }
        ++round.checks;
        ++round.outcomes[check->outcome];
        round.new_links += check->new_links;
      }
    }
  };
  const size_t threads = std::min<size_t>(std::max(1u, options_.workers), queues.size());
  std::vector<std::thread> pool;
  for (size_t i = 1; i < threads; ++i) pool.emplace_back(work);
  if (threads > 0) work();
  for (std::thread& t : pool) t.join();
  PALIMPSEST_RETURN_IF_ERROR(failure);
  PALIMPSEST_ASSIGN_OR_RETURN(round.deliveries, DeliverHooks(archive_, fetcher_, options_.hooks,
                                                             clock_.now(), options_.actor));
  PALIMPSEST_ASSIGN_OR_RETURN(watches, archive_.Watches());
  const Timestamp after = clock_.now();
  for (const WatchInfo& w : watches) {
    const Timestamp due = NextCheckAt(w, after, options_.schedule);
    if (round.next_due == kNoTime || due < round.next_due) round.next_due = due;
  }
  return round;
}

Status Watcher::Run(const std::function<void(const WatchRound&)>& after_round) {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return Status::OK();
    }
    PALIMPSEST_ASSIGN_OR_RETURN(WatchRound round, RunDue());
    if (after_round) after_round(round);
    int64_t wait_us = options_.poll_seconds * kMicrosPerSecond;
    if (round.next_due != kNoTime) wait_us = std::min(wait_us, round.next_due - clock_.now());
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::microseconds(std::max<int64_t>(wait_us, 0)),
                 [this] { return stop_; });
  }
}

void Watcher::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stop_ = true;
  cv_.notify_all();
}

}  // namespace palimpsest::cli
