// Backfill through the Archive API: revisions follow capture time, not arrival. A capture
// older than the newest revision is inserted where it belongs and the later revisions are
// renumbered; one showing a neighbour's content only widens when that content was seen; the
// archive as known before the backfill keeps its numbering; a seq names a revision whatever
// the numbering; replay derives the same.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "archive/archive_test_util.h"
#include "palimpsest/archive.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

class BackfillArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override { archive_ = OpenOrDie(TestOptions(dir_.Join("data"))); }

  AppendResult Capture(const std::string& tag, int day) {
    std::vector<AppendRequest> one;
    one.push_back(testing::Capture("doc", ArticleText(tag), kMarch1 + day * kDay));
    auto result = archive_->Append(std::move(one));
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? result->front() : AppendResult{};
  }
  std::vector<RevisionInfo> History() {
    auto history = archive_->History("doc");
    EXPECT_TRUE(history.ok()) << history.status().message();
    return history.ok() ? *history : std::vector<RevisionInfo>{};
  }
  std::vector<Timestamp> CaptureDays() {
    std::vector<Timestamp> days;
    for (const RevisionInfo& r : History()) days.push_back((r.captured_at - kMarch1) / kDay);
    return days;
  }

  ScratchDir dir_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(BackfillArchiveTest, AnOlderCaptureIsInsertedWhereItBelongs) {
  const AppendResult b = Capture("second", 5);
  Capture("third", 9);
  const Timestamp known_before = History().back().recorded_at;

  const AppendResult a = Capture("first", 1);
  EXPECT_EQ(a.rev, 1u);
  EXPECT_EQ(a.outcome, AppendOutcome::kRevised) << "the document existed";
  EXPECT_TRUE(a.backfill);
  EXPECT_FALSE(b.backfill);
  EXPECT_EQ(a.kind, "original");
  EXPECT_EQ(CaptureDays(), (std::vector<Timestamp>{1, 5, 9}));
  const std::vector<RevisionInfo> history = History();
  EXPECT_EQ(history[1].kind, "update") << "no longer the original";
  EXPECT_GT(history[1].words_added, 0u) << "counted against its new predecessor";
  EXPECT_EQ(history[1].seq, b.seq);

  RevisionSelector by_seq;
  by_seq.seq = b.seq;
  auto second = archive_->GetDocument("doc", by_seq);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->revision.rev, 2u);

  RevisionSelector then;
  then.known_at = known_before;
  then.rev = 1;
  auto first_then = archive_->GetDocument("doc", then);
  ASSERT_TRUE(first_then.ok()) << first_then.status().message();
  EXPECT_EQ(first_then->revision.seq, b.seq);
  EXPECT_EQ(first_then->revision.kind, "original");
  EXPECT_EQ(first_then->revision.words_removed, 0u);
  by_seq.known_at = known_before;
  by_seq.seq = a.seq;
  EXPECT_TRUE(archive_->GetDocument("doc", by_seq).status().IsNotFound())
      << "the backfill was not known then";

  auto replay = archive_->Replay();
  ASSERT_TRUE(replay.ok()) << replay.status().message();
  EXPECT_TRUE(replay->identical());
  EXPECT_EQ(CaptureDays(), (std::vector<Timestamp>{1, 5, 9}));
}

TEST_F(BackfillArchiveTest, ANeighboursContentOnlyWidensWhenItWasSeen) {
  Capture("second", 5);
  Capture("third", 9);
  // The second revision's content, seen earlier than the archive knew.
  const AppendResult earlier = Capture("second", 3);
  EXPECT_EQ(earlier.outcome, AppendOutcome::kUnchanged);
  EXPECT_FALSE(earlier.backfill) << "no revision was inserted";
  EXPECT_EQ(CaptureDays(), (std::vector<Timestamp>{3, 9}));
  // ... and again between its first sighting and the next revision.
  Capture("second", 7);
  const std::vector<RevisionInfo> history = History();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ((history[0].last_seen_at - kMarch1) / kDay, 7);
  auto replay = archive_->Replay();
  ASSERT_TRUE(replay.ok()) << replay.status().message();
  EXPECT_TRUE(replay->identical());
}

TEST_F(BackfillArchiveTest, ASummaryOfTheOldNumberingIsNeverShownForTheNew) {
  Capture("second", 5);
  Capture("third", 9);
  ASSERT_TRUE(archive_->CatchUp(UINT64_MAX).ok());
  const std::string third_against_second = History()[1].change_summary;
  ASSERT_NE(third_against_second, "");

  // The backfill renumbers; until the asynchronous projection reaches it, revision 2 (now
  // "second", against "first") has no summary rather than the one stored under its number.
  Capture("first", 1);
  std::vector<RevisionInfo> history = History();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].change_summary, "");
  EXPECT_EQ(history[2].change_summary, "");
  ASSERT_TRUE(archive_->CatchUp(UINT64_MAX).ok());
  history = History();
  EXPECT_NE(history[1].change_summary, "");
  EXPECT_EQ(history[2].change_summary, third_against_second);
}

}  // namespace
}  // namespace palimpsest::testing
