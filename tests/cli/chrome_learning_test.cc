// Chrome learned across captures of one source, end to end: lines the pages of other documents
// of the same source printed before are removed from later documents' text; nothing is learned
// from later captures or from other sources; chrome-only differences are no revision; replay
// rebuilds exactly what incremental ingestion produced.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

// The furniture every page of the (made-up) Harbor Gazette prints, in varied places.
constexpr const char* kMasthead = "Harbor Gazette";
constexpr const char* kSignIn = "Sign in to keep reading for free";
constexpr const char* kNewsletter = "Get our newsletter every morning";
constexpr const char* kFooter = "Harbor Gazette is an independent local newspaper";

struct Story {
  std::string title;
  std::string byline;
  std::string date;
  std::vector<std::string> paragraphs;
};

const std::vector<Story>& Stories() {
  static const std::vector<Story> stories = {
      {"Ferry Service Returns to the Island After Storm Repairs",
       "Mara Quill",
       "June 3, 2024",
       {"The morning ferry sailed on Monday for the first time in six weeks, after crews rebuilt "
        "the pier that a winter storm had torn apart.",
        "Passengers cheered as the boat left the harbor, and the operator said the full "
        "timetable would resume next week.",
        "The council thanked residents for their patience during the closure."}},
      {"Council Approves Budget for New Lifeboat Station",
       "Tom Reyes",
       "June 5, 2024",
       {"The island council voted unanimously on Wednesday to fund a new lifeboat station on "
        "the north shore.",
        "Volunteers have raised money for the project for three years.",
        "Construction is expected to start in the autumn and to take about a year."}},
      {"School Choir Wins National Competition in Glasgow",
       "Mara Quill",
       "June 9, 2024",
       {"Twenty-two pupils from the island school won first prize at the national choir "
        "competition on Saturday.",
        "Their teacher said the choir had rehearsed twice a week since January.",
        "The pupils will sing at the harbor festival next month."}},
      {"Harbor Festival Draws Record Crowds Despite Rain",
       "Ana Lind",
       "July 14, 2024",
       {"More than four thousand visitors came to the harbor festival over the weekend, the "
        "organizers said on Sunday.",
        "Rain showers on Saturday afternoon did little to thin the crowds at the fish market.",
        "Next year's festival will add a second stage for local bands."}},
  };
  return stories;
}

// Pages of different layouts: the chrome moves around, as on a real site's page templates.
std::string LayoutPage(const Story& s, int layout) {
  std::string page;
  if (layout % 2 == 0) {
    page += std::string(kMasthead) + "\n" + kSignIn + "\n\n";
  } else {
    page += std::string(kSignIn) + "\n" + kMasthead + "\n\n";
  }
  page += s.title + "\nBy " + s.byline + "\n" + s.date + "\n\n";
  for (size_t i = 0; i < s.paragraphs.size(); ++i) {
    page += s.paragraphs[i] + "\n";
    if (i == static_cast<size_t>(layout % 2)) page += std::string(kNewsletter) + "\n";
  }
  page += "\n" + std::string(kFooter) + "\n";
  return page;
}

std::string Id(int i) { return "harbor-" + std::to_string(i); }

TEST(ChromeLearningTest, LinesOtherDocumentsOfTheSourcePrintedAreChrome) {
  CliArchive a;
  for (int i = 0; i < 4; ++i) {
    a.IngestText(Id(i), LayoutPage(Stories()[i], i), "2024-07-20T0" + std::to_string(i) + ":00:00Z",
                 {"--source", "harbor-gazette"});
  }
  // Documents 0 and 1 were judged with at most one other document's page known: their pages'
  // furniture is still in their text, and later captures never rewrite them.
  json::value first = a.Json({"show", Id(0), "--json"});
  EXPECT_TRUE(Contains(Str(first, "body"), kNewsletter)) << Str(first, "body");
  EXPECT_EQ(Str(first, "title"), kMasthead);
  json::value second = a.Json({"show", Id(1), "--json"});
  EXPECT_TRUE(Contains(Str(second, "body"), kNewsletter));
  // From the third document on, the shared lines are known chrome.
  for (int i = 2; i < 4; ++i) {
    json::value doc = a.Json({"show", Id(i), "--json"});
    const Story& s = Stories()[i];
    EXPECT_EQ(Str(doc, "title"), s.title) << Id(i);
    EXPECT_EQ(Str(doc, "byline"), s.byline) << Id(i);
    std::string expected_body;
    for (const std::string& p : s.paragraphs) {
      expected_body += (expected_body.empty() ? "" : "\n\n") + p;
    }
    EXPECT_EQ(Str(doc, "body"), expected_body) << Id(i);
    std::vector<std::string> chrome;
    for (const json::value& line : Arr(doc, "chrome")) chrome.emplace_back(line.as_string());
    for (const char* line : {kMasthead, kSignIn, kNewsletter}) {
      EXPECT_NE(std::find(chrome.begin(), chrome.end(), line), chrome.end()) << line;
    }
  }
  json::value replay = a.Json({"replay", "--json"});
  EXPECT_TRUE(Bool(replay, "identical")) << json::serialize(replay);
  EXPECT_TRUE(Bool(Field(Field(replay, "databases"), "chrome_lines"), "identical"));
}

