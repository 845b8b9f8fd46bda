// `palimpsest serve`: the read API over a real socket, compared with the CLI's JSON.

#include "cli/http/serve_test_harness.h"

namespace palimpsest::testing {
namespace {

namespace http = boost::beast::http;

class ServeReadTest : public ServeFixture {
 protected:
  void SetUp() override {
    archive_.IngestScenario();
    archive_.IngestOthers();
    StartServer();
  }
};

TEST_F(ServeReadTest, DocumentMatchesShowJsonWithETagAnd304) {
  HttpReply r = Get(port_, std::string("/api/documents/") + kScenarioDoc);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("etag"), "\"2\"");
  // The CLI's read commands work beside the running server.
  EXPECT_EQ(r.Json(), archive_.Json({"show", kScenarioDoc, "--json"}));

  HttpReply again =
      Get(port_, std::string("/api/documents/") + kScenarioDoc, {{"If-None-Match", "\"2\""}});
  EXPECT_EQ(again.status, 304u);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(again.Header("etag"), "\"2\"");
  EXPECT_EQ(Get(port_, std::string("/api/documents/") + kScenarioDoc, {{"If-None-Match", "\"1\""}})
                .status,
            200u);
}

TEST_F(ServeReadTest, RevAsOfAndKnownAt) {
  const std::string base = std::string("/api/documents/") + kScenarioDoc;
  EXPECT_EQ(Int(Get(port_, base + "?rev=1").Json(), "rev"), 1);
  EXPECT_EQ(Get(port_, base + "?as_of=2023-07-23").Json(),
            archive_.Json({"show", kScenarioDoc, "--as-of", "2023-07-23", "--json"}));
  EXPECT_EQ(Int(Get(port_, base + "?as_of=2023-07-23").Json(), "rev"), 1);
  // Recorded times are when the test ingested: before that the archive knew nothing.
  EXPECT_EQ(Get(port_, base + "?known_at=2000-01-01").status, 404u);
  EXPECT_EQ(Get(port_, base + "?as_of=2023-07-23&known_at=2999-01-01").Json(),
            archive_.Json({"show", kScenarioDoc, "--as-of", "2023-07-23", "--known-at",
                           "2999-01-01", "--json"}));
  EXPECT_EQ(Int(Get(port_, base + "?as_of=2024-01-01").Json(), "rev"), 2);
  EXPECT_EQ(Get(port_, base + "?rev=9").status, 404u);
  EXPECT_EQ(Get(port_, base + "?rev=x").status, 400u);
  EXPECT_EQ(Get(port_, base + "?as_of=yesterday").status, 400u);
  EXPECT_EQ(Get(port_, base + "?as_of=2019-01-01").status, 404u);
}

TEST_F(ServeReadTest, RevisionsAndDiffMatchTheCli) {
  const std::string base = std::string("/api/documents/") + kScenarioDoc;
  EXPECT_EQ(Get(port_, base + "/revisions").Json(),
            archive_.Json({"history", kScenarioDoc, "--json"}));
  EXPECT_EQ(Get(port_, base + "/diff").Json(), archive_.Json({"diff", kScenarioDoc, "--json"}));
  EXPECT_EQ(Get(port_, base + "/diff?from=2&to=1").Json(),
            archive_.Json({"diff", kScenarioDoc, "2", "1", "--json"}));
  HttpReply unified = Get(port_, base + "/diff?from=1&to=2", {{"Accept", "text/x-diff"}});
  EXPECT_EQ(unified.status, 200u);
  EXPECT_EQ(unified.Header("content-type").rfind("text/x-diff", 0), 0u);
  EXPECT_EQ(unified.body, archive_.Ok({"diff", kScenarioDoc, "1", "2", "--format", "unified"}));
  EXPECT_EQ(Get(port_, base + "/diff?to=7").status, 404u);
}

TEST_F(ServeReadTest, ListWithCursorPaginationAndFilters) {
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    HttpReply r =
        Get(port_, "/api/documents?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200u) << r.body;
    json::value v = r.Json();
    for (const auto& d : Arr(v, "documents")) seen.push_back(Str(d, "id"));
    if (IsNull(v, "next_cursor")) break;
    cursor = Str(v, "next_cursor");
  }
  std::vector<std::string> all;
  const json::value listed = archive_.Json({"list", "--json"});
  for (const auto& d : Arr(listed, "documents")) all.push_back(Str(d, "id"));
  EXPECT_EQ(seen, all);
  EXPECT_EQ(seen.size(), 5u);

  json::value by_source = Get(port_, "/api/documents?source=airandspaceforces").Json();
  ASSERT_EQ(Arr(by_source, "documents").size(), 1u);
  EXPECT_EQ(Str(Arr(by_source, "documents")[0], "id"), kScenarioDoc);
  EXPECT_EQ(Arr(Get(port_, "/api/documents?as_of=2023-07-23").Json(), "documents"),
            Arr(archive_.Json({"list", "--as-of", "2023-07-23", "--json"}), "documents"));
  EXPECT_EQ(Arr(Get(port_, "/api/documents?known_at=2000-01-01").Json(), "documents").size(), 0u);
  EXPECT_EQ(Get(port_, "/api/documents?limit=0").status, 400u);
  EXPECT_EQ(Get(port_, "/api/documents?limit=1001").status, 400u);
}

TEST_F(ServeReadTest, EventsCatchUp) {
  json::value first = Get(port_, "/api/events?after=0&limit=4").Json();
  ASSERT_EQ(Arr(first, "events").size(), 4u);
  EXPECT_EQ(Int(first, "next_after"), 4);
  json::value rest = Get(port_, "/api/events?after=4").Json();
  ASSERT_EQ(Arr(rest, "events").size(), 2u);
  EXPECT_EQ(Int(Arr(rest, "events")[0], "seq"), 5);
  EXPECT_EQ(Int(rest, "next_after"), 6);
  std::vector<json::value> log = ParseJsonLines(archive_.Ok({"log", "--json"}));
  ASSERT_EQ(log.size(), 6u);
  EXPECT_EQ(Arr(first, "events")[0], log[0]);
  EXPECT_EQ(Int(Get(port_, "/api/events?after=6").Json(), "next_after"), 6);
}

TEST_F(ServeReadTest, ErrorsAreProblemJson) {
  HttpReply unknown = Get(port_, "/api/documents/no-such-doc");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.Header("content-type"), "application/problem+json");
  json::value p = unknown.Json();
  EXPECT_EQ(Int(p, "status"), 404);
  EXPECT_EQ(Str(p, "title"), "Not Found");
  EXPECT_FALSE(Str(p, "detail").empty());
  EXPECT_EQ(Str(p, "type"), "about:blank");

