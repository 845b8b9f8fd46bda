// `palimpsest serve` under concurrent load: many keep-alive readers on every read route while
// several writers post captures at once (the server's pool threads, the writer's batching and
// the background catch-up thread all run together). Every request must succeed, every
// acknowledged write must be in the log exactly as acknowledged, and the server must stop
// cleanly. Under ThreadSanitizer (scripts/test's TSan stage) a data race makes the server exit
// non-zero and print a report, which fails this test.

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "cli/http/serve_test_harness.h"

namespace palimpsest::testing {
namespace {

namespace http = boost::beast::http;

constexpr int kReaders = 6;
constexpr int kReadsPerReader = 40;
constexpr int kWriters = 3;
constexpr int kWritesPerWriter = 12;

struct Ack {
  std::string doc;
  int64_t version = 0;
};

class ServeConcurrencyTest : public ServeFixture {};

TEST_F(ServeConcurrencyTest, ReadersAndWritersTogetherLoseNothing) {
  const std::string tokens = WriteTokens();
  StartServer({"--tokens", tokens, "--threads", "4"});
  const std::vector<std::pair<std::string, std::string>> auth = {
      {"Authorization", "Bearer secret-a"}, {"Content-Type", "application/json"}};
  auto record = [](const std::string& id, int n) {
    return json::serialize(json::object{
        {"id", id},
        {"captured_at",
         "2024-01-01T00:00:" + std::string(n < 10 ? "0" : "") + std::to_string(n) + "Z"},
        {"title", "Title " + id},
        {"body", "Paragraph " + std::to_string(n) + ".\n\nAnother paragraph."}});
  };
  ASSERT_EQ(Post(port_, "/api/documents", record("seed", 0), auth).status, 201u);
  ASSERT_EQ(Post(port_, "/api/documents", record("seed", 1), auth).status, 201u);

  std::mutex mu;
  std::map<int64_t, Ack> acks;  // seq → what the writer was told
  std::atomic<int> bad_writes{0};
  std::atomic<int> bad_reads{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      const std::string doc = "doc-" + std::to_string(w);
      for (int i = 1; i <= kWritesPerWriter; ++i) {
        HttpReply r = Post(port_, "/api/documents", record(doc, i), auth);
        if (r.status != 201u) {
          ++bad_writes;
          ADD_FAILURE() << "write " << doc << " #" << i << ": " << r.status << " " << r.body;
          continue;
        }
        json::value v = r.Json();
        std::lock_guard<std::mutex> lock(mu);
        acks[Int(v, "seq")] = Ack{Str(v, "id"), Int(v, "version")};
      }
    });
  }
  const std::vector<std::string> targets = {"/api/documents",
                                            "/api/documents/seed",
                                            "/api/documents/seed?rev=1",
                                            "/api/documents/seed/revisions",
                                            "/api/documents/seed/diff",
                                            "/api/events?after=0&limit=50",
                                            "/metrics",
                                            "/timemap/seed"};
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&, r] {
      boost::asio::io_context ioc;
      auto socket = Connect(ioc, port_);
      boost::beast::flat_buffer buffer;
      for (int i = 0; i < kReadsPerReader; ++i) {
        const std::string& target = targets[(r + i) % targets.size()];
        http::request<http::string_body> req{http::verb::get, target, 11};
        req.set(http::field::host, "127.0.0.1");
        boost::system::error_code ec;
        http::write(socket, req, ec);
        if (ec) {
          ++bad_reads;
          ADD_FAILURE() << "writing GET " << target << ": " << ec.message();
          return;
        }
        HttpReply reply = ReadReply(socket, buffer);
        if (reply.status != 200u) {
          ++bad_reads;
          ADD_FAILURE() << "GET " << target << ": " << reply.status << " " << reply.body;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(bad_writes.load(), 0);
  EXPECT_EQ(bad_reads.load(), 0);
  ASSERT_EQ(acks.size(), static_cast<size_t>(kWriters * kWritesPerWriter));

  // Every acknowledged write is in the log with the seq, document and version it was given;
  // each writer's document has versions 1..N with no gap.
  json::value log = Get(port_, "/api/events?after=0&limit=1000").Json();
  std::map<int64_t, Ack> logged;
  for (const json::value& e : Arr(log, "events")) {
    logged[Int(e, "seq")] = Ack{Str(e, "doc"), Int(e, "version")};
  }
  EXPECT_EQ(logged.size(), acks.size() + 2);
  std::map<std::string, std::set<int64_t>> versions;
  for (const auto& [seq, ack] : acks) {
    auto it = logged.find(seq);
    ASSERT_NE(it, logged.end()) << "acknowledged seq " << seq << " is not in the log";
    EXPECT_EQ(it->second.doc, ack.doc) << "seq " << seq;
    EXPECT_EQ(it->second.version, ack.version) << "seq " << seq;
    versions[ack.doc].insert(ack.version);
  }
  for (const auto& [doc, seen] : versions) {
    EXPECT_EQ(seen.size(), static_cast<size_t>(kWritesPerWriter)) << doc;
    EXPECT_EQ(*seen.begin(), 1) << doc;
    EXPECT_EQ(*seen.rbegin(), kWritesPerWriter) << doc;
  }

  EXPECT_EQ(StopServer(), 0) << ServeErr();
  EXPECT_EQ(ServeErr().find("Sanitizer"), std::string::npos) << ServeErr();
  EXPECT_EQ(archive_.Run({"verify"}).exit_code, 0);
}

// Writes to one document that commit in the same group are each answered with their own
// version and ETag, so an If-Match naming any but the newest is refused with 412 (a client
// acknowledged with a later write's version could overwrite it unseen).
TEST_F(ServeConcurrencyTest, ConcurrentWritesToOneDocumentEachGetTheirOwnVersion) {
  const std::string tokens = WriteTokens();
  StartServer({"--tokens", tokens, "--threads", "4"});
  const std::vector<std::pair<std::string, std::string>> auth = {
      {"Authorization", "Bearer secret-a"}, {"Content-Type", "application/json"}};
  auto record = [](int n) {
    return json::serialize(json::object{
        {"id", "shared"},
        {"captured_at",
         "2024-02-01T00:00:" + std::string(n < 10 ? "0" : "") + std::to_string(n) + "Z"},
        {"title", "Shared"},
        {"body", "Version " + std::to_string(n) + " of the text.\n\nA second paragraph."}});
  };
  ASSERT_EQ(Post(port_, "/api/documents", record(0), auth).status, 201u);
  constexpr int kWrites = 8;
  std::mutex mu;
  std::vector<std::pair<int64_t, std::string>> acks;  // version, ETag
  std::vector<std::thread> threads;
  for (int i = 1; i <= kWrites; ++i) {
    threads.emplace_back([&, i] {
      HttpReply r = Post(port_, "/api/documents", record(i), auth);
      ASSERT_EQ(r.status, 201u) << r.body;
      json::value v = r.Json();
      std::lock_guard<std::mutex> lock(mu);
      acks.emplace_back(Int(v, "version"), r.Header("etag"));
      EXPECT_EQ(Str(v, "status"), "revised");
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(acks.size(), static_cast<size_t>(kWrites));
  std::set<int64_t> versions;
  for (const auto& [version, etag] : acks) {
    versions.insert(version);
    EXPECT_EQ(etag, "\"" + std::to_string(version) + "\"");
  }
  EXPECT_EQ(versions.size(), static_cast<size_t>(kWrites)) << "two writes got one version";
  EXPECT_EQ(*versions.begin(), 2);
  EXPECT_EQ(*versions.rbegin(), kWrites + 1);

  auto with_if_match = [&](int64_t version) {
    auto headers = auth;
    headers.emplace_back("If-Match", "\"" + std::to_string(version) + "\"");
    return headers;
  };
  HttpReply stale = Post(port_, "/api/documents", record(20), with_if_match(*versions.begin()));
  EXPECT_EQ(stale.status, 412u) << stale.body;
  HttpReply fresh = Post(port_, "/api/documents", record(21), with_if_match(*versions.rbegin()));
  EXPECT_EQ(fresh.status, 201u) << fresh.body;
  EXPECT_EQ(StopServer(), 0) << ServeErr();
  EXPECT_EQ(ServeErr().find("Sanitizer"), std::string::npos) << ServeErr();
}

}  // namespace
}  // namespace palimpsest::testing
