// Implements LocalSite: an Asio io_context on one thread, an accept loop and one Beast
// coroutine per connection; pages (with their failure counts) and the request log behind one
// mutex.

#include "cli/watch/local_site.h"

#include <zlib.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace palimpsest::cli {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

Timestamp WallClockNow() {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count();
}

struct DeflateEnd {
  void operator()(z_stream* zs) const { deflateEnd(zs); }
};

// `data` as a gzip member; aborts on a zlib failure (a broken test environment).
std::string Gzip(std::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    std::abort();
  }
  std::unique_ptr<z_stream, DeflateEnd> guard(&zs);
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(zs.total_out);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view WithoutWeak(std::string_view etag) {
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  return etag;
}

// Whether an If-None-Match list names `etag` (weak comparison) or is "*".
bool ListsEtag(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    size_t comma = if_none_match.find(',');
    std::string_view item = Trim(if_none_match.substr(0, comma));
    if (item == "*" || WithoutWeak(item) == WithoutWeak(etag)) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

bool NotModified(const Request& req, const SitePage& page) {
  if (page.status < 200 || page.status > 299) return false;
  auto inm = req.find(bhttp::field::if_none_match);
  if (inm != req.end()) return !page.etag.empty() && ListsEtag(inm->value(), page.etag);
  auto ims = req.find(bhttp::field::if_modified_since);
  return ims != req.end() && !page.last_modified.empty() && ims->value() == page.last_modified;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// What a page answers while it is still failing: its status, and nothing else of the page.
SitePage FailingPage(const SitePage& page) {
  SitePage failing;
  failing.status = page.fail_status;
  failing.content_type.clear();
  failing.delay_ms = page.delay_ms;
  return failing;
}

bool MustNotHaveBody(int status) { return status < 200 || status == 204 || status == 304; }

Response Answer(const Request& req, const std::optional<SitePage>& page) {
  Response res;
  res.version(11);
  if (!page.has_value()) {
    res.result(bhttp::status::not_found);
    res.set(bhttp::field::content_type, "text/plain");
    res.body() = "not found\n";
    res.prepare_payload();
  } else if (NotModified(req, *page)) {
    res.result(bhttp::status::not_modified);
  } else {
    res.result(static_cast<unsigned>(page->status));
    if (!page->content_type.empty()) res.set(bhttp::field::content_type, page->content_type);
    for (const auto& [name, value] : page->headers) res.insert(name, value);
    if (!MustNotHaveBody(page->status)) {
      res.body() = page->gzip ? Gzip(page->body) : page->body;
      if (page->gzip) res.set(bhttp::field::content_encoding, "gzip");
      if (page->chunked) {
        res.chunked(true);
      } else {
        res.prepare_payload();
      }
    }
  }
  if (page.has_value() && !page->etag.empty()) res.set(bhttp::field::etag, page->etag);
  if (page.has_value() && !page->last_modified.empty()) {
    res.set(bhttp::field::last_modified, page->last_modified);
  }
  res.keep_alive(req.keep_alive());
  return res;
}

}  // namespace

std::string SiteRequest::Header(std::string_view name) const {
  for (const auto& [header, value] : headers) {
    if (EqualsIgnoreCase(header, name)) return value;
  }
  return "";
}

struct LocalSite::Impl {
  struct PageState {
    SitePage page;
    int failures_sent = 0;  // answers with page.fail_status so far
  };

  mutable std::mutex mu;
  std::map<std::string, PageState, std::less<>> pages;  // guarded by mu
  std::vector<SiteRequest> requests;                    // guarded by mu
  // Declared after the state the coroutines use, so that it is destroyed (with the coroutine
  // frames it still holds) first.
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  unsigned short port = 0;
  std::thread thread;

  // Logs `req` and returns what to answer for its target: nothing (404), the page, or, while
  // the page is still to fail, its failing version.
  std::optional<SitePage> Record(Request& req) {
    SiteRequest r;
    r.target = req.target();
    r.if_none_match = req[bhttp::field::if_none_match];
    r.if_modified_since = req[bhttp::field::if_modified_since];
    r.user_agent = req[bhttp::field::user_agent];
    r.accept_encoding = req[bhttp::field::accept_encoding];
    r.at = WallClockNow();
    r.method = req.method_string();
    r.content_type = req[bhttp::field::content_type];
    for (const auto& field : req) r.headers.emplace_back(Lower(field.name_string()), field.value());
    r.body = std::move(req.body());
    std::lock_guard<std::mutex> lock(mu);
    requests.push_back(std::move(r));
    auto it = pages.find(requests.back().target);
    if (it == pages.end()) return std::nullopt;
    PageState& state = it->second;
    if (state.failures_sent < state.page.fail_times) {
      ++state.failures_sent;
      return FailingPage(state.page);
    }
    return state.page;
  }

  // Reads one request into `*req`, answering "100 Continue" when the client waits for it;
  // returns the error, if any (bhttp::error::body_limit past kSiteMaxRequestBody).
  static asio::awaitable<beast::error_code> ReadRequest(beast::tcp_stream& stream,
                                                        beast::flat_buffer& buffer, Request* req) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(kSiteMaxRequestBody);
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kAsTuple);
    if (ec) co_return ec;
    if (EqualsIgnoreCase(parser.get()[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, 11};
      auto [cec, cn] = co_await bhttp::async_write(stream, proceed, kAsTuple);
      if (cec) co_return cec;
    }
    auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, kAsTuple);
    if (bec) co_return bec;
    *req = parser.release();
    co_return beast::error_code{};
  }

  asio::awaitable<void> Serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      Request req;
      beast::error_code ec = co_await ReadRequest(stream, buffer, &req);
      if (ec == bhttp::error::body_limit) {
        Response too_large{bhttp::status::payload_too_large, 11};
        too_large.keep_alive(false);
        too_large.prepare_payload();
        co_await bhttp::async_write(stream, too_large, kAsTuple);
        break;
      }
      if (ec) break;
      std::optional<SitePage> page = Record(req);
      if (page.has_value() && page->delay_ms > 0) {
        asio::steady_timer timer(stream.get_executor());
        timer.expires_after(std::chrono::milliseconds(page->delay_ms));
        auto [tec] = co_await timer.async_wait(kAsTuple);
        if (tec) break;
      }
      Response res = Answer(req, page);
      auto [wec, wn] = co_await bhttp::async_write(stream, res, kAsTuple);
      if (wec || !res.keep_alive()) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kAsTuple);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (!ec) asio::co_spawn(ioc, Serve(std::move(socket)), asio::detached);
    }
  }

  void Run() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (...) {  // a handler threw: keep serving the other connections
      }
    }
  }
};

