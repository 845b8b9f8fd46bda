// Plain-text pages in the charsets real crawls hold (issue #15): a UTF-8 page with a stray
// Latin-1 byte is recorded with U+FFFD in its place, a Latin-1 page without a declaration is
// read as windows-1252, a WARC text/plain response is read in the charset it declares — each
// recorded with a warning, exit 0 — while binary data still fails.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";

std::string Body(const CliArchive& a, const std::string& doc) {
  return Str(a.Json({"show", doc, "--json"}), "body");
}

TEST(TextCharsetTest, IngestRecordsAStrayByteAsAReplacementCharacter) {
  CliArchive a;
  const std::string path = a.Join("stray.txt");
  WriteFileOrDie(path, SampleArticle("Caf\xC3\xA9 owners meet", " The caf\xE9 stayed open."));
  RunResult r = a.Run({"ingest", path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "warning")) << Describe(r);
  const std::string body = Body(a, "stray");
  EXPECT_TRUE(Contains(body, "The caf" + kReplacement + " stayed open.")) << body;
  EXPECT_EQ(Str(a.Json({"show", "stray", "--json"}), "title"), "Caf\xC3\xA9 owners meet");
}

TEST(TextCharsetTest, ImportReadsLegacyTextAndFailsOnlyBinaryData) {
  CliArchive a;
  const std::string dir = a.Join("pages");
  std::filesystem::create_directories(dir);
  WriteFileOrDie(dir + "/stray.txt", SampleArticle("Harbour caf\xC3\xA9s", " A caf\xE9 closed."));
  WriteFileOrDie(dir + "/latin1.txt",
                 SampleArticle("D\xE9j\xE0 vu at the caf\xE9", " \x93Quoted,\x94 he said."));
  WriteFileOrDie(dir + "/binary.txt", SampleArticle() + std::string("\0\x01\x02", 3));
  RunResult r = a.Run({"import", dir, "--json", "--progress", "never"});
  EXPECT_EQ(r.exit_code, 6) << Describe(r);
  json::value s = ParseJson(r.out);
  EXPECT_EQ(Int(s, "documents_created"), 2) << Describe(r);
  EXPECT_EQ(Int(s, "failed"), 1) << "the binary file";
  EXPECT_EQ(Int(s, "warnings"), 2) << Describe(r);

  EXPECT_TRUE(Contains(Body(a, "stray"), "A caf" + kReplacement + " closed."));
  json::value latin1 = a.Json({"show", "latin1", "--json"});
  EXPECT_EQ(Str(latin1, "title"), "D\xC3\xA9j\xC3\xA0 vu at the caf\xC3\xA9");
  EXPECT_TRUE(Contains(Str(latin1, "body"), "\xE2\x80\x9CQuoted,\xE2\x80\x9D he said."))
      << "windows-1252 quotes";
  EXPECT_EQ(a.Run({"replay"}).exit_code, 0);
}

TEST(TextCharsetTest, AWarcTextResponseIsReadInTheCharsetItDeclares) {
  CliArchive a;
  const std::string page = SampleArticle("Caf\xE9 owners meet");
  const std::string block =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n\r\n" + page;
  WriteFileOrDie(a.Join("latin1.warc"),
                 "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
                 "WARC-Date: 2024-03-01T10:00:00Z\r\nWARC-Target-URI: http://example.org/cafe\r\n"
                 "Content-Length: " +
                     std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n");
  RunResult r = a.Run({"import", a.Join("latin1.warc"), "--json", "--progress", "never"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(Int(ParseJson(r.out), "warnings"), 0) << "declared, so read as it is";
  EXPECT_EQ(Str(a.Json({"show", "example.org_cafe", "--json"}), "title"),
            "Caf\xC3\xA9 owners meet");
}

}  // namespace
}  // namespace palimpsest::testing
