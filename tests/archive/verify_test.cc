// Verify against tampering: bytes flipped inside a stored event, an event deleted, two events
// swapped, a projection checkpoint behind the log. Each is reported with the seq it concerns.

#include <gtest/gtest.h>

#include "archive/archive_test_util.h"
#include "archive/lmdb/keys.h"
#include "archive/lmdb/lmdb.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_ = TestOptions(dir_.Join("data"));
    auto archive = OpenOrDie(options_);
    for (int i = 0; i < 6; ++i) {
      std::vector<AppendRequest> batch;
      batch.push_back(
          Capture("needle-" + std::to_string(i), ArticleText("event " + std::to_string(i))));
      ASSERT_TRUE(archive->Append(std::move(batch)).ok());
    }
  }

  // Runs `edit` on the raw LMDB environment, with the archive closed.
  void Tamper(const std::function<void(lmdb::Txn&, MDB_dbi events, MDB_dbi meta)>& edit) {
    auto env = lmdb::Env::Open(options_.data_dir, false, false, options_.map_size, 32);
    ASSERT_TRUE(env.ok());
    auto txn = lmdb::Txn::Begin(*env, false);
    ASSERT_TRUE(txn.ok());
    auto events = txn->OpenDb("events", false);
    auto meta = txn->OpenDb("meta", false);
    ASSERT_TRUE(events.ok() && meta.ok());
    edit(*txn, *events, *meta);
    ASSERT_TRUE(txn->Commit().ok());
  }

  VerifyReport RunVerify() {
    Options ro = options_;
    ro.mode = OpenMode::kReadOnly;
    auto archive = OpenOrDie(ro);
    auto report = archive->Verify();
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? *report : VerifyReport{};
  }

  ScratchDir dir_;
  Options options_;
};

TEST_F(VerifyTest, HealthyArchivePasses) {
  VerifyReport report = RunVerify();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.events_checked, 6u);
}

TEST_F(VerifyTest, FlippedByteInsideAStoredEventIsNamed) {
  Tamper([](lmdb::Txn& txn, MDB_dbi events, MDB_dbi) {
    std::string value(*txn.Get(events, keys::U64(3)));
    size_t at = value.find("needle-2");
    ASSERT_NE(at, std::string::npos);
    value[at + 2] ^= 0x01;  // "needle" → "nefdle": still decodes, but the hash changed
    ASSERT_TRUE(txn.Put(events, keys::U64(3), value).ok());
  });
  VerifyReport report = RunVerify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.first_bad_seq, 3u) << report.problems.front();
}

TEST_F(VerifyTest, UndecodableEventIsNamed) {
  Tamper([](lmdb::Txn& txn, MDB_dbi events, MDB_dbi) {
    ASSERT_TRUE(txn.Put(events, keys::U64(4), std::string(24, '\xee')).ok());
  });
  VerifyReport report = RunVerify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.first_bad_seq, 4u);
}

TEST_F(VerifyTest, DeletedEventIsNamed) {
  Tamper([](lmdb::Txn& txn, MDB_dbi events, MDB_dbi) {
    ASSERT_TRUE(txn.Del(events, keys::U64(2)).ok());
  });
  VerifyReport report = RunVerify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.first_bad_seq, 2u) << report.problems.front();
}

TEST_F(VerifyTest, SwappedEventsAreNamed) {
  Tamper([](lmdb::Txn& txn, MDB_dbi events, MDB_dbi) {
    std::string a(*txn.Get(events, keys::U64(4))), b(*txn.Get(events, keys::U64(5)));
    ASSERT_TRUE(txn.Put(events, keys::U64(4), b).ok());
    ASSERT_TRUE(txn.Put(events, keys::U64(5), a).ok());
  });
  VerifyReport report = RunVerify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.first_bad_seq, 4u) << "the slot of seq 4 holds another event";
}

TEST_F(VerifyTest, TruncatedTailIsCaughtByTheHeadRecord) {
  Tamper([](lmdb::Txn& txn, MDB_dbi events, MDB_dbi) {
    ASSERT_TRUE(txn.Del(events, keys::U64(6)).ok());
  });
  VerifyReport report = RunVerify();
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.problems.front().find("chain head"), std::string::npos)
      << report.problems.front();
}

TEST_F(VerifyTest, StaleProjectionCheckpointIsReported) {
  Tamper([](lmdb::Txn& txn, MDB_dbi, MDB_dbi meta) {
    ASSERT_TRUE(txn.Put(meta, "checkpoint/articles", keys::U64(2)).ok());
  });
  VerifyReport report = RunVerify();
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.problems.front().find("articles"), std::string::npos);
}

}  // namespace
}  // namespace palimpsest::testing
