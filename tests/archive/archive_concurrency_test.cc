// Readers and a writer of one Archive on different threads (also run under ThreadSanitizer).

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "archive/archive_test_util.h"
#include "palimpsest/archive.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

TEST(ArchiveConcurrencyTest, ReadersSeeConsistentSnapshotsWhileWriting) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::thread reader([&] {
    while (!done) {
      auto head = archive->Head();
      auto log = archive->ReadLog(0, 100000);
      if (!head.ok() || !log.ok()) {
        ++failures;
        continue;
      }
      // A later snapshot holds at least the earlier head, and its chain is intact.
      if (log->size() < head->seq) ++failures;
      for (size_t i = 1; i < log->size(); ++i) {
        if ((*log)[i].prev_hash != EventHash(EncodeEvent((*log)[i - 1]))) ++failures;
      }
    }
  });
  for (int b = 0; b < 20; ++b) {
    std::vector<AppendRequest> batch;
    for (int i = 0; i < 10; ++i)
      batch.push_back(Capture("d" + std::to_string(i), ArticleText(std::to_string(b * 10 + i))));
    ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  }
  done = true;
  reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(archive->Head()->seq, 200u);
}

}  // namespace
}  // namespace palimpsest::testing
