// Implements HttpFetcher: turns a FetchRequest or PostRequest into vetted header lines and
// runs it through PerformTransfer (cli/watch/curl_transfer.h), which holds the libcurl setup
// both share.

#include "cli/watch/http_fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/watch/ascii_case.h"
#include "cli/watch/curl_transfer.h"

namespace palimpsest::cli {

namespace {

// Adds "name: value" to `lines` when the value is non-empty and header-safe.
void AddHeader(std::string_view name, const std::string& value, std::vector<std::string>* lines) {
  if (value.empty() || !IsHeaderSafe(value)) return;
  lines->push_back(std::string(name) + ": " + value);
}

// Whether `name` is an RFC 9110 token (tchar: letters, digits and !#$%&'*+-.^_`|~).
bool IsToken(std::string_view name) {
  static constexpr std::string_view kPunctuation = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           kPunctuation.find(c) != std::string_view::npos;
  });
}

// Headers libcurl derives from the request itself (framing, connection, the body's type,
// which PostRequest::content_type sets): not taken from PostRequest::headers.
bool IsManagedHeader(std::string_view name) {
  static constexpr std::string_view kManaged[] = {
      "Host", "Content-Length", "Transfer-Encoding", "Connection",       "Keep-Alive",   "Expect",
      "TE",   "Trailer",        "Upgrade",           "Proxy-Connection", "Content-Type",
  };
  return std::any_of(std::begin(kManaged), std::end(kManaged),
                     [&](std::string_view managed) { return EqualsIgnoreCase(name, managed); });
}

std::vector<std::string> FetchHeaderLines(const FetchRequest& request) {
  std::vector<std::string> lines;
  AddHeader("If-None-Match", request.if_none_match, &lines);
  AddHeader("If-Modified-Since", request.if_modified_since, &lines);
  return lines;
}

std::vector<std::string> PostHeaderLines(const PostRequest& request) {
  std::vector<std::string> lines;
  // "Name:" removes the header curl would add: its form Content-Type default, and the
  // "Expect: 100-continue" it sends before a large body (a round trip, and a stall of a second
  // on servers that do not answer 100).
  if (request.content_type.empty() || !IsHeaderSafe(request.content_type)) {
    lines.push_back("Content-Type:");
  } else {
    AddHeader("Content-Type", request.content_type, &lines);
  }
  lines.push_back("Expect:");
  for (const auto& [name, value] : request.headers) {
    if (!IsToken(name) || IsManagedHeader(name) || !IsHeaderSafe(value)) continue;
    // "Name;" is how curl is told to send a header with an empty value.
    lines.push_back(value.empty() ? name + ";" : name + ": " + value);
  }
  return lines;
}

// Runs `transfer` (a callable returning a FetchResult), turning an uninitialized libcurl and
// exceptions (std::bad_alloc, std::length_error) into failures.
template <typename Transfer>
FetchResult Guarded(bool curl_ready, const Transfer& transfer) {
  FetchResult failed;
  failed.failure = FetchFailure::kNetwork;
  try {
    if (!curl_ready) {
      failed.error = "libcurl failed to initialize";
      return failed;
    }
    return transfer();
  } catch (...) {
    failed.error = "out of memory";
    return failed;
  }
}

}  // namespace

const char* FetchFailureName(FetchFailure f) {
  // In the order of the enumerators.
  static constexpr const char* kNames[] = {
      "none",
      "bad_url",
      "unsupported_scheme",
      "refused_address",
      "dns",
      "connect",
      "timeout",
      "too_large",
      "tls",
      "network",
  };
  size_t i = static_cast<size_t>(f);
  return i < std::size(kNames) ? kNames[i] : "unknown";
}

HttpFetcher::HttpFetcher(FetcherOptions options) : options_(std::move(options)) {
  options_.user_agent = WithoutLineBreaks(options_.user_agent);
  curl_ready_ = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

FetchResult HttpFetcher::Fetch(const FetchRequest& request) const {
  return Guarded(curl_ready_, [&] {
    return PerformTransfer(options_, request.url, FetchHeaderLines(request), nullptr);
  });
}

FetchResult HttpFetcher::Post(const PostRequest& request) const {
  return Guarded(curl_ready_, [&] {
    return PerformTransfer(options_, request.url, PostHeaderLines(request), &request.body);
  });
}

}  // namespace palimpsest::cli
