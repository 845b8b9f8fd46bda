// Extraction from pages of shapes the corpus does not show: other chrome, dated notes,
// CRLF, non-text input, normalization noise.

#include <string>
#include <vector>

#include "codec/extract/extract_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "palimpsest/article.h"

namespace palimpsest {
namespace {

using ::testing::ElementsAre;
using testing::ExtractText;
using ::testing::HasSubstr;
using testing::kCaptured;
using ::testing::Not;
using ::testing::SizeIs;
using testing::T;

TEST(TextExtractPageTest, NewsSiteWithBylineDateUpdatedAndCorrection) {
  const std::string page =
      "Skip to main content\n"
      "Menu\n"
      "Search\n"
      "News > Local > Politics\n"
      "\n"
      "City Council Approves New Budget After Long Debate\n"
      "By Jane Doe | March 3, 2024\n"
      "Updated March 4, 2024\n"
      "\n"
      "The council voted 7-2 on Tuesday night to approve the budget.\n"
      "\n"
      "Mayor Jon Smith said the vote was \u201Ca good day for the city.\u201D\n"
      "\n"
      "Correction: An earlier version of this story misspelled the mayor's name. It was "
      "corrected March 4, 2024.\n"
      "\n"
      "Share this article\n"
      "Facebook\n"
      "Twitter\n"
      "Related Stories\n"
      "School Board Delays Vote on Calendar\n"
      "Correction: Old Story's Correction Is Not Ours\n";
  ArticleContent a = ExtractText(page);
  EXPECT_EQ(a.title, "City Council Approves New Budget After Long Debate");
  EXPECT_EQ(a.byline, "Jane Doe");
  EXPECT_EQ(a.published_at, T("2024-03-03"));
  EXPECT_EQ(a.updated_at, T("2024-03-04"));
  EXPECT_EQ(a.body,
            "The council voted 7-2 on Tuesday night to approve the budget.\n\n"
            "Mayor Jon Smith said the vote was \u201Ca good day for the city.\u201D");
  ASSERT_THAT(a.notes, SizeIs(1));
  EXPECT_EQ(a.notes[0].text,
            "An earlier version of this story misspelled the mayor's name. It was corrected "
            "March 4, 2024.");
  EXPECT_EQ(a.notes[0].effective_at, T("2024-03-04"));
}

TEST(TextExtractPageTest, StraightApostropheNoteAndIsoDates) {
  const std::string page =
      "Wire Service Reports Record Launch Cadence\n"
      "Published: 2024-03-01T09:30:00Z\n"
      "Updated: 2024-03-02T10:00:00+02:00\n"
      "Editor's Note: This article was updated 2024-03-02 to add launch totals.\n"
      "Launch providers flew 30 missions in February.\n"
      "Most of them carried broadband satellites.\n";
  ArticleContent a = ExtractText(page);
  EXPECT_EQ(a.title, "Wire Service Reports Record Launch Cadence");
  EXPECT_EQ(a.published_at, T("2024-03-01T09:30:00Z"));
  EXPECT_EQ(a.updated_at, T("2024-03-02T08:00:00Z"));
  ASSERT_THAT(a.notes, SizeIs(1));
  EXPECT_EQ(a.notes[0].text, "This article was updated 2024-03-02 to add launch totals.");
  EXPECT_EQ(a.notes[0].effective_at, T("2024-03-02"));
  EXPECT_THAT(SplitParagraphs(a.body), ElementsAre("Launch providers flew 30 missions in February.",
                                                   "Most of them carried broadband satellites."));
}

TEST(TextExtractPageTest, UpdatedToClarifyLineAnywhereIsANote) {
  const std::string page =
      "Base Opens New Fitness Center\n"
      "\n"
      "Updated July 24 to clarify the opening hours.\n"
      "\n"
      "The center opens at 5 a.m. on weekdays.\n"
      "\n"
      "This story has been updated to include the weekend schedule.\n"
      "\n"
      "It opens at 7 a.m. on weekends.\n";
  ArticleContent a = ExtractText(page, T("2023-07-20T00:00:00Z"));
  EXPECT_EQ(a.body, "The center opens at 5 a.m. on weekdays.\n\nIt opens at 7 a.m. on weekends.");
  ASSERT_THAT(a.notes, SizeIs(2));
  EXPECT_EQ(a.notes[0].text, "Updated July 24 to clarify the opening hours.");
  EXPECT_EQ(a.notes[0].effective_at, T("2022-07-24"));
  EXPECT_EQ(a.notes[1].text, "This story has been updated to include the weekend schedule.");
  EXPECT_EQ(a.notes[1].effective_at, kNoTime);
}

TEST(TextExtractPageTest, CrlfAndLfGiveTheSameArticle) {
  const std::string lf =
      "Harbor Bridge Reopens to Traffic\n\nBy Sam Lee\n\nJuly 19, 2023\n\n"
      "The bridge reopened on Monday.\n\nRepairs took six weeks.\n";
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  ArticleContent a = ExtractText(lf), b = ExtractText(crlf);
  EXPECT_EQ(a, b);
  EXPECT_EQ(b.title, "Harbor Bridge Reopens to Traffic");
  EXPECT_EQ(b.byline, "Sam Lee");
  EXPECT_EQ(b.published_at, T("2023-07-19"));
  EXPECT_EQ(b.body, "The bridge reopened on Monday.\n\nRepairs took six weeks.");
  EXPECT_THAT(b.body, Not(HasSubstr("\r")));
}

TEST(TextExtractPageTest, RejectsBinaryData) {
  for (const std::string& raw :
       {std::string("a\0b", 3), std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)}) {
    Result<ArticleContent> r = ExtractPlainText(raw, kCaptured);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(TextExtractPageTest, ReadsTextThatIsNotUtf8AsABrowserWould) {
  // No multi-byte UTF-8 anywhere: windows-1252, as a browser falls back to.
  auto latin1 = ExtractPlainText("Caf\xe9 news\n\nThe caf\xe9 opened on Monday.\n", kCaptured);
  ASSERT_TRUE(latin1.ok()) << latin1.status().message();
  EXPECT_EQ(latin1->title, "Caf\xC3\xA9 news");
  // UTF-8 with one stray byte: the byte is U+FFFD, the rest UTF-8.
  auto stray = ExtractPlainText("Caf\xC3\xA9 news\n\nThe caf\xe9 opened on Monday.\n", kCaptured);
  ASSERT_TRUE(stray.ok()) << stray.status().message();
  EXPECT_EQ(stray->title, "Caf\xC3\xA9 news");
  EXPECT_EQ(stray->body, "The caf\xEF\xBF\xBD opened on Monday.");
}

TEST(TextExtractPageTest, RejectsPagesWithoutText) {
  for (const std::string& raw :
       {std::string(""), std::string(" \n\t\r\n \u00A0\n"),
        std::string("Skip to main content\nForgot Password?\nFollow Us\nHome : Media : News\n")}) {
    Result<ArticleContent> r = ExtractPlainText(raw, kCaptured);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(r.status().IsNotAnArticle()) << r.status().message();
  }
}

TEST(TextExtractPageTest, ComposedAndDecomposedAreOneRevision) {
  const std::string composed = "Caf\u00E9 Owners Celebrate\n\nThe caf\u00E9 opened in 1990.\n";
  const std::string decomposed = "Cafe\u0301 Owners Celebrate\n\nThe cafe\u0301 opened in 1990.\n";
  ArticleContent a = ExtractText(composed), b = ExtractText(decomposed);
  EXPECT_EQ(a, b);
  EXPECT_EQ(b.title, "Caf\u00E9 Owners Celebrate");
  EXPECT_EQ(ContentHash(a), ContentHash(b));
}

TEST(TextExtractPageTest, WhitespaceNoiseIsOneRevision) {
  const std::string tidy =
      "Storm Closes Schools\n\nBy Ana Ruiz\n\nSchools closed today.\n\nThey "
      "reopen Monday.\n";
  const std::string noisy =
      "\n\n  Storm   Closes\u00A0Schools  \n\n\n   By Ana\tRuiz\u2009\n"
      "\n\n\n   Schools  closed today. \n \n\t\nThey reopen\u202FMonday.   "
      "\n\n\n";
  ArticleContent a = ExtractText(tidy), b = ExtractText(noisy);
  EXPECT_EQ(a, b);
  EXPECT_EQ(ContentHash(a), ContentHash(b));
  EXPECT_EQ(b.body, "Schools closed today.\n\nThey reopen Monday.");
}

TEST(TextExtractPageTest, RelatedStoriesWithoutHeadingAreDropped) {
  const std::string page =
      "Wing Completes Readiness Exercise\n"
      "\n"
      "The wing finished a five-day exercise on Friday.\n"
      "\n"
      "Airmen practiced rapid deployment.\n"
      "\n"
      "Squadron Welcomes New Commander\n"
      "The incoming commander salutes during the ceremony.\n"
      "March 14, 2024 - The squadron held a change of command ceremony...\n"
      "\n"
      "Airmen Volunteer at Food Bank\n"
      "March 13, 2024 - Volunteers packed 2,000 meals...\n";
  ArticleContent a = ExtractText(page);
  EXPECT_EQ(a.body,
            "The wing finished a five-day exercise on Friday.\n\nAirmen practiced rapid "
            "deployment.");
}

TEST(TextExtractPageTest, NoteAfterSharingButtonsStillCounts) {
  const std::string page =
      "Museum Returns Artifacts\n"
      "The museum returned 12 artifacts on Monday.\n"
      "Follow Us\n"
      "Clarification: The artifacts were returned on loan, not permanently.\n";
  ArticleContent a = ExtractText(page);
  EXPECT_EQ(a.body, "The museum returned 12 artifacts on Monday.");
  ASSERT_THAT(a.notes, SizeIs(1));
  EXPECT_EQ(a.notes[0].text, "The artifacts were returned on loan, not permanently.");
}

TEST(TextExtractPageTest, HardWrappedParagraphsAreJoined) {
  const std::string page =
      "Council Debates Zoning Change\n"
      "\n"
      "The council met on Tuesday to debate a proposal that would\n"
      "allow taller buildings near the new rail station.\n"
      "\n"
      "A vote is expected next month.\n";
  ArticleContent a = ExtractText(page);
  EXPECT_THAT(SplitParagraphs(a.body),
              ElementsAre("The council met on Tuesday to debate a proposal that would allow "
                          "taller buildings near the new rail station.",
                          "A vote is expected next month."));
}

TEST(TextExtractPageTest, TitleCreditAndRepeatedTitle) {
  const std::string page =
      "An official website of the United States government\n"
      "Here\u2019s how you know\n"
      "Satellite Passes Final Test (Photo credit: U.S. Space Force)\n"
      "Satellite Passes Final Test\n"
      "Photo By Staff Sgt. Lee | The satellite in the chamber. ...read more\n"
      "Engineers completed thermal vacuum testing this week.\n";
  ArticleContent a = ExtractText(page);
  EXPECT_EQ(a.title, "Satellite Passes Final Test");
  EXPECT_EQ(a.body, "Engineers completed thermal vacuum testing this week.");
}

TEST(TextExtractPageTest, FirstLineIsTitleWhenNothingLooksLikeOne) {
  const std::string page =
      "the meeting ran long and nobody took notes, which is why this page has no headline.\n"
      "A second line of text.\n";
  ArticleContent a = ExtractText(page);
  EXPECT_EQ(a.title,
            "the meeting ran long and nobody took notes, which is why this page has no headline.");
  EXPECT_EQ(a.body, "A second line of text.");
}

TEST(TextExtractPageTest, DvidsPanelDatesWithoutStoryDate) {
  const std::string page =
      "Engineers Build Runway Extension\n"
      "\n"
      "Crews poured the final section of concrete on Thursday.\n"
      "\n"
      "NEWS INFO\n"
      "Date Taken: 05.16.2024\n"
      "Date Posted: 05.20.2024 09:12\n"
      "Story ID: 123456\n"
      "PUBLIC DOMAIN\n";
  ArticleContent a = ExtractText(page);
  EXPECT_EQ(a.published_at, T("2024-05-16"));
  EXPECT_EQ(a.updated_at, kNoTime);
  EXPECT_EQ(a.body, "Crews poured the final section of concrete on Thursday.");
}

TEST(TextExtractPageTest, TeasersEndingInReadMoreAreStillTeasers) {
  const std::string page =
      "Guard Unit Returns Home\n"
      "Soldiers returned from a nine-month deployment on Sunday.\n"
      "Families Gather for Holiday Concert\n"
      "Dec. 12, 2023 - The band performed for 400 guests... read more\n";
  ArticleContent a = ExtractText(page);
  EXPECT_EQ(a.body, "Soldiers returned from a nine-month deployment on Sunday.");
}

TEST(TextExtractPageTest, OddInputsDoNotBreakTheExtractor) {
  // Fragments of every line form, alone and in odd orders: each must give an article or a
  // clean error, never a crash (the sanitizer build runs this too).
  const std::vector<std::string> kLines = {"By",
                                           "By ",
                                           "By |",
                                           "By X |",
                                           "By Jane | | |",
                                           "|",
                                           " | ",
                                           "NEWS |",
                                           "July",
                                           "July 32",
                                           "Feb. 29",
                                           "0.0.0000",
                                           "99/99/9999",
                                           "2023-02-29",
                                           "2024-02-29T25:00:00Z",
                                           "Editor's Note:",
                                           "Correction: -",
                                           "Updated",
                                           "Updated:",
                                           "Updated: July 24",
                                           "Date Taken:",
                                           "Date Posted: x",
                                           "NEWS INFO",
                                           "Follow Us",
                                           "Related Stories",
                                           "March 15, 2024 -",
                                           "March 15, 2024 - x",
                                           "(Image Credit: x)",
                                           "A (Photo: b)",
                                           "x",
                                           "\u201D",
                                           "\u00A0",
                                           "Home : : Media",
                                           "Logo",
                                           "Public Affairs",
                                           "X Public Affairs",
                                           "Title Line Here",
                                           "Title Line Here",
                                           "A sentence that ends.",
                                           ""};
  for (size_t skip = 0; skip < kLines.size(); ++skip) {
    std::string page;
    for (size_t i = 0; i < kLines.size(); ++i) {
      page += kLines[(i + skip) % kLines.size()] + (i % 3 == 0 ? "\n\n" : "\n");
    }
    Result<ArticleContent> r = ExtractPlainText(page, kCaptured);
    ASSERT_TRUE(r.ok()) << page;
    EXPECT_FALSE(r->title.empty());
    Result<ArticleContent> once = ExtractPlainText(kLines[skip], kNoTime);
    if (once.ok()) {
      EXPECT_FALSE(once->title.empty()) << kLines[skip];
    } else {
      EXPECT_TRUE(once.status().IsNotAnArticle()) << kLines[skip];
    }
  }
}

}  // namespace
}  // namespace palimpsest
