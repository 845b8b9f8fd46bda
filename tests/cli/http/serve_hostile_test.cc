// `palimpsest serve` against hostile input (issue #12): stored URLs never reach a header raw,
// every API answer carries the security headers, a write is authorized before its body is read,
// malformed framing and foreign Host names are refused, and the Memento edge cases.

#include "cli/http/headers.h"
#include "cli/http/serve_test_harness.h"
#include "cli/http/ui.h"

namespace palimpsest::testing {
namespace {

const std::string kEvilUrl =
    "https://example.com/a\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script> \"<>";

class ServeHostileTest : public ServeFixture {
 protected:
  void SetUp() override { StartServer({"--tokens", WriteTokens()}); }
  void Seed(const std::string& id, const std::string& url, const std::string& when) {
    json::object record{{"id", id}, {"captured_at", when}, {"body", "Text of " + when + "."}};
    if (!url.empty()) record["url"] = url;
    HttpReply r = Post(port_, "/api/documents", json::serialize(record), kAlice);
    ASSERT_TRUE(r.status == 201u || r.status == 200u) << r.body;
  }
  // The status line of the first response to raw `bytes` (no body is sent unless in `bytes`).
  unsigned RawStatus(const std::string& bytes) { return RawRequest(port_, bytes).status; }
};

void ExpectNoRawBytes(const std::string& value) {
  EXPECT_EQ(value.find_first_of("\r\n\" "), std::string::npos) << value;
  EXPECT_EQ(value.find("<script>"), std::string::npos) << value;
}

TEST(LinkTargetTest, EncodesEverythingAHeaderOrLinkLineCouldMisread) {
  EXPECT_EQ(cli::http::LinkTarget("https://example.com/a?b=c%20d"),
            "https://example.com/a?b=c%20d");
  EXPECT_EQ(cli::http::LinkTarget("a\r\nb c\"<>\\^`{|}\x7f\x01"),
            "a%0D%0Ab%20c%22%3C%3E%5C%5E%60%7B%7C%7D%7F%01");
  EXPECT_EQ(cli::http::LinkTarget("https://example.com/s\xC3\xA3o"),
            "https://example.com/s%C3%A3o");
}

TEST_F(ServeHostileTest, StoredUrlNeverReachesAHeaderRaw) {
  json::object record{
      {"id", "evil"}, {"captured_at", "2024-01-01"}, {"body", "Text."}, {"url", kEvilUrl}};
  HttpReply w = Post(port_, "/api/documents", json::serialize(record), kAlice);
  if (w.status == 400u) GTEST_SKIP() << "the write path refuses such URLs: " << w.body;
  ASSERT_EQ(w.status, 201u) << w.body;

  HttpReply rev = Get(port_, "/api/documents/evil?rev=1");
  ASSERT_EQ(rev.status, 200u) << rev.body;
  EXPECT_EQ(rev.Header("content-type"), "application/json");
  EXPECT_EQ(Str(rev.Json(), "id"), "evil");  // one body, the document's
  const std::string link = rev.Header("link");
  EXPECT_NE(link.find("<https://example.com/a%0D%0AContent-Type:%20text/html%0D%0A%0D%0A"
                      "%3Cscript%3Ealert(1)%3C/script%3E%20%22%3C%3E>; rel=\"original\""),
            std::string::npos)
      << link;

  HttpReply gate = Get(port_, "/memento/evil");
  EXPECT_EQ(gate.status, 302u) << gate.body;
  EXPECT_EQ(gate.Header("content-type").find("text/html"), std::string::npos);
  EXPECT_EQ(gate.Header("link"), link);

  HttpReply map = Get(port_, "/timemap/evil");
  ASSERT_EQ(map.status, 200u) << map.body;
  EXPECT_EQ(map.Header("content-type"), "application/link-format");
  const std::string first_line = map.body.substr(0, map.body.find('\n'));
  EXPECT_EQ(first_line.rfind("<https://example.com/a%0D%0AContent-Type", 0), 0u) << map.body;
  ExpectNoRawBytes(first_line.substr(1, first_line.find('>') - 1));
  EXPECT_EQ(map.body.find("<script>"), std::string::npos) << map.body;
}

TEST_F(ServeHostileTest, ApiAnswersCarrySecurityHeaders) {
  Seed("doc", "https://example.com/doc", "2024-01-01");
  for (const char* target : {"/api/documents", "/api/documents/doc", "/api/documents/nope",
                             "/timemap/doc", "/metrics", "/no/such/route"}) {
    HttpReply r = Get(port_, target);
    EXPECT_EQ(r.Header("x-content-type-options"), "nosniff") << target;
    EXPECT_EQ(r.Header("content-security-policy").rfind("default-src 'none'", 0), 0u) << target;
    EXPECT_EQ(r.Header("cache-control"), "no-cache") << target;
  }
  // Authenticated answers are never stored by a cache.
  HttpReply w = Post(port_, "/api/documents",
                     R"({"id":"doc2","captured_at":"2024-01-01","body":"Two."})", kAlice);
  EXPECT_EQ(w.status, 201u) << w.body;
  EXPECT_EQ(w.Header("cache-control"), "no-store");
  EXPECT_EQ(w.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(Get(port_, "/api/documents/doc", {{"Authorization", "Bearer secret-a"}})
                .Header("cache-control"),
            "no-store");
  HttpReply denied = Post(port_, "/api/documents", "{}", {{"Content-Type", "application/json"}});
  EXPECT_EQ(denied.status, 401u);
  EXPECT_EQ(denied.Header("x-content-type-options"), "nosniff");
  // The web UI keeps its own policy.
  HttpReply ui = Get(port_, "/");
  EXPECT_EQ(ui.status, 200u);
  EXPECT_EQ(ui.Header("content-security-policy"), cli::http::kUiContentSecurityPolicy);
  EXPECT_EQ(ui.Header("x-content-type-options"), "nosniff");
}

TEST_F(ServeHostileTest, WritesAreAuthorizedBeforeTheBodyIsRead) {
  // A body announced but never sent: the answer comes from the header alone.
  const std::string head =
      "POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
  HttpReply big = RawRequest(port_, head + "Content-Length: 8388608\r\n\r\n");
  EXPECT_EQ(big.status, 401u) << big.body;
  EXPECT_EQ(big.Header("www-authenticate"), "Bearer realm=\"palimpsest\"");
  EXPECT_EQ(RawStatus(head + "Authorization: Bearer wrong\r\nContent-Length: 1000\r\n\r\n"), 401u);
  EXPECT_EQ(RawStatus("POST /api/documents/doc/corrections HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Content-Length: 1000\r\n\r\n"),
            401u);
  // Expect: 100-continue without a token: 401, not 100.
  EXPECT_EQ(RawStatus(head + "Expect: 100-continue\r\nContent-Length: 60\r\n\r\n"), 401u);

  // With a token, 100 Continue comes first and the write goes through.
  const std::string body = R"({"id":"doc","captured_at":"2024-01-01","body":"Text."})";
  boost::asio::io_context ioc;
  auto socket = Connect(ioc, port_);
  boost::asio::write(socket, boost::asio::buffer(head + "Authorization: Bearer secret-a\r\n" +
                                                 "Expect: 100-continue\r\nContent-Length: " +
                                                 std::to_string(body.size()) + "\r\n\r\n"));
  boost::beast::flat_buffer buffer;
  EXPECT_EQ(ReadReply(socket, buffer).status, 100u);
  boost::asio::write(socket, boost::asio::buffer(body));
  EXPECT_EQ(ReadReply(socket, buffer).status, 201u);
  EXPECT_EQ(archive_.LogLength(), 1u);
  // Refusals before the body still count under their route.
  const std::string metrics = Get(port_, "/metrics").body;
  EXPECT_NE(metrics.find("route=\"/api/documents\",status=\"401\"} 3"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("route=\"/api/documents/{id}/corrections\",status=\"401\"} 1"),
            std::string::npos);
}

TEST_F(ServeHostileTest, MalformedFramingAndForeignHostsAreRefused) {
  const std::string post =
      "POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer secret-a\r\nContent-Type: application/json\r\n";
  EXPECT_EQ(RawStatus(post + "Transfer-Encoding: gzip\r\n\r\nxxxx"), 400u);
  EXPECT_EQ(RawStatus(post + "Transfer-Encoding: chunked, gzip\r\n\r\nxxxx"), 400u);
  EXPECT_EQ(RawStatus(post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"), 400u);
  EXPECT_EQ(RawStatus("GET /api/documents HTTP/1.1\r\n\r\n"), 400u);
  EXPECT_EQ(RawStatus("GET /api/documents HTTP/1.0\r\n\r\n"), 200u);
  // DNS rebinding: a name that is not this server's.
  EXPECT_EQ(Get(port_, "/api/documents", {{"Host", "evil.example"}}).status, 421u);
  EXPECT_EQ(
      Get(port_, "/api/documents", {{"Host", "evil.example:" + std::to_string(port_)}}).status,
      421u);
  for (const std::string& host : {std::string("localhost"), "LOCALHOST:" + std::to_string(port_),
                                  std::string("127.0.0.1:8080"), std::string("[::1]:80")}) {
    EXPECT_EQ(Get(port_, "/api/documents", {{"Host", host}}).status, 200u) << host;
  }
  EXPECT_EQ(archive_.LogLength(), 0u);
}

TEST_F(ServeHostileTest, AllowedHostFlagAddsNames) {
  ASSERT_EQ(StopServer(), 0);
  StartServer({"--allowed-host", "archive.example", "--allowed-host", "other.example:8080"});
  EXPECT_EQ(Get(port_, "/api/documents", {{"Host", "archive.example"}}).status, 200u);
  EXPECT_EQ(Get(port_, "/api/documents", {{"Host", "other.example"}}).status, 200u);
  EXPECT_EQ(Get(port_, "/api/documents").status, 200u);  // 127.0.0.1 still
  EXPECT_EQ(Get(port_, "/api/documents", {{"Host", "evil.example"}}).status, 421u);
}

TEST_F(ServeHostileTest, MementoDatesAreStrictAndEarlyTimesFindTheFirst) {
  Seed("doc", "https://example.com/doc", "2023-07-25");
  Seed("doc", "https://example.com/doc", "2023-08-25");
  for (const char* bad : {"Fri, 31 Feb 2023 12:00:00 GMT", "Tue, 25 Jul 2023 12:00:00 GMTjunk",
                          "Tue, 25 Jul 2023 12:00:00 GMT x", "Tue, 25 Jul 2023 25:00:00 GMT"}) {
    HttpReply r = Get(port_, "/memento/doc", {{"Accept-Datetime", bad}});
    EXPECT_EQ(r.status, 400u) << bad << ": " << r.body;
  }
  HttpReply early =
      Get(port_, "/memento/doc", {{"Accept-Datetime", "Sun, 01 Jan 2023 00:00:00 GMT"}});
  EXPECT_EQ(early.status, 302u) << early.body;
  const json::array revs = Arr(Get(port_, "/api/documents/doc/revisions").Json(), "revisions");
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(early.Header("location"),
            "/api/documents/doc?seq=" + std::to_string(Int(revs[0], "seq")));
  HttpReply later =
      Get(port_, "/memento/doc", {{"Accept-Datetime", "Sat, 26 Aug 2023 00:00:00 GMT"}});
  EXPECT_EQ(later.Header("location"),
            "/api/documents/doc?seq=" + std::to_string(Int(revs[1], "seq")));
  EXPECT_EQ(
      Get(port_, "/memento/nope", {{"Accept-Datetime", "Sun, 01 Jan 2023 00:00:00 GMT"}}).status,
      404u);
}

TEST_F(ServeHostileTest, HeadOnTheStreamAndHugeAfterSendNoEvents) {
  Seed("doc", "", "2024-01-01");
  HttpReply head = Http(port_, boost::beast::http::verb::head, "/api/events/stream");
  EXPECT_EQ(head.status, 200u);
  EXPECT_EQ(head.Header("content-type"), "text/event-stream; charset=utf-8");
  EXPECT_TRUE(head.body.empty());
  HttpReply events = Get(port_, "/api/events?after=18446744073709551615");
  ASSERT_EQ(events.status, 200u) << events.body;
  EXPECT_TRUE(events.Json().at("events").as_array().empty()) << events.body;
  // Writes through HTTP carry an http-prefixed correlation id.
  HttpReply all = Get(port_, "/api/events");
  ASSERT_EQ(all.Json().at("events").as_array().size(), 1u);
  EXPECT_EQ(Str(all.Json().at("events").as_array()[0], "correlation_id").rfind("http-", 0), 0u)
      << all.body;
}

}  // namespace
}  // namespace palimpsest::testing
