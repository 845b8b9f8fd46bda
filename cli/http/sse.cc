#include "cli/http/sse.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "cli/json/json_format.h"

namespace palimpsest::cli::http {

namespace {

namespace asio = boost::asio;
// Commits wake the stream at once (ServeContext::commits); this bounds the wait anyway.
constexpr auto kPollInterval = std::chrono::seconds(5);
constexpr auto kKeepAlive = std::chrono::seconds(15);
constexpr size_t kBatch = 256;

}  // namespace

asio::awaitable<void> StreamEvents(boost::beast::tcp_stream& stream, ServeContext& ctx,
                                   uint64_t after, std::chrono::seconds write_timeout) {
  auto token = asio::as_tuple(asio::use_awaitable);
  stream.expires_never();
  const std::string head =
      "HTTP/1.1 200 OK\r\n"
      "Content-Type: text/event-stream; charset=utf-8\r\n"
      "Cache-Control: no-cache\r\n"
      "X-Content-Type-Options: nosniff\r\n"
      "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
      "Connection: close\r\n"
      "Server: palimpsest\r\n"
      "\r\n"
      "retry: 1000\n\n";
  // Each write must finish within write_timeout (a peer that stopped reading is dropped).
  stream.expires_after(write_timeout);
  auto [ec, n] = co_await asio::async_write(stream, asio::buffer(head), token);
  stream.expires_never();
  if (ec) co_return;
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor);
  ctx.commits.Register(timer);
  auto last_write = std::chrono::steady_clock::now();
  while (!ctx.stopping.load()) {
    const uint64_t generation = ctx.commits.generation();
    auto events = ctx.archive->ReadLog(after, kBatch);
    std::string out;
    if (!events.ok()) {
      out = "event: error\ndata: " + events.status().message() + "\n\n";
      stream.expires_after(write_timeout);
      co_await asio::async_write(stream, asio::buffer(out), token);
      co_return;
    }
    for (const Event& e : *events) {
      out += "id: " + std::to_string(e.seq) + "\ndata: " + SerializeJson(EventJson(e)) + "\n\n";
      after = e.seq;
    }
    if (out.empty() && std::chrono::steady_clock::now() - last_write >= kKeepAlive) {
      out = ": keep-alive\n\n";
    }
    if (!out.empty()) {
      stream.expires_after(write_timeout);
      auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(out), token);
      stream.expires_never();
      if (wec) co_return;
      last_write = std::chrono::steady_clock::now();
      if (events->size() == kBatch) continue;  // more to replay
    }
    if (ctx.commits.generation() != generation) continue;  // committed while we read
    timer->expires_after(kPollInterval);
    co_await timer->async_wait(token);
  }
}

}  // namespace palimpsest::cli::http
