// `palimpsest serve`: the web UI's embedded assets over a real socket — the page at /, its
// headers (Content-Type, ETag and 304, Cache-Control, Content-Security-Policy), and 404 for
// anything under /ui/ that is not an asset.

#include "cli/http/serve_test_harness.h"

namespace palimpsest::testing {
namespace {

namespace http = boost::beast::http;

class ServeUiTest : public ServeFixture {
 protected:
  void SetUp() override {
    archive_.IngestScenario();
    StartServer();
  }
};

TEST_F(ServeUiTest, IndexIsHtmlWithStrictHeaders) {
  HttpReply r = Get(port_, "/");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<!doctype html>"), std::string::npos);
  EXPECT_NE(r.body.find("/ui/app.js"), std::string::npos);
  const std::string csp = r.Header("content-security-policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.Header("cache-control"), "no-cache");
  const std::string etag = r.Header("etag");
  ASSERT_EQ(etag.size(), 66u) << etag;  // a quoted SHA-256
  EXPECT_EQ(etag.front(), '"');

  // /ui/ is the same page; a matching If-None-Match is 304 with no body.
  EXPECT_EQ(Get(port_, "/ui/").body, r.body);
  HttpReply again = Get(port_, "/", {{"If-None-Match", "W/\"x\", " + etag}});
  EXPECT_EQ(again.status, 304u);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(again.Header("etag"), etag);
  EXPECT_EQ(Get(port_, "/", {{"If-None-Match", "\"other\""}}).status, 200u);

  // HEAD: the same headers, no body (the parser is told not to expect one).
  boost::asio::io_context ioc;
  auto socket = Connect(ioc, port_);
  http::request<http::empty_body> req{http::verb::head, "/", 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(socket, req);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::empty_body> parser;
  parser.skip(true);
  boost::system::error_code ec;
  http::read(socket, buffer, parser, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(parser.get().result_int(), 200u);
  EXPECT_EQ(parser.get()[http::field::etag], etag);
  EXPECT_EQ(parser.get()[http::field::content_length], std::to_string(r.body.size()));
}

TEST_F(ServeUiTest, AssetsHaveTheirContentTypes) {
  HttpReply js = Get(port_, "/ui/app.js");
  ASSERT_EQ(js.status, 200u);
  EXPECT_EQ(js.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_FALSE(js.body.empty());
  HttpReply css = Get(port_, "/ui/app.css");
  ASSERT_EQ(css.status, 200u);
  EXPECT_EQ(css.Header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(Get(port_, "/ui/favicon.svg").Header("content-type"), "image/svg+xml");
  EXPECT_NE(js.Header("etag"), css.Header("etag"));
}

TEST_F(ServeUiTest, UnknownAssetsAndOtherMethodsAreRefused) {
  for (const char* target : {"/ui/nope.js", "/ui/../index.html", "/ui/%2e%2e/index.html",
                             "/ui/index.html/x", "/ui//app.js"}) {
    HttpReply r = Get(port_, target);
    EXPECT_EQ(r.status, 404u) << target;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << target;
  }
  HttpReply post = Post(port_, "/", "x", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(post.status, 405u);
  EXPECT_EQ(post.Header("allow"), "GET, HEAD");
  // Other paths still reach the API's routing.
  EXPECT_EQ(Get(port_, "/nope").status, 404u);
  EXPECT_EQ(Get(port_, std::string("/api/documents/") + kScenarioDoc).status, 200u);
}

}  // namespace
}  // namespace palimpsest::testing
