// Watches through the Archive API: the watch list kept as events in watch streams, checks that
// bring nothing new leave the article's version alone, a capture asked to be recorded only when
// it revises is refused without a trace otherwise, and replay derives the same watch list.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "archive/archive_test_util.h"
#include "palimpsest/archive.h"
#include "palimpsest/watches.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kUrl = "https://news.example/2024/03/story";
constexpr Timestamp kT0 = 1'709'251'200'000'000;  // 2024-03-01T00:00:00Z
constexpr Timestamp kMinute = 60'000'000;

AppendRequest WatchEvent(EventBody body, const std::string& url, const std::string& tag) {
  AppendRequest r;
  r.event.doc_id = WatchStreamId(url);
  r.event.id = DeriveEventId({"test-watch", url, tag});
  r.event.actor = "test";
  r.event.body = std::move(body);
  return r;
}

AppendRequest Check(CheckOutcome outcome, Timestamp at, const std::string& tag) {
  CheckedEvent c;
  c.url = kUrl;
  c.outcome = outcome;
  c.checked_at = at;
  c.http_status = outcome == CheckOutcome::kNotModified ? 304 : 200;
  c.etag = "\"" + tag + "\"";
  c.body_sha256 = Sha256(tag);
  return WatchEvent(c, kUrl, tag);
}

class WatchArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override { archive_ = OpenOrDie(TestOptions(dir_.Join("data"))); }

  Result<AppendResult> Append(AppendRequest request) {
    std::vector<AppendRequest> one;
    one.push_back(std::move(request));
    auto result = archive_->Append(std::move(one));
    if (!result.ok()) return result.status();
    return result->front();
  }

  ScratchDir dir_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(WatchArchiveTest, TheWatchListFollowsItsEvents) {
  ASSERT_TRUE(
      Append(WatchEvent(WatchedEvent{kUrl, WatchKind::kPage, 0, "news", ""}, kUrl, "add")).ok());
  ASSERT_TRUE(Append(Check(CheckOutcome::kUnchanged, kT0, "v1")).ok());
  ASSERT_TRUE(Append(Check(CheckOutcome::kNotModified, kT0 + kMinute, "v2")).ok());
  ASSERT_TRUE(Append(Check(CheckOutcome::kFailed, kT0 + 2 * kMinute, "v3")).ok());

  auto watches = archive_->Watches();
  ASSERT_TRUE(watches.ok());
  ASSERT_EQ(watches->size(), 1u);
  const WatchInfo& w = watches->front();
  EXPECT_EQ(w.id, WatchStreamId(kUrl));
  EXPECT_EQ(w.url, kUrl);
  EXPECT_EQ(w.source, "news");
  EXPECT_EQ(w.checks, 3u);
  EXPECT_EQ(w.not_modified, 1u);
  EXPECT_EQ(w.failures, 1u);
  EXPECT_EQ(w.consecutive_failures, 1u);
  EXPECT_EQ(w.last_outcome, CheckOutcome::kFailed);
  EXPECT_EQ(w.last_check_at, kT0 + 2 * kMinute);
  // A failure keeps the validators of the last answer; a 304 keeps those it confirmed.
  EXPECT_EQ(w.etag, "\"v1\"");
  EXPECT_EQ(w.version, 4u);

  // Any spelling of the address finds it.
  auto found = archive_->GetWatch("http://NEWS.example/2024/03/story/?utm_source=x");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, w.id);

  ASSERT_TRUE(Append(WatchEvent(UnwatchedEvent{kUrl}, kUrl, "remove")).ok());
  watches = archive_->Watches();
  ASSERT_TRUE(watches.ok());
  EXPECT_TRUE(watches->empty());
  EXPECT_TRUE(archive_->GetWatch(kUrl).status().IsNotFound());
  // The stream keeps everything.
  auto stream = archive_->ReadStream(WatchStreamId(kUrl));
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(stream->size(), 5u);
}

TEST_F(WatchArchiveTest, WatchEventsLiveOnlyInTheirOwnStream) {
  AppendRequest wrong = WatchEvent(WatchedEvent{kUrl, WatchKind::kPage, 0, "", ""}, kUrl, "x");
  wrong.event.doc_id = "some-article";
  EXPECT_EQ(Append(std::move(wrong)).status().code(), StatusCode::kInvalidArgument);
  AppendRequest capture = Capture(WatchStreamId(kUrl), ArticleText("story"));
  EXPECT_EQ(Append(std::move(capture)).status().code(), StatusCode::kInvalidArgument);
  auto head = archive_->Head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 0u);
}

TEST_F(WatchArchiveTest, OnlyIfRevisedRecordsNothingForTextAlreadyRecorded) {
  ASSERT_TRUE(Append(Capture("story", ArticleText("story"), kT0)).ok());
  // A page with the same article text (different bytes: a new time in the footer).
  AppendRequest again = Capture("story", ArticleText("story") + "\n\n", kT0 + kMinute);
  again.only_if_revised = true;
  auto refused = Append(std::move(again));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kConflict);
  EXPECT_EQ(refused.status().detail(), StatusDetail::kNoNewRevision);
  auto version = archive_->StreamVersion("story");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 1u);

  // In a batch of AppendEach the others still commit.
  std::vector<AppendRequest> batch;
  AppendRequest same = Capture("story", ArticleText("story") + " ", kT0 + 2 * kMinute);
  same.only_if_revised = true;
  batch.push_back(std::move(same));
  AppendRequest revised = Capture("story", ArticleText("story-corrected"), kT0 + 3 * kMinute);
  revised.only_if_revised = true;
  batch.push_back(std::move(revised));
  auto results = archive_->AppendEach(std::move(batch));
  ASSERT_TRUE(results.ok());
  EXPECT_EQ((*results)[0].status().detail(), StatusDetail::kNoNewRevision);
  ASSERT_TRUE((*results)[1].ok());
  EXPECT_EQ((*results)[1]->outcome, AppendOutcome::kRevised);
  version = archive_->StreamVersion("story");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 2u);
}

TEST_F(WatchArchiveTest, ReplayRebuildsTheSameWatchList) {
  ASSERT_TRUE(
      Append(WatchEvent(WatchedEvent{kUrl, WatchKind::kPage, 600, "news", ""}, kUrl, "a")).ok());
  ASSERT_TRUE(Append(Check(CheckOutcome::kCaptured, kT0, "v1")).ok());
  auto before = archive_->Watches();
  ASSERT_TRUE(before.ok());
  auto replay = archive_->Replay();
  ASSERT_TRUE(replay.ok()) << replay.status().message();
  EXPECT_TRUE(replay->identical());
  EXPECT_EQ(replay->databases.count("watches"), 1u);
  auto after = archive_->Watches();
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().captures, 1u);
  EXPECT_EQ(after->front().first_capture_at, kT0);
  auto verify = archive_->Verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok());
}

}  // namespace
}  // namespace palimpsest::testing
