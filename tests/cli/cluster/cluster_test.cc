// The command line and the server as nodes of a shared log on a three-server JetStream cluster
// the suite starts on 127.0.0.1: `push` moves a single-machine archive in with its chain head
// (and resumes), `sync` builds a new node from the log, writes go through a node with --log
// and are refused without it; two `serve --log` processes read their own writes at once and
// each other's soon after, and a node killed (SIGKILL) while it writes catches up on restart.

#include <atomic>
#include <chrono>
#include <thread>

#include "cli/http/serve_test_harness.h"
#include "nats/nats_cluster_suite.h"

namespace palimpsest::testing {
namespace {

std::string NodeCapture(const std::string& id, const std::string& body) {
  return json::serialize(json::object{{"id", id},
                                      {"captured_at", "2024-03-01T10:00:00Z"},
                                      {"title", "Report " + id},
                                      {"body", body}});
}

std::string Body(const std::string& tag) {
  return "The " + tag +
         " report says what happened in the harbour this week.\n\nA second "
         "paragraph about the " +
         tag + " gives the reasons and what comes next.";
}

class ClusterCliTest : public NatsClusterSuite {
 protected:
  // --log and --log-stream for this test's own log.
  std::vector<std::string> LogFlags() const {
    return {"--log", cluster_->Url(), "--log-stream", TestStream("C_")};
  }
  std::vector<std::string> WithLog(std::vector<std::string> args) const {
    std::vector<std::string> flags = LogFlags();
    args.insert(args.begin(), flags.begin(), flags.end());
    return args;
  }
};

TEST_F(ClusterCliTest, PushSyncAndWritesThroughANode) {
  CliArchive local;
  local.IngestScenario();
  local.IngestOthers();
  const size_t events = local.LogLength();
  ExpectOneLineError(local.Run({"push"}), 1);  // no --log

  json::value pushed = local.Json(WithLog({"push"}));
  EXPECT_EQ(Int(pushed, "pushed"), static_cast<int64_t>(events));
  EXPECT_EQ(Int(pushed, "head_seq"), static_cast<int64_t>(events));
  EXPECT_EQ(Int(local.Json(WithLog({"push"})), "pushed"), 0);  // already there: nothing to do

  CliArchive node;
  json::value synced = node.Json(WithLog({"sync"}));
  EXPECT_EQ(Int(synced, "head_seq"), static_cast<int64_t>(events));
  EXPECT_EQ(Int(synced, "last"), Int(synced, "position"));
  EXPECT_EQ(Str(ParseJson(node.Ok({"verify", "--json"})), "head_hash"), Str(pushed, "head_hash"));
  EXPECT_EQ(node.Ok({"show", kScenarioDoc}), local.Ok({"show", kScenarioDoc}));

  // Writes go through the log; without it the node refuses them and stays as it was.
  node.IngestText("harbour", Body("harbour"), "2024-03-01T10:00:00Z", LogFlags());
  // A bulk import through the node: one entry per import transaction.
  const std::string jsonl = node.Join("more.jsonl");
  WriteFileOrDie(jsonl, NodeCapture("bulk-1", Body("bulk one")) + "\n" +
                            NodeCapture("bulk-2", Body("bulk two")) + "\n" +
                            NodeCapture("bulk-3", Body("bulk three")) + "\n");
  EXPECT_EQ(Int(node.Json(WithLog({"import", jsonl, "--json", "--progress", "never"})),
                "documents_created"),
            3);
  const auto before = node.Snapshot();
  const std::string path = node.Join("more.txt");
  WriteFileOrDie(path, Body("fork"));
  ExpectOneLineError(node.Run({"ingest", path, "--id", "fork"}), 1);
  EXPECT_EQ(node.Snapshot(), before);

  // The writing node's write reaches every other node; the local archive is not a node.
  CliArchive third;
  json::value again = third.Json(WithLog({"sync"}));
  EXPECT_EQ(Int(again, "head_seq"), static_cast<int64_t>(events) + 4);
  EXPECT_EQ(third.Ok({"show", "bulk-2"}), node.Ok({"show", "bulk-2"}));
  const auto local_before = local.Snapshot();
  ExpectOneLineError(local.Run(WithLog({"ingest", path, "--id", "fork"})), 1);
  EXPECT_EQ(local.Snapshot(), local_before);
  ExpectOneLineError(third.Run({"sync"}), 1);  // sync needs --log

  // A log nobody answers at: exit 5, the node's directory as it was.
  const auto third_before = third.Snapshot();
  ExpectOneLineError(third.Run({"--log", "nats://127.0.0.1:1", "--log-stream", "NOBODY", "ingest",
                                path, "--id", "unreachable"}),
                     5);
  EXPECT_EQ(third.Snapshot(), third_before);
}

// POST /api/documents on a node that may be killed meanwhile: the status, or 0 when the node
// went away before it answered (no test failure: that is what the test provokes).
int PostMayFail(uint16_t port, const std::string& body) {
  namespace http = boost::beast::http;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return 0;
  GuardSocket(socket);
  http::request<http::string_body> req{http::verb::post, "/api/documents", 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : kAlice) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  http::write(socket, req, ec);
  if (ec) return 0;
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res, ec);
  return ec ? 0 : res.result_int();
}

// GET `target` on `port` until it answers 200 (or 30 s pass); the last reply.
HttpReply GetWhenReady(uint16_t port, const std::string& target) {
  HttpReply r;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    r = Get(port, target);
    if (r.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return r;
}

// Waits until the node on `port` has applied the whole log; its /api/health.
json::value CaughtUp(uint16_t port) {
  json::value health;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    health = Get(port, "/api/health").Json();
    if (Has(health, "log") && Int(Field(health, "log"), "lag") == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return health;
}

TEST_F(ClusterCliTest, ServeNodesReadTheirWritesAndAKilledNodeCatchesUp) {
  CliArchive one, two;
  const std::string tokens = one.Join("tokens");
  WriteFileOrDie(tokens,
                 "alice " + one.Ok({"serve", "--hash-token"}, "secret-a").substr(0, 64) + "\n");
  std::vector<std::string> flags = LogFlags();
  flags.insert(flags.end(), {"--tokens", tokens});
  ServeProcess first(one.data(), flags, one.Join("serve.err"));
  ASSERT_NE(first.port(), 0) << first.first_line();
  auto second = std::make_unique<ServeProcess>(two.data(), flags, two.Join("serve.err"));
  ASSERT_NE(second->port(), 0) << second->first_line();

  ASSERT_EQ(
      Post(first.port(), "/api/documents", NodeCapture("harbour", Body("harbour")), kAlice).status,
      201);
  // Read-your-writes on the writing node: answered once its own projections hold the write.
  EXPECT_EQ(Get(first.port(), "/api/documents/harbour").status, 200);
  EXPECT_EQ(GetWhenReady(second->port(), "/api/documents/harbour").status, 200);
  json::value health = CaughtUp(second->port());
  ASSERT_TRUE(Has(health, "log")) << json::serialize(health);
  EXPECT_EQ(Int(Field(health, "log"), "applied"), Int(Field(health, "log"), "last"));
  EXPECT_NE(Get(second->port(), "/metrics").body.find("palimpsest_shared_log_lag_entries"),
            std::string::npos);

  // The second node is killed while writing; the writes it acknowledged survive it.
  std::vector<std::string> acknowledged;
  const uint16_t port = second->port();
  std::atomic<bool> stop{false};
  std::atomic<int> acked{0};
  std::thread writer([&] {
    for (int i = 0; i < 200 && !stop; ++i) {
      const std::string id = "w" + std::to_string(i);
      const int status = PostMayFail(port, NodeCapture(id, Body(id)));
      if (status == 0) return;  // the node is gone
      if (status == 201) {
        acknowledged.push_back(id);
        acked++;
      }
    }
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (acked < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  second.reset();  // SIGKILL
  stop = true;
  writer.join();
  second = std::make_unique<ServeProcess>(two.data(), flags, two.Join("serve2.err"));
  ASSERT_NE(second->port(), 0) << second->first_line();
  // Writes through the first node meanwhile reach the restarted one.
  ASSERT_EQ(
      Post(first.port(), "/api/documents", NodeCapture("after", Body("after")), kAlice).status,
      201);
  EXPECT_EQ(GetWhenReady(second->port(), "/api/documents/after").status, 200);
  const json::value h1 = CaughtUp(first.port());
  const json::value h2 = CaughtUp(second->port());
  EXPECT_EQ(Int(h1, "head_seq"), Int(h2, "head_seq"));
  for (const std::string& id : acknowledged) {
    EXPECT_EQ(Get(first.port(), "/api/documents/" + id).status, 200) << id;
  }
  EXPECT_EQ(first.Stop(), 0);
  EXPECT_EQ(second->Stop(), 0);
  // Both directories verify and hold the same chain.
  const json::value v1 = ParseJson(one.Ok({"verify", "--json"}));
  const json::value v2 = ParseJson(two.Ok({"verify", "--json"}));
  EXPECT_EQ(Str(v1, "head_hash"), Str(v2, "head_hash"));
}

}  // namespace
}  // namespace palimpsest::testing
