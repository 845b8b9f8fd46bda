// Charset detection and transcoding of HTML captures (codec/extract/html/html_charset.h).

#include "codec/extract/html/html_charset.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace palimpsest::html_internal {
namespace {

using ::testing::HasSubstr;

TEST(HtmlCharsetTest, ContentTypeParameter) {
  EXPECT_EQ(CharsetFromContentType("text/html; charset=ISO-8859-1"), "iso-8859-1");
  EXPECT_EQ(CharsetFromContentType("text/html;charset=\"Windows-1252\""), "windows-1252");
  EXPECT_EQ(CharsetFromContentType("text/html; q=1; Charset = utf-8 ; x=y"), "utf-8");
  EXPECT_EQ(CharsetFromContentType("text/html"), "");
  EXPECT_EQ(CharsetFromContentType(""), "");
  EXPECT_EQ(CharsetFromContentType("text/html; charset="), "");
}

TEST(HtmlCharsetTest, MetaDeclarations) {
  EXPECT_EQ(CharsetFromMeta("<html><head><meta charset=\"UTF-8\">"), "utf-8");
  EXPECT_EQ(CharsetFromMeta("<META CHARSET=iso-8859-2>"), "iso-8859-2");
  EXPECT_EQ(CharsetFromMeta("<meta http-equiv=\"Content-Type\" "
                            "content=\"text/html; charset=Shift_JIS\">"),
            "shift_jis");
  EXPECT_EQ(CharsetFromMeta("<meta name=\"viewport\" content=\"width=device-width\">"), "");
  EXPECT_EQ(CharsetFromMeta("<p>charset=utf-8</p>"), "");  // not in a <meta>
  // Only the first 4 KB are scanned. (Appended: GCC 12 reports a false -Warray-bounds for
  // `std::string(5000, ' ') + "..."`.)
  std::string late(5000, ' ');
  late += "<meta charset=\"koi8-r\">";
  EXPECT_EQ(CharsetFromMeta(late), "");
}

TEST(HtmlCharsetTest, Utf8Validity) {
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x80\x9C \xF0\x9F\x93\xB0"));
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));           // Latin-1 byte
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x80"));          // cut short
  EXPECT_EQ(ValidUtf8Prefix("ab\xC3\xA9\xFF"), 4u);
}

TEST(HtmlCharsetTest, Latin1DecodesAsWindows1252) {
  Result<Transcoded> r = TranscodeToUtf8("Jos\xE9 \x93hi\x94 \x80", "ISO-8859-1");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "Jos\u00E9 \u201Chi\u201D \u20AC");
}

TEST(HtmlCharsetTest, Windows1252UndefinedBytesAreC1Controls) {
  Result<Transcoded> r = TranscodeToUtf8(
      "a\x81"
      "b\x9D",
      "windows-1252");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "a\u0081b\u009D");
}

TEST(HtmlCharsetTest, OtherCharsetsThroughIconv) {
  Result<Transcoded> r = TranscodeToUtf8("\xB1\xB3\xBF", "ISO-8859-2");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "\u0105\u0142\u017C");  // ąłż
  r = TranscodeToUtf8("\x93\xFA\x96\x7B", "Shift_JIS");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "\u65E5\u672C");  // 日本
  r = TranscodeToUtf8("\xF0\xD2\xC1\xD7\xC4\xC1", "KOI8-R");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "\u041F\u0440\u0430\u0432\u0434\u0430");  // Правда
  r = TranscodeToUtf8(std::string("\xFF\xFEh\0i\0", 6), "utf-16le");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "hi");  // the BOM is dropped
}

TEST(HtmlCharsetTest, LongInputGrowsTheOutputBuffer) {
  std::string latin(100000, '\xE9');
  Result<Transcoded> r = TranscodeToUtf8(latin, "iso-8859-15");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text.size(), 200000u);
}

