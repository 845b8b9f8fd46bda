// Tests for the diff tokenizers, with the sentence splitter run on real news copy.

#include "codec/diff/tokenize.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "test_util.h"

namespace palimpsest {
namespace {

using Strings = std::vector<std::string>;

Strings ToStrings(const std::vector<std::string_view>& views) {
  return Strings(views.begin(), views.end());
}

// The fixture's line that starts with `prefix`.
std::string FixtureLine(const std::string& fixture, std::string_view prefix) {
  const std::string text = testing::Fixture(fixture);
  for (std::string_view line : SplitLines(text)) {
    if (line.substr(0, prefix.size()) == prefix) {
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
      return std::string(line);
    }
  }
  ADD_FAILURE() << "no line starting with " << prefix;
  return "";
}

TEST(TokenizeTest, LinesKeepTheirNewline) {
  EXPECT_TRUE(SplitLines("").empty());
  EXPECT_EQ(ToStrings(SplitLines("a\nb")), (Strings{"a\n", "b"}));
  EXPECT_EQ(ToStrings(SplitLines("a\n\nb\n")), (Strings{"a\n", "\n", "b\n"}));
}

TEST(TokenizeTest, WordsAreNonSpaceRuns) {
  const std::string_view text = "  “Jay” Raymond,\tthe\n\nU.S.  ";
  const auto words = SplitWords(text);
  EXPECT_EQ(ToStrings(words), (Strings{"“Jay”", "Raymond,", "the", "U.S."}));
  // Views point into the text, so whitespace between them is recoverable.
  EXPECT_EQ(words[1].data() - text.data(), 12);  // “ and ” are 3 bytes each
  EXPECT_TRUE(SplitWords(" \n ").empty());
}

TEST(TokenizeTest, ParagraphsSplitOnBlankLines) {
  const std::string_view body = "\nFirst para\nstill first.\n\nSecond.\n \n\n  Third.  \n";
  EXPECT_EQ(ToStrings(SplitParagraphViews(body)),
            (Strings{"First para\nstill first.", "Second.", "Third."}));
  EXPECT_TRUE(SplitParagraphViews("\n\n").empty());
}

TEST(TokenizeTest, SentencesSimple) {
  EXPECT_EQ(ToStrings(SplitSentences("One. Two! Three? four")),
            (Strings{"One.", "Two!", "Three? four"}));
  EXPECT_TRUE(SplitSentences("").empty());
}

TEST(TokenizeTest, SentencesKeepNumbersAndInitials) {
  EXPECT_EQ(ToStrings(SplitSentences("It grew 3.5 percent. Then it fell.")),
            (Strings{"It grew 3.5 percent.", "Then it fell."}));
  EXPECT_EQ(ToStrings(SplitSentences("Mr. Smith met Dr. Jones Jr. on Feb. 27. No. 5 won.")),
            (Strings{"Mr. Smith met Dr. Jones Jr. on Feb. 27.", "No. 5 won."}));
  EXPECT_EQ(ToStrings(SplitSentences("Use tools, e.g. Git, i.e. Version Control. Done.")),
            (Strings{"Use tools, e.g. Git, i.e. Version Control.", "Done."}));
}

TEST(TokenizeTest, SentencesEndAfterUsWhenANewSentenceStarts) {
  // From fixture 000: "... between the ROK and the U.S. It reinforces ..." is two sentences.
  EXPECT_EQ(ToStrings(SplitSentences("Ties with the U.S. It reinforces them. U.S. Army units.")),
            (Strings{"Ties with the U.S.", "It reinforces them.", "U.S. Army units."}));
}

TEST(TokenizeTest, SentencesWithClosingQuotes) {
  EXPECT_EQ(ToStrings(SplitSentences("He said “no.” Then he left. “Why?” she asked.")),
            (Strings{"He said “no.”", "Then he left.", "“Why?” she asked."}));
  EXPECT_EQ(ToStrings(SplitSentences("It is \"done.\" The end.")),
            (Strings{"It is \"done.\"", "The end."}));
}

TEST(TokenizeTest, SentencesOfFixtureRanksAndInitials) {
  const std::string para = FixtureLine("000_99c9495df02aabac.txt", "U.S. Space Force Deputy");
  ASSERT_EQ(SplitSentences(para).size(), 1u) << para;

  const std::string quote = FixtureLine("000_99c9495df02aabac.txt", "“The US-Japan Space");
  EXPECT_EQ(ToStrings(SplitSentences(quote)),
            (Strings{"“The US-Japan Space Engagement Talks represent a further expansion of our "
                     "strong alliance into the space domain,” emphasized Brig. Gen. Anthony J. "
                     "Mastalir, commander, United States Space Forces Indo-Pacific.",
                     "“Through these talks and Space Working Groups to follow, we can build a "
                     "roadmap for cooperation to ensure safety and security in space for our "
                     "nations and all responsible actors.”"}));

  const std::string byline = FixtureLine("000_99c9495df02aabac.txt", "By Tech. Sgt.");
  EXPECT_EQ(SplitSentences(byline).size(), 1u);

  // A quote opening the next sentence; a straight closing quote ends the paragraph.
  const std::string exclaimed = FixtureLine("000_99c9495df02aabac.txt", "“It’s an exciting");
  const auto sentences = ToStrings(SplitSentences(exclaimed));
  ASSERT_EQ(sentences.size(), 2u);
  EXPECT_TRUE(sentences[0].ends_with("exclaimed Mastalir.")) << sentences[0];
  EXPECT_TRUE(sentences[1].starts_with("“This forum")) << sentences[1];
  EXPECT_TRUE(sentences[1].ends_with("INDOPACOM region.\"")) << sentences[1];
}

TEST(TokenizeTest, SentencesOfFixtureDatesAndUs) {
  const std::string cobra = FixtureLine("000_99c9495df02aabac.txt", "March 15, 2024 - U.S. Space");
  // "Feb. 27 – Mar. 8..." ends the text without splitting at the months.
  EXPECT_EQ(SplitSentences(cobra).size(), 1u) << cobra;

  const std::string armistice = FixtureLine("000_99c9495df02aabac.txt", "A U.S. Army Assault");
  const auto sentences = ToStrings(SplitSentences(armistice));
  ASSERT_EQ(sentences.size(), 4u);
  EXPECT_TRUE(sentences[1].ends_with("between the ROK and the U.S.")) << sentences[1];
  EXPECT_TRUE(sentences[2].starts_with("It reinforces ")) << sentences[2];
  EXPECT_EQ(sentences[3], "(U.S. Army photo by Kim, Ji Hun)");
}

TEST(TokenizeTest, SentencesOfCorrectionFixture) {
  const std::string para = FixtureLine("001_c82fb13b72988b3d.txt", "Lt. Gen. Philip A. Garrant");
  EXPECT_EQ(SplitSentences(para).size(), 1u);
  const std::string raymond =
      FixtureLine("001_c82fb13b72988b3d.txt", "The U.S. Space Force and U.S. Space Command");
  EXPECT_EQ(SplitSentences(raymond).size(), 1u);
  const std::string jasdf = FixtureLine("001_c82fb13b72988b3d.txt", "The Japan Air Self-Defense");
  EXPECT_EQ(SplitSentences(jasdf).size(), 3u);
}

}  // namespace
}  // namespace palimpsest
