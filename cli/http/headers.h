// Response headers the server adds itself, and request headers it checks before routing.
//
// Every answer carries `X-Content-Type-Options: nosniff`; answers outside the web UI (which sets
// its own policy, cli/http/ui.h) also carry `Content-Security-Policy: default-src 'none'` and,
// unless the handler chose one, `Cache-Control`: `no-store` for an authenticated request or a
// write, `no-cache` otherwise (revalidate with the ETag).
//
// Stored text put into a header (a capture's URL in `Link`, and the TimeMap lines of the same
// grammar) goes through LinkTarget first, whatever the write path let into the archive.

#ifndef PALIMPSEST_CLI_HTTP_HEADERS_H_
#define PALIMPSEST_CLI_HTTP_HEADERS_H_

#include <string>
#include <string_view>
#include <vector>

#include "cli/http/problem.h"

namespace palimpsest::cli::http {

// `url` safe between the angle brackets of an RFC 8288 link: every byte that is not printable
// ASCII, and every one of space " < > \ ^ ` { | }, is percent-encoded (`%` itself is kept, so an
// already encoded URL is unchanged). The result never holds CR, LF or NUL.
std::string LinkTarget(std::string_view url);

// Adds the headers above to `res` (see the file comment). `ui`: the answer is the web UI's.
// `authenticated`: the request carried credentials or was a write.
void AddSecurityHeaders(Response& res, bool ui, bool authenticated);

// Whether Host header value `host` (a name or address, with or without ":PORT"; IPv6 in
// brackets) names this server: one of `allowed` (compared without case and port). An empty
// `allowed` accepts any host.
bool HostAllowed(std::string_view host, const std::vector<std::string>& allowed);

// The host names a server listening on `listen_host` answers for: localhost, 127.0.0.1, ::1,
// `listen_host` and `extra`. Empty (any host) when `listen_host` is a wildcard address (0.0.0.0,
// ::) and `extra` is empty: a server open to the network is reached under names it cannot know.
std::vector<std::string> AllowedHosts(const std::string& listen_host,
                                      const std::vector<std::string>& extra);

// Why request header `req` must be refused before its body is read (400: HTTP/1.1 without Host,
// a Transfer-Encoding whose last coding is not chunked), or an empty string.
std::string MalformedFraming(const bhttp::request_header<>& req);

}  // namespace palimpsest::cli::http

#endif  // PALIMPSEST_CLI_HTTP_HEADERS_H_