  EXPECT_EQ(Get(port_, "/nowhere").status, 404u);
  EXPECT_EQ(Get(port_, "/api/documents/a/b/c/d").status, 404u);
  HttpReply wrong = Http(port_, http::verb::delete_, "/api/documents");
  EXPECT_EQ(wrong.status, 405u);
  EXPECT_EQ(wrong.Header("allow"), "GET, POST");
  EXPECT_EQ(Http(port_, http::verb::put, std::string("/api/documents/") + kScenarioDoc).status,
            405u);
  EXPECT_EQ(Get(port_, "/api/documents/bad%20id").status, 400u);

  // Headers over 16 KiB.
  HttpReply big = RawRequest(port_, "GET /api/documents HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                        std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_EQ(big.status, 431u);
  HttpReply garbage = RawRequest(port_, "NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(garbage.status, 400u);
}

TEST_F(ServeReadTest, KeepAliveServesManyRequestsOnOneConnection) {
  boost::asio::io_context ioc;
  auto socket = Connect(ioc, port_);
  boost::beast::flat_buffer buffer;
  for (int i = 0; i < 5; ++i) {
    http::request<http::string_body> req{http::verb::get, "/api/events?limit=1", 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(socket, req);
    HttpReply r = ReadReply(socket, buffer);
    ASSERT_EQ(r.status, 200u);
    EXPECT_EQ(Arr(r.Json(), "events").size(), 1u);
  }
}

TEST_F(ServeReadTest, MementoTimeGateAndTimeMap) {
  const std::string doc = kScenarioDoc;
  // A memento names its revision by the seq of the event that introduced it.
  const json::array revs =
      Arr(Get(port_, "/api/documents/" + doc + "/revisions").Json(), "revisions");
  ASSERT_EQ(revs.size(), 2u);
  const std::string seq1 = std::to_string(Int(revs[0], "seq"));
  const std::string seq2 = std::to_string(Int(revs[1], "seq"));
  HttpReply gate =
      Get(port_, "/memento/" + doc, {{"Accept-Datetime", "Sun, 23 Jul 2023 12:00:00 GMT"}});
  EXPECT_EQ(gate.status, 302u) << gate.body;
  EXPECT_EQ(gate.Header("location"), "/api/documents/" + doc + "?seq=" + seq1);
  EXPECT_EQ(gate.Header("vary"), "accept-datetime");
  EXPECT_TRUE(Contains(gate.Header("link"), "rel=\"original\"")) << gate.Header("link");
  EXPECT_TRUE(Contains(gate.Header("link"), "</timemap/" + doc + ">; rel=\"timemap\""))
      << gate.Header("link");
  EXPECT_EQ(Get(port_, "/memento/" + doc).Header("location"),
            "/api/documents/" + doc + "?seq=" + seq2);
  EXPECT_EQ(Get(port_, "/memento/" + doc, {{"Accept-Datetime", "July 23"}}).status, 400u);
  EXPECT_EQ(Get(port_, "/memento/nope").status, 404u);

  HttpReply map = Get(port_, "/timemap/" + doc);
  EXPECT_EQ(map.status, 200u);
  EXPECT_EQ(map.Header("content-type"), "application/link-format");
  EXPECT_TRUE(Contains(map.body, "</api/documents/" + doc + "?seq=" + seq1 +
                                     ">; rel=\"first memento\"; datetime=\""))
      << map.body;
  EXPECT_TRUE(Contains(map.body, "</api/documents/" + doc + "?seq=" + seq2 +
                                     ">; rel=\"last memento\"; datetime=\"Mon, 24 Jul 2023"))
      << map.body;

  HttpReply memento = Get(port_, "/api/documents/" + doc + "?seq=" + seq2);
  EXPECT_EQ(Int(memento.Json(), "rev"), 2);
  EXPECT_EQ(memento.Header("memento-datetime").rfind("Mon, 24 Jul 2023", 0), 0u);
  EXPECT_TRUE(Contains(memento.Header("link"), "rel=\"timegate\""));
  // ?rev=N is a convenience and a memento too; a seq that introduced no revision is not found.
  EXPECT_EQ(Get(port_, "/api/documents/" + doc + "?rev=2").Header("memento-datetime"),
            memento.Header("memento-datetime"));
  EXPECT_EQ(Get(port_, "/api/documents/" + doc + "?seq=999999").status, 404u);
  EXPECT_EQ(Get(port_, "/api/documents/" + doc + "?seq=" + seq1 + "&rev=1").status, 400u);
}

TEST_F(ServeReadTest, MetricsCountRequests) {
  Get(port_, std::string("/api/documents/") + kScenarioDoc);
  Get(port_, "/api/documents/no-such-doc");
  HttpReply m = Get(port_, "/metrics");
  ASSERT_EQ(m.status, 200u);
  EXPECT_EQ(m.Header("content-type").rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_TRUE(Contains(
      m.body, "palimpsest_http_requests_total{route=\"/api/documents/{id}\",status=\"200\"} 1\n"))
      << m.body;
  EXPECT_TRUE(Contains(
      m.body, "palimpsest_http_requests_total{route=\"/api/documents/{id}\",status=\"404\"} 1\n"))
      << m.body;
  EXPECT_TRUE(Contains(m.body, "palimpsest_http_request_duration_seconds_bucket{le=\"+Inf\"} 2\n"))
      << m.body;
  EXPECT_TRUE(Contains(m.body, "palimpsest_http_request_duration_seconds_count 2\n")) << m.body;
  EXPECT_TRUE(Contains(m.body, "palimpsest_appends_total 0\n")) << m.body;
  EXPECT_TRUE(Contains(m.body, "palimpsest_log_events 6\n")) << m.body;
}

// The writer lock is held per commit: a CLI write beside the running server goes through, the
// server serves it at once, and its own writes go on after it.
TEST_F(ServeReadTest, CliWritesGoThroughBesideARunningServer) {
  json::value corrected = archive_.Json(
      {"correct", kScenarioDoc, "--note", "Written from cron beside the server.", "--json"});
  EXPECT_EQ(Str(corrected, "status"), "revised");
  json::value shown = Get(port_, "/api/documents/" + std::string(kScenarioDoc)).Json();
  EXPECT_EQ(Int(shown, "rev"), Int(corrected, "rev"));
  EXPECT_EQ(Int(shown, "version"), Int(corrected, "version"));
  WriteFileOrDie(archive_.Join("cron.jsonl"),
                 R"({"id":"from-cron","captured_at":"2025-01-01T00:00:00Z","title":"From cron",)"
                 R"("body":"A paragraph written by a cron job.\n\nAnother paragraph of it."})"
                 "\n");
  json::value imported =
      archive_.Json({"import", archive_.Join("cron.jsonl"), "--progress", "never", "--json"});
  EXPECT_EQ(Int(imported, "documents_created"), 1);
  EXPECT_EQ(Get(port_, "/api/documents/from-cron").status, 200u);
  EXPECT_EQ(StopServer(), 0) << ServeErr();
  EXPECT_EQ(archive_.Run({"verify"}).exit_code, 0);
}

}  // namespace
}  // namespace palimpsest::testing
