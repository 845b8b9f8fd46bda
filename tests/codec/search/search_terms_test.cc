#include <gtest/gtest.h>

#include "palimpsest/search.h"

namespace palimpsest {
namespace {

std::vector<std::string> Terms(std::string_view text) {
  std::vector<std::string> out;
  for (const TermOccurrence& t : TermsOf(text)) out.push_back(t.term);
  return out;
}

TEST(SearchTermsTest, FoldsCaseAndAccentsAndSplitsOnPunctuation) {
  EXPECT_EQ(Terms("São Paulo, SAO-paulo; Ærø!"),
            (std::vector<std::string>{"sao", "paulo", "sao", "paulo", "ærø"}));
  EXPECT_EQ(Terms("Straße"), (std::vector<std::string>{"strasse"}));
  // A combining accent (e + U+0301) folds like the precomposed é.
  EXPECT_EQ(Terms("cafe\xCC\x81 caf\xC3\xA9"), (std::vector<std::string>{"cafe", "cafe"}));
}

TEST(SearchTermsTest, ApostrophesJoinWordsBothStraightAndCurly) {
  EXPECT_EQ(Terms("Editor's Note: the editor\xE2\x80\x99s note, 'quoted'"),
            (std::vector<std::string>{"editors", "note", "the", "editors", "note", "quoted"}));
}

TEST(SearchTermsTest, OffsetsPointAtTheOriginalBytes) {
  const std::string text = "Held SETs with Israel, Brazil.";
  auto terms = TermsOf(text);
  ASSERT_EQ(terms.size(), 5u);
  EXPECT_EQ(text.substr(terms[3].offset, terms[3].length), "Israel");
  EXPECT_EQ(terms[1].term, "sets");
  EXPECT_EQ(text.substr(terms[4].offset, terms[4].length), "Brazil");
}

TEST(SearchTermsTest, DigitsAndInvalidBytes) {
  EXPECT_EQ(Terms("F-35A 2023\xFF"
                  "abc"),
            (std::vector<std::string>{"f", "35a", "2023", "abc"}));
  EXPECT_TRUE(Terms("  ,;.  ").empty());
}

TEST(SearchTermsTest, LongTermsAreCutOnACodePointBoundary) {
  auto ascii = Terms(std::string(100, 'a'));
  ASSERT_EQ(ascii.size(), 1u);
  EXPECT_EQ(ascii[0], std::string(kMaxTermBytes, 'a'));
  std::string han;
  for (int i = 0; i < 30; ++i) han += "\xE4\xB8\xAD";  // 中, 3 bytes each: 90 bytes
  auto terms = Terms(han);
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0].size(), 63u);  // 21 whole characters
  EXPECT_EQ(terms[0], han.substr(0, 63));
}

TEST(SearchQueryTest, WordsAndPhrases) {
  auto q = ParseSearchQuery("korea \"Israel and Brazil\" Korea");
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->terms, (std::vector<std::string>{"korea", "israel", "and", "brazil"}));
  ASSERT_EQ(q->phrases.size(), 1u);
  EXPECT_EQ(q->phrases[0], (std::vector<std::string>{"israel", "and", "brazil"}));
}

TEST(SearchQueryTest, UnclosedQuoteRunsToTheEnd) {
  auto q = ParseSearchQuery("space \"south korea");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->phrases.size(), 1u);
}

TEST(SearchQueryTest, RejectsQueriesWithoutWords) {
  EXPECT_EQ(ParseSearchQuery("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseSearchQuery(" \"\" !! ").status().code(), StatusCode::kInvalidArgument);
  std::string many;
  for (int i = 0; i < 40; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_EQ(ParseSearchQuery(many).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace palimpsest
