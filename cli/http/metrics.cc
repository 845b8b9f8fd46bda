#include "cli/http/metrics.h"

#include <sstream>

namespace palimpsest::cli::http {

void Metrics::Record(std::string_view route, unsigned status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{std::string(route), status}];
  ++count_;
  sum_ += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++bucket_counts_[i];
      break;
    }
  }
}

std::string Metrics::Render(uint64_t head_seq) const {
  std::ostringstream out;
  out.precision(9);
  std::lock_guard<std::mutex> lock(mu_);
  out << "# HELP palimpsest_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE palimpsest_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out << "palimpsest_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
        << "\"} " << n << "\n";
  }
  out << "# HELP palimpsest_http_request_duration_seconds Time from a request's headers to its "
         "response being ready.\n"
         "# TYPE palimpsest_http_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += bucket_counts_[i];
    out << "palimpsest_http_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} "
        << cumulative << "\n";
  }
  out << "palimpsest_http_request_duration_seconds_bucket{le=\"+Inf\"} " << count_ << "\n"
      << "palimpsest_http_request_duration_seconds_sum " << sum_ << "\n"
      << "palimpsest_http_request_duration_seconds_count " << count_ << "\n"
      << "# HELP palimpsest_appends_total Events appended through the HTTP API.\n"
         "# TYPE palimpsest_appends_total counter\n"
      << "palimpsest_appends_total " << appends_.load(std::memory_order_relaxed) << "\n"
      << "# HELP palimpsest_log_events Events in the log (its head seq).\n"
         "# TYPE palimpsest_log_events gauge\n"
      << "palimpsest_log_events " << head_seq << "\n";
  return out.str();
}

}  // namespace palimpsest::cli::http
