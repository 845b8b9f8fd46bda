// A scriptable HTTP/1.1 web site on 127.0.0.1 for the web watcher's tests.
//
// Tests script pages (status, body, headers, validators, delay, gzip, initial failures) by
// target, point an HttpFetcher at Url(target), and inspect the requests the site received
// (method, headers, body). Any method is answered the same way, with the page for its target. The
// server runs Boost.Beast over Asio on its own thread: one coroutine per connection, keep-alive
// honoured, delays on Asio timers, so a slow page never holds up other connections.
//
// Thread safety: every method may be called from any thread while the server runs.

#ifndef PALIMPSEST_TESTS_CLI_WATCH_LOCAL_SITE_H_
#define PALIMPSEST_TESTS_CLI_WATCH_LOCAL_SITE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "palimpsest/timestamp.h"

namespace palimpsest::cli {

// What the site answers for one target.
struct SitePage {
  int status = 200;
  std::string body;
  std::string content_type = "text/html; charset=utf-8";  // not sent when empty
  // Extra response headers (Location, Retry-After, ...), sent as given after the others.
  std::vector<std::pair<std::string, std::string>> headers;
  // When set: sent as ETag, and a request whose If-None-Match lists it (or "*"; weak
  // comparison) gets 304 with no body.
  std::string etag;
  // When set: sent as Last-Modified, and a request with If-Modified-Since equal to it (and no
  // If-None-Match) gets 304.
  std::string last_modified;
  int delay_ms = 0;      // wait before answering (for timeout tests)
  bool gzip = false;     // send the body gzip-encoded, with Content-Encoding: gzip
  bool chunked = false;  // send Transfer-Encoding: chunked instead of Content-Length
  // The first `fail_times` requests for this target (counted from the Set that installed the
  // page) are answered with `fail_status` and an empty body, without the page's headers or
  // validators (after delay_ms, though); later ones get the page. For retry tests.
  int fail_times = 0;
  int fail_status = 500;
};

// The largest request body LocalSite reads: a request with a larger one is answered 413, its
// connection closed, and it is not recorded.
inline constexpr size_t kSiteMaxRequestBody = 8 << 20;

// One request as the site received it.
struct SiteRequest {
  std::string target;  // path and query, as in the request line
  std::string if_none_match, if_modified_since, user_agent, accept_encoding;
  Timestamp at = 0;          // when it arrived
  std::string method;        // "GET", "POST" ...
  std::string body;          // the request body, after any Transfer-Encoding
  std::string content_type;  // the Content-Type header; empty when absent
  // Every request header, in order of arrival, with names lower-cased and values as sent.
  std::vector<std::pair<std::string, std::string>> headers;

  // Returns the value of the first header named `name` (any case), or "" when there is none.
  std::string Header(std::string_view name) const;
};

class LocalSite {
 public:
  // Binds 127.0.0.1 on a port the OS chooses and starts serving on a new thread. Aborts the
  // process when it cannot bind (a test cannot continue without its site).
  LocalSite();
  // Stops serving: closes every connection, abandons delayed answers, joins the thread.
  ~LocalSite();
  LocalSite(const LocalSite&) = delete;
  LocalSite& operator=(const LocalSite&) = delete;

  // Serves `page` for `target` (path and query, e.g. "/news/a?x=1") from now on, replacing any
  // earlier page. Targets without a page answer 404.
  void Set(const std::string& target, SitePage page);

  // Forgets the page for `target`: it answers 404 afterwards.
  void Remove(const std::string& target);

  // Returns "http://127.0.0.1:PORT" followed by `target`.
  std::string Url(std::string_view target) const;

  // Returns a copy of every request received so far, in order of arrival.
  std::vector<SiteRequest> Requests() const;

  // Returns how many requests for `target` were received so far.
  size_t RequestCount(std::string_view target) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_TESTS_CLI_WATCH_LOCAL_SITE_H_
