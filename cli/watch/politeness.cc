#include "cli/watch/politeness.h"

#include <algorithm>

namespace palimpsest::cli {

Timestamp HostPacer::Reserve(const std::string& origin, Timestamp now, double crawl_delay_seconds) {
  const double gap = std::max(spacing_seconds_, crawl_delay_seconds);
  std::lock_guard<std::mutex> lock(mu_);
  Timestamp& next = next_[origin];
  const Timestamp at = next == 0 ? now : std::max(now, next);
  next = at + static_cast<Timestamp>(gap * kMicrosPerSecond);
  return at;
}

RobotsCache::Answer RobotsCache::Fetch(const std::string& origin,
                                       const std::function<void()>& before) const {
  std::string url = origin + "/robots.txt";
  for (int hop = 0; hop <= 5; ++hop) {
    before();
    const FetchResult got = fetcher_.Fetch({url, "", ""});
    if (got.failure != FetchFailure::kNone) {
      return {RobotsRules::DisallowAll(), std::string("robots.txt: ") + got.error};
    }
    if (got.status >= 300 && got.status < 400 && !got.location.empty()) {
      url = got.location;
      continue;
    }
    if (got.status >= 200 && got.status < 300)
      return {RobotsRules::Parse(got.body, product_token_), ""};
    if (got.status >= 400 && got.status < 500) return {RobotsRules::AllowAll(), ""};
    return {RobotsRules::DisallowAll(), "robots.txt: HTTP " + std::to_string(got.status)};
  }
  return {RobotsRules::DisallowAll(), "robots.txt: too many redirects"};
}

RobotsCache::Answer RobotsCache::For(const std::string& origin, Timestamp now,
                                     const std::function<void()>& before) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(origin);
    if (it != entries_.end() && now < it->second.expires) return it->second.answer;
  }
  Entry entry{Fetch(origin, before), kNoTime};
  // An unreachable robots.txt is asked for again sooner.
  const int64_t ttl =
      entry.answer.unreachable.empty() ? ttl_seconds_ : std::max<int64_t>(1, ttl_seconds_ / 10);
  entry.expires = now + ttl * kMicrosPerSecond;
  std::lock_guard<std::mutex> lock(mu_);
  entries_[origin] = entry;
  return entry.answer;
}

}  // namespace palimpsest::cli
