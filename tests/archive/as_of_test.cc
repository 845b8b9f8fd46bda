// Reading a document as of a time through the Archive API: the revision in effect is the one
// with the greatest effective time not after it (the later revision among equal times),
// whatever order the captures arrived in, however far an editor's note dates a revision back,
// and across merged histories. An archive built before the revision_times index answers the
// same from its revision records until replay builds the index.

#include <gtest/gtest.h>
#include <lmdb.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "archive/archive_test_util.h"
#include "lmdb_test_util.h"
#include "palimpsest/archive.h"
#include "palimpsest/timestamp.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kFirstUrl = "https://news.example/2024/03/first-slug";
constexpr const char* kSecondUrl = "https://news.example/2024/03/second-slug";

// A capture of `doc` on `day` (at `url` when given); `effective_day` dates it back with an
// editor's note, as an importer's note_effective_at field does.
AppendRequest CaptureOnDay(const std::string& doc, const std::string& tag, int day,
                           std::optional<int> effective_day = std::nullopt,
                           const std::string& url = "") {
  AppendRequest r = Capture(doc, ArticleText(tag), kMarch1 + day * kDay);
  auto& captured = std::get<CapturedEvent>(r.event.body);
  captured.url = url;
  if (effective_day) {
    captured.fields.push_back({"note", "Correction: " + tag + " was misreported."});
    captured.fields.push_back(
        {"note_effective_at", FormatTimestamp(kMarch1 + *effective_day * kDay)});
  }
  return r;
}

class AsOfArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() { archive_ = OpenOrDie(TestOptions(dir_.Join("data"))); }

  void Append(AppendRequest request) {
    std::vector<AppendRequest> one;
    one.push_back(std::move(request));
    auto result = archive_->Append(std::move(one));
    ASSERT_TRUE(result.ok()) << result.status().message();
  }

  // One document whose revisions arrive out of order, some dated back past others, one dated
  // to the very time of another.
  void TangledHistory() {
    Append(CaptureOnDay("doc", "a", 2));
    Append(CaptureOnDay("doc", "b", 6, 4));
    Append(CaptureOnDay("doc", "c", 10));
    Append(CaptureOnDay("doc", "z", 1));       // a backfill: captured before every other
    Append(CaptureOnDay("doc", "d", 12, 3));   // dated back before b took effect
    Append(CaptureOnDay("doc", "e", 14, 10));  // takes effect when c did: the later one wins
  }

  // For every effective time of `doc` (and a moment either side of it), GetDocument as of that
  // time shows the revision the rule picks from History.
  void ExpectEveryTimeAgrees(const std::string& doc) {
    auto history = archive_->History(doc);
    ASSERT_TRUE(history.ok()) << history.status().message();
    std::set<Timestamp> times = {kMarch1 - 100 * kDay, kMarch1 + 100 * kDay};
    for (const RevisionInfo& r : *history) {
      for (Timestamp t : {r.effective_at - 1, r.effective_at, r.effective_at + 1}) times.insert(t);
    }
    for (const Timestamp t : times) {
      uint32_t expected = 0;
      Timestamp best = kNoTime;
      for (const RevisionInfo& r : *history) {
        if (r.effective_at <= t && (expected == 0 || r.effective_at >= best)) {
          expected = r.rev;
          best = r.effective_at;
        }
      }
      RevisionSelector selector;
      selector.as_of = t;
      auto view = archive_->GetDocument(doc, selector);
      if (expected == 0) {
        EXPECT_TRUE(view.status().IsNotFound()) << FormatTimestamp(t);
        continue;
      }
      ASSERT_TRUE(view.ok()) << FormatTimestamp(t) << ": " << view.status().message();
      EXPECT_EQ(view->revision.rev, expected) << doc << " as of " << FormatTimestamp(t);
      EXPECT_EQ(view->revision.seq, (*history)[expected - 1].seq) << FormatTimestamp(t);
    }
  }

  // Whether `verify` (projections rebuilt and compared) finds the archive sound; reopens it.
  bool Verified() {
    archive_.reset();
    Options check = TestOptions(dir_.Join("data"));
    check.mode = OpenMode::kCheck;
    bool ok = false;
    {
      auto checking = OpenOrDie(check);
      auto report = checking->Verify();
      EXPECT_TRUE(report.ok() && report->projections_checked);
      ok = report.ok() && report->ok();
    }
    Open();
    return ok;
  }

  ScratchDir dir_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(AsOfArchiveTest, TheRevisionInEffectFollowsEffectiveTimesNotArrival) {
  TangledHistory();
  auto history = archive_->History("doc");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 6u);
  ExpectEveryTimeAgrees("doc");

  RevisionSelector on_day_11;
  on_day_11.as_of = kMarch1 + 11 * kDay;
  auto view = archive_->GetDocument("doc", on_day_11);
  ASSERT_TRUE(view.ok());
  EXPECT_NE(view->content.body.find("e"), std::string::npos);
  EXPECT_EQ(view->revision.effective_at, kMarch1 + 10 * kDay) << "e, not c: the later of two";
}

TEST_F(AsOfArchiveTest, AMergedHistoryAnswersUnderEitherId) {
  Append(CaptureOnDay("old", "first", 1, std::nullopt, kFirstUrl));
  Append(CaptureOnDay("new", "second", 3, std::nullopt, kSecondUrl));
  Append(CaptureOnDay("old", "third", 5, 2, kFirstUrl));
  AppendRequest redirect;
  redirect.event.id = DeriveEventId({"as-of-test-redirect"});
  redirect.event.doc_id = "old";
  redirect.event.actor = "test";
  redirect.event.body = RedirectedEvent{kFirstUrl, kSecondUrl, 301, kMarch1 + 8 * kDay, ""};
  Append(std::move(redirect));
  auto merged = archive_->History("new");
  ASSERT_TRUE(merged.ok());
  ASSERT_EQ(merged->size(), 3u) << "the redirect joined the two histories";
  ExpectEveryTimeAgrees("new");
  ExpectEveryTimeAgrees("old");
}

TEST_F(AsOfArchiveTest, AnArchiveBuiltBeforeTheIndexAnswersTheSameUntilReplay) {
  TangledHistory();
  archive_.reset();
  // What an older version left: no revision_times entries, the articles layout of format 2.
  WithLmdbTxn(dir_.Join("data"), [](MDB_txn* txn) {
    MDB_dbi times = 0, meta = 0;
    ASSERT_EQ(mdb_dbi_open(txn, "revision_times", 0, &times), 0);
    ASSERT_EQ(mdb_drop(txn, times, 1), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    std::string key = "format/articles", value = "2";
    MDB_val k{key.size(), key.data()}, v{value.size(), value.data()};
    ASSERT_EQ(mdb_put(txn, meta, &k, &v, 0), 0);
  });
  Open();
  ExpectEveryTimeAgrees("doc");
  Append(CaptureOnDay("doc", "f", 16, 5));  // appends go on in the old layout
  ExpectEveryTimeAgrees("doc");
  EXPECT_FALSE(Verified()) << "the stored layout differs from a rebuild";

  auto replayed = archive_->Replay();
  ASSERT_TRUE(replayed.ok()) << replayed.status().message();
  ExpectEveryTimeAgrees("doc");
  EXPECT_TRUE(Verified());
  ExpectEveryTimeAgrees("doc");
}

}  // namespace
}  // namespace palimpsest::testing
