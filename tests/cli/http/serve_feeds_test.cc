// `palimpsest serve`: blame, change feed and search over HTTP; concurrent writes through group
// commit.

#include <set>
#include <thread>

#include "cli/http/serve_test_harness.h"

namespace palimpsest::testing {
namespace {

class ServeFeedsTest : public ServeFixture {
 protected:
  void SetUp() override {
    archive_.IngestScenario();
    StartServer({"--tokens", WriteTokens()});
  }
};

TEST_F(ServeFeedsTest, BlameChangesAndSearch) {
  HttpReply blame = Get(port_, std::string("/api/documents/") + kScenarioDoc + "/blame");
  ASSERT_EQ(blame.status, 200u) << blame.body;
  EXPECT_EQ(blame.Header("content-type"), "application/json");
  size_t corrected = 0;
  const json::value blame_json = blame.Json();
  for (const json::value& p : Arr(blame_json, "paragraphs")) {
    for (const json::value& s : Arr(p, "sentences")) corrected += Int(s, "rev") == 2;
  }
  EXPECT_EQ(corrected, 1u);
  EXPECT_EQ(Get(port_, std::string("/api/documents/") + kScenarioDoc + "/blame?rev=1").status,
            200u);
  EXPECT_EQ(Get(port_, std::string("/api/documents/") + kScenarioDoc + "/blame?rev=9").status,
            404u);
  EXPECT_EQ(Get(port_, std::string("/api/documents/") + kScenarioDoc + "/blame?rev=x").status,
            400u);
  EXPECT_EQ(Get(port_, "/api/documents/nope/blame").status, 404u);

  HttpReply changes = Get(port_, "/api/changes?since=2023-07-21&until=2023-07-25&axis=effective");
  ASSERT_EQ(changes.status, 200u) << changes.body;
  const json::value changes_json = changes.Json();
  ASSERT_EQ(Arr(changes_json, "changes").size(), 1u);
  EXPECT_EQ(Str(Arr(changes_json, "changes")[0], "kind"), "correction");
  EXPECT_EQ(Get(port_, "/api/changes?since=never").status, 400u);
  EXPECT_EQ(Get(port_, "/api/changes?axis=sideways").status, 400u);

  // changed_since lists documents whose revision was recorded at or after it.
  EXPECT_EQ(Arr(Get(port_, "/api/documents?changed_since=2000-01-01").Json(), "documents").size(),
            1u);
  EXPECT_TRUE(
      Arr(Get(port_, "/api/documents?changed_since=2999-01-01").Json(), "documents").empty());
  EXPECT_EQ(Get(port_, "/api/documents?changed_since=later").status, 400u);

  HttpReply search = Get(port_, "/api/search?q=south%20korea%20australia");
  ASSERT_EQ(search.status, 200u) << search.body;
  const json::value search_json = search.Json();
  ASSERT_EQ(Arr(search_json, "results").size(), 1u);
  EXPECT_EQ(Int(Arr(search_json, "results")[0], "rev"), 2);
  HttpReply past = Get(port_, "/api/search?q=%22israel%20and%20brazil%22&as_of=2023-07-23");
  const json::value past_json = past.Json();
  ASSERT_EQ(Arr(past_json, "results").size(), 1u);
  EXPECT_EQ(Int(Arr(past_json, "results")[0], "rev"), 1);
  HttpReply all = Get(port_, "/api/search?q=space&all_revisions=1");
  const json::value all_json = all.Json();
  ASSERT_FALSE(Arr(all_json, "results").empty()) << all.body;
  EXPECT_EQ(json::serialize(Field(Arr(all_json, "results")[0], "revs")), "[1,2]");
  EXPECT_EQ(Get(port_, "/api/search?q=").status, 400u);
  EXPECT_EQ(Get(port_, "/api/search?q=x&limit=0").status, 400u);
  EXPECT_EQ(Get(port_, "/api/search?q=x&all_revisions=1&as_of=2023-07-23").status, 400u);
  EXPECT_EQ(Http(port_, boost::beast::http::verb::post, "/api/search?q=x").status, 405u);
  EXPECT_EQ(StopServer(), 0) << ServeErr();
}

TEST_F(ServeFeedsTest, NewWritesBecomeSearchable) {
  const std::string body =
      json::serialize(json::object{{"id", "kestrel"},
                                   {"captured_at", "2024-03-01T10:00:00Z"},
                                   {"title", "Kestrel Survey"},
                                   {"body", "Volunteers counted kestrels along the ridge."}});
  ASSERT_EQ(Post(port_, "/api/documents", body, kAlice).status, 201u);
  // The index follows the log asynchronously: wait (bounded) for it to catch up.
  json::value found;
  for (int i = 0; i < 200; ++i) {
    found = Get(port_, "/api/search?q=kestrels").Json();
    if (Int(found, "indexed_seq") == Int(found, "head_seq")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(Arr(found, "results").size(), 1u) << json::serialize(found);
  EXPECT_EQ(Str(Arr(found, "results")[0], "id"), "kestrel");
  EXPECT_EQ(StopServer(), 0) << ServeErr();
}

TEST_F(ServeFeedsTest, ConcurrentWritesAreAllCommittedOnceEach) {
  constexpr int kWriters = 24;
  std::vector<unsigned> statuses(kWriters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      const std::string body = json::serialize(
          json::object{{"id", "doc-" + std::to_string(i)},
                       {"captured_at", "2024-03-01T10:00:00Z"},
                       {"title", "Story " + std::to_string(i)},
                       {"body", "Paragraph of story number " + std::to_string(i) + "."}});
      statuses[i] = Post(port_, "/api/documents", body, kAlice).status;
    });
  }
  // A conditional write racing them, expecting a version the scenario document is not at.
  const std::string stale = json::serialize(
      json::object{{"note", "Wrong version."}, {"kind", "correction"}, {"text", "Replaced body."}});
  HttpReply conflict =
      Post(port_, std::string("/api/documents/") + kScenarioDoc + "/corrections", stale,
           {{"Authorization", "Bearer secret-a"},
            {"Content-Type", "application/json"},
            {"If-Match", "\"1\""}});
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(conflict.status, 412u) << conflict.body;
  for (int i = 0; i < kWriters; ++i) EXPECT_EQ(statuses[i], 201u) << "writer " << i;
  const json::value events = Get(port_, "/api/events?after=0&limit=1000").Json();
  const json::array& log = Arr(events, "events");
  EXPECT_EQ(log.size(), 2u + kWriters);
  std::set<std::string> docs;
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(Int(log[i], "seq"), static_cast<int64_t>(i + 1));
    docs.insert(Str(log[i], "doc"));
  }
  EXPECT_EQ(docs.size(), 1u + kWriters);
  // Every request went through the group committer (how many per commit depends on timing).
  const std::string metrics = Get(port_, "/metrics").body;
  EXPECT_TRUE(
      Contains(metrics, "palimpsest_group_commit_requests_total " + std::to_string(kWriters + 1)))
      << metrics;
  EXPECT_EQ(StopServer(), 0) << ServeErr();
  EXPECT_EQ(archive_.Run({"verify"}).exit_code, 0);
}

}  // namespace
}  // namespace palimpsest::testing
