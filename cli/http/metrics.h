// Prometheus counters of the HTTP server, rendered in the text exposition format (0.0.4):
//   palimpsest_http_requests_total{route,status}   counter
//   palimpsest_http_request_duration_seconds       histogram (all routes)
//   palimpsest_appends_total                       counter of events the server appended
//   palimpsest_log_events                          gauge: the log's head seq
//
// Thread safety: every method may be called from any thread.

#ifndef PALIMPSEST_CLI_HTTP_METRICS_H_
#define PALIMPSEST_CLI_HTTP_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace palimpsest::cli::http {

class Metrics {
 public:
  // `route` is the route's template ("/api/documents/{id}"), never a raw path, so the number of
  // series stays bounded.
  void Record(std::string_view route, unsigned status, double seconds);
  void CountAppends(uint64_t n) { appends_.fetch_add(n, std::memory_order_relaxed); }
  std::string Render(uint64_t head_seq) const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   1.0,   5.0};
  mutable std::mutex mu_;
  std::map<std::pair<std::string, unsigned>, uint64_t> requests_;
  std::array<uint64_t, kBuckets.size()> bucket_counts_{};  // non-cumulative
  uint64_t count_ = 0;
  double sum_ = 0;
  std::atomic<uint64_t> appends_{0};
};

}  // namespace palimpsest::cli::http

#endif  // PALIMPSEST_CLI_HTTP_METRICS_H_
