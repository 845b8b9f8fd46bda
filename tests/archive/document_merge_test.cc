// Merges through the Archive API: a redirect from one document's address to another's shows
// they are one article. The archive records a merge event right after it; the surviving
// document holds both histories in capture order, the merged-away id resolves to it (reads and
// appends), nobody may append a merge by hand, and replay derives the same.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "archive/archive_test_util.h"
#include "palimpsest/archive.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kOldUrl = "https://news.example/2024/03/old-slug";
constexpr const char* kNewUrl = "https://news.example/2024/03/new-slug";

AppendRequest CaptureAt(const std::string& doc, const std::string& url, const std::string& tag,
                        int day) {
  AppendRequest r = Capture(doc, ArticleText(tag), kMarch1 + day * kDay);
  std::get<CapturedEvent>(r.event.body).url = url;
  return r;
}

AppendRequest RedirectAt(const std::string& doc, const std::string& from, const std::string& to,
                         int day) {
  AppendRequest r;
  r.event.id = DeriveEventId({"test-redirect", doc, from, to});
  r.event.doc_id = doc;
  r.event.actor = "test";
  r.event.body = RedirectedEvent{from, to, 301, kMarch1 + day * kDay, ""};
  return r;
}

class MergeArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override { archive_ = OpenOrDie(TestOptions(dir_.Join("data"))); }

  Result<AppendResult> Append(AppendRequest request) {
    std::vector<AppendRequest> one;
    one.push_back(std::move(request));
    auto result = archive_->Append(std::move(one));
    if (!result.ok()) return result.status();
    return result->front();
  }
  // Two documents, "old" (days 1 and 5) and "new" (day 3), then the redirect joining them.
  AppendResult TwoDocumentsJoined() {
    for (auto request :
         {CaptureAt("old", kOldUrl, "first", 1), CaptureAt("new", kNewUrl, "second", 3),
          CaptureAt("old", kOldUrl, "third", 5)}) {
      EXPECT_TRUE(Append(std::move(request)).ok());
    }
    auto redirect = Append(RedirectAt("old", kOldUrl, kNewUrl, 8));
    EXPECT_TRUE(redirect.ok()) << redirect.status().message();
    return redirect.ok() ? *redirect : AppendResult{};
  }

  ScratchDir dir_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(MergeArchiveTest, ARedirectBetweenTwoDocumentsMergesThemInCaptureOrder) {
  const AppendResult redirect = TwoDocumentsJoined();
  EXPECT_EQ(redirect.doc_id, "old");
  EXPECT_EQ(redirect.merged_into, "new");

  auto resolved = archive_->ResolveDocument("old");
  ASSERT_TRUE(resolved.ok()) << resolved.status().message();
  EXPECT_EQ(resolved->id, "new");
  ASSERT_EQ(resolved->merges.size(), 1u);
  EXPECT_EQ(resolved->merges[0].from, "old");
  EXPECT_EQ(resolved->merges[0].seq, redirect.seq + 1);

  auto log = archive_->ReadLog(redirect.seq, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u) << "the merge follows the redirect";
  EXPECT_EQ(log->front().doc_id, "new");
  EXPECT_EQ(std::get<MergedEvent>(log->front().body), (MergedEvent{"old", redirect.seq}));

  auto history = archive_->History("old");
  ASSERT_TRUE(history.ok()) << history.status().message();
  ASSERT_EQ(history->size(), 3u);
  std::vector<std::string> from;
  for (const RevisionInfo& r : *history) {
    EXPECT_EQ(r.rev, static_cast<uint32_t>(&r - history->data() + 1));
    from.push_back(r.merged_from);
  }
  EXPECT_EQ(from, (std::vector<std::string>{"old", "", "old"}));
  EXPECT_EQ((*history)[1].kind, "update") << "no longer the original";
  auto doc = archive_->GetDocument("old", RevisionSelector{});
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->id, "new");
  EXPECT_EQ(doc->revision.rev, 3u);
  auto list = archive_->ListDocuments(ListFilter{});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);

  auto replay = archive_->Replay();
  ASSERT_TRUE(replay.ok()) << replay.status().message();
  EXPECT_TRUE(replay->identical());
}

