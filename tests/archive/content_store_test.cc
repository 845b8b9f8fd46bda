// Stored content round-trips byte-exactly through every codec: standalone, zstd, delta chains
// longer than the snapshot interval, and withheld (redacted) values.

#include <gtest/gtest.h>

#include <random>

#include "archive/archive_test_util.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

TEST(ContentStoreTest, EveryRevisionOfALongDeltaChainRoundTrips) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  std::mt19937 rng(11);
  std::string text = ArticleText("chain", 30);
  std::vector<std::string> versions;
  for (int i = 0; i < 40; ++i) {  // several times kMaxDeltaDepth
    size_t at = text.find(' ', rng() % text.size());
    if (at != std::string::npos) text.insert(at, " edit" + std::to_string(i));
    versions.push_back(text);
    std::vector<AppendRequest> batch;
    batch.push_back(Capture("doc", text, 1000 + i));
    ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  }
  // Tiny bodies and binary-looking bytes take the other codecs.
  for (const std::string& odd : {std::string("x"), std::string(5000, 'a')}) {
    std::vector<AppendRequest> batch;
    batch.push_back(Capture("odd" + std::to_string(odd.size()), odd + "\n\nbody text here.", 5));
    ASSERT_TRUE(archive->Append(std::move(batch)).ok());
    versions.push_back(odd + "\n\nbody text here.");
  }
  for (const std::string& v : versions) {
    auto bytes = archive->ReadContent(Sha256(v));
    ASSERT_TRUE(bytes.ok()) << bytes.status().message();
    EXPECT_EQ(*bytes, v);
  }
  auto history = archive->History("doc");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 40u);
  for (const RevisionInfo& r : *history) {
    RevisionSelector at;
    at.rev = r.rev;
    auto view = archive->GetDocument("doc", at);
    ASSERT_TRUE(view.ok());
    EXPECT_FALSE(view->content.body.empty());
  }
  auto report = archive->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_TRUE(archive->Replay()->identical());
}

TEST(ContentStoreTest, CorrectionsCostFarLessThanTheArticle) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  std::string text = Fixture("000_99c9495df02aabac.txt");
  std::vector<AppendRequest> first;
  first.push_back(Capture("doc", text, 1));
  ASSERT_TRUE(archive->Append(std::move(first)).ok());
  const uint64_t before = archive->Stats()->file_bytes;
  for (int i = 0; i < 50; ++i) {
    text.insert(text.find(' ', 500 + i * 120), " amended");  // one word per correction
    std::vector<AppendRequest> batch;
    batch.push_back(Capture("doc", text, 2 + i));
    ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  }
  const uint64_t after = archive->Stats()->file_bytes;
  // 50 full copies of an 8 KB page would be 400 KB; deltas stay far below that.
  EXPECT_LT(after - before, 50u * text.size() / 2)
      << "bytes per correction: " << (after - before) / 50;
}

}  // namespace
}  // namespace palimpsest::testing
