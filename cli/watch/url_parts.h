// The parts of an http(s) URL the watcher works with: its origin (pacing and robots.txt are per
// origin), host and path. Parsed with Boost.URL.
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_CLI_WATCH_URL_PARTS_H_
#define PALIMPSEST_CLI_WATCH_URL_PARTS_H_

#include <string>
#include <string_view>

namespace palimpsest::cli {

// The scheme, host and port of an http(s) URL ("https://example.com:8443"), lower-cased; empty
// for anything else.
std::string UrlOrigin(std::string_view url);

// The host of a URL, lower-cased ("example.com"); empty when it has none.
std::string UrlHost(std::string_view url);

// The path and query of a URL ("/a/b?c"), "/" when it has none.
std::string UrlPathAndQuery(std::string_view url);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_URL_PARTS_H_
