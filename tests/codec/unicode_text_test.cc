#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "palimpsest/article.h"
#include "palimpsest/extractor.h"

namespace palimpsest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(UnicodeNfcTest, ComposesDecomposedCharacters) {
  Result<std::string> r = NormalizeNfc("Cafe\u0301 re\u0301sume\u0301");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Caf\u00E9 r\u00E9sum\u00E9");
}

TEST(UnicodeNfcTest, LeavesComposedTextAlone) {
  const std::string text = "Editor\u2019s Note: \u201CQuoted\u201D \u2014 caf\u00E9, \u6771\u4EAC";
  Result<std::string> r = NormalizeNfc(text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, text);
}

TEST(UnicodeNfcTest, MapsCanonicalSingletons) {
  // ANGSTROM SIGN is canonically equivalent to LATIN CAPITAL LETTER A WITH RING ABOVE.
  Result<std::string> r = NormalizeNfc("\u212B");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "\u00C5");
}

TEST(UnicodeNfcTest, EmptyStaysEmpty) {
  Result<std::string> r = NormalizeNfc("");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "");
}

TEST(UnicodeNfcTest, RejectsInvalidUtf8) {
  for (const std::string& bad : {std::string("abc\xff"), std::string("\xC0\xAF"),
                                 std::string("\xED\xA0\x80"), std::string("\xE2\x80")}) {
    Result<std::string> r = NormalizeNfc(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(UnicodeWhitespaceTest, CollapsesAsciiRunsAndTrims) {
  EXPECT_EQ(CollapseWhitespace("  a \t b\n\nc  "), "a b c");
  EXPECT_EQ(CollapseWhitespace("one"), "one");
  EXPECT_EQ(CollapseWhitespace(""), "");
  EXPECT_EQ(CollapseWhitespace(" \t\r\n\f\v "), "");
}

TEST(UnicodeWhitespaceTest, CollapsesUnicodeSpaces) {
  // NO-BREAK SPACE, THIN SPACE, NARROW NO-BREAK SPACE, IDEOGRAPHIC SPACE, EN SPACE, NEL.
  EXPECT_EQ(CollapseWhitespace("a\u00A0b\u2009c\u202Fd\u3000e\u2002f\u0085g"), "a b c d e f g");
  EXPECT_EQ(CollapseWhitespace("Hunt\u00A0"), "Hunt");
  EXPECT_EQ(CollapseWhitespace("\u00A0 \u3000x\u2028\u2029y"), "x y");
}

TEST(UnicodeWhitespaceTest, KeepsNonSpaceCharacters) {
  // Zero-width space and word joiner are not spaces: turning them into one would add a gap.
  EXPECT_EQ(CollapseWhitespace("a\u200Bb\u2060c"), "a\u200Bb\u2060c");
  EXPECT_EQ(CollapseWhitespace("caf\u00E9 \u2014 ok"), "caf\u00E9 \u2014 ok");
}

TEST(UnicodeWhitespaceTest, PassesInvalidBytesThrough) {
  EXPECT_EQ(CollapseWhitespace("a \xff  b"), "a \xff b");
}

TEST(UnicodeLooksLikeTextTest, AcceptsTextWithLayoutControls) {
  EXPECT_TRUE(LooksLikeText("plain"));
  EXPECT_TRUE(LooksLikeText(""));
  EXPECT_TRUE(LooksLikeText("a\tb\nc\r\nd\fe"));
  EXPECT_TRUE(LooksLikeText("Editor\u2019s Note \u6771\u4EAC \U0001F680"));
}

TEST(UnicodeLooksLikeTextTest, RejectsControlCharacters) {
  EXPECT_FALSE(LooksLikeText(std::string("a\0b", 3)));
  EXPECT_FALSE(
      LooksLikeText("a\x01"
                    "b"));
  EXPECT_FALSE(LooksLikeText("a\x1b[0m"));
  EXPECT_FALSE(LooksLikeText("a\x7f"));
  EXPECT_FALSE(LooksLikeText("a\vb"));
}

TEST(UnicodeLooksLikeTextTest, RejectsInvalidUtf8) {
  EXPECT_FALSE(LooksLikeText("caf\xe9"));            // Latin-1
  EXPECT_FALSE(LooksLikeText("\xC0\xAF"));           // overlong '/'
  EXPECT_FALSE(LooksLikeText("\xED\xA0\x80"));       // surrogate
  EXPECT_FALSE(LooksLikeText("abc\xE2\x80"));        // truncated
  EXPECT_FALSE(LooksLikeText("\x89PNG\r\n\x1a\n"));  // binary
}

TEST(UnicodeSplitParagraphsTest, SplitsOnBlankLines) {
  EXPECT_THAT(SplitParagraphs("a\n\nb\n\n\nc"), ElementsAre("a", "b", "c"));
  EXPECT_THAT(SplitParagraphs("a\n \t\nb"), ElementsAre("a", "b"));
  EXPECT_THAT(SplitParagraphs("\n\n  a  \n\n"), ElementsAre("a"));
  EXPECT_THAT(SplitParagraphs("a\r\n\r\nb"), ElementsAre("a", "b"));
}

TEST(UnicodeSplitParagraphsTest, JoinsLinesOfOneParagraph) {
  EXPECT_THAT(SplitParagraphs("one\ntwo\n\nthree"), ElementsAre("one two", "three"));
}

TEST(UnicodeSplitParagraphsTest, EmptyBodyHasNoParagraphs) {
  EXPECT_THAT(SplitParagraphs(""), IsEmpty());
  EXPECT_THAT(SplitParagraphs("\n \n\n"), IsEmpty());
}

TEST(CanonicalBodyTest, ExamplesOfEachRule) {
  EXPECT_TRUE(IsCanonicalBody(""));
  EXPECT_TRUE(IsCanonicalBody("One two.\n\nThree \u00E9t\u00E9 \u201Cfour\u201D."));
  EXPECT_FALSE(IsCanonicalBody(" leading"));
  EXPECT_FALSE(IsCanonicalBody("trailing "));
  EXPECT_FALSE(IsCanonicalBody("two  spaces"));
  EXPECT_FALSE(IsCanonicalBody("one\nnewline"));
  EXPECT_FALSE(IsCanonicalBody("three\n\n\nnewlines"));
  EXPECT_FALSE(IsCanonicalBody("a\ttab"));
  EXPECT_FALSE(IsCanonicalBody("no\u00A0break"));
  EXPECT_FALSE(IsCanonicalBody("Cafe\u0301"));  // not NFC
  EXPECT_FALSE(IsCanonicalBody("bad \xFF byte"));
}

// Runs of plain ASCII are checked eight bytes at a time: whitespace, a control character or a
// non-ASCII byte at any offset of a run is still seen.
TEST(CanonicalBodyTest, EveryOffsetOfALongAsciiRunIsChecked) {
  const std::string run = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (size_t at = 0; at < run.size(); ++at) {
    std::string text = run;
    const bool inside = at > 0 && at + 1 < run.size();
    text[at] = ' ';
    EXPECT_EQ(IsCanonicalBody(text), inside) << at;
    text[at] = '\t';
    EXPECT_FALSE(IsCanonicalBody(text)) << at;
    text[at] = '\x01';  // a control character is not whitespace
    EXPECT_TRUE(IsCanonicalBody(text)) << at;
    text[at] = '\xFF';
    EXPECT_FALSE(IsCanonicalBody(text)) << at;
    text = run.substr(0, at) + "\n\n" + run.substr(at);
    EXPECT_EQ(IsCanonicalBody(text), at > 0) << at;
    text = run.substr(0, at) + "  " + run.substr(at);
    EXPECT_FALSE(IsCanonicalBody(text)) << at;
  }
}

// The fast path must agree with the normalization it skips: whatever it accepts, normalizing
// leaves alone, and what normalizing produces (from these pieces) it accepts.
TEST(CanonicalBodyTest, AgreesWithNormalizationOnRandomTexts) {
  const std::vector<std::string> pieces = {"a",       "b",      " ",     "  ",     "\n",
                                           "\n\n",    "\t",     "\r\n",  "\u00E9", "\u00A0",
                                           "e\u0301", "\u2019", "\u3000"};
  std::mt19937 rng(777);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string text;
    for (size_t k = rng() % 12; k > 0; --k) text += pieces[rng() % pieces.size()];
    Result<std::string> normalized = NormalizeBodyText(text);
    ASSERT_TRUE(normalized.ok());
    if (IsCanonicalBody(text)) {
      ASSERT_EQ(*normalized, text);
    }
    ASSERT_TRUE(IsCanonicalBody(*normalized)) << '"' << *normalized << '"';
  }
}

}  // namespace
}  // namespace palimpsest
