// InputStream: plain, gzip (one and several members), zstd (several frames), standard-input
// style istreams, chunked reads of large inputs, and damaged or truncated compressed data.

#include "palimpsest/input_stream.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>
#include <vector>

#include "codec/io/string_stream.h"
#include "test_util.h"

namespace palimpsest {
namespace {

using testing::ReadFileOrDie;
using testing::ScratchDir;
using testing::WriteFileOrDie;

std::string ReadAll(InputStream& in, size_t chunk = 1000) {
  std::string out(chunk, '\0');
  std::string all;
  for (;;) {
    auto got = in.Read(out.data(), out.size());
    EXPECT_TRUE(got.ok()) << got.status().message();
    if (!got.ok() || *got == 0) break;
    all.append(out.data(), *got);
  }
  return all;
}

// Compresses `data` with the command-line tool `cmd` ("gzip -c", "zstd -q -c").
std::string Compress(const ScratchDir& dir, const std::string& data, const std::string& cmd,
                     const std::string& name) {
  const std::string in = dir.Join(name + ".in");
  const std::string out = dir.Join(name + ".out");
  WriteFileOrDie(in, data);
  const std::string line = cmd + " < '" + in + "' > '" + out + "'";
  EXPECT_EQ(std::system(line.c_str()), 0) << line;
  return ReadFileOrDie(out);
}

std::string BigText() {
  std::string s;
  for (int i = 0; i < 100000; ++i) s += "line " + std::to_string(i) + " of the test input\n";
  return s;
}

TEST(InputStreamTest, PlainFileReadsInChunks) {
  ScratchDir dir;
  const std::string data = BigText();
  WriteFileOrDie(dir.Join("a.txt"), data);
  auto in = InputStream::OpenFile(dir.Join("a.txt"));
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_EQ((*in)->compression(), Compression::kNone);
  EXPECT_EQ(ReadAll(**in, 4096), data);
  EXPECT_EQ((*in)->position(), data.size());
  EXPECT_EQ((*in)->source_bytes(), data.size());
}

TEST(InputStreamTest, GzipSingleAndMultiMember) {
  ScratchDir dir;
  const std::string a = BigText();
  const std::string b = "second member\n";
  const std::string gz_a = Compress(dir, a, "gzip -c", "a");
  const std::string gz_b = Compress(dir, b, "gzip -c", "b");
  WriteFileOrDie(dir.Join("one.gz"), gz_a);
  WriteFileOrDie(dir.Join("two.gz"), gz_a + gz_b + gz_b);
  auto one = InputStream::OpenFile(dir.Join("one.gz"));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ((*one)->compression(), Compression::kGzip);
  EXPECT_EQ(ReadAll(**one, 777), a);
  EXPECT_EQ((*one)->source_bytes(), gz_a.size());
  auto two = InputStream::OpenFile(dir.Join("two.gz"));
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(ReadAll(**two), a + b + b) << "every gzip member is read";
}

TEST(InputStreamTest, ZstdFramesAndIstream) {
  ScratchDir dir;
  const std::string a = BigText();
  const std::string z = Compress(dir, a, "zstd -q -c", "a");
  const std::string z2 = Compress(dir, "tail\n", "zstd -q -c", "b");
  std::istringstream stdin_like(z + z2);
  auto in = InputStream::OpenIstream(stdin_like, "stdin");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ((*in)->compression(), Compression::kZstd) << "recognized by magic, not by name";
  EXPECT_EQ(ReadAll(**in), a + "tail\n");
}

TEST(InputStreamTest, TruncatedZstdIsAnError) {
  ScratchDir dir;
  const std::string zst = Compress(dir, BigText(), "zstd -q -c", "b");
  auto in = OpenStringStream(zst.substr(0, zst.size() / 2), "cut");
  ASSERT_TRUE(in.ok());
  std::string buf(1 << 16, '\0');
  Status last;
  for (;;) {
    auto got = (*in)->Read(buf.data(), buf.size());
    if (!got.ok()) {
      last = got.status();
      break;
    }
    if (*got == 0) break;
  }
  EXPECT_EQ(last.code(), StatusCode::kCorruption) << "a cut stream must not look complete";
  EXPECT_NE(last.message().find("truncated"), std::string::npos) << last.message();
}

// Issue #12 finding 8: a truncated gzip stream delivers what was decoded and reports the rest
// as skipped; a damaged member is skipped and reading resumes at the next member.
TEST(InputStreamTest, TruncatedGzipDeliversWhatWasDecodedAndReportsTheRest) {
  ScratchDir dir;
  const std::string text = BigText();
  const std::string gz = Compress(dir, text, "gzip -c", "a");
  const std::string cut = gz.substr(0, gz.size() / 2);
  auto in = OpenStringStream(cut, "cut");
  ASSERT_TRUE(in.ok());
  const std::string got = ReadAll(**in);
  EXPECT_GT(got.size(), text.size() / 4);
  EXPECT_EQ(text.substr(0, got.size()), got) << "what was decoded, exactly";
  std::vector<SkippedInput> skipped = (*in)->TakeSkipped();
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].begin, 0u);
  EXPECT_EQ(skipped[0].end, cut.size());
  EXPECT_EQ(skipped[0].position, got.size());
  EXPECT_TRUE((*in)->TakeSkipped().empty()) << "taken once";
}

TEST(InputStreamTest, ADamagedGzipMemberIsSkippedAndReadingResumesAtTheNext) {
  ScratchDir dir;
  std::string all, expected;
  std::vector<size_t> at;
  for (int i = 0; i < 30; ++i) {
    std::string part;
    for (int j = 0; j < 200; ++j)
      part += "member " + std::to_string(i) + " line " + std::to_string(j * 31 + i) + "\n";
    at.push_back(all.size());
    all += Compress(dir, part, "gzip -c", "m" + std::to_string(i));
    if (i != 12) expected += part;
  }
  at.push_back(all.size());
  for (size_t p = at[12] + 40; p < at[12] + 60; ++p) all[p] = static_cast<char>(all[p] ^ 0x5a);
  auto in = OpenStringStream(all, "damaged.gz");
  ASSERT_TRUE(in.ok());
  std::string got = ReadAll(**in, 333);
  std::vector<SkippedInput> skipped = (*in)->TakeSkipped();
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].begin, at[12]);
  EXPECT_EQ(skipped[0].end, at[13]);
  // Whatever member 12 gave before zlib noticed comes at the gap; every other member is whole.
  const size_t gap = got.size() - expected.size();
  EXPECT_EQ(got.substr(0, skipped[0].position - gap),
            expected.substr(0, skipped[0].position - gap));
  EXPECT_EQ(got.substr(skipped[0].position), expected.substr(skipped[0].position - gap));
}

TEST(InputStreamTest, MissingFileAndSuffixes) {
  auto in = InputStream::OpenFile("/nonexistent/x.jsonl");
  EXPECT_EQ(in.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(StripCompressionSuffix("a/b.warc.gz"), "a/b.warc");
  EXPECT_EQ(StripCompressionSuffix("b.jsonl.zst"), "b.jsonl");
  EXPECT_EQ(StripCompressionSuffix("b.txt"), "b.txt");
  auto empty = OpenStringStream("", "empty");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(ReadAll(**empty), "");
}

}  // namespace
}  // namespace palimpsest
