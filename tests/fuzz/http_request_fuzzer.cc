// libFuzzer target: HTTP request handling of `palimpsest serve` — raw bytes through Beast's
// request parser (with the server's header and body limits) into Route() (cli/http/routes.cc,
// writes.cc, memento.cc, …) against a real archive in a temporary directory. Several
// pipelined requests in one input are each routed, so a write can be followed by reads of what
// it wrote. The bearer token "fuzz" is valid, so the write handlers are reached too.
//
// Properties: no crash, no leak, no UB, no exception out of Route; every response has a status
// in 100..599; a 2xx never carries a problem document; nothing outside the archive's directory
// is written (the archive directory is the only path the server opens).

#include <stdlib.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "cli/http/routes.h"
#include "palimpsest/archive.h"
#include "palimpsest/hash.h"

namespace {

namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;
using palimpsest::cli::http::Request;
using palimpsest::cli::http::ServeContext;

struct Fixture {
  std::string dir;
  std::unique_ptr<palimpsest::Archive> archive;
  std::unique_ptr<ServeContext> ctx;
};

Fixture* fixture = nullptr;

void RemoveFixture() {
  if (fixture == nullptr) return;
  fixture->ctx.reset();
  fixture->archive.reset();
  std::error_code ec;
  fs::remove_all(fixture->dir, ec);
  delete fixture;
  fixture = nullptr;
}

// Routes one parsed request as the server does and checks the response.
void RouteOne(const Request& req) {
  auto routed = palimpsest::cli::http::Route(*fixture->ctx, req);
  const unsigned code = routed.response.result_int();
  if (!routed.sse && (code < 100 || code > 599)) abort();
  if (code >= 200 && code < 300 &&
      routed.response[bhttp::field::content_type] == "application/problem+json") {
    abort();
  }
}

void Seed() {
  const char* kBodies[] = {
      R"({"id":"set-talks","source":"wire","title":"Talks resume","captured_at":"2023-07-20T12:00:00Z","body":"First paragraph.\n\nSecond paragraph."})",
      R"({"id":"set-talks","source":"wire","title":"Talks resume","captured_at":"2023-07-25T12:00:00Z","note":"An earlier version misspelled Mastalir.","effective_at":"2023-07-24","body":"First paragraph, fixed.\n\nSecond paragraph."})",
      R"({"url":"https://example.com/news/a?utm_source=x","captured_at":"2023-07-21","raw":"<html><body><article><h1>T</h1><p>Body text here.</p></article></body></html>","media_type":"text/html"})",
  };
  for (const char* body : kBodies) {
    Request req{bhttp::verb::post, "/api/documents", 11};
    req.set(bhttp::field::authorization, "Bearer fuzz");
    req.set(bhttp::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    RouteOne(req);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char tmpl[] = "/tmp/palimpsest-http-fuzz-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) abort();
  fixture = new Fixture;
  fixture->dir = tmpl;
  const std::string tokens = fixture->dir + "/tokens";
  std::ofstream(tokens) << "fuzzer " << palimpsest::ToHex(palimpsest::Sha256("fuzz")) << "\n";
  palimpsest::Options options;
  options.data_dir = fixture->dir + "/data";
  options.durability = palimpsest::Durability::kNoSync;
  options.map_size = uint64_t{64} << 20;
  auto archive = palimpsest::Archive::Open(options);
  if (!archive.ok()) abort();
  fixture->archive = std::move(archive).value();
  auto store = palimpsest::cli::http::TokenStore::Load(tokens);
  if (!store.ok()) abort();
  fixture->ctx = std::make_unique<ServeContext>();
  fixture->ctx->archive = fixture->archive.get();
  fixture->ctx->tokens = std::move(store).value();
  fixture->ctx->after_write = [] {};
  Seed();
  atexit(RemoveFixture);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  boost::asio::const_buffer rest(data, size);
  // At most a few pipelined requests per input, each with the server's limits (smaller body).
  for (int i = 0; i < 4 && rest.size() > 0; ++i) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(1 << 20);
    parser.eager(true);
    boost::system::error_code ec;
    const size_t used = parser.put(rest, ec);
    if (ec || !parser.is_done()) break;
    rest += used;
    RouteOne(parser.get());
  }
  return 0;
}
