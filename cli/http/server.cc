#include "cli/http/server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <exception>
#include <optional>
#include <thread>
#include <vector>

#include "cli/http/headers.h"
#include "cli/http/limits.h"
#include "cli/http/sse.h"

namespace palimpsest::cli::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

// Counts a value up for the scope.
class ScopedCount {
 public:
  explicit ScopedCount(std::atomic<size_t>& n) : n_(n) { ++n_; }
  ~ScopedCount() { --n_; }
  ScopedCount(const ScopedCount&) = delete;
  ScopedCount& operator=(const ScopedCount&) = delete;

 private:
  std::atomic<size_t>& n_;
};

// Concurrent writes that can wait on one group commit.
constexpr size_t kWriterThreads = 32;
// Threads for diff, blame and search.
constexpr size_t kHeavyThreads = 2;

bool IsParseError(const boost::system::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

// 503 with Retry-After: a slot may free soon.
Response Busy(std::string_view detail) {
  Response res = Problem(bhttp::status::service_unavailable, detail);
  res.set(bhttp::field::retry_after, "1");
  return res;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

struct Server::Impl {
  ServeContext& ctx;
  ServerOptions options;
  // Declared before the io_context: coroutine frames it destroys still give their slots back.
  ConnectionLimits limits;
  std::atomic<size_t> in_flight{0};
  asio::io_context ioc;
  // The acceptor is not thread-safe: Accept() and Drain() both run on this strand, so the
  // close that stops accepting never races the accept loop.
  asio::strand<asio::io_context::executor_type> acceptor_strand{asio::make_strand(ioc)};
  tcp::acceptor acceptor{acceptor_strand};
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  // Runs write requests, which block until their group commit is durable.
  asio::thread_pool writers{kWriterThreads};
  // Runs diff, blame and search, so one large answer does not stall the I/O threads.
  asio::thread_pool heavy{kHeavyThreads};

  Impl(ServeContext& c, ServerOptions o)
      : ctx(c),
        options(std::move(o)),
        limits(options.max_connections, options.max_per_peer, options.max_streams),
        ioc(options.threads) {}

  RouteResult SafeRoute(const Request& req) {
    try {
      return Route(ctx, req);
    } catch (const std::exception& e) {
      RouteResult routed;
      routed.response = Problem(bhttp::status::internal_server_error, e.what());
      return routed;
    }
  }

  // Sends `res` (a refusal) and asks for the connection to close.
  asio::awaitable<void> SendRefusal(beast::tcp_stream& stream, Response res,
                                    std::string_view route) {
    res.keep_alive(false);
    res.set(bhttp::field::server, "palimpsest");
    AddSecurityHeaders(res, /*ui=*/false, /*authenticated=*/false);
    res.prepare_payload();
    ctx.metrics.Record(route, res.result_int(), 0);
    co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
  }

  std::string OverBody() const {
    return "the body is over " + std::to_string(options.max_body) + " bytes";
  }

  // The answer to a failed header or body read, or nullopt (the peer left or timed out).
  std::optional<Response> ReadError(const boost::system::error_code& ec) const {
    if (ec == bhttp::error::body_limit)
      return Problem(bhttp::status::payload_too_large, OverBody());
    if (ec == bhttp::error::header_limit) {
      return Problem(bhttp::status::request_header_fields_too_large,
                     "request headers over " + std::to_string(options.header_limit) + " bytes");
    }
    if (IsParseError(ec))
      return Problem(bhttp::status::bad_request, "malformed request: " + ec.message());
    return std::nullopt;
  }

  // Refusals decided from the header alone, before any body byte is read.
  std::optional<Response> Screen(bhttp::request_parser<bhttp::string_body>& parser,
                                 RouteKind kind) const {
    const Request& req = parser.get();
    if (auto length = parser.content_length(); length && *length > options.max_body) {
      return Problem(bhttp::status::payload_too_large, OverBody());
    }
    if (std::string why = MalformedFraming(req); !why.empty()) {
      return Problem(bhttp::status::bad_request, why);
    }
    if (auto host = req.find(bhttp::field::host);
        host != req.end() && !HostAllowed(host->value(), options.allowed_hosts)) {
      return Problem(bhttp::status::misdirected_request, "this server does not answer for host '" +
                                                             std::string(host->value()) +
                                                             "' (see serve --allowed-host)");
    }
    if (kind == RouteKind::kWrite) {
      std::string name;
      if (auto denied = Authorize(ctx, req, &name)) return denied;
    }
    return std::nullopt;
  }

  // Sends 100 Continue when asked, then reads the body (within read_timeout). False when the
  // connection cannot go on (after sending the refusal, if there is one).
  asio::awaitable<bool> ReadBody(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                 bhttp::request_parser<bhttp::string_body>& parser,
                                 std::string_view route) {
    auto token = asio::as_tuple(asio::use_awaitable);
    if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [cec, cn] = co_await asio::async_write(stream, asio::buffer(kContinue), token);
      if (cec) co_return false;
    }
    if (parser.is_done()) co_return true;
    stream.expires_after(options.read_timeout);
    auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, token);
    if (!bec) co_return true;
    if (auto refusal = ReadError(bec)) co_await SendRefusal(stream, std::move(*refusal), route);
    co_return false;
  }

  // Runs the handler: writes and heavy reads on their pools, cheap reads right here.
  asio::awaitable<RouteResult> Dispatch(const Request& req, RouteKind kind) {
    if (kind == RouteKind::kCheap) co_return SafeRoute(req);
    asio::thread_pool& pool = kind == RouteKind::kWrite ? writers : heavy;
    co_return co_await asio::co_spawn(
        pool, [&]() -> asio::awaitable<RouteResult> { co_return SafeRoute(req); },
        asio::use_awaitable);
  }

  // An event stream, when a stream slot is free; else 503.
  asio::awaitable<void> Stream(beast::tcp_stream& stream, const RouteResult& routed,
                               std::chrono::steady_clock::time_point start) {
    ConnectionLimits::Slot slot = limits.AcquireStream();
    if (slot.admit() != ConnectionLimits::Admit::kOk) {
      co_await SendRefusal(stream, Busy("too many event streams"), routed.route);
      co_return;
    }
    ctx.metrics.Record(routed.route, 200, SecondsSince(start));
    // A peer that vanished without a reset: unacknowledged data aborts the connection after
    // idle_timeout instead of the kernel's retransmission minutes.
    const unsigned ms = static_cast<unsigned>(options.idle_timeout.count()) * 1000u;
    setsockopt(stream.socket().native_handle(), IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof(ms));
    co_await StreamEvents(stream, ctx, routed.sse_after, options.idle_timeout);
  }

  void Finish(Response& res, const Request& req, RouteKind kind, const std::string& route) {
    res.version(req.version());
    res.keep_alive(req.keep_alive() && !ctx.stopping.load());
    res.set(bhttp::field::server, "palimpsest");
    const bool authenticated =
        kind == RouteKind::kWrite || req.find(bhttp::field::authorization) != req.end();
    AddSecurityHeaders(res, route == "/ui", authenticated);
    res.prepare_payload();
    if (req.method() == bhttp::verb::head) {
      const auto length = res.body().size();
      res.body().clear();
      res.content_length(length);
    }
  }

  // Reads and answers one request. False when the connection is to close.
  asio::awaitable<bool> ServeOne(beast::tcp_stream& stream, beast::flat_buffer& buffer) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(options.header_limit);
    parser.body_limit(options.max_body);
    stream.expires_after(options.idle_timeout);
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser,
                                                     asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (auto refusal = ReadError(ec))
        co_await SendRefusal(stream, std::move(*refusal), "unmatched");
      co_return false;
    }
    ScopedCount busy(in_flight);
    const auto start = std::chrono::steady_clock::now();
    const RouteClass route = Classify(parser.get().method(), parser.get().target());
    const RouteKind kind = route.kind;
    if (auto refusal = Screen(parser, kind)) {
      co_await SendRefusal(stream, std::move(*refusal), route.route);
      co_return false;
    }
    if (!co_await ReadBody(stream, buffer, parser, route.route)) co_return false;
    Request req = parser.release();
    RouteResult routed = co_await Dispatch(req, kind);
    if (routed.sse) {
      co_await Stream(stream, routed, start);
      co_return false;
    }
    Response& res = routed.response;
    Finish(res, req, kind, routed.route);
    // Recorded before the response leaves, so a client that saw it also sees it counted.
    ctx.metrics.Record(routed.route, res.result_int(), SecondsSince(start));
    auto [wec, wn] = co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    co_return !wec && res.keep_alive();
  }

  // Stop sending, then read what the client still sends (briefly), so an unread request body
  // does not turn our last response into a connection reset.
  asio::awaitable<void> LingeringClose(beast::tcp_stream& stream) {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(std::chrono::seconds(1));
    char sink[16 * 1024];
    for (size_t drained = 0; drained < (size_t{1} << 20);) {
      auto [rec, rn] =
          co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
      if (rec) break;
      drained += rn;
    }
  }

  asio::awaitable<void> Session(tcp::socket socket, ConnectionLimits::Slot slot) {
    beast::tcp_stream stream(std::move(socket));
    if (slot.admit() != ConnectionLimits::Admit::kOk) {
      stream.expires_after(options.idle_timeout);
      co_await SendRefusal(stream,
                           Busy(slot.admit() == ConnectionLimits::Admit::kPeerFull
                                    ? "too many connections from this address"
                                    : "too many connections"),
                           "unmatched");
    } else {
      beast::flat_buffer buffer;
      while (!ctx.stopping.load()) {
        if (!co_await ServeOne(stream, buffer)) break;
      }
    }
    slot.Release();  // before the close: a client that saw it end finds the slot free
    co_await LingeringClose(stream);
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      asio::any_io_executor strand = asio::make_strand(ioc);
      auto [ec, socket] =
          co_await acceptor.async_accept(strand, asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (!acceptor.is_open()) co_return;
        // Out of descriptors and the like: back off briefly instead of spinning.
        asio::steady_timer pause(ioc, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      // Counted here, in accept order, so limits never depend on which session runs first.
      boost::system::error_code pec;
      const auto peer = socket.remote_endpoint(pec);
      ConnectionLimits::Slot slot =
          limits.AcquireConnection(pec ? std::string("?") : peer.address().to_string());
      asio::co_spawn(strand, Session(std::move(socket), std::move(slot)),
                     [](std::exception_ptr) {});
    }
  }

  // After a stop signal: no new connections; wait for in-flight requests, then stop.
  asio::awaitable<void> Drain() {
    ctx.stopping.store(true);
    boost::system::error_code ignored;
    acceptor.close(ignored);
    const auto deadline = std::chrono::steady_clock::now() + options.drain_timeout;
    asio::steady_timer timer(ioc);
    while (in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    ioc.stop();
  }
};

Server::Server(ServeContext& ctx, ServerOptions options)
    : impl_(std::make_unique<Impl>(ctx, std::move(options))) {}

Server::~Server() = default;

Result<uint16_t> Server::Listen() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return Status::InvalidArgument("--listen: bad address '" + impl_->options.host + "'");
  const tcp::endpoint endpoint(address, impl_->options.port);
  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) {
    const auto bound = acceptor.local_endpoint(ec);
    if (!ec) return bound.port();
  }
  return Status::IOError("cannot listen on " + impl_->options.host + ":" +
                         std::to_string(impl_->options.port) + ": " + ec.message());
}

void Server::Run() {
  Impl& impl = *impl_;
  asio::co_spawn(impl.acceptor_strand, impl.Accept(), [](std::exception_ptr) {});
  impl.signals.async_wait([&impl](const boost::system::error_code& ec, int) {
    if (!ec) asio::co_spawn(impl.acceptor_strand, impl.Drain(), [](std::exception_ptr) {});
  });
  std::vector<std::thread> pool;
  for (int i = 1; i < impl.options.threads; ++i) pool.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (std::thread& t : pool) t.join();
  impl.writers.join();
  impl.heavy.join();
}

}  // namespace palimpsest::cli::http
