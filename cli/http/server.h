// The HTTP/1.1 server of `palimpsest serve`: Boost.Asio + Boost.Beast with C++20 coroutines.
//
// One io_context run by `threads` threads; each connection is a coroutine on its own strand
// with keep-alive. Limits: request headers (header_limit, 431), bodies (max_body, 413: checked
// against Content-Length before the body is read and enforced while reading), a request header
// must arrive within idle_timeout and a body within read_timeout (else the connection is
// closed), connection slots (cli/http/limits.h: over max_connections, max_per_peer or
// max_streams a 503 with Retry-After is sent), and an event stream whose write blocks for
// idle_timeout is closed. Before a body is read: malformed framing (no Host, a
// Transfer-Encoding not ending in chunked) is 400, a Host not in allowed_hosts 421, and a write
// without a valid token 401/403 (no 100 Continue is sent then). Diff, blame and search run on
// a pool of their own, writes on another: the I/O threads keep serving cheap reads.
// SIGINT/SIGTERM stop accepting, let in-flight requests finish (at most drain_timeout), end
// event streams, and return from Run().

#ifndef PALIMPSEST_CLI_HTTP_SERVER_H_
#define PALIMPSEST_CLI_HTTP_SERVER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli/http/routes.h"

namespace palimpsest::cli::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: an ephemeral port (see Listen's result)
  int threads = 2;
  uint64_t max_body = uint64_t{8} << 20;
  uint32_t header_limit = 16 * 1024;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{10};
  size_t max_connections = 1024;
  // Defaults leave room for one loopback client with 500 event streams and 64 other clients.
  size_t max_per_peer = 640;
  size_t max_streams = 512;
  // Host header values accepted (name or address, port ignored); empty: any.
  std::vector<std::string> allowed_hosts;
  std::chrono::seconds drain_timeout{10};
};

class Server {
 public:
  Server(ServeContext& ctx, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the bound port. IOError when the address cannot be used.
  Result<uint16_t> Listen();
  // Serves until SIGINT or SIGTERM, then drains and returns.
  void Run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace palimpsest::cli::http

#endif  // PALIMPSEST_CLI_HTTP_SERVER_H_
