// zstd compression of stored content: frames against a reference, and dictionaries trained on a
// source's pages.

#include "codec/compression.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace palimpsest {
namespace {

// A page of a site whose template (head, navigation, footer) every page shares, around an
// article of its own.
std::string TemplatedPage(int n) {
  std::string page = "<html><head><title>Story " + std::to_string(n) + " | The Daily Example";
  page += "</title><style>";
  for (int i = 0; i < 60; ++i) {
    page += ".rule" + std::to_string(i) + "{margin:" + std::to_string(i % 7) + "px;color:#" +
            std::to_string(100000 + i * 7919) + "}";
  }
  page += "</style></head><body><nav>";
  for (const char* section : {"world", "politics", "business", "science", "culture", "sport"}) {
    page += "<a href=\"https://daily.example/" + std::string(section) + "/\">" + section + "</a>";
  }
  page += "</nav><article><h1>Story " + std::to_string(n) + "</h1>";
  for (int p = 0; p < 6; ++p) {
    page += "<p>Paragraph " + std::to_string(p) + " of story " + std::to_string(n * 31 + p) +
            " says what happened on day " + std::to_string(n % 29) + ".</p>";
  }
  page += "</article><footer>About us | Contact | Privacy | Terms | Corrections policy";
  page += "</footer></body></html>";
  return page;
}

TEST(CompressionTest, FramesAgainstAReferenceRoundTrip) {
  const std::string reference = TemplatedPage(1);
  const std::string text = TemplatedPage(2);
  const std::string frame = ZstdCompress(text, reference);
  EXPECT_LT(frame.size(), ZstdCompress(text).size());
  auto back = ZstdDecompress(frame, reference);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, text);
  EXPECT_TRUE(ZstdDecompress("not a frame").status().IsCorruption());
}

TEST(CompressionTest, ADictionaryTrainedOnASitesPagesShrinksItsOtherPages) {
  std::vector<std::string> samples;
  for (int n = 0; n < 32; ++n) samples.push_back(TemplatedPage(n));
  const std::string trained = TrainZstdDictionary(samples, 8 << 10);
  ASSERT_FALSE(trained.empty());
  auto dictionary = ZstdDictionary::Load(trained);
  ASSERT_TRUE(dictionary.ok()) << dictionary.status().message();
  for (int n = 100; n < 110; ++n) {
    const std::string page = TemplatedPage(n);
    const std::string frame = (*dictionary)->Compress(page);
    EXPECT_LT(frame.size() * 2, ZstdCompress(page).size()) << n;
    auto back = (*dictionary)->Decompress(frame);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(*back, page);
    // Without the dictionary the frame does not decode.
    EXPECT_TRUE(ZstdDecompress(frame).status().IsCorruption());
  }
}

TEST(CompressionTest, BytesThatAreNoDictionaryAreRefused) {
  EXPECT_TRUE(ZstdDictionary::Load("").status().IsCorruption());
  EXPECT_TRUE(ZstdDictionary::Load(TemplatedPage(1)).status().IsCorruption());
  // Too few samples to train on: no dictionary rather than a useless one.
  EXPECT_TRUE(TrainZstdDictionary({"a", "b"}, 4 << 10).empty());
}

}  // namespace
}  // namespace palimpsest
