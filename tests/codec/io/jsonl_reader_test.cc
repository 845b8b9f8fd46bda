// JsonlReader (line numbers, blank lines, CRLF, over-long lines skipped in bounded memory) and
// ParseJsonlArticle (the import schema and its one-line errors).

#include "palimpsest/jsonl_reader.h"

#include <gtest/gtest.h>

#include "codec/io/string_stream.h"

namespace palimpsest {
namespace {

std::vector<JsonlLine> ReadLines(const std::string& text, size_t max = kDefaultMaxJsonlLineBytes) {
  auto in = OpenStringStream(text, "t");
  EXPECT_TRUE(in.ok());
  JsonlReader reader(**in, max);
  std::vector<JsonlLine> lines;
  JsonlLine line;
  for (;;) {
    auto more = reader.Next(&line);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    lines.push_back(line);
  }
  return lines;
}

TEST(JsonlReaderTest, LinesWithNumbersSkippingBlankOnes) {
  auto lines = ReadLines("{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":3}");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].number, 1u);
  EXPECT_EQ(lines[0].text, "{\"a\":1}");
  EXPECT_EQ(lines[1].number, 4u);
  EXPECT_EQ(lines[1].text, "{\"b\":2}") << "CR of CRLF removed";
  EXPECT_EQ(lines[2].number, 5u);
  EXPECT_EQ(lines[2].text, "{\"c\":3}") << "last line without newline";
}

TEST(JsonlReaderTest, OverLongLineIsReportedAndSkipped) {
  const std::string big(3 * 1024 * 1024, 'x');  // spans several read chunks
  auto lines = ReadLines("{\"a\":1}\n" + big + "\n{\"b\":2}\n", 1024 * 1024);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_FALSE(lines[0].too_long);
  EXPECT_TRUE(lines[1].too_long);
  EXPECT_EQ(lines[1].number, 2u);
  EXPECT_EQ(lines[1].length, big.size());
  EXPECT_TRUE(lines[1].text.empty()) << "never held whole";
  EXPECT_EQ(lines[2].text, "{\"b\":2}");
  EXPECT_EQ(lines[2].number, 3u);
}

TEST(JsonlArticleTest, BodyRecordWithEveryField) {
  auto a = ParseJsonlArticle(
      R"({"id":"d1","url":"https://x.org/a","source":"x","title":"T","byline":"A B",)"
      R"("published_at":"2024-01-01","updated_at":"2024-01-02T10:00:00+02:00","body":"P1\n\nP2",)"
      R"("captured_at":"2024-01-03T00:00:00Z","effective_at":"2024-01-02","note":"Fixed.",)"
      R"("kind":"correction","rev":7})");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->id, "d1");
  EXPECT_EQ(a->url, "https://x.org/a");
  EXPECT_EQ(a->source, "x");
  EXPECT_TRUE(a->has_body);
  EXPECT_EQ(a->body, "P1\n\nP2");
  EXPECT_EQ(a->title, "T");
  EXPECT_EQ(a->byline, "A B");
  EXPECT_EQ(FormatTimestamp(a->published_at), "2024-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(a->updated_at), "2024-01-02T08:00:00Z");
  EXPECT_EQ(FormatTimestamp(a->captured_at), "2024-01-03T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(a->effective_at), "2024-01-02T00:00:00Z");
  EXPECT_EQ(a->note, "Fixed.");
  EXPECT_EQ(a->kind, "correction");
}

TEST(JsonlArticleTest, RawRecordDefaultsToPlainText) {
  auto a =
      ParseJsonlArticle(R"({"url":"https://x.org/a","raw":"<p>x</p>","media_type":"text/html"})");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->has_body);
  EXPECT_EQ(a->raw, "<p>x</p>");
  EXPECT_EQ(a->media_type, "text/html");
  EXPECT_EQ(a->captured_at, kNoTime);
  auto b = ParseJsonlArticle(R"({"id":"a","raw":"text","title":null})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->media_type, "text/plain");
}

TEST(JsonlArticleTest, BadRecordsSayWhy) {
  struct Case {
    std::string line;
    std::string why;
  };
  const std::vector<Case> cases = {
      {"{\"id\":\"a\",\"body\":", "invalid JSON"},
      {"[1,2]", "JSON object"},
      {R"({"body":"x"})", "'id' or 'url'"},
      {R"({"id":"a"})", "'body' or 'raw'"},
      {R"({"id":"a","body":"x","raw":"y"})", "not both"},
      {R"({"id":"a","body":"  "})", "empty"},
      {R"({"id":5,"body":"x"})", "'id' must be a string"},
      {R"({"id":"a","body":"x","captured_at":"yesterday"})", "captured_at"},
      {R"({"id":"a","body":"x","kind":"oops"})", "kind"},
      {R"({"id":"a","body":"x","media_type":"text/html"})", "media_type"},
      {"{\"id\":\"a\",\"body\":\"caf\xc3\"}", "invalid UTF-8"},
      {"{\"id\":\"a\",\"body\":\"\xed\xa0\x80\"}", "invalid UTF-8"},
  };
  for (const Case& c : cases) {
    auto a = ParseJsonlArticle(c.line);
    ASSERT_FALSE(a.ok()) << c.line;
    EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(a.status().message().find(c.why), std::string::npos)
        << c.line << " → " << a.status().message();
    EXPECT_EQ(a.status().message().find('\n'), std::string::npos) << "one line";
  }
}

TEST(JsonlArticleTest, Utf8Validation) {
  size_t bad = 0;
  EXPECT_TRUE(IsValidUtf8("plain ascii, caf\xc3\xa9, \xe2\x80\x94, \xf0\x9f\x93\xb0", &bad));
  EXPECT_FALSE(IsValidUtf8("ab\xc0\xaf", &bad));  // overlong
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80", &bad));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("x\xe2\x80", &bad));         // cut short
  EXPECT_EQ(bad, 1u);
}

}  // namespace
}  // namespace palimpsest
