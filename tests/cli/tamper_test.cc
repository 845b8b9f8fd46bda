// Tampering through the CLI: random bytes flipped inside stored events, an event deleted, two
// events swapped — `verify` names the seq and exits 4. Bytes flipped anywhere in data.mdb,
// LMDB's own page structures included: `verify` exits 0 or 4 and never crashes or hangs (the
// scan runs in a child process with a time limit; a crash or timeout there is reported as
// corruption).
//
// The event bytes are found through the LMDB C API (no palimpsest process is running), then
// located in data.mdb by searching for them, as the other tamper tests search for unique ids.

#include <gtest/gtest.h>
#include <lmdb.h>

#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

std::string KeyFor(uint64_t seq) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i, seq >>= 8) key[i] = static_cast<char>(seq & 0xff);
  return key;
}

// Opens the archive's LMDB environment directly and runs `fn` in one transaction on the
// events database; commits when `write`.
template <typename Fn>
void WithEvents(const std::string& dir, bool write, Fn fn) {
  MDB_env* env = nullptr;
  ASSERT_EQ(mdb_env_create(&env), 0);
  mdb_env_set_maxdbs(env, 32);
  ASSERT_EQ(mdb_env_open(env, dir.c_str(), write ? 0 : MDB_RDONLY, 0644), 0);
  MDB_txn* txn = nullptr;
  ASSERT_EQ(mdb_txn_begin(env, nullptr, write ? 0 : MDB_RDONLY, &txn), 0);
  MDB_dbi dbi;
  ASSERT_EQ(mdb_dbi_open(txn, "events", 0, &dbi), 0);
  fn(txn, dbi);
  if (write) {
    ASSERT_EQ(mdb_txn_commit(txn), 0);
  } else {
    mdb_txn_abort(txn);
  }
  mdb_env_close(env);
}

std::map<uint64_t, std::string> ReadEvents(const std::string& dir) {
  std::map<uint64_t, std::string> events;
  WithEvents(dir, false, [&](MDB_txn* txn, MDB_dbi dbi) {
    MDB_cursor* cursor = nullptr;
    ASSERT_EQ(mdb_cursor_open(txn, dbi, &cursor), 0);
    MDB_val k, v;
    for (int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
      uint64_t seq = 0;
      for (size_t i = 0; i < k.mv_size; ++i) {
        seq = (seq << 8) | static_cast<unsigned char>(static_cast<char*>(k.mv_data)[i]);
      }
      events[seq] = std::string(static_cast<char*>(v.mv_data), v.mv_size);
    }
    mdb_cursor_close(cursor);
  });
  return events;
}

// An archive of 6 documents, one with a correction: 7 events. Built once; each test works on a
// fresh copy of its data.mdb.
class TamperTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    source_ = new CliArchive();
    for (int i = 1; i <= 6; ++i) {
      source_->IngestText("tamper-doc-" + std::to_string(i),
                          SampleArticle("Tamper Article Number " + std::to_string(i)),
                          "2024-09-0" + std::to_string(i) + "T10:00:00Z");
    }
    source_->Json({"correct", "tamper-doc-3", "--note", "A figure was wrong.", "--json"});
    pristine_ = new std::string(ReadFileOrDie(source_->data() + "/data.mdb"));
    events_ = new std::map<uint64_t, std::string>(ReadEvents(source_->data()));
  }
  static void TearDownTestSuite() {
    delete source_;
    delete pristine_;
    delete events_;
  }

  void SetUp() override {
    std::filesystem::create_directories(a_.data());
    Restore(*pristine_);
  }
  void Restore(const std::string& bytes) const {
    std::filesystem::remove(a_.data() + "/lock.mdb");
    WriteFileOrDie(a_.data() + "/data.mdb", bytes);
  }

  // verify --json; checks the shape of a failure and returns its first_bad_seq (0 when OK).
  int64_t VerifyBadSeq() const {
    RunResult r = a_.Run({"verify", "--json"});
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 4) << Describe(r);
    if (r.exit_code == 0) return 0;
    json::value v = ParseJson(r.out);
    EXPECT_FALSE(Bool(v, "ok"));
    EXPECT_FALSE(Arr(v, "problems").empty());
    return Has(v, "first_bad_seq") ? Int(v, "first_bad_seq") : -1;
  }

  static CliArchive* source_;
  static std::string* pristine_;
  static std::map<uint64_t, std::string>* events_;
  CliArchive a_;
};

CliArchive* TamperTest::source_ = nullptr;
std::string* TamperTest::pristine_ = nullptr;
std::map<uint64_t, std::string>* TamperTest::events_ = nullptr;

TEST_F(TamperTest, PristineCopyVerifies) {
  ASSERT_EQ(events_->size(), 7u);
  RunResult r = a_.Run({"verify"});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
}