LocalSite::LocalSite() : impl_(std::make_unique<Impl>()) {
  tcp::endpoint endpoint(asio::ip::address_v4::loopback(), 0);
  beast::error_code ec;
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) impl_->port = impl_->acceptor.local_endpoint(ec).port();
  if (ec) {
    std::fprintf(stderr, "LocalSite: cannot listen on 127.0.0.1: %s\n", ec.message().c_str());
    std::abort();
  }
  asio::co_spawn(impl_->ioc, impl_->Accept(), asio::detached);
  impl_->thread = std::thread([impl = impl_.get()] { impl->Run(); });
}

LocalSite::~LocalSite() {
  // Handlers still pending (reads on idle connections, delayed answers, the accept) are
  // destroyed with the io_context, which closes their sockets.
  impl_->ioc.stop();
  impl_->thread.join();
}

void LocalSite::Set(const std::string& target, SitePage page) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->pages.insert_or_assign(target, Impl::PageState{std::move(page), 0});
}

void LocalSite::Remove(const std::string& target) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->pages.erase(target);
}

std::string LocalSite::Url(std::string_view target) const {
  return "http://127.0.0.1:" + std::to_string(impl_->port) + std::string(target);
}

std::vector<SiteRequest> LocalSite::Requests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->requests;
}

size_t LocalSite::RequestCount(std::string_view target) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  size_t n = 0;
  for (const SiteRequest& r : impl_->requests) n += r.target == target ? 1 : 0;
  return n;
}

}  // namespace palimpsest::cli
