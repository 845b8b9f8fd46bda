// `palimpsest serve`: the write API — tokens, If-Match, Idempotency-Key, limits, bad input.

#include "cli/http/serve_test_harness.h"

namespace palimpsest::testing {
namespace {

namespace http = boost::beast::http;

std::string CaptureJson(const std::string& id, const std::string& captured, const std::string& body,
                        const std::string& extra = "") {
  json::object o{{"id", id}, {"captured_at", captured}, {"title", "A Title"}, {"body", body}};
  std::string text = json::serialize(o);
  if (!extra.empty()) text = text.substr(0, text.size() - 1) + "," + extra + "}";
  return text;
}

TEST(ServeNoTokensTest, WritesAreForbidden) {
  CliArchive archive;
  ServeProcess server(archive.data(), {}, archive.Join("serve.err"));
  ASSERT_NE(server.port(), 0) << server.first_line();
  HttpReply r =
      Post(server.port(), "/api/documents", CaptureJson("d", "2024-01-01", "Text."), kAlice);
  EXPECT_EQ(r.status, 403u) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  EXPECT_EQ(server.Stop(), 0);
}

class ServeWriteTest : public ServeFixture {
 protected:
  void SetUp() override {
    tokens_ = WriteTokens();
    StartServer({"--tokens", tokens_, "--max-body", "4096"});
  }
  std::string tokens_;
};

TEST_F(ServeWriteTest, HashTokenHelperMatchesSha256sum) {
  // The token comes on standard input (never argv); one trailing newline is not part of it.
  const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n";
  EXPECT_EQ(archive_.Ok({"serve", "--hash-token"}, "abc"), abc);
  EXPECT_EQ(archive_.Ok({"serve", "--hash-token"}, "abc\n"), abc);
  EXPECT_EQ(archive_.Run({"serve", "--hash-token"}).exit_code, 1);
  EXPECT_EQ(archive_.Run({"serve", "--hash-token", "abc"}).exit_code, 1) << "not from argv";
}

TEST_F(ServeWriteTest, CaptureNeedsAValidToken) {
  const std::string rec =
      CaptureJson("story", "2024-01-01T10:00:00Z", "First paragraph.\n\nSecond.");
  EXPECT_EQ(Post(port_, "/api/documents", rec, {{"Content-Type", "application/json"}}).status,
            401u);
  HttpReply bad = Post(port_, "/api/documents", rec,
                       {{"Authorization", "Bearer wrong"}, {"Content-Type", "application/json"}});
  EXPECT_EQ(bad.status, 401u);
  EXPECT_EQ(bad.Header("www-authenticate").rfind("Bearer", 0), 0u);

  HttpReply ok = Post(port_, "/api/documents", rec, kAlice);
  ASSERT_EQ(ok.status, 201u) << ok.body;
  json::value v = ok.Json();
  EXPECT_EQ(Str(v, "id"), "story");
  EXPECT_EQ(Int(v, "rev"), 1);
  EXPECT_EQ(Int(v, "version"), 1);
  EXPECT_EQ(Str(v, "status"), "created");
  EXPECT_EQ(Str(v, "kind"), "original");
  EXPECT_EQ(Int(v, "seq"), 1);
  EXPECT_EQ(ok.Header("etag"), "\"1\"");
  // The token's name is the actor.
  json::value event = Arr(Get(port_, "/api/events").Json(), "events")[0];
  EXPECT_EQ(Str(event, "actor"), "api:alice");

  // The same record again: nothing new (the derived id is the same).
  HttpReply again = Post(port_, "/api/documents", rec, kAlice);
  EXPECT_EQ(again.status, 200u);
  EXPECT_TRUE(Bool(again.Json(), "duplicate"));

  json::value doc = Get(port_, "/api/documents/story").Json();
  EXPECT_EQ(Str(doc, "title"), "A Title");
}

TEST_F(ServeWriteTest, LooseTimesAreReadAndAnUnreadableOneIsLeftOutWithAWarning) {
  HttpReply loose = Post(port_, "/api/documents",
                         CaptureJson("loose", "2024-01-01T10:00:00Z", "Text.",
                                     "\"published_at\":\"September 8, 2020\""),
                         kAlice);
  ASSERT_EQ(loose.status, 201u) << loose.body;
  EXPECT_FALSE(Has(loose.Json(), "warnings")) << loose.body;
  EXPECT_EQ(Str(Get(port_, "/api/documents/loose").Json(), "published_at"), "2020-09-08T00:00:00Z");

  HttpReply unreadable = Post(port_, "/api/documents",
                              CaptureJson("unreadable", "2024-01-01T10:00:00Z", "Text.",
                                          "\"published_at\":\"last Tuesday\""),
                              kAlice);
  ASSERT_EQ(unreadable.status, 201u) << unreadable.body;
  ASSERT_EQ(Arr(unreadable.Json(), "warnings").size(), 1u) << unreadable.body;
  EXPECT_EQ(Arr(unreadable.Json(), "warnings")[0].as_string(),
            "field 'published_at': unreadable time 'last Tuesday' (ignored)");
  json::value doc = Get(port_, "/api/documents/unreadable").Json();
  EXPECT_TRUE(!Has(doc, "published_at") || doc.at("published_at").is_null()) << doc;

  // The capture's own time cannot be left out: that record is refused.
  HttpReply misdated =
      Post(port_, "/api/documents", CaptureJson("misdated", "soon", "Text."), kAlice);
  EXPECT_EQ(misdated.status, 400u) << misdated.body;
}

TEST_F(ServeWriteTest, RawTextInItsDeclaredCharsetAndAStrayByteWithAWarning) {
  HttpReply stray =
      Post(port_, "/api/documents?id=stray&captured_at=2024-02-01T00:00:00Z",
           SampleArticle("Caf\xC3\xA9 owners meet", " The caf\xE9 stayed open."),
           {{"Authorization", "Bearer secret-b"}, {"Content-Type", "text/plain; charset=utf-8"}});
  ASSERT_EQ(stray.status, 201u) << stray.body;
  EXPECT_EQ(Arr(stray.Json(), "warnings").size(), 1u) << stray.body;
  EXPECT_NE(Str(Get(port_, "/api/documents/stray").Json(), "body").find("caf\xEF\xBF\xBD"),
            std::string::npos);

  HttpReply latin1 = Post(
      port_, "/api/documents?id=latin1&captured_at=2024-02-01T00:00:00Z",
      SampleArticle("Caf\xE9 owners meet"),
      {{"Authorization", "Bearer secret-b"}, {"Content-Type", "text/plain; charset=iso-8859-1"}});
  ASSERT_EQ(latin1.status, 201u) << latin1.body;
  EXPECT_FALSE(Has(latin1.Json(), "warnings")) << latin1.body;
  EXPECT_EQ(Str(Get(port_, "/api/documents/latin1").Json(), "title"), "Caf\xC3\xA9 owners meet");
}

TEST_F(ServeWriteTest, RawTextCaptureWithUrlHeader) {
  HttpReply r = Post(port_, "/api/documents?captured_at=2024-02-01T00:00:00Z", SampleArticle(),
                     {{"Authorization", "Bearer secret-b"},
                      {"Content-Type", "text/plain; charset=utf-8"},
                      {"X-Palimpsest-Url", "https://Example.com/news/debris?utm_source=x"}});
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string id = Str(r.Json(), "id");
  EXPECT_EQ(Str(Get(port_, "/api/documents/" + id).Json(), "title"),
            "Test Article About Orbital Debris");
  EXPECT_EQ(Post(port_, "/api/documents", SampleArticle(),
                 {{"Authorization", "Bearer secret-b"}, {"Content-Type", "text/plain"}})
                .status,
            400u);  // neither ?id= nor X-Palimpsest-Url
}

TEST_F(ServeWriteTest, IfMatchConflictThenSuccess) {
  ASSERT_EQ(
      Post(port_, "/api/documents", CaptureJson("d1", "2024-01-01", "One.\n\nTwo."), kAlice).status,
      201u);
  const std::string revised = CaptureJson("d1", "2024-01-02", "One, revised.\n\nTwo.");
  HttpReply stale = Post(port_, "/api/documents", revised, With(kAlice, {{"If-Match", "\"7\""}}));
  EXPECT_EQ(stale.status, 412u) << stale.body;
  EXPECT_EQ(Int(stale.Json(), "current_version"), 1);
  EXPECT_EQ(archive_.LogLength(), 1u);
  HttpReply ok = Post(port_, "/api/documents", revised, With(kAlice, {{"If-Match", "\"1\""}}));
  EXPECT_EQ(ok.status, 201u) << ok.body;
  EXPECT_EQ(Str(ok.Json(), "status"), "revised");
  EXPECT_EQ(Int(ok.Json(), "version"), 2);
  EXPECT_EQ(Post(port_, "/api/documents", revised, With(kAlice, {{"If-Match", "seven"}})).status,
            400u);

  // Corrections: If-Match too, 404 for an unknown document.
  const std::string note =
      R"({"note":"An earlier version misspelled a name.","kind":"correction"})";
  EXPECT_EQ(
      Post(port_, "/api/documents/d1/corrections", note, With(kAlice, {{"If-Match", "\"1\""}}))
          .status,
      412u);
  HttpReply corrected =
      Post(port_, "/api/documents/d1/corrections", note, With(kAlice, {{"If-Match", "\"2\""}}));
  EXPECT_EQ(corrected.status, 201u) << corrected.body;
  EXPECT_EQ(Str(corrected.Json(), "kind"), "correction");
  EXPECT_EQ(Post(port_, "/api/documents/nope/corrections", note, kAlice).status, 404u);
  EXPECT_EQ(Post(port_, "/api/documents/d1/corrections", R"({"kind":"correction"})", kAlice).status,
            400u);
}

TEST_F(ServeWriteTest, IdempotencyKeyReplaysWithoutASecondEvent) {
  // No captured_at: the time defaults to now, yet the retry is recognised.
  const std::string rec = R"({"id":"idem","body":"Only paragraph here."})";
  HttpReply first = Post(port_, "/api/documents", rec, With(kAlice, {{"Idempotency-Key", "k-1"}}));
  ASSERT_EQ(first.status, 201u) << first.body;
  HttpReply retry = Post(port_, "/api/documents", rec, With(kAlice, {{"Idempotency-Key", "k-1"}}));
  EXPECT_EQ(retry.status, 200u) << retry.body;
  EXPECT_EQ(Int(retry.Json(), "seq"), Int(first.Json(), "seq"));
  EXPECT_TRUE(Bool(retry.Json(), "duplicate"));
  EXPECT_EQ(archive_.LogLength(), 1u);
  HttpReply reused = Post(port_, "/api/documents", R"({"id":"idem","body":"Something else."})",
                          With(kAlice, {{"Idempotency-Key", "k-1"}}));
  EXPECT_EQ(reused.status, 422u) << reused.body;
  EXPECT_EQ(archive_.LogLength(), 1u);
}

TEST_F(ServeWriteTest, BadRequests) {
  EXPECT_EQ(Post(port_, "/api/documents", "{\"id\": ", kAlice).status, 400u);
  std::string deep = std::string(40, '[') + std::string(40, ']');
  HttpReply too_deep = Post(port_, "/api/documents", deep, kAlice);
  EXPECT_EQ(too_deep.status, 400u);
  EXPECT_TRUE(Contains(Str(too_deep.Json(), "detail"), "deeper")) << too_deep.body;
  EXPECT_EQ(Post(port_, "/api/documents", R"({"id":"x"})", kAlice).status, 400u);  // no body
  EXPECT_EQ(Post(port_, "/api/documents", R"({"id":"bad id","body":"x"})", kAlice).status, 400u);
  HttpReply media = Post(port_, "/api/documents", "x",
                         {{"Authorization", "Bearer secret-a"}, {"Content-Type", "image/png"}});
  EXPECT_EQ(media.status, 415u);
  // Over --max-body (4096): by Content-Length before the body is read…
  HttpReply big = Post(port_, "/api/documents",
                       CaptureJson("big", "2024-01-01", std::string(5000, 'a')), kAlice);
  EXPECT_EQ(big.status, 413u);
  HttpReply announced =
      RawRequest(port_,
                 "POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                 "application/json\r\nContent-Length: 100000000\r\n\r\n");
  EXPECT_EQ(announced.status, 413u);
  // …and while reading a chunked body.
  std::string chunked =
      "POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer secret-a\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) chunked += "400\r\n" + std::string(1024, ' ') + "\r\n";
  chunked += "0\r\n\r\n";
  EXPECT_EQ(RawRequest(port_, chunked).status, 413u);
  EXPECT_EQ(archive_.LogLength(), 0u);

  HttpReply m = Get(port_, "/metrics");
  EXPECT_TRUE(Contains(m.body, "route=\"/api/documents\",status=\"415\"} 1")) << m.body;
}

TEST_F(ServeWriteTest, MetricsCountAppends) {
  ASSERT_EQ(Post(port_, "/api/documents", CaptureJson("m", "2024-01-01", "Body."), kAlice).status,
            201u);
  HttpReply m = Get(port_, "/metrics");
  EXPECT_TRUE(Contains(m.body, "palimpsest_appends_total 1\n")) << m.body;
  EXPECT_TRUE(Contains(m.body, "palimpsest_log_events 1\n")) << m.body;
  EXPECT_TRUE(Contains(
      m.body, "palimpsest_http_requests_total{route=\"/api/documents\",status=\"201\"} 1\n"))
      << m.body;
  EXPECT_EQ(StopServer(), 0) << ServeErr();
}

}  // namespace
}  // namespace palimpsest::testing
