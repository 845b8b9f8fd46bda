#include "cli/http_server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <exception>
#include <thread>
#include <vector>

#include "cli/http_sse.h"

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

bool IsParseError(const boost::system::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

}  // namespace

struct Server::Impl {
  ServeContext& ctx;
  ServerOptions options;
  // Declared before the io_context: coroutine frames it destroys still decrement them.
  std::atomic<size_t> connections{0};
  std::atomic<size_t> in_flight{0};
  asio::io_context ioc;
  // The acceptor is not thread-safe: Accept() and Drain() both run on this strand, so the
  // close that stops accepting never races the accept loop.
  asio::strand<asio::io_context::executor_type> acceptor_strand{asio::make_strand(ioc)};
  tcp::acceptor acceptor{acceptor_strand};
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  // Runs write requests, which block until their group commit is durable.
  asio::thread_pool writers{kWriterThreads};

  Impl(ServeContext& c, ServerOptions o) : ctx(c), options(std::move(o)), ioc(options.threads) {}

  RouteResult SafeRoute(const Request& req) {
    try {
      return Route(ctx, req);
    } catch (const std::exception& e) {
      RouteResult routed;
      routed.response = Problem(bhttp::status::internal_server_error, e.what());
      return routed;
    }
  }

  // Sends a problem and asks for the connection to close.
  asio::awaitable<void> SendProblem(beast::tcp_stream& stream, bhttp::status status,
                                    std::string_view detail, std::string_view route) {
    Response res = Problem(status, detail);
    res.keep_alive(false);
    res.set(bhttp::field::server, "palimpsest");
    res.prepare_payload();
    ctx.metrics.Record(route, static_cast<unsigned>(status), 0);
    co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
  }

  asio::awaitable<void> Session(tcp::socket socket) {
    ScopedCount open(connections);
    auto token = asio::as_tuple(asio::use_awaitable);
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    if (connections.load() > options.max_connections) {
      co_await SendProblem(stream, bhttp::status::service_unavailable, "too many connections",
                           "unmatched");
      co_return;
    }
    while (!ctx.stopping.load()) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(options.header_limit);
      parser.body_limit(options.max_body);
      stream.expires_after(options.read_timeout);
      auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, token);
      if (ec) {
        if (ec == bhttp::error::body_limit) {  // Content-Length over the limit
          co_await SendProblem(stream, bhttp::status::payload_too_large,
                               "the body is over " + std::to_string(options.max_body) + " bytes",
                               "unmatched");
        } else if (ec == bhttp::error::header_limit) {
          co_await SendProblem(
              stream, bhttp::status::request_header_fields_too_large,
              "request headers over " + std::to_string(options.header_limit) + " bytes",
              "unmatched");
        } else if (IsParseError(ec)) {
          co_await SendProblem(stream, bhttp::status::bad_request,
                               "malformed request: " + ec.message(), "unmatched");
        }
        break;
      }
      ScopedCount busy(in_flight);
      const auto start = std::chrono::steady_clock::now();
      if (auto length = parser.content_length(); length && *length > options.max_body) {
        co_await SendProblem(stream, bhttp::status::payload_too_large,
                             "the body is over " + std::to_string(options.max_body) + " bytes",
                             "unmatched");
        break;
      }
      if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
        static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [cec, cn] = co_await asio::async_write(stream, asio::buffer(kContinue), token);
        if (cec) break;
      }
      if (!parser.is_done()) {
        auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, token);
        if (bec == bhttp::error::body_limit) {
          co_await SendProblem(stream, bhttp::status::payload_too_large,
                               "the body is over " + std::to_string(options.max_body) + " bytes",
                               "unmatched");
          break;
        }
        if (bec) break;
      }
      Request req = parser.release();
      RouteResult routed;
      if (req.method() == bhttp::verb::post) {
        // A write waits for its group commit: off the I/O threads, so they keep serving.
        routed = co_await asio::co_spawn(
            writers, [&]() -> asio::awaitable<RouteResult> { co_return SafeRoute(req); },
            asio::use_awaitable);
      } else {
        routed = SafeRoute(req);
      }
      if (routed.sse) {
        ctx.metrics.Record(
            routed.route, 200,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        co_await StreamEvents(stream, ctx, routed.sse_after);
        break;
      }
      Response& res = routed.response;
      res.version(req.version());
      res.keep_alive(req.keep_alive() && !ctx.stopping.load());
      res.set(bhttp::field::server, "palimpsest");
      res.prepare_payload();
      if (req.method() == bhttp::verb::head) {
        const auto length = res.body().size();
        res.body().clear();
        res.content_length(length);
      }
      // Recorded before the response leaves, so a client that saw it also sees it counted.
      ctx.metrics.Record(
          routed.route, res.result_int(),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      auto [wec, wn] = co_await bhttp::async_write(stream, res, token);
      if (wec || !res.keep_alive()) break;
    }
    // Lingering close: stop sending, then read what the client still sends (briefly), so an
    // unread request body does not turn our last response into a connection reset.
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(std::chrono::seconds(1));
    char sink[16 * 1024];
    for (size_t drained = 0; drained < (size_t{1} << 20);) {
      auto [rec, rn] = co_await stream.async_read_some(asio::buffer(sink), token);
      if (rec) break;
      drained += rn;
    }
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
      asio::co_spawn(strand, Session(std::move(socket)), [](std::exception_ptr) {});
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
}

}  // namespace palimpsest::cli::http
