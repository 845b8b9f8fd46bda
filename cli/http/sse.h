// GET /api/events/stream: the event log as Server-Sent Events.
//
// Replays every event with seq > `after`, then follows the log (polled every 100 ms), one
// message per event: "id: <seq>\ndata: <log --json object>\n\n". A reconnecting client sends
// Last-Event-ID, which the router turns into `after`, so it resumes with no gap and no
// duplicate. A comment line every 15 s keeps idle connections alive and notices departed
// clients. The response is close-delimited (no Content-Length) and ends when the server stops,
// or when a write cannot complete within `write_timeout` (a peer that is gone or not reading).

#ifndef PALIMPSEST_CLI_HTTP_SSE_H_
#define PALIMPSEST_CLI_HTTP_SSE_H_

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>

#include "cli/http/routes.h"

namespace palimpsest::cli::http {

boost::asio::awaitable<void> StreamEvents(boost::beast::tcp_stream& stream, ServeContext& ctx,
                                          uint64_t after, std::chrono::seconds write_timeout);

}  // namespace palimpsest::cli::http

#endif  // PALIMPSEST_CLI_HTTP_SSE_H_
