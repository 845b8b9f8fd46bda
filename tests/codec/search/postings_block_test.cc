// Postings blocks: what is written reads back, malformed bytes are Corruption, and block ends
// depend on stream numbers alone.

#include "codec/search/postings_block.h"

#include <gtest/gtest.h>

namespace palimpsest {
namespace {

std::string Encode(uint32_t first, const std::vector<StreamPostings>& entries) {
  std::string block;
  uint32_t previous = first;
  for (const StreamPostings& e : entries) {
    AppendPostingsEntry(previous, e.stream, e.runs, &block);
    previous = e.stream;
  }
  return block;
}

TEST(PostingsBlockTest, EntriesReadBackAsWritten) {
  const std::vector<StreamPostings> entries = {
      {7, {{1, 0}}},
      {8, {{1, 3}, {5, 6}, {200, 0}}},
      {300000, {{2, 100000}}},
      {UINT32_MAX, {{UINT32_MAX - 1, 0}}},
  };
  const std::string block = Encode(7, entries);
  EXPECT_LT(block.size(), 40u) << "a few bytes per entry";
  auto decoded = DecodePostingsBlock(block, 7);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ASSERT_EQ(decoded->size(), entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ((*decoded)[i].stream, entries[i].stream);
    EXPECT_EQ((*decoded)[i].runs, entries[i].runs);
  }
  EXPECT_TRUE(DecodePostingsBlock("", 1)->empty());
}

TEST(PostingsBlockTest, MalformedBlocksAreCorruption) {
  const std::string good = Encode(5, {{5, {{1, 2}, {4, 0}}}, {9, {{3, 0}}}});
  std::vector<std::string> bad = {
      good.substr(0, good.size() - 1),             // cut short
      std::string("\x01\x01\x01\x00", 4),          // the first entry is not the key's stream
      std::string("\x00\x00", 2),                  // no runs
      std::string("\x00\x05\x01\x00", 4),          // more runs than bytes
      std::string("\x00\x02\x01\x00\x01\x00", 6),  // an open run before the last
      std::string("\x00\x01\x00\x00", 4),          // a run starting at revision 0
      std::string("\x00\x02\x01\x01\x00\x00", 6),  // runs that touch
      std::string("\x00\x01\xff\xff\xff\xff\x7f\x00", 8),  // beyond 32 bits
  };
  // A second entry with no stream delta repeats the stream.
  bad.push_back(good.substr(0, 6) + std::string("\x00\x01\x03\x00", 4));
  for (const std::string& bytes : bad) {
    auto decoded = DecodePostingsBlock(bytes, 5);
    EXPECT_FALSE(decoded.ok()) << "accepted " << ::testing::PrintToString(bytes);
    if (!decoded.ok()) {
      EXPECT_TRUE(decoded.status().IsCorruption());
    }
  }
}

TEST(PostingsBlockTest, AboutOneStreamInTwoHundredFiftySixEndsABlock) {
  int boundaries = 0;
  for (uint32_t s = 1; s <= 256 * 1000; ++s) boundaries += IsBlockBoundary(s) ? 1 : 0;
  EXPECT_GT(boundaries, 500);
  EXPECT_LT(boundaries, 2000);
  EXPECT_EQ(IsBlockBoundary(12345), IsBlockBoundary(12345)) << "a function of the number alone";
}

}  // namespace
}  // namespace palimpsest
