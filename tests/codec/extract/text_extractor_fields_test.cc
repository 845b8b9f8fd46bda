// Plain-text extraction of dek, dateline and outlet, and its use of learned chrome
// (TextExtractContext): what it removes, what it offers for learning.

#include <set>
#include <string>
#include <vector>

#include "codec/extract/learned_chrome.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "palimpsest/article.h"
#include "palimpsest/diff.h"
#include "palimpsest/extractor.h"

namespace palimpsest {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const Timestamp kFieldsCaptured = 1700000000;

// Learned chrome from a fixed set of lines; counts the questions asked.
class FixedChrome : public LearnedChrome {
 public:
  explicit FixedChrome(std::set<std::string> lines) : lines_(std::move(lines)) {}
  bool IsChrome(std::string_view line) const override {
    ++asked_;
    return lines_.count(std::string(line)) > 0;
  }
  int asked() const { return asked_; }

 private:
  std::set<std::string> lines_;
  mutable int asked_ = 0;
};

ArticleContent ExtractWith(const std::string& raw, const TextExtractContext& context = {}) {
  Result<ArticleContent> r = ExtractPlainText(raw, kFieldsCaptured, context);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : ArticleContent{};
}

const char* kPage =
    "Harbor Gazette\n"
    "Sign in to keep reading for free\n"
    "\n"
    "Ferry Service Returns to the Island After Storm Repairs\n"
    "By Mara Quill\n"
    "June 3, 2024\n"
    "\n"
    "PORT ELLEN, Scotland \u2014 The morning ferry sailed on Monday for the first time in six "
    "weeks, after crews rebuilt the pier that a winter storm had torn apart.\n"
    "Get our newsletter every morning\n"
    "Passengers cheered as the boat left the harbor, and the operator said the full timetable "
    "would resume next week.\n"
    "\n"
    "Related Stories\n"
    "Island School Reopens After Storm\n";

TEST(TextExtractLearnedChromeTest, LearnedLinesAreRemovedAndListed) {
  FixedChrome learned(
      {"Harbor Gazette", "Sign in to keep reading for free", "Get our newsletter every morning"});
  TextExtractContext context;
  context.learned = &learned;
  ArticleContent a = ExtractWith(kPage, context);
  EXPECT_EQ(a.title, "Ferry Service Returns to the Island After Storm Repairs");
  EXPECT_EQ(a.byline, "Mara Quill");
  EXPECT_THAT(a.body, Not(HasSubstr("newsletter")));
  EXPECT_EQ(SplitParagraphs(a.body).size(), 2u);
  EXPECT_THAT(a.chrome, ElementsAre("Harbor Gazette", "Sign in to keep reading for free",
                                    "Get our newsletter every morning"));
  EXPECT_GT(learned.asked(), 0);
}

TEST(TextExtractLearnedChromeTest, WithoutLearningTheSameLinesAreText) {
  ArticleContent a = ExtractWith(kPage);
  // The site name is title-like: without learning it is taken for the title.
  EXPECT_EQ(a.title, "Harbor Gazette");
  EXPECT_THAT(a.body, HasSubstr("Get our newsletter every morning"));
  EXPECT_THAT(a.chrome, Not(Contains("Get our newsletter every morning")));
}

TEST(TextExtractLearnedChromeTest, OnlyTextLinesBeforeTheTrailerAreOfferedOrAsked) {
  FixedChrome learned({"By Mara Quill", "June 3, 2024", "Island School Reopens After Storm"});
  std::vector<std::string> offered;
  TextExtractContext context;
  context.learned = &learned;
  context.page_lines = &offered;
  ArticleContent a = ExtractWith(kPage, context);
  // A byline and a date keep their meaning however often they repeat.
  EXPECT_EQ(a.byline, "Mara Quill");
  EXPECT_NE(a.published_at, kNoTime);
  EXPECT_THAT(offered, Contains("Harbor Gazette"));
  EXPECT_THAT(offered, Contains("Get our newsletter every morning"));
  EXPECT_THAT(offered, Contains("Ferry Service Returns to the Island After Storm Repairs"));
  EXPECT_THAT(offered, Not(Contains("By Mara Quill")));
  EXPECT_THAT(offered, Not(Contains("June 3, 2024")));
  // Headlines of other articles in a related-story list are never learned.
  EXPECT_THAT(offered, Not(Contains("Island School Reopens After Storm")));
  EXPECT_THAT(offered, Not(Contains("Related Stories")));
  // Paragraph-length lines are not offered either.
  for (const std::string& line : offered) EXPECT_LE(line.size(), kMaxLearnedChromeBytes);
  std::set<std::string> distinct(offered.begin(), offered.end());
  EXPECT_EQ(distinct.size(), offered.size());
}

TEST(TextExtractLearnedChromeTest, AHugePageOffersABoundedNumberOfLines) {
  std::string page = "A Page With Very Many Short Lines\n\n";
  for (int i = 0; i < 3000; ++i) page += "Line number " + std::to_string(i) + " of the list\n";
  std::vector<std::string> offered;
  TextExtractContext context;
  context.page_lines = &offered;
  ExtractWith(page, context);
  EXPECT_EQ(offered.size(), kMaxLearnedLinesPerPage);
  EXPECT_EQ(offered[0], "A Page With Very Many Short Lines");
}

TEST(TextExtractLearnedChromeTest, ExtractCapturePassesTheContextForTextOnly) {
  FixedChrome learned({"Get our newsletter every morning"});
  TextExtractContext context;
  context.learned = &learned;
  Result<ArticleContent> text = ExtractCapture(kPage, "text/plain", kFieldsCaptured, {}, context);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_THAT(text->body, Not(HasSubstr("newsletter")));
  Result<ArticleContent> body = ExtractCapture("Para one.\n\nGet our newsletter every morning",
                                               kBodyMediaType, kFieldsCaptured, {}, context);
  ASSERT_TRUE(body.ok());
  EXPECT_THAT(body->body, HasSubstr("newsletter"));  // an importer's body is taken as given
}

TEST(TextExtractFieldsTest, DatelineForms) {
  struct Case {
    const char* first_paragraph;
    const char* dateline;
  };
  const Case cases[] = {
      {"WASHINGTON \u2014 The Senate voted on Tuesday to pass the measure.", "WASHINGTON"},
      {"WASHINGTON (AP) \u2014 The Senate voted on Tuesday to pass the measure.", "WASHINGTON"},
      {"FORT BRAGG, N.C. -- Soldiers of the division returned home on Friday.", "FORT BRAGG, N.C."},
      {"Manila, PHILIPPINES \u2013 The admiral visited troops on Sunday.", ""},
      {"The mayor said the vote \u2013 the first in years \u2013 was close.", ""},
      {"In 2024 \u2014 a year of storms \u2014 the town rebuilt twice.", ""},
  };
  for (const Case& c : cases) {
    std::string page = std::string("Town Rebuilds After a Year of Storms\n\n") + c.first_paragraph +
                       "\n\nThe second paragraph says what happened next in more detail.\n";
    ArticleContent a = ExtractWith(page);
    EXPECT_EQ(a.dateline, c.dateline) << c.first_paragraph;
    EXPECT_EQ(SplitParagraphs(a.body).front(), c.first_paragraph) << "the body keeps its dateline";
  }
}

TEST(TextExtractFieldsTest, DatelineFromHeaderLabelOrLocationPanel) {
  ArticleContent label = ExtractWith(
      "Crews Finish Pier Repairs Ahead of Schedule\n\nPORT ELLEN, ISLAY, SCOTLAND\n\n"
      "The repairs ended a week early, the council said on Monday.\n\n"
      "Ferries will resume their full timetable next week.\n");
  EXPECT_EQ(label.dateline, "PORT ELLEN, ISLAY, SCOTLAND");
  ArticleContent panel = ExtractWith(
      "Crews Finish Pier Repairs Ahead of Schedule\n\n"
      "The repairs ended a week early, the council said on Monday.\n\n"
      "Ferries will resume their full timetable next week.\n\nNEWS INFO\n"
      "Story ID: 12345\nLocation: PORT ELLEN, GB\n");
  EXPECT_EQ(panel.dateline, "PORT ELLEN, GB");
}

TEST(TextExtractFieldsTest, DekBetweenTitleAndByline) {
  ArticleContent a = ExtractWith(
      "Ferry Service Returns to the Island\n"
      "Crews rebuilt the storm-wrecked pier in six weeks, a month ahead of plan.\n"
      "By Mara Quill\n\n"
      "The morning ferry sailed on Monday for the first time in six weeks.\n\n"
      "Passengers cheered as the boat left the harbor.\n");
  EXPECT_EQ(a.dek, "Crews rebuilt the storm-wrecked pier in six weeks, a month ahead of plan.");
  EXPECT_EQ(a.byline, "Mara Quill");
  EXPECT_THAT(a.body, Not(HasSubstr("storm-wrecked")));
  // Without a byline or date after it, the same line is the body's first paragraph.
  ArticleContent b = ExtractWith(
      "Ferry Service Returns to the Island\n"
      "Crews rebuilt the storm-wrecked pier in six weeks, a month ahead of plan.\n\n"
      "The morning ferry sailed on Monday for the first time in six weeks.\n");
  EXPECT_EQ(b.dek, "");
  EXPECT_THAT(b.body, HasSubstr("storm-wrecked"));
}

TEST(TextExtractFieldsTest, OutletFromCopyrightLine) {
  ArticleContent a = ExtractWith(
      "Ferry Service Returns to the Island\n\n"
      "The morning ferry sailed on Monday for the first time in six weeks.\n\n"
      "Share this article\n\u00A9 2019\u20132024 Harbor Gazette Ltd. All rights reserved.\n");
  EXPECT_EQ(a.outlet, "Harbor Gazette Ltd");
  ArticleContent b = ExtractWith(
      "Ferry Service Returns to the Island\n\n"
      "The morning ferry sailed on Monday for the first time in six weeks.\n\n"
      "Copyright 2024 Harbor Gazette\n");
  EXPECT_EQ(b.outlet, "Harbor Gazette");
}

// Outlet, canonical URL and removed chrome are not content; dek and dateline are.
TEST(ContentHashFieldsTest, WhichFieldsMakeARevision) {
  ArticleContent base;
  base.title = "A Title";
  base.body = "One paragraph.";
  const std::string h = ContentHash(base);
  ArticleContent c = base;
  c.outlet = "Harbor Gazette";
  c.canonical_url = "https://example.com/a";
  c.chrome = {"Sign in"};
  EXPECT_EQ(ContentHash(c), h);
  c = base;
  c.dek = "A subtitle";
  EXPECT_NE(ContentHash(c), h);
  ArticleContent d = base;
  d.dateline = "A subtitle";
  EXPECT_NE(ContentHash(d), ContentHash(c)) << "fields are tagged, not concatenated";
  EXPECT_NE(ContentHash(d), h);
}

// A revision that only changed its dek or dateline says so in its diff.
TEST(ContentHashFieldsTest, DekAndDatelineChangesAreFieldChanges) {
  ArticleContent before;
  before.title = "A Title";
  before.body = "One paragraph.";
  ArticleContent after = before;
  after.dek = "A subtitle";
  after.dateline = "WASHINGTON";
  after.outlet = "Not diffed";
  ArticleDiff d = DiffArticles(before, after);
  ASSERT_EQ(d.fields.size(), 2u);
  EXPECT_EQ(d.fields[0].field, "dek");
  EXPECT_EQ(d.fields[0].after, "A subtitle");
  EXPECT_EQ(d.fields[1].field, "dateline");
  EXPECT_EQ(d.fields[1].before, "");
}

}  // namespace
}  // namespace palimpsest
