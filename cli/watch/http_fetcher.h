// One polite, bounded HTTP GET (or POST) for the web watcher, over libcurl.
//
// The watcher fetches article pages on a schedule (Fetch) and notifies webhooks (Post). Each
// call is a single request: redirects are reported, not followed, so the caller can record
// (and vet) every hop. Every connection
// is vetted against the address policy (cli/watch/address_policy.h) at connect time, so
// neither a host name resolving to a private address, DNS rebinding, nor a redirect reaches the
// local network. Bodies are bounded on the wire and after decompression, and the whole
// transfer is bounded in time. Failures are values (FetchResult::failure), never exceptions.
//
// No proxy is used, whatever the environment says (http_proxy, ALL_PROXY ...): a proxy would
// connect on the fetcher's behalf, out of reach of the address check.

#ifndef PALIMPSEST_CLI_WATCH_HTTP_FETCHER_H_
#define PALIMPSEST_CLI_WATCH_HTTP_FETCHER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "palimpsest/timestamp.h"

namespace palimpsest::cli {

// Limits and identity for every request of one HttpFetcher.
struct FetcherOptions {
  // Sent as User-Agent in every request (CR, LF and NUL are removed).
  std::string user_agent = "palimpsest-watch/1 (+https://github.com/palimpsest-archive)";
  // Time limits; 0 means libcurl's default (300 s to connect, no limit on the transfer).
  int connect_timeout_ms = 10'000;
  int timeout_ms = 30'000;             // the whole transfer, connect included
  uint64_t max_wire_bytes = 16 << 20;  // body bytes on the wire (before decompression)
  uint64_t max_body_bytes = 32 << 20;  // body bytes after decompression
  // When false, a connection to a non-public address (IsPublicAddress) is refused at connect
  // time, for every connection attempt of every request. True is for tests and intranets.
  bool allow_private_addresses = false;
};

// Why a fetch produced no usable response. An HTTP error status (404, 503 ...) is not a
// failure: it is a response, with FetchResult::status set.
enum class FetchFailure {
  kNone,
  kBadUrl,             // not an absolute URL, or no host
  kUnsupportedScheme,  // a scheme other than http and https
  kRefusedAddress,     // every address of the host is non-public (see FetcherOptions)
  kDns,                // the host name did not resolve
  kConnect,            // no connection could be made
  kTimeout,            // connect_timeout_ms or timeout_ms passed
  kTooLarge,           // the body passed max_wire_bytes or max_body_bytes
  kTls,                // TLS handshake or certificate verification failed
  kNetwork,            // anything else: reset connection, malformed response, bad encoding ...
};

// Returns a stable lower-case name for `f` ("none", "bad_url", "unsupported_scheme",
// "refused_address", "dns", "connect", "timeout", "too_large", "tls", "network"), for logs and
// metrics. The string is static.
const char* FetchFailureName(FetchFailure f);

// One GET. Empty conditional fields are not sent; a value containing CR, LF or NUL is not sent
// either (the request goes out unconditional).
struct FetchRequest {
  std::string url;                // absolute http:// or https:// URL
  std::string if_none_match;      // an ETag from an earlier response, sent as If-None-Match
  std::string if_modified_since;  // a Last-Modified from an earlier response
};

// One POST, e.g. to a webhook.
struct PostRequest {
  std::string url;   // absolute http:// or https:// URL
  std::string body;  // sent as is (any bytes), with its Content-Length
  // Sent as Content-Type; when empty (or containing CR, LF or NUL) no Content-Type is sent.
  std::string content_type = "application/json";
  // Extra request headers, sent in this order ("Authorization", "X-Signature" ...); an empty
  // value is sent as an empty header. Not sent: a name that is not an HTTP token or a value
  // containing CR, LF or NUL, and the headers derived from the request itself (Host,
  // Content-Length, Transfer-Encoding, Connection, Keep-Alive, Expect, TE, Trailer, Upgrade,
  // Proxy-Connection, and Content-Type: see content_type). A User-Agent or Accept-Encoding
  // here replaces the default one.
  std::vector<std::pair<std::string, std::string>> headers;
};

// The outcome of one Fetch or Post.
struct FetchResult {
  FetchFailure failure = FetchFailure::kNone;
  std::string error;  // one line for people, when failure != kNone
  int status = 0;     // HTTP status of the final response, when one arrived (also on failure)
  // The body after content decoding (gzip, br, zstd and deflate are offered); empty on failure.
  std::string body;
  // Headers of the final response (after any 1xx), values trimmed; empty when absent.
  std::string content_type, etag, last_modified;
  // For a 3xx with a Location header: that location resolved against the request URL, as an
  // absolute URL. Empty otherwise.
  std::string location;
  std::string retry_after;  // the raw Retry-After value (see ParseRetryAfter)
  std::string remote_ip;    // the address connected to, when a connection was made
  uint64_t wire_bytes = 0;  // body bytes received on the wire, before content decoding
};

// Fetches single URLs with libcurl.
class HttpFetcher {
 public:
  // Initializes libcurl's global state (curl_global_init, thread-safe since libcurl 7.84).
  // libcurl's global state is never cleaned up: curl_global_cleanup is not safe while other
  // code in the process may use libcurl, and the state is small and process-long.
  explicit HttpFetcher(FetcherOptions options);

  // Performs one GET of request.url and returns what came back; redirects are NOT followed
  // (see FetchResult::location). Blocks for at most about options.timeout_ms. Never throws.
  // Thread safety: may be called concurrently from several threads; each call uses its own
  // curl handle and shares no connection, DNS cache or cookie with other calls.
  FetchResult Fetch(const FetchRequest& request) const;

  // Performs one POST of request.body to request.url under the same rules as Fetch: http and
  // https only, non-public addresses refused unless allowed, no redirect followed (a 3xx is
  // returned as is, with FetchResult::location), the same time limits, the response body
  // bounded by max_wire_bytes and max_body_bytes. No "Expect: 100-continue" is sent. Never
  // throws. Thread safety: as Fetch.
  FetchResult Post(const PostRequest& request) const;

  const FetcherOptions& options() const { return options_; }

 private:
  FetcherOptions options_;
  bool curl_ready_ = false;  // curl_global_init succeeded
};

// Parses a Retry-After value: delta-seconds ("120") or an HTTP-date in any of the three forms
// HTTP allows ("Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
// "Sun Nov  6 08:49:37 1994"), relative to `now`. Returns the time to wait in whole seconds
// (rounded up), capped at 7 days; nullopt when the value is unparseable or the date is in the
// past (a date within the current second gives 0). Thread safety: pure function.
std::optional<int64_t> ParseRetryAfter(std::string_view value, Timestamp now);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_HTTP_FETCHER_H_
