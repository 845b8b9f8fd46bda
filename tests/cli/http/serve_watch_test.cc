// `palimpsest serve --watch`: watches managed through the HTTP API with a token, the scheduler
// running inside the server, and liveness in GET /api/health and /metrics.

#include <chrono>
#include <thread>

#include "cli/http/serve_test_harness.h"
#include "cli/watch/local_site.h"

namespace palimpsest::testing {
namespace {

namespace http = boost::beast::http;

const std::vector<std::pair<std::string, std::string>> kAlice = {
    {"Authorization", "Bearer secret-a"}, {"Content-Type", "application/json"}};

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

}  // namespace
}  // namespace palimpsest::testing