TEST_F(TamperTest, RandomBytesFlippedInsideEventsAreReportedWithTheirSeq) {
  std::mt19937 rng(81);
  int trials = 0, caught = 0, attributed_to_predecessor = 0;
  for (int t = 0; t < 28; ++t) {
    const uint64_t seq = 1 + rng() % events_->size();
    const std::string& event = events_->at(seq);
    std::string bytes = *pristine_;
    // Every copy of the event's bytes (LMDB may keep stale copies in free pages); the event
    // bytes are unique to it (they hold its id and hash chain link).
    const size_t offset = rng() % event.size();
    const char mask = static_cast<char>(1 + rng() % 255);
    size_t copies = 0;
    for (size_t pos = bytes.find(event); pos != std::string::npos;
         pos = bytes.find(event, pos + 1)) {
      bytes[pos + offset] ^= mask;
      ++copies;
    }
    ASSERT_GE(copies, 1u) << "event " << seq << " not found in data.mdb";
    Restore(bytes);
    ++trials;
    RunResult r = a_.Run({"verify", "--json"});
    ASSERT_EQ(r.exit_code, 4) << "seq " << seq << " byte " << offset << ": " << Describe(r);
    json::value v = ParseJson(r.out);
    // A flip in event N's prev_hash field breaks the chain link N-1 → N, which verify names
    // at N-1 ("hash chain broken between seq N-1 and N"); everything else is named at N.
    const int64_t bad = Int(v, "first_bad_seq");
    const std::string link =
        "between seq " + std::to_string(seq - 1) + " and " + std::to_string(seq);
    EXPECT_TRUE(bad == static_cast<int64_t>(seq) ||
                (bad == static_cast<int64_t>(seq) - 1 && Contains(json::serialize(v), link)))
        << "event " << seq << ", byte " << offset << " of " << event.size() << ": "
        << json::serialize(v);
    attributed_to_predecessor += bad != static_cast<int64_t>(seq);
    RunResult text = a_.Run({"verify"});
    EXPECT_EQ(text.exit_code, 4);
    EXPECT_TRUE(Contains(text.err, "seq " + std::to_string(seq))) << Describe(text);
    caught += r.exit_code == 4;
  }
  std::cout << "[ info ] " << trials << " flips inside events, " << caught
            << " reported with exit 4 (" << attributed_to_predecessor
            << " named as the broken link from the previous seq)\n";
}

TEST_F(TamperTest, DeletedEventIsReportedWithItsSeq) {
  WithEvents(a_.data(), true, [](MDB_txn* txn, MDB_dbi dbi) {
    std::string key = KeyFor(4);
    MDB_val k{key.size(), key.data()};
    ASSERT_EQ(mdb_del(txn, dbi, &k, nullptr), 0);
  });
  RunResult r = a_.Run({"verify"});
  EXPECT_EQ(r.exit_code, 4) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "seq 4")) << Describe(r);
  EXPECT_EQ(VerifyBadSeq(), 4);

  // The last event deleted: the log ends one early, which the chain head in meta still shows.
  Restore(*pristine_);
  WithEvents(a_.data(), true, [](MDB_txn* txn, MDB_dbi dbi) {
    std::string key = KeyFor(7);
    MDB_val k{key.size(), key.data()};
    ASSERT_EQ(mdb_del(txn, dbi, &k, nullptr), 0);
  });
  RunResult last = a_.Run({"verify"});
  EXPECT_EQ(last.exit_code, 4) << Describe(last);
  EXPECT_TRUE(Contains(last.err, "seq 7")) << Describe(last);
}

TEST_F(TamperTest, SwappedEventsAreReportedWithTheFirstSeq) {
  WithEvents(a_.data(), true, [](MDB_txn* txn, MDB_dbi dbi) {
    std::string k2 = KeyFor(2), k5 = KeyFor(5);
    MDB_val key2{k2.size(), k2.data()}, key5{k5.size(), k5.data()}, v2, v5;
    ASSERT_EQ(mdb_get(txn, dbi, &key2, &v2), 0);
    ASSERT_EQ(mdb_get(txn, dbi, &key5, &v5), 0);
    std::string b2(static_cast<char*>(v2.mv_data), v2.mv_size);
    std::string b5(static_cast<char*>(v5.mv_data), v5.mv_size);
    MDB_val n2{b5.size(), b5.data()}, n5{b2.size(), b2.data()};
    ASSERT_EQ(mdb_put(txn, dbi, &key2, &n2, 0), 0);
    ASSERT_EQ(mdb_put(txn, dbi, &key5, &n5, 0), 0);
  });
  RunResult r = a_.Run({"verify"});
  EXPECT_EQ(r.exit_code, 4) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "seq 2")) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "seq 5")) << Describe(r);
  // Event 2's slot now holds event 5, whose prev_hash names event 4: verify reports the broken
  // link 1 → 2 at seq 1 and the wrong seq at 2.
  const int64_t bad = VerifyBadSeq();
  EXPECT_TRUE(bad == 1 || bad == 2) << bad;
}

// Bytes flipped at random offsets anywhere in data.mdb (page headers, branch pages, meta pages,
// free pages): verify exits 0 or 4, never crashes, never hangs.
TEST_F(TamperTest, RandomFlipsAnywhereNeverCrashOrHang) {
  ScopedEnv timeout("PALIMPSEST_VERIFY_TIMEOUT", "10");
  std::mt19937 rng(4242);
  const int trials = 120;
  std::map<int, int> by_exit;
  int crash_reports = 0, flips = 0;
  for (int t = 0; t < trials; ++t) {
    std::string bytes = *pristine_;
    const int n = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < n; ++i) {
      bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255);
      ++flips;
    }
    Restore(bytes);
    RunResult r = a_.Run({"verify"});
    ++by_exit[r.exit_code];
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 4) << "trial " << t << ": " << Describe(r);
    if (r.exit_code == 4) {
      EXPECT_EQ(r.err.rfind("palimpsest: ", 0), 0u) << Describe(r);
      crash_reports += Contains(r.err, "crashed") || Contains(r.err, "timed out");
    }
  }
  std::cout << "[ info ] " << trials << " trials, " << flips << " bytes flipped: ";
  for (auto [code, count] : by_exit) std::cout << "exit " << code << " ×" << count << "  ";
  std::cout << "(" << crash_reports << " caught as crash/timeout of the scan)\n";
}

}  // namespace
}  // namespace palimpsest::testing
