// `palimpsest serve --watch`: watches managed through the HTTP API with a token, the scheduler
// running inside the server, and liveness in GET /api/health and /metrics.

#include <chrono>
#include <thread>

#include "cli/http/serve_test_harness.h"
#include "cli/watch/local_site.h"

namespace palimpsest::testing {
namespace {

namespace http = boost::beast::http;

class ServeWatchTest : public ServeFixture {
 protected:
  cli::LocalSite site_;
};

TEST_F(ServeWatchTest, WatchesAreManagedWithATokenAndCheckedByTheServer) {
  cli::SitePage page;
  page.body = Fixture(kBeforeFixture);
  page.content_type = "text/plain";
  site_.Set("/story", page);
  StartServer({"--tokens", WriteTokens(), "--watch", "--allow-private-addresses"});
  const std::string body = "{\"url\": \"" + site_.Url("/story") + "\", \"source\": \"local\"}";

  EXPECT_EQ(Post(port_, "/api/watches", body, {{"Content-Type", "application/json"}}).status, 401u);
  EXPECT_EQ(Post(port_, "/api/watches", "{\"url\": \"ftp://x\"}", kAlice).status, 400u);
  HttpReply added = Post(port_, "/api/watches", body, kAlice);
  ASSERT_EQ(added.status, 201u) << added.body;
  const std::string id = Str(added.Json(), "id");
  EXPECT_EQ(Post(port_, "/api/watches", body, kAlice).status, 200u);  // unchanged

  // The server's scheduler checks it.
  json::value watch;
  for (int i = 0; i < 300; ++i) {  // at most 30 s
    watch = Arr(Get(port_, "/api/watches").Json(), "watches")[0];
    if (!IsNull(watch, "last_outcome")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(IsNull(watch, "last_outcome")) << ServeErr();
  EXPECT_EQ(Str(watch, "last_outcome"), "captured");
  EXPECT_EQ(Str(watch, "source"), "local");

  HttpReply health = Get(port_, "/api/health");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(Str(health.Json(), "status"), "ok");
  EXPECT_EQ(Int(health.Json(), "watches"), 1);
  EXPECT_TRUE(Bool(health.Json(), "scheduler"));
  const std::string metrics = Get(port_, "/metrics").body;
  EXPECT_TRUE(Contains(metrics, "palimpsest_watches 1\n")) << metrics;
  EXPECT_TRUE(Contains(metrics, "palimpsest_watches_overdue 0\n")) << metrics;

  EXPECT_EQ(Http(port_, http::verb::delete_, "/api/watches/" + id).status, 401u);
  HttpReply removed = Http(port_, http::verb::delete_, "/api/watches/" + id, "", kAlice);
  EXPECT_EQ(removed.status, 200u) << removed.body;
  EXPECT_EQ(Http(port_, http::verb::delete_, "/api/watches/" + id, "", kAlice).status, 404u);
  EXPECT_TRUE(Arr(Get(port_, "/api/watches").Json(), "watches").empty());
  EXPECT_EQ(StopServer(), 0) << ServeErr();
}

TEST_F(ServeWatchTest, HealthSaysSoWhenWatchesAreOverdue) {
  // Watched every second, and nothing checking them: overdue after three seconds.
  archive_.Ok({"watch", "add", "https://news.example/a", "--every", "1s"});
  StartServer();
  HttpReply health;
  for (int i = 0; i < 100; ++i) {  // at most 10 s
    health = Get(port_, "/api/health");
    if (health.status != 200u) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(health.status, 503u) << health.body;
  EXPECT_EQ(Str(health.Json(), "status"), "overdue");
  EXPECT_EQ(Int(health.Json(), "overdue"), 1);
  EXPECT_FALSE(Bool(health.Json(), "scheduler"));
  EXPECT_TRUE(Contains(Get(port_, "/metrics").body, "palimpsest_watches_overdue 1\n"));
  EXPECT_EQ(StopServer(), 0) << ServeErr();
}

TEST_F(ServeWatchTest, TheAtomFeedCarriesEachChangesDiff) {
  archive_.IngestScenario();
  // A change of punctuation only, in another document: marked cosmetic.
  const std::string text = Fixture(kOtherDocs[0] + ".txt");
  const std::string phrase = "space collaboration and reinforces";
  const size_t at = text.find(phrase);
  ASSERT_NE(at, std::string::npos);
  std::string comma = text;
  comma.replace(at, phrase.size(), "space collaboration, and reinforces");
  archive_.IngestText("punctuation", text, "2024-01-01T00:00:00Z", {"--source", "wire"});
  archive_.IngestText("punctuation", comma, "2024-01-02T00:00:00Z", {"--source", "wire"});
  StartServer();

  HttpReply all = Get(port_, "/api/changes.atom");
  ASSERT_EQ(all.status, 200u) << all.body;
  EXPECT_EQ(all.Header("content-type"), "application/atom+xml; charset=utf-8");
  EXPECT_TRUE(Contains(all.body, "<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
  // The correction's entry carries its note and the diff: the sentence the note is about.
  HttpReply doc = Get(port_, std::string("/api/changes.atom?doc=") + kScenarioDoc);
  ASSERT_EQ(doc.status, 200u) << doc.body;
  EXPECT_TRUE(Contains(doc.body, "<category term=\"correction\"/>")) << doc.body;
  EXPECT_TRUE(Contains(doc.body, "&lt;pre&gt;")) << doc.body;
  EXPECT_TRUE(Contains(doc.body, "{+")) << doc.body;  // the word marks of the diff
  EXPECT_FALSE(Contains(doc.body, "punctuation"));
  // Newest first: the correction before the original.
  EXPECT_LT(doc.body.find(" r2 "), doc.body.find(" r1 ")) << doc.body;

  HttpReply wire = Get(port_, "/api/changes.atom?source=wire");
  EXPECT_TRUE(Contains(wire.body, "<category term=\"cosmetic\"/>")) << wire.body;
  HttpReply skipped = Get(port_, "/api/changes.atom?source=wire&skip_cosmetic=1");
  EXPECT_FALSE(Contains(skipped.body, "<category term=\"cosmetic\"/>")) << skipped.body;
  EXPECT_TRUE(Contains(skipped.body, " r1 ")) << skipped.body;

  EXPECT_EQ(Get(port_, "/api/changes.atom?limit=0").status, 400u);
  EXPECT_EQ(Get(port_, "/api/changes.atom?doc=no-such-doc").status, 404u);
  EXPECT_EQ(Get(port_, "/api/changes.atom?doc=https://nowhere.example/x").status, 404u);
  EXPECT_EQ(StopServer(), 0) << ServeErr();
}

}  // namespace
}  // namespace palimpsest::testing