TEST_F(MergeArchiveTest, TheMergedAwayIdTakesAppendsButNoExpectedVersionNorAHandMadeMerge) {
  TwoDocumentsJoined();
  auto later = Append(CaptureAt("old", "", "fourth", 9));
  ASSERT_TRUE(later.ok()) << later.status().message();
  EXPECT_EQ(later->doc_id, "new");
  EXPECT_EQ(later->rev, 4u);

  AppendRequest stale = CaptureAt("old", "", "fifth", 10);
  stale.expected_version = 2;
  EXPECT_EQ(Append(std::move(stale)).status().code(), StatusCode::kConflict);

  AppendRequest merge;
  merge.event.id = DeriveEventId({"test-merge"});
  merge.event.doc_id = "new";
  merge.event.body = MergedEvent{"other", 1};
  EXPECT_EQ(Append(std::move(merge)).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(MergeArchiveTest, ARedirectWithinOneDocumentOrToAnUnknownAddressMergesNothing) {
  ASSERT_TRUE(Append(CaptureAt("new", kNewUrl, "second", 3)).ok());
  auto same = Append(RedirectAt("new", kOldUrl, kNewUrl, 4));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->merged_into, "");
  auto unknown = Append(RedirectAt("new", kNewUrl, "https://news.example/elsewhere", 5));
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->merged_into, "");
  auto head = archive_->Head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 3u) << "no merge event";
}

TEST_F(MergeArchiveTest, TheChangeFeedFollowsAnEffectiveTimeTheMergeReDerived) {
  // Alone, the new address's first capture is an original in effect from its publication date;
  // once the old slug's earlier capture precedes it, it is an update in effect when captured.
  AppendRequest published = CaptureAt("new", kNewUrl, "second", 3);
  auto& captured = std::get<CapturedEvent>(published.event.body);
  captured.fields = {{"published_at", "2024-02-20T00:00:00Z"}};
  published.event.id = DeriveEventId({"test-published"});
  ASSERT_TRUE(Append(std::move(published)).ok());
  ASSERT_TRUE(Append(CaptureAt("old", kOldUrl, "first", 1)).ok());
  auto on_axis = [&](Timestamp since, Timestamp until) {
    ChangeFilter filter;
    filter.axis = TimeAxis::kEffective;
    filter.since = since;
    filter.until = until;
    auto changes = archive_->Changes(filter);
    EXPECT_TRUE(changes.ok()) << changes.status().message();
    std::vector<std::string> ids;
    for (const ChangeEntry& e : changes.ok() ? *changes : std::vector<ChangeEntry>{}) {
      ids.push_back(e.id + "@" + std::to_string(e.rev));
    }
    return ids;
  };
  const Timestamp feb20 = kMarch1 - 10 * kDay;
  EXPECT_EQ(on_axis(feb20, feb20 + kDay), (std::vector<std::string>{"new@1"}));

  ASSERT_TRUE(Append(RedirectAt("old", kOldUrl, kNewUrl, 8)).ok());
  auto history = archive_->History("new");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].kind, "update");
  EXPECT_EQ((*history)[1].effective_at, kMarch1 + 3 * kDay);
  EXPECT_TRUE(on_axis(feb20, feb20 + kDay).empty());
  EXPECT_EQ(on_axis(kMarch1 + 3 * kDay, kMarch1 + 4 * kDay), (std::vector<std::string>{"new@2"}));
  auto replay = archive_->Replay();
  ASSERT_TRUE(replay.ok()) << replay.status().message();
  EXPECT_TRUE(replay->identical());
}

}  // namespace
}  // namespace palimpsest::testing
