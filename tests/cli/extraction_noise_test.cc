// False change alerts: the same article captured many times amid surroundings that change on
// every visit — relative times, view and comment counts, rotating related links, ad slots, a
// re-stamped dateModified and language, a trending list — is one revision, seen again at each capture.
// And a real change to the text among that noise is a second revision.

#include <gtest/gtest.h>

#include <string>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

const char* const kParagraphs[] = {
    "The county council voted seven to two on Tuesday to rebuild the Harbor Street bridge, "
    "ending a year of debate over whether to repair the old span or replace it.",
    "Construction is set to begin in March and to last eighteen months, during which traffic "
    "will be diverted over the Mill Road crossing.",
    "Council member Ana Ruiz, who voted against, said the county should have waited for the "
    "state's engineering review before committing to a design.",
};

// The article page as captured on visit `visit`: the article never changes, everything
// around it does. `extra` is appended to the article's last paragraph.
std::string PageOnVisit(int visit, const std::string& extra = "") {
  std::string v = std::to_string(visit);
  std::string page =
      "<html lang='" + std::string(visit % 2 == 1 ? "en" : "en-US") + "'><head><title>Council votes to rebuild bridge | Harbor Gazette</title>"
      "<meta property='og:site_name' content='Harbor Gazette'>"
      "<meta property='article:published_time' content='2024-03-05T09:00:00Z'>"
      "<meta property='article:modified_time' content='2024-03-0" +
      std::to_string(5 + visit % 4) + "T1" + v.substr(0, 1) +
      ":00:00Z'></head><body><nav><a href='/'>Home</a> <a href='/local'>Local</a></nav>"
      "<div class='ticker'>Updated " +
      std::to_string(visit * 7 % 59 + 1) +
      " minutes ago</div><main><article><h1>Council votes to rebuild bridge</h1>"
      "<div class='byline'>By Sam Lee</div><div class='meta'>" +
      std::to_string(1200 + visit * 37) + " views · " + std::to_string(visit * 3) +
      " comments</div>";
  for (size_t i = 0; i < std::size(kParagraphs); ++i) {
    page += "<p>" + std::string(kParagraphs[i]) + (i + 1 == std::size(kParagraphs) ? extra : "") +
            "</p>";
    if (i == 0) page += "<div class='ad-slot'><p>Advertisement " + v + "</p></div>";
  }
  page += "</article><aside class='related'><h3>Related</h3><ul>";
  for (int k = 0; k < 3; ++k) {
    page += "<li><a href='/story/" + std::to_string(visit + k) + "'>Story number " +
            std::to_string(visit + k) + " of the day</a></li>";
  }
  page += "</ul></aside><div class='trending'><h3>Trending now</h3><p>Read by " +
          std::to_string(visit * 11) +
          " people in the last hour</p></div></main><footer>© 2024 Harbor Gazette</footer>"
          "</body></html>";
  return page;
}

TEST(ExtractionNoiseTest, ChangingSurroundingsMakeOneRevisionAndARealEditASecond) {
  CliArchive a;
  constexpr int kVisits = 8;
  for (int visit = 1; visit <= kVisits; ++visit) {
    std::string path = a.Join("visit-" + std::to_string(visit) + ".html");
    WriteFileOrDie(path, PageOnVisit(visit));
    std::string captured =
        "2024-03-0" + std::to_string(5 + visit / 3) + "T0" + std::to_string(visit % 10) + ":30:00Z";
    json::value r = a.Json({"ingest", path, "--id", "bridge", "--captured", captured, "--json"});
    EXPECT_EQ(Str(r, "status"), visit == 1 ? "created" : "unchanged") << "visit " << visit;
  }
  json::value h = a.Json({"history", "bridge", "--json"});
  ASSERT_EQ(Arr(h, "revisions").size(), 1u);
  json::value show = a.Json({"show", "bridge", "--json"});
  EXPECT_EQ(Str(show, "title"), "Council votes to rebuild bridge");
  EXPECT_EQ(Str(show, "language"), "en") << "as the revision's first capture declared it";
  std::string body = Str(show, "body");
  for (const char* noise :
       {"minutes ago", "views", "Advertisement", "Story number", "Trending", "Read by"}) {
    EXPECT_EQ(body.find(noise), std::string::npos) << noise;
  }
  // Every capture was an observation of that one revision.
  EXPECT_EQ(Str(Arr(h, "revisions")[0], "last_seen_at"), "2024-03-07T08:30:00Z");

  std::string edited = a.Join("visit-edit.html");
  WriteFileOrDie(edited, PageOnVisit(kVisits + 1, " The review is due in April."));
  json::value r =
      a.Json({"ingest", edited, "--id", "bridge", "--captured", "2024-03-08T09:00:00Z", "--json"});
  EXPECT_NE(Str(r, "status"), "unchanged");
  json::value after = a.Json({"history", "bridge", "--json"});
  ASSERT_EQ(Arr(after, "revisions").size(), 2u);
}

}  // namespace
}  // namespace palimpsest::testing
