#include "cli/watch/schedule.h"

#include <algorithm>
#include <cstring>

namespace palimpsest::cli {

namespace {

int64_t Clamp(int64_t seconds, int64_t low, int64_t high) {
  return std::max(low, std::min(seconds, high));
}

// A factor in [1 - jitter, 1 + jitter], the same for the same watch and last check.
double JitterFactor(const WatchInfo& watch, double jitter) {
  const Digest d = Sha256(watch.id + "/" + std::to_string(watch.last_check_at));
  uint32_t bits;
  std::memcpy(&bits, d.data(), sizeof(bits));
  const double unit = static_cast<double>(bits) / 4294967295.0;  // [0, 1]
  return 1.0 + jitter * (2.0 * unit - 1.0);
}

}  // namespace

int64_t WatchInterval(const WatchInfo& watch, Timestamp now, const SchedulePolicy& policy) {
  if (watch.every_seconds > 0) return watch.every_seconds;
  int64_t low = policy.min_interval_seconds;
  int64_t high = policy.max_interval_seconds;
  if (auto it = policy.source_bounds.find(watch.source); it != policy.source_bounds.end()) {
    low = it->second.min_seconds;
    high = std::max(low, it->second.max_seconds);
  }
  if (watch.kind == WatchKind::kFeed)
    high = std::max(low, std::min(high, policy.max_feed_interval_seconds));
  // Quiet since the last change (or the first sighting), as of the last check: the interval
  // does not drift while a check is waiting.
  const Timestamp changed = watch.last_change_at != kNoTime ? watch.last_change_at : watch.added_at;
  const Timestamp as_of = watch.last_check_at != kNoTime ? watch.last_check_at : now;
  const int64_t quiet = changed == kNoTime ? 0 : std::max<int64_t>(0, as_of - changed);
  return Clamp(quiet / kMicrosPerSecond / std::max<int64_t>(1, policy.adaptive_divisor), low, high);
}

Timestamp NextCheckAt(const WatchInfo& watch, Timestamp now, const SchedulePolicy& policy) {
  if (watch.last_check_at == kNoTime) return watch.added_at != kNoTime ? watch.added_at : now;
  int64_t seconds = WatchInterval(watch, now, policy);
  if (watch.last_outcome == CheckOutcome::kGone) {
    seconds = std::max(seconds, policy.max_interval_seconds);
  } else if (watch.last_outcome == CheckOutcome::kFailed && watch.consecutive_failures > 0) {
    const int shift = static_cast<int>(std::min<uint32_t>(watch.consecutive_failures - 1, 20));
    seconds = std::min(seconds, policy.retry_base_seconds << shift);
  }
  if (watch.every_seconds == 0 || watch.last_outcome == CheckOutcome::kFailed) {
    seconds =
        static_cast<int64_t>(static_cast<double>(seconds) * JitterFactor(watch, policy.jitter));
  }
  if (watch.retry_after_seconds > 0) {
    seconds = std::max(seconds, std::min(watch.retry_after_seconds, policy.max_interval_seconds));
  }
  return watch.last_check_at + std::max<int64_t>(1, seconds) * kMicrosPerSecond;
}

bool IsOverdue(const WatchInfo& watch, Timestamp now, const SchedulePolicy& policy) {
  const Timestamp due = NextCheckAt(watch, now, policy);
  const int64_t interval = std::max<int64_t>(WatchInterval(watch, now, policy), 1);
  return now - due > 3 * interval * kMicrosPerSecond;
}

}  // namespace palimpsest::cli
