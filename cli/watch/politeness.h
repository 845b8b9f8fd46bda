// Polite fetching per host: robots.txt fetched, cached and honoured (RFC 9309, with its
// Crawl-delay), and requests to one host spaced out. Shared by every check of a watcher run.
//
// Thread safety: every method may be called from several threads.

#ifndef PALIMPSEST_CLI_WATCH_POLITENESS_H_
#define PALIMPSEST_CLI_WATCH_POLITENESS_H_

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "cli/watch/http_fetcher.h"
#include "cli/watch/robots_rules.h"
#include "cli/watch/url_parts.h"
#include "palimpsest/timestamp.h"

namespace palimpsest::cli {

class HostPacer {
 public:
  // `spacing_seconds`: the least time between two requests to one host (a robots.txt
  // Crawl-delay may ask for more).
  explicit HostPacer(double spacing_seconds) : spacing_seconds_(spacing_seconds) {}

  // When the next request to `origin` may be sent, at or after `now`, and books that slot: the
  // caller waits until then and sends it. `crawl_delay_seconds` > spacing widens the gap.
  Timestamp Reserve(const std::string& origin, Timestamp now, double crawl_delay_seconds = 0);

 private:
  const double spacing_seconds_;
  std::mutex mu_;
  std::map<std::string, Timestamp> next_;
};

class RobotsCache {
 public:
  // Rules fetched with `fetcher` for `product_token`, kept `ttl_seconds`; an unreachable
  // robots.txt (5xx, network failure) is kept a tenth of that. `fetcher` must outlive this.
  RobotsCache(const HttpFetcher& fetcher, std::string product_token, int64_t ttl_seconds)
      : fetcher_(fetcher), product_token_(std::move(product_token)), ttl_seconds_(ttl_seconds) {}

  struct Answer {
    RobotsRules rules;
    // Why robots.txt could not be read (5xx, no answer): then `rules` disallow everything
    // (RFC 9309, 2.3.1.4). Empty when it was read, or answered 4xx (everything allowed).
    std::string unreachable;
  };

  // The rules for `origin` as of `now`, fetching <origin>/robots.txt (following up to five
  // redirects) when not cached. `before` is called before each request (the caller paces it).
  Answer For(const std::string& origin, Timestamp now, const std::function<void()>& before);

 private:
  struct Entry {
    Answer answer;
    Timestamp expires = kNoTime;
  };
  // Reads robots.txt of `origin`.
  Answer Fetch(const std::string& origin, const std::function<void()>& before) const;
  const HttpFetcher& fetcher_;
  const std::string product_token_;
  const int64_t ttl_seconds_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_POLITENESS_H_
