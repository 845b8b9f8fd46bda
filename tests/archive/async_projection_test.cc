// Asynchronous projections: appends never wait for them; CatchUp brings them to the head in
// bounded steps; verify tolerates the lag; replay rebuilds them identically.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "archive/archive_test_util.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

TEST(AsyncProjectionTest, ChangeSummariesFollowTheLog) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  const std::string v1 = ArticleText("harbor", 4);
  std::string v2 = v1;
  v2.replace(v2.find("what happened"), 13, "what really happened");
  for (const std::string* text : std::vector<const std::string*>{&v1, &v2}) {
    std::vector<AppendRequest> batch;
    batch.push_back(Capture("doc", *text, text == &v1 ? 1 : 2));
    ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  }
  auto history = archive->History("doc");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].change_summary, "") << "not computed before CatchUp";
  EXPECT_TRUE(archive->Verify()->ok()) << "a lagging asynchronous projection is not a problem";

  auto step = archive->CatchUp(1);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(*step, 1u);
  auto rest = archive->CatchUp(UINT64_MAX);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(*rest, 1u);
  EXPECT_EQ(*archive->CatchUp(UINT64_MAX), 0u) << "already at the head";

  history = archive->History("doc");
  const std::string& summary = (*history)[1].change_summary;
  EXPECT_NE(summary.find("\"words_added\":1"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"sentences\":1"), std::string::npos) << summary;

  auto report = archive->Replay();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->identical());
  EXPECT_TRUE(report->databases.count("change_summaries"));
}

// CatchUp works in transactions of 256 events, preparing the next while it applies one: any
// bound is honoured, the head ends it early, and the result is what replay derives.
TEST(AsyncProjectionTest, CatchUpHonoursItsBoundAndStopsAtTheHead) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  std::vector<AppendRequest> batch;
  for (int i = 0; i < 300; ++i) {
    const std::string doc = "doc" + std::to_string(i % 40);
    batch.push_back(Capture(doc, ArticleText(doc + " take " + std::to_string(i / 40)), i));
  }
  ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  auto first = archive->CatchUp(280);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(*first, 280u);
  auto rest = archive->CatchUp(100);  // the head comes before the bound
  ASSERT_TRUE(rest.ok()) << rest.status().message();
  EXPECT_EQ(*rest, 20u);
  EXPECT_EQ(*archive->CatchUp(1000), 0u);
  SearchRequest request;
  request.query = "take";
  request.limit = 100;
  auto found = archive->Search(request);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->total, 40u);
  auto report = archive->Replay();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->identical());
}

// Replay prepares the search terms and change summaries a batch of 256 events ahead on a
// second thread while it rebuilds; readers keep reading the committed state meanwhile. Over
// three batches of captures and corrections the rebuild is byte-identical to the projections
// the appends and catch-up built, for the whole and for one projection alone.
TEST(AsyncProjectionTest, ReplayPreparedAheadIsIdenticalWhileReadersRead) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  std::vector<AppendRequest> batch;
  for (int i = 0; i < 700; ++i) {
    const std::string doc = "doc" + std::to_string(i % 60);
    batch.push_back(Capture(doc, ArticleText(doc + " take " + std::to_string(i / 60)), i));
  }
  ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  ASSERT_TRUE(archive->CatchUp(UINT64_MAX).ok());
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, failed_reads{0};
  std::thread reader([&] {
    SearchRequest request;
    request.query = "take";
    while (!done) {
      const bool ok = archive->Search(request).ok() && archive->GetDocument("doc7", {}).ok();
      (ok ? reads : failed_reads)++;
    }
  });
  auto whole = archive->Replay();
  auto search_only = archive->ReplayProjections({"search"});
  done = true;
  reader.join();
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(whole->events_replayed, 700u);
  EXPECT_TRUE(whole->identical());
  ASSERT_TRUE(search_only.ok()) << search_only.status().message();
  EXPECT_TRUE(search_only->identical());
  EXPECT_EQ(failed_reads, 0);
  SearchRequest request;
  request.query = "take";
  request.limit = 100;
  auto found = archive->Search(request);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->total, 60u);
  EXPECT_TRUE(archive->Verify()->ok());
}

}  // namespace
}  // namespace palimpsest::testing
