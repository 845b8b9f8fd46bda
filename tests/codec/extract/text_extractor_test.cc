// Extraction from the sample corpus (tests/fixtures: five real articles, one also before its
// correction).

#include <string>
#include <vector>

#include "codec/extract/extract_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "palimpsest/article.h"
#include "test_util.h"

namespace palimpsest {
namespace {

using testing::ExtractText;
using testing::Fixture;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::kCaptured;
using ::testing::Not;
using ::testing::SizeIs;
using testing::T;

TEST(TextExtractCorpusTest, AirForcePage000) {
  ArticleContent a = ExtractText(Fixture("000_99c9495df02aabac.txt"));
  EXPECT_EQ(a.title, "US, Japan host first-ever Space Engagement Talks");
  EXPECT_EQ(a.byline, "Tech. Sgt. Nick Wilson, Pacific Air Forces Public Affairs");
  EXPECT_EQ(a.published_at, T("2023-07-19"));
  EXPECT_EQ(a.updated_at, kNoTime);
  EXPECT_THAT(a.notes, IsEmpty());
  std::vector<std::string> p = SplitParagraphs(a.body);
  ASSERT_THAT(p, SizeIs(11));
  EXPECT_EQ(p[0],
            "The ongoing race against adversaries and competitors who possess advanced space "
            "capabilities and questionable intentions further emphasizes the need to reinforce "
            "norms of behavior in space.");
  EXPECT_EQ(p[3],
            "The USSF-JASDF Space Engagement Talks serve as a model of the US-Japan Alliance's "
            "commitment to space collaboration and reinforces the significance of partnerships "
            "in achieving shared objectives.");
  EXPECT_TRUE(p[10].starts_with("\u201CThrough these engagements we have an opportunity"));
  EXPECT_TRUE(p[10].ends_with("normalize our presence with an important strategic ally.\u201D"));
  EXPECT_THAT(a.body, Not(HasSubstr("Like Us")));
  EXPECT_THAT(a.body, Not(HasSubstr("Follow Us")));
  EXPECT_THAT(a.body, Not(HasSubstr("Cobra Gold")));
  EXPECT_THAT(a.body, Not(HasSubstr("March 1")));
  EXPECT_THAT(a.body, Not(HasSubstr("official website")));
}

TEST(TextExtractCorpusTest, MagazinePage001AfterCorrection) {
  ArticleContent a = ExtractText(Fixture("001_c82fb13b72988b3d.txt"), T("2023-07-25T12:00:00Z"));
  EXPECT_EQ(a.title,
            "Space Force Holds First-Ever Forum with Japan to Build Next Steps for Cooperation");
  EXPECT_EQ(a.byline, "");
  EXPECT_EQ(a.published_at, kNoTime);
  EXPECT_EQ(a.updated_at, kNoTime);
  ASSERT_THAT(a.notes, SizeIs(1));
  EXPECT_EQ(a.notes[0].text,
            "This story was updated July 24 to clarify additional SETs that took place with "
            "Australia and South Korea.");
  EXPECT_EQ(a.notes[0].effective_at, T("2023-07-24T00:00:00Z"));
  std::vector<std::string> p = SplitParagraphs(a.body);
  // One paragraph per line, lines 2-11 of the page: ten paragraphs.
  ASSERT_THAT(p, SizeIs(10));
  EXPECT_TRUE(p[0].starts_with("The U.S. and Japan held their first-ever Space Engagement Talks"));
  EXPECT_EQ(p[5],
            "The Space Force has previously held SETs with Israel, Brazil, Australia, and "
            "South Korea.");
  EXPECT_TRUE(p[9].ends_with("Space Situational Awareness system as well."));
  EXPECT_THAT(a.body, Not(HasSubstr("Editor")));
  EXPECT_THAT(a.body, Not(HasSubstr("Image Credit")));
}

TEST(TextExtractCorpusTest, MagazinePage001BeforeCorrection) {
  ArticleContent before =
      ExtractText(Fixture("001_c82fb13b72988b3d.before-correction.txt"), T("2023-07-20T12:00:00Z"));
  ArticleContent after =
      ExtractText(Fixture("001_c82fb13b72988b3d.txt"), T("2023-07-25T12:00:00Z"));
  EXPECT_EQ(before.title, after.title);
  EXPECT_EQ(before.byline, "");
  EXPECT_THAT(before.notes, IsEmpty());
  std::vector<std::string> pb = SplitParagraphs(before.body);
  std::vector<std::string> pa = SplitParagraphs(after.body);
  ASSERT_EQ(pb.size(), pa.size());
  for (size_t i = 0; i < pb.size(); ++i) {
    if (i == 5) {
      EXPECT_EQ(pb[i], "The Space Force has previously held SETs with Israel and Brazil.");
      EXPECT_NE(pb[i], pa[i]);
    } else {
      EXPECT_EQ(pb[i], pa[i]) << "paragraph " << i;
    }
  }
  EXPECT_NE(ContentHash(before), ContentHash(after));
  // The same page captured again is the same revision.
  EXPECT_EQ(ContentHash(before),
            ContentHash(ExtractText(Fixture("001_c82fb13b72988b3d.before-correction.txt"),
                                    T("2023-07-21T00:00:00Z"))));
}

TEST(TextExtractCorpusTest, DvidsPage002) {
  ArticleContent a = ExtractText(Fixture("002_7e22955fd7e20ed8.txt"));
  EXPECT_EQ(a.title, "U.S. Space Force Leaders Engage With Allies in Japan");
  // The unit line under "Story by" joins the byline, as 000 prints its unit inline.
  EXPECT_EQ(a.byline, "Airman 1st Class Cayla Hunt, 374th Airlift Wing");
  EXPECT_EQ(a.published_at, T("2024-12-02"));
  // "Date Posted: 12.10.2024" is the upload, not an update.
  EXPECT_EQ(a.updated_at, kNoTime);
  EXPECT_THAT(a.notes, IsEmpty());
  std::vector<std::string> p = SplitParagraphs(a.body);
  ASSERT_THAT(p, SizeIs(6));
  EXPECT_TRUE(p[0].starts_with("YOKOTA AIR BASE, Japan \u2013 The commander"));
  EXPECT_TRUE(p[5].ends_with("well into the future."));
  for (const char* chrome : {"NEWS INFO", "Story ID", "Date Taken", "Web Views", "PUBLIC DOMAIN",
                             "read more", "Logo", "Forgot Password", "Maintenance", "Story by"}) {
    EXPECT_THAT(a.body, Not(HasSubstr(chrome)));
  }
  EXPECT_THAT(a.body, Not(HasSubstr("    ")));
}

TEST(TextExtractCorpusTest, StratcomPage003) {
  ArticleContent a = ExtractText(Fixture("003_bc5277d4b9ff88ba.txt"));
  EXPECT_EQ(a.title, "U.S. and Japan Strengthen Space Collaboration through Dialogues");
  EXPECT_EQ(a.byline, "U.S. Strategic Command Public Affairs");
  EXPECT_EQ(a.published_at, T("2016-03-07"));
  EXPECT_EQ(a.updated_at, kNoTime);
  EXPECT_THAT(a.notes, IsEmpty());
  std::vector<std::string> p = SplitParagraphs(a.body);
  ASSERT_THAT(p, SizeIs(6));
  EXPECT_TRUE(p[0].starts_with("JAPAN \u2013 U.S. Air Force Maj. Gen. Clinton E. Crosier"));
  EXPECT_TRUE(p[5].ends_with("contested space environment,\" Crosier said."));
  EXPECT_THAT(a.body, Not(HasSubstr("ArticleCS")));
}

TEST(TextExtractCorpusTest, DefensePage004) {
  ArticleContent a = ExtractText(Fixture("004_52689c8dd169f3e3.txt"));
  EXPECT_EQ(a.title,
            "Working With Indo-Pacific Allies Key to Maintaining Rules-Based Order, Space Force "
            "Leader Says");
  EXPECT_EQ(a.byline, "");
  EXPECT_EQ(a.published_at, kNoTime);
  EXPECT_EQ(a.updated_at, kNoTime);
  EXPECT_THAT(a.notes, IsEmpty());
  std::vector<std::string> p = SplitParagraphs(a.body);
  ASSERT_THAT(p, SizeIs(12));
  EXPECT_TRUE(p[0].starts_with("The commander of United States Space Forces Indo-Pacific today"));
  EXPECT_THAT(a.body, Not(HasSubstr("Space Force Leader Says")));
  // Trailing no-break spaces are layout, not text.
  EXPECT_TRUE(p[3].ends_with("capability they are at."));
  EXPECT_EQ(p[11],
            "\u201CSo, they of course have a vested interest in preserving a free and open "
            "Indo-Pacific. Absolutely.\u201D");
}

// The fields beyond title, byline and dates, sample by sample: none of the five prints a dek
// or a copyright line; 002 and 003 open with a dateline; every page that shows chrome lists
// what was removed.
TEST(TextExtractCorpusTest, DekDatelineOutletAndRemovedChrome) {
  struct Expected {
    const char* file;
    const char* dateline;
    std::vector<std::string> some_chrome;
  };
  const std::vector<Expected> cases = {
      {"000_99c9495df02aabac.txt", "", {"An official website of the United States government"}},
      {"001_c82fb13b72988b3d.txt", "", {}},
      {"001_c82fb13b72988b3d.before-correction.txt", "", {}},
      // The story's own dateline wins over the page's location label above it.
      {"002_7e22955fd7e20ed8.txt", "YOKOTA AIR BASE, Japan", {"Forgot Password?"}},
      {"003_bc5277d4b9ff88ba.txt", "JAPAN", {"ArticleCS - Article View"}},
      {"004_52689c8dd169f3e3.txt", "", {}},
  };
  for (const Expected& e : cases) {
    ArticleContent a = ExtractText(Fixture(e.file));
    EXPECT_EQ(a.dek, "") << e.file;
    EXPECT_EQ(a.dateline, e.dateline) << e.file;
    EXPECT_EQ(a.outlet, "") << e.file;
    EXPECT_EQ(a.canonical_url, "") << e.file;
    for (const std::string& line : e.some_chrome) {
      EXPECT_THAT(a.chrome, ::testing::Contains(line)) << e.file;
      EXPECT_THAT(a.body, Not(HasSubstr(line))) << e.file;
    }
    for (const std::string& line : a.chrome) {
      EXPECT_THAT(SplitParagraphs(a.body), Not(::testing::Contains(line))) << e.file;
    }
  }
}

TEST(TextExtractCorpusTest, EveryFixtureIsCanonical) {
  for (const char* name : {"000_99c9495df02aabac.txt", "001_c82fb13b72988b3d.txt",
                           "001_c82fb13b72988b3d.before-correction.txt", "002_7e22955fd7e20ed8.txt",
                           "003_bc5277d4b9ff88ba.txt", "004_52689c8dd169f3e3.txt"}) {
    ArticleContent a = ExtractText(Fixture(name));
    EXPECT_EQ(a, ExtractText(Fixture(name))) << name;  // deterministic
    std::string rejoined;
    for (const std::string& p : SplitParagraphs(a.body)) {
      rejoined += (rejoined.empty() ? "" : "\n\n") + p;
    }
    EXPECT_EQ(a.body, rejoined) << name;
    EXPECT_EQ(a.title, CollapseWhitespace(a.title)) << name;
  }
}

}  // namespace
}  // namespace palimpsest
