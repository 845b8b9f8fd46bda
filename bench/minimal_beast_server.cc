// The baseline for bench/http_load.sh: the smallest Boost.Beast HTTP/1.1 server built the way
// `palimpsest serve` is (one io_context run by N threads, a C++20 coroutine per connection on
// its own strand, keep-alive), answering every request with a fixed JSON body and doing no
// other work. Its req/s is the ceiling for what the archive's server could reach on this
// machine, so the benchmark reports the archive's figures as a ratio of it.
//
// Usage: minimal_beast_server [--listen HOST:PORT] [--threads N] [--body-bytes N]
// Prints "listening on HOST:PORT" (port 0 picks a free one) and serves until SIGINT/SIGTERM.

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Flags {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  int threads = 2;
  size_t body_bytes = 512;
};

// Parses the command line into *flags; false (after a message) on anything it does not know.
bool ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "minimal_beast_server: " << arg << " needs a value\n";
      return false;
    }
    const std::string value = argv[++i];
    if (arg == "--listen") {
      const size_t colon = value.rfind(':');
      if (colon == std::string::npos) {
        std::cerr << "minimal_beast_server: --listen must be HOST:PORT\n";
        return false;
      }
      flags->host = value.substr(0, colon);
      flags->port = static_cast<uint16_t>(std::atoi(value.c_str() + colon + 1));
    } else if (arg == "--threads") {
      flags->threads = std::max(1, std::atoi(value.c_str()));
    } else if (arg == "--body-bytes") {
      flags->body_bytes = static_cast<size_t>(std::atol(value.c_str()));
    } else {
      std::cerr << "minimal_beast_server: unknown flag " << arg << "\n";
      return false;
    }
  }
  return true;
}

asio::awaitable<void> Session(tcp::socket socket, const std::string& body) {
  auto token = asio::as_tuple(asio::use_awaitable);
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request<bhttp::string_body> req;
    stream.expires_after(std::chrono::seconds(30));
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, req, token);
    if (ec) break;
    bhttp::response<bhttp::string_body> res{bhttp::status::ok, req.version()};
    res.set(bhttp::field::server, "minimal");
    res.set(bhttp::field::content_type, "application/json");
    res.keep_alive(req.keep_alive());
    res.body() = body;
    res.prepare_payload();
    auto [wec, wn] = co_await bhttp::async_write(stream, res, token);
    if (wec || !res.keep_alive()) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> Accept(asio::io_context& ioc, tcp::acceptor& acceptor,
                             const std::string& body) {
  for (;;) {
    auto strand = asio::make_strand(ioc);
    auto [ec, socket] = co_await acceptor.async_accept(strand, asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (!acceptor.is_open()) co_return;
      continue;
    }
    asio::co_spawn(strand, Session(std::move(socket), body), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, &flags)) return 1;
  // A JSON body of the requested size, like a small document.
  std::string body = R"({"id":"fixed","body":")";
  body.append(flags.body_bytes > body.size() + 2 ? flags.body_bytes - body.size() - 2 : 0, 'x');
  body += "\"}";

  asio::io_context ioc(flags.threads);
  boost::system::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address(flags.host, ec), flags.port);
  if (ec) {
    std::cerr << "minimal_beast_server: bad address " << flags.host << "\n";
    return 1;
  }
  tcp::acceptor acceptor(ioc);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::cerr << "minimal_beast_server: cannot listen: " << ec.message() << "\n";
    return 1;
  }
  std::cout << "listening on " << flags.host << ":" << acceptor.local_endpoint().port()
            << std::endl;

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    acceptor.close(ec);
    ioc.stop();
  });
  asio::co_spawn(ioc, Accept(ioc, acceptor, body), asio::detached);
  std::vector<std::thread> pool;
  for (int i = 1; i < flags.threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (std::thread& t : pool) t.join();
  return 0;
}