TEST(ChromeLearningTest, OtherSourcesAndSourcelessCapturesLearnNothing) {
  CliArchive a;
  for (int i = 0; i < 3; ++i) {
    a.IngestText(Id(i), LayoutPage(Stories()[i], i), "2024-07-20T0" + std::to_string(i) + ":00:00Z",
                 {"--source", "harbor-gazette"});
  }
  // The same furniture on a page of another source, and on one with no source at all.
  a.IngestText("elsewhere", LayoutPage(Stories()[3], 0), "2024-07-21T00:00:00Z",
               {"--source", "another-paper"});
  a.IngestText("nowhere", LayoutPage(Stories()[3], 0), "2024-07-21T00:00:00Z");
  EXPECT_TRUE(Contains(Str(a.Json({"show", "elsewhere", "--json"}), "body"), kNewsletter));
  EXPECT_TRUE(Contains(Str(a.Json({"show", "nowhere", "--json"}), "body"), kNewsletter));
}

TEST(ChromeLearningTest, TheUrlHostIsTheSourceWhenNoneIsNamed) {
  CliArchive a;
  for (int i = 0; i < 3; ++i) {
    const std::string host = i == 1 ? "https://WWW.Harbor.example" : "http://harbor.example";
    a.IngestText(Id(i), LayoutPage(Stories()[i], i), "2024-07-20T0" + std::to_string(i) + ":00:00Z",
                 {"--url", host + "/news/" + std::to_string(i)});
  }
  json::value third = a.Json({"show", Id(2), "--json"});
  EXPECT_EQ(Str(third, "title"), Stories()[2].title);
  EXPECT_FALSE(Contains(Str(third, "body"), kNewsletter));
}

TEST(ChromeLearningTest, ARecaptureThatNowKnowsMoreChromeIsUnchanged) {
  CliArchive a;
  const std::string page1 = LayoutPage(Stories()[1], 1);
  a.IngestText(Id(0), LayoutPage(Stories()[0], 0), "2024-07-20T00:00:00Z",
               {"--source", "harbor-gazette"});
  a.IngestText(Id(1), page1, "2024-07-20T01:00:00Z", {"--source", "harbor-gazette"});
  a.IngestText(Id(2), LayoutPage(Stories()[2], 2), "2024-07-20T02:00:00Z",
               {"--source", "harbor-gazette"});
  // Document 1's page again: its newsletter line is chrome now, but that is no new revision.
  json::value again =
      a.IngestText(Id(1), page1, "2024-07-22T00:00:00Z", {"--source", "harbor-gazette"});
  EXPECT_EQ(Str(again, "status"), "unchanged") << json::serialize(again);
  EXPECT_EQ(Int(again, "rev"), 1);
  // A real edit still is one.
  std::string edited = page1;
  edited.replace(edited.find("three years"), 11, "four years");
  json::value revised =
      a.IngestText(Id(1), edited, "2024-07-23T00:00:00Z", {"--source", "harbor-gazette"});
  EXPECT_EQ(Str(revised, "status"), "revised") << json::serialize(revised);
  json::value replay = a.Json({"replay", "--json"});
  EXPECT_TRUE(Bool(replay, "identical")) << json::serialize(replay);
}

// The five sample articles as pages of one source teach each other only furniture the line
// predicates already remove: every field comes out as when each is judged alone.
TEST(ChromeLearningTest, TheCorpusAsOneSourceExtractsAsEachAlone) {
  CliArchive together, alone;
  std::vector<std::string> docs(kOtherDocs.begin(), kOtherDocs.end());
  docs.push_back(kScenarioDoc);
  for (const std::string& doc : docs) {
    together.IngestFixture(doc + ".txt", {"--captured", "2024-12-15T09:00:00Z", "--source", "one"});
    alone.IngestFixture(doc + ".txt", {"--captured", "2024-12-15T09:00:00Z"});
  }
  for (const std::string& doc : docs) {
    json::value t = together.Json({"show", doc, "--json"});
    json::value a = alone.Json({"show", doc, "--json"});
    for (const char* field : {"title", "dek", "byline", "dateline", "published_at", "updated_at",
                              "body", "content_hash"}) {
      EXPECT_EQ(Str(t, field), Str(a, field)) << doc << " " << field;
    }
    EXPECT_EQ(json::serialize(Field(t, "notes")), json::serialize(Field(a, "notes"))) << doc;
  }
}

}  // namespace
}  // namespace palimpsest::testing
