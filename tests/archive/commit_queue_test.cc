// CommitQueue: concurrent writers through one queue (also run under ThreadSanitizer).

#include "palimpsest/commit_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>
#include <thread>
#include <vector>

#include "archive/archive_test_util.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

// Eight threads write ten captures each to one shared document and one of their own: every
// write gets a distinct seq, the shared document's versions are each handed out once, and an
// expected version already used is a conflict that writes nothing.
TEST(CommitQueueTest, ConcurrentWritersEachGetTheirOwnOutcome) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  CommitQueue queue(*archive, 16);
  std::vector<std::future<std::vector<AppendResult>>> writers;
  for (int t = 0; t < 8; ++t) {
    writers.push_back(std::async(std::launch::async, [&queue, t] {
      std::vector<AppendResult> results;
      for (int i = 0; i < 10; ++i) {
        const std::string tag = std::to_string(t) + "-" + std::to_string(i);
        for (const std::string& doc : {std::string("shared"), "own" + std::to_string(t)}) {
          auto r = queue.Append(
              Capture(doc, ArticleText(doc + tag), 1'700'000'000'000'000 + t * 1000 + i));
          EXPECT_TRUE(r.ok()) << r.status().message();
          if (r.ok()) results.push_back(*r);
        }
      }
      return results;
    }));
  }
  std::set<uint64_t> seqs, shared_versions;
  for (auto& w : writers) {
    for (const AppendResult& r : w.get()) {
      EXPECT_TRUE(seqs.insert(r.seq).second) << "seq " << r.seq << " handed out twice";
      if (r.doc_id == "shared") {
        EXPECT_TRUE(shared_versions.insert(r.version).second) << "version " << r.version;
      }
    }
  }
  EXPECT_EQ(seqs.size(), 160u);
  EXPECT_EQ(shared_versions.size(), 80u);
  EXPECT_EQ(queue.requests(), 160u);
  EXPECT_LE(queue.commits(), 160u);

  AppendRequest stale = Capture("shared", ArticleText("stale"), 1'800'000'000'000'000);
  stale.expected_version = 1;
  auto conflict = queue.Append(std::move(stale));
  ASSERT_FALSE(conflict.ok());
  EXPECT_TRUE(conflict.status().IsConflict());
  EXPECT_EQ(archive->Head()->seq, 160u);
}

// A batch commits in one transaction after what was queued before it; a request at fault
// fails alone.
TEST(CommitQueueTest, ABatchCommitsInOrderAndARequestAtFaultFailsAlone) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  CommitQueue queue(*archive, 4);
  ASSERT_TRUE(queue.Append(Capture("first", ArticleText("first"))).ok());
  std::vector<AppendRequest> batch;
  batch.push_back(Capture("a", ArticleText("a")));
  AppendRequest bad = Capture("b", ArticleText("b"));
  bad.expected_version = 7;  // "b" has no events
  batch.push_back(std::move(bad));
  batch.push_back(Capture("c", ArticleText("c")));
  std::promise<Result<std::vector<Result<AppendResult>>>> done;
  auto outcome = done.get_future();
  queue.SubmitBatch(std::move(batch), [&done](Result<std::vector<Result<AppendResult>>> r) {
    done.set_value(std::move(r));
  });
  auto results = outcome.get();
  ASSERT_TRUE(results.ok()) << results.status().message();
  ASSERT_EQ(results->size(), 3u);
  ASSERT_TRUE((*results)[0].ok());
  EXPECT_EQ((*results)[0]->seq, 2u);
  EXPECT_FALSE((*results)[1].ok());
  ASSERT_TRUE((*results)[2].ok());
  EXPECT_EQ((*results)[2]->seq, 3u);
  EXPECT_EQ(queue.commits(), 2u);
}

}  // namespace
}  // namespace palimpsest::testing