TEST(HtmlCharsetTest, UnknownCharsetNamesIt) {
  for (const char* label : {"x-klingon", "utf-9", "no such\"charset", ""}) {
    Result<Transcoded> r = TranscodeToUtf8("abc", label);
    ASSERT_FALSE(r.ok()) << label;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("unknown charset"));
    EXPECT_THAT(r.status().message(), HasSubstr(label));
  }
}

// Bytes invalid in the charset read as a browser shows them: U+FFFD, counted, never an error.
TEST(HtmlCharsetTest, InvalidBytesBecomeReplacementCharacters) {
  Result<Transcoded> r = TranscodeToUtf8("ok \xA1 bad", "ISO-8859-8");  // 0xA1 unassigned
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "ok \uFFFD bad");
  EXPECT_EQ(r->invalid_bytes, 1u);
  EXPECT_EQ(r->first_invalid, 3u);

  r = TranscodeToUtf8("ok \x82", "shift_jis");  // a lead byte cut off at the end
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "ok \uFFFD");

  r = TranscodeToUtf8("caf\xE9 ok", "utf-8");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "caf\uFFFD ok");
  EXPECT_EQ(r->first_invalid, 3u);
  // One U+FFFD per maximal ill-formed subsequence: E2 82 (a cut-short euro sign) is one,
  // C0 and AF are one each, ED A0 (a surrogate's start) is two.
  r = TranscodeToUtf8("a\xE2\x82z\xC0\xAFz\xED\xA0z", "utf-8");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "a\uFFFDz\uFFFD\uFFFDz\uFFFD\uFFFDz");
  EXPECT_EQ(r->invalid_bytes, 5u);
  r = TranscodeToUtf8("fine \xC3\xA9", "utf-8");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->invalid_bytes, 0u);
}

TEST(HtmlCharsetTest, DetectionOrder) {
  // Content-Type beats <meta>.
  Result<DecodedHtml> d =
      DecodeHtml("<meta charset=utf-8><p>\xE9</p>", "text/html; charset=iso-8859-1");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->charset, "iso-8859-1");
  EXPECT_EQ(d->text, "<meta charset=utf-8><p>\u00E9</p>");
  // <meta> when the header names no charset.
  d = DecodeHtml("<meta charset=iso-8859-2><p>\xB1</p>", "text/html");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->charset, "iso-8859-2");
  EXPECT_EQ(d->text, "<meta charset=iso-8859-2><p>\u0105</p>");
  // A BOM beats both, and is removed.
  d = DecodeHtml("\xEF\xBB\xBF<meta charset=iso-8859-2><p>\xC4\x85</p>",
                 "text/html; charset=windows-1252");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->charset, "utf-8");
  EXPECT_EQ(d->text, "<meta charset=iso-8859-2><p>\u0105</p>");
  // Undeclared: UTF-8 when valid, else windows-1252.
  d = DecodeHtml("<p>caf\xC3\xA9</p>", "");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->charset, "utf-8");
  EXPECT_EQ(d->text, "<p>caf\u00E9</p>");
  d = DecodeHtml("<p>caf\xE9 \x93quoted\x94</p>", "");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->charset, "windows-1252");
  EXPECT_EQ(d->text, "<p>caf\u00E9 \u201Cquoted\u201D</p>");
  // A <meta> claiming UTF-16 in an ASCII page means UTF-8.
  d = DecodeHtml("<meta charset=utf-16><p>caf\xC3\xA9</p>", "");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->charset, "utf-8");
}

// Declared but wrong: read in the declared charset all the same, as a browser does, with the
// bytes it cannot read as U+FFFD, counted.
TEST(HtmlCharsetTest, DeclaredButWrongReadsAsReplacementCharacters) {
  Result<DecodedHtml> d = DecodeHtml("<meta charset=utf-8><p>caf\xE9</p>", "");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->text, "<meta charset=utf-8><p>caf\uFFFD</p>");
  EXPECT_EQ(d->charset, "utf-8");
  EXPECT_EQ(d->invalid_bytes, 1u);
  EXPECT_EQ(d->first_invalid, 26u);
}

}  // namespace
}  // namespace palimpsest::html_internal
