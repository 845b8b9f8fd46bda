// NatsLog against a real three-server JetStream cluster on 127.0.0.1 (tests/nats/), shared by
// the tests of this file; each test uses its own stream prefix.

#include "archive/log/nats_log.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <nats/nats.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "nats/nats_cluster.h"
#include "palimpsest/hash.h"
#include "test_util.h"

namespace palimpsest {
namespace {

using std::chrono::milliseconds;
using testing::NatsCluster;
using testing::ScratchDir;

bool IsLogMoved(const Status& s) {
  return s.code() == StatusCode::kConflict && s.detail() == StatusDetail::kLogMoved;
}
bool IsLogUnavailable(const Status& s) {
  return s.code() == StatusCode::kIOError && s.detail() == StatusDetail::kLogUnavailable;
}

// `size` bytes that differ for each `seed`.
std::string PseudoRandomBytes(size_t size, uint32_t seed) {
  std::mt19937 gen(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(gen() & 0xff);
  return out;
}

// A plain nats.c JetStream client, for what the tests do behind a NatsLog's back.
class RawClient {
 public:
  explicit RawClient(const std::string& url) {
    EXPECT_EQ(natsConnection_ConnectTo(&nc_, url.c_str()), NATS_OK);
    if (nc_ != nullptr) {
      EXPECT_EQ(natsConnection_JetStream(&js_, nc_, nullptr), NATS_OK);
    }
  }
  ~RawClient() {
    jsCtx_Destroy(js_);
    natsConnection_Destroy(nc_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  jsCtx* js() const { return js_; }

  // Publishes `data` on `subject` (a JetStream publish: the stream must store it).
  void Publish(const std::string& subject, const std::string& data) {
    jsPubAck* ack = nullptr;
    jsErrCode code;
    EXPECT_EQ(js_Publish(&ack, js_, subject.c_str(), data.data(), static_cast<int>(data.size()),
                         nullptr, &code),
              NATS_OK)
        << nats_GetLastError(nullptr);
    jsPubAck_Destroy(ack);
  }

 private:
  natsConnection* nc_ = nullptr;
  jsCtx* js_ = nullptr;
};

class NatsLogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir();
    cluster_ = NatsCluster::Start(dir_->path(), 3).release();
  }
  static void TearDownTestSuite() {
    delete cluster_;  // the servers stop before their directory goes
    cluster_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(cluster_, nullptr) << "no JetStream cluster: is the nats-server package installed?";
  }

  // "T_<TEST NAME UPPER-CASED>": streams no other test uses.
  static std::string Prefix() {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return "T_" + name;
  }

  static Result<std::unique_ptr<SharedLog>> Open(milliseconds timeout = milliseconds(5000)) {
    NatsLogOptions options;
    options.url = cluster_->Url();
    options.stream_prefix = Prefix();
    options.timeout = timeout;
    return OpenNatsLog(options);
  }

  static ScratchDir* dir_;
  static NatsCluster* cluster_;
};

ScratchDir* NatsLogTest::dir_ = nullptr;
NatsCluster* NatsLogTest::cluster_ = nullptr;

#define ASSERT_OPEN(var, expr)                                       \
  auto var##_result = (expr);                                        \
  ASSERT_TRUE(var##_result.ok()) << var##_result.status().message(); \
  std::unique_ptr<SharedLog> var = std::move(var##_result).value()

TEST_F(NatsLogTest, MalformedUrlIsInvalidArgument) {
  for (const char* url :
       {"", "nats://", "nats://127.0.0.1", "nats://127.0.0.1:4222,", "http://127.0.0.1:4222",
        "nats://127.0.0.1:0", "nats://host:99999", "nats://127.0.0.1:42x"}) {
    NatsLogOptions options;
    options.url = url;
    auto log = OpenNatsLog(options);
    ASSERT_FALSE(log.ok()) << url;
    EXPECT_EQ(log.status().code(), StatusCode::kInvalidArgument) << url;
  }
  NatsLogOptions options;
  options.url = cluster_->Url();
  options.stream_prefix = "BAD.PREFIX";
  auto log = OpenNatsLog(options);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(NatsLogTest, UrlElementsMayOmitTheScheme) {
  std::string url = cluster_->ServerUrl(0) + ", " + cluster_->ServerUrl(1).substr(7) + "," +
                    cluster_->ServerUrl(2).substr(7);
  NatsLogOptions options;
  options.url = url;
  options.stream_prefix = Prefix();
  auto log = OpenNatsLog(options);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ((*log)->Describe(), url);
  auto position = (*log)->Append("entry", 0, "entry");
  ASSERT_TRUE(position.ok()) << position.status().message();
  EXPECT_EQ(*position, 1u);
}

TEST_F(NatsLogTest, AppendsAtConsecutivePositions) {
  ASSERT_OPEN(log, Open());
  EXPECT_EQ(log->Describe(), cluster_->Url());
  auto last = log->LastPosition();
  ASSERT_TRUE(last.ok()) << last.status().message();
  EXPECT_EQ(*last, 0u);
  for (uint64_t expected = 0; expected < 5; ++expected) {
    auto position = log->Append("entry " + std::to_string(expected), expected,
                                Prefix() + "-" + std::to_string(expected));
    ASSERT_TRUE(position.ok()) << position.status().message();
    EXPECT_EQ(*position, expected + 1);
    last = log->LastPosition();
    ASSERT_TRUE(last.ok()) << last.status().message();
    EXPECT_EQ(*last, expected + 1);
  }
}

TEST_F(NatsLogTest, StaleExpectedIsLogMovedAndAppendsNothing) {
  ASSERT_OPEN(log, Open());
  ASSERT_TRUE(log->Append("first", 0, "first").ok());
  ASSERT_TRUE(log->Append("second", 1, "second").ok());
  for (uint64_t stale : {0, 1}) {
    auto position = log->Append("late", stale, "late-" + std::to_string(stale));
    ASSERT_FALSE(position.ok());
    EXPECT_TRUE(IsLogMoved(position.status())) << position.status().message();
  }
  auto last = log->LastPosition();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 2u);
  auto second = log->Read(2);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, "second");
}

TEST_F(NatsLogTest, ReadsBackWhatWasAppended) {
  ASSERT_OPEN(log, Open());
  // Around the largest entry that travels inline (900 KiB with its marker byte).
  std::vector<std::string> entries = {"",
                                      std::string("a\0b\nc", 5),
                                      "x",
                                      PseudoRandomBytes(900 * 1024 - 2, 1),
                                      PseudoRandomBytes(900 * 1024 - 1, 2),
                                      PseudoRandomBytes(900 * 1024, 3)};
  for (size_t i = 0; i < entries.size(); ++i) {
    auto position = log->Append(entries[i], i, Prefix() + std::to_string(i));
    ASSERT_TRUE(position.ok()) << position.status().message();
    ASSERT_EQ(*position, i + 1);
  }
  ASSERT_OPEN(reader, Open());
  for (size_t i = 0; i < entries.size(); ++i) {
    auto entry = reader->Read(i + 1);
    ASSERT_TRUE(entry.ok()) << entry.status().message();
    EXPECT_TRUE(*entry == entries[i]) << "position " << i + 1 << ": " << entry->size() << " bytes";
  }
}

TEST_F(NatsLogTest, ReadPastTheEndIsNotFound) {
  ASSERT_OPEN(log, Open());
  auto empty = log->Read(1);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kNotFound) << empty.status().message();
  ASSERT_TRUE(log->Append("only", 0, "only").ok());
  for (uint64_t position : {uint64_t{2}, uint64_t{1000}, UINT64_MAX}) {
    auto entry = log->Read(position);
    ASSERT_FALSE(entry.ok());
    EXPECT_EQ(entry.status().code(), StatusCode::kNotFound) << entry.status().message();
  }
  auto zero = log->Read(0);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(NatsLogTest, ReopenedLogKeepsItsPositions) {
  {
    ASSERT_OPEN(log, Open());
    ASSERT_TRUE(log->Append("one", 0, "one").ok());
    ASSERT_TRUE(log->Append("two", 1, "two").ok());
  }
  ASSERT_OPEN(again, Open());
  auto last = again->LastPosition();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 2u);
  auto position = again->Append("three", 2, "three");
  ASSERT_TRUE(position.ok()) << position.status().message();
  EXPECT_EQ(*position, 3u);
  auto one = again->Read(1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, "one");
}

TEST_F(NatsLogTest, ConcurrentOpensOfANewLogMakeOneLog) {
  constexpr int kOpens = 4;
  std::vector<std::unique_ptr<SharedLog>> logs(kOpens);
  std::vector<Status> opened(kOpens);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpens; ++i) {
    threads.emplace_back([&, i] {
      auto log = Open();
      opened[i] = log.status();
      if (log.ok()) logs[i] = std::move(*log);
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kOpens; ++i) {
    ASSERT_TRUE(opened[i].ok()) << opened[i].message();
    auto last = logs[i]->LastPosition();
    ASSERT_TRUE(last.ok()) << last.status().message();
    EXPECT_EQ(*last, 0u);
  }
  auto position = logs[kOpens - 1]->Append("first", 0, "first");
  ASSERT_TRUE(position.ok()) << position.status().message();
  EXPECT_EQ(*position, 1u);
  auto entry = logs[0]->Read(1);
  ASSERT_TRUE(entry.ok()) << entry.status().message();
  EXPECT_EQ(*entry, "first");
}

TEST_F(NatsLogTest, RetriedAppendIsStoredOnce) {
  ASSERT_OPEN(log, Open());
  ASSERT_TRUE(log->Append("entry", 0, "same-id").ok());
  // The retry of an append whose acknowledgement was lost: the same position or kLogMoved.
  auto retry = log->Append("entry", 0, "same-id");
  if (retry.ok()) {
    EXPECT_EQ(*retry, 1u);
  } else {
    EXPECT_TRUE(IsLogMoved(retry.status())) << retry.status().message();
  }
  // Retried after re-reading the log: the duplicate window keeps it out.
  auto again = log->Append("entry", 1, "same-id");
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(IsLogMoved(again.status())) << again.status().message();
  auto last = log->LastPosition();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 1u);
}

TEST_F(NatsLogTest, LargeEntryRoundTripsInChunks) {
  ASSERT_OPEN(log, Open());
  std::string big = PseudoRandomBytes(5 * 1000 * 1000, 5);
  auto position = log->Append(big, 0, "big");
  ASSERT_TRUE(position.ok()) << position.status().message();
  EXPECT_EQ(*position, 1u);
  ASSERT_OPEN(reader, Open());
  auto entry = reader->Read(1);
  ASSERT_TRUE(entry.ok()) << entry.status().message();
  EXPECT_EQ(entry->size(), big.size());
  EXPECT_TRUE(*entry == big);
}

TEST_F(NatsLogTest, TamperedChunkIsCorruption) {
  ASSERT_OPEN(log, Open());
  std::string big = PseudoRandomBytes(2 * 1024 * 1024, 6);
  ASSERT_TRUE(log->Append(big, 0, "big").ok());
  // The chunk layout nats_log.cc documents: the last message on a chunk's subject counts.
  std::string subject = "t_" + Prefix().substr(2) + ".content." + ToHex(Sha256(big)) + ".1";
  for (char& c : subject) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  RawClient raw(cluster_->Url());
  raw.Publish(subject, PseudoRandomBytes(512 * 1024, 7));
  auto entry = log->Read(1);
  ASSERT_FALSE(entry.ok());
  EXPECT_EQ(entry.status().code(), StatusCode::kCorruption) << entry.status().message();
}

TEST_F(NatsLogTest, StreamThatIsNotALogIsCorruption) {
  std::string prefix = Prefix();
  std::string stream = prefix + "_LOG";
  std::string subject = "t_" + prefix.substr(2) + ".log";
  for (char& c : subject) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  RawClient raw(cluster_->Url());
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  const char* subjects[] = {subject.c_str()};
  config.Name = stream.c_str();
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  jsStreamInfo* info = nullptr;
  jsErrCode code;
  ASSERT_EQ(js_AddStream(&info, raw.js(), &config, nullptr, &code), NATS_OK);
  jsStreamInfo_Destroy(info);
  raw.Publish(subject, "not a palimpsest message");
  auto log = Open();
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kCorruption) << log.status().message();
}

// 8 threads on two connections append 50 entries each, every one after the position it last
// saw, retrying when another wrote first.
TEST_F(NatsLogTest, RacingWritersOnTwoConnectionsLoseNothing) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  ASSERT_OPEN(a, Open());
  ASSERT_OPEN(b, Open());
  std::mutex mu;
  std::map<uint64_t, std::string> acked;  // position -> entry
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      SharedLog* log = (t % 2 == 0 ? a : b).get();
      for (int j = 0; j < kPerThread && !failed; ++j) {
        std::string entry = "racer " + std::to_string(t) + " entry " + std::to_string(j);
        while (!failed) {
          auto last = log->LastPosition();
          if (!last.ok()) {
            ADD_FAILURE() << last.status().message();
            failed = true;
            break;
          }
          auto position = log->Append(entry, *last, entry);
          if (position.ok()) {
            std::lock_guard<std::mutex> lock(mu);
            EXPECT_TRUE(acked.emplace(*position, entry).second) << "position " << *position;
            break;
          }
          if (!IsLogMoved(position.status())) {
            ADD_FAILURE() << position.status().message();
            failed = true;
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_FALSE(failed);
  ASSERT_EQ(acked.size(), size_t{kThreads * kPerThread});
  auto last = a->LastPosition();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, uint64_t{kThreads * kPerThread});
  std::set<std::string> distinct;
  for (uint64_t position = 1; position <= kThreads * kPerThread; ++position) {
    auto entry = (position % 2 == 0 ? a : b)->Read(position);
    ASSERT_TRUE(entry.ok()) << entry.status().message();
    ASSERT_EQ(acked.count(position), 1u) << "position " << position;
    EXPECT_EQ(*entry, acked[position]) << "position " << position;
    distinct.insert(*entry);
  }
  EXPECT_EQ(distinct.size(), size_t{kThreads * kPerThread});
}

TEST_F(NatsLogTest, WaitAfterReturnsWhenAnotherConnectionAppends) {
  ASSERT_OPEN(follower, Open());
  ASSERT_OPEN(writer, Open());
  // Whatever the opens published is consumed first: the wait below has only the append to see.
  ASSERT_TRUE(follower->WaitAfter(0, milliseconds(200)).ok());
  ASSERT_TRUE(follower->WaitAfter(0, milliseconds(200)).ok());
  // Longer than the test may run (CTest stops it after 300 s): only the append can end it.
  constexpr milliseconds kLongerThanTheTest(3'600'000);
  Status waited;
  std::thread waiter([&] { waited = follower->WaitAfter(0, kLongerThanTheTest); });
  auto position = writer->Append("news", 0, "news");
  waiter.join();
  ASSERT_TRUE(position.ok()) << position.status().message();
  EXPECT_TRUE(waited.ok()) << waited.message();
  auto last = follower->LastPosition();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 1u);
  // Nothing more comes: a wait that runs out is no error.
  EXPECT_TRUE(follower->WaitAfter(1, milliseconds(100)).ok());
}

TEST_F(NatsLogTest, NoServerIsLogUnavailable) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(fd);  // nothing listens on the port now
  NatsLogOptions options;
  options.url = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  options.timeout = milliseconds(1000);
  auto log = OpenNatsLog(options);
  ASSERT_FALSE(log.ok());
  EXPECT_TRUE(IsLogUnavailable(log.status())) << log.status().message();
}

// Where WriteOnce put an entry, and whether the append that put it there was acknowledged.
struct Stored {
  uint64_t position = 0;
  bool acked = false;
};

// The position of `entry` among positions [first, last] of `log`; 0 when it is not there.
Result<uint64_t> FindEntry(SharedLog& log, const std::string& entry, uint64_t first,
                           uint64_t last) {
  for (uint64_t p = first; p <= last; ++p) {
    PALIMPSEST_ASSIGN_OR_RETURN(std::string read, log.Read(p));
    if (read == entry) return p;
  }
  return uint64_t{0};
}

// Appends `entry` to `log` as its only writer, for whom positions up to `accounted` hold
// entries already accounted for: on kLogUnavailable or kLogMoved it re-reads the log, takes
// `entry` as stored if an append that got no acknowledgement landed, else appends again.
Result<Stored> WriteOnce(SharedLog& log, const std::string& entry, uint64_t accounted,
                         std::chrono::steady_clock::time_point deadline) {
  while (std::chrono::steady_clock::now() < deadline) {
    Result<uint64_t> last = log.LastPosition();
    Result<uint64_t> found = last.ok() ? FindEntry(log, entry, accounted + 1, *last) : last;
    if (!found.ok() && !IsLogUnavailable(found.status())) return found.status();
    if (!found.ok()) {
      std::this_thread::sleep_for(milliseconds(20));
      continue;
    }
    if (*found != 0) return Stored{*found, false};
    if (*last != accounted) {
      return Status::Corruption("position " + std::to_string(*last) + ": nobody wrote it");
    }
    auto position = log.Append(entry, *last, entry);
    if (position.ok()) return Stored{*position, true};
    if (!IsLogMoved(position.status()) && !IsLogUnavailable(position.status())) {
      return position.status();
    }
  }
  return Status::IOError("no progress for 60 s");
}

// One writer appends, retrying on kLogUnavailable and kLogMoved after looking for its own
// entry, while the leader of the log's stream is killed.
TEST_F(NatsLogTest, LeaderKilledDuringAppendsLosesNoAcknowledgedEntry) {
  ASSERT_OPEN(log, Open(milliseconds(2000)));
  ASSERT_TRUE(log->Append("before", 0, "before").ok());
  const std::string tag = std::to_string(getpid());
  std::atomic<int> done{0};           // entries known to be in the log
  std::atomic<int> killed_after{-1};  // `done` when the leader was killed
  std::atomic<bool> writer_done{false};
  Status failure;
  std::map<uint64_t, std::string> acked;  // position -> entry (writer thread only until join)
  std::thread writer([&] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    uint64_t accounted = 1;
    for (int i = 0; failure.ok() && (killed_after < 0 || i < killed_after + 30); ++i) {
      std::string entry = "burst " + tag + " #" + std::to_string(i);
      Result<Stored> stored = WriteOnce(*log, entry, accounted, deadline);
      failure = stored.status();
      if (stored.ok() && stored->acked) acked[stored->position] = entry;
      if (stored.ok()) accounted = stored->position;
      if (stored.ok()) ++done;
    }
    writer_done = true;
  });
  while (done < 10 && !writer_done) std::this_thread::sleep_for(milliseconds(1));
  int leader = cluster_->LeaderOf(Prefix() + "_LOG");
  if (leader >= 0) cluster_->Kill(leader);
  killed_after = done.load();
  writer.join();
  ASSERT_GE(leader, 0) << "no leader known for " << Prefix() << "_LOG";
  ASSERT_TRUE(failure.ok()) << failure.message();

  auto last = log->LastPosition();
  ASSERT_TRUE(last.ok()) << last.status().message();
  EXPECT_EQ(*last, static_cast<uint64_t>(done.load()) + 1);
  std::set<std::string> seen;
  for (uint64_t position = 2; position <= *last; ++position) {
    auto entry = log->Read(position);
    ASSERT_TRUE(entry.ok()) << entry.status().message();
    EXPECT_TRUE(seen.insert(*entry).second) << "twice: " << *entry;
    auto it = acked.find(position);
    if (it != acked.end()) {
      EXPECT_EQ(*entry, it->second) << "position " << position;
    }
  }
  for (const auto& [position, entry] : acked) EXPECT_EQ(seen.count(entry), 1u) << entry;
  EXPECT_TRUE(cluster_->Restart(leader));
}

}  // namespace
}  // namespace palimpsest
