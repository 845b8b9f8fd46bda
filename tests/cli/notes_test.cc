// Notes printed with an article, through ingest: the kinds of note lines found, either
// apostrophe, and the year rules for dates without a year (from the publication date when
// known, else the latest such date not after the capture).

#include <gtest/gtest.h>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

const std::string kBody =
    "Debris Report From the Agency\n\n"
    "The space agency said on Tuesday that it had tracked more than thirty fragments of a "
    "decommissioned weather satellite in low Earth orbit.\n\n"
    "Officials said none of the fragments posed an immediate risk to crewed spacecraft.\n";

json::array Revisions(const CliArchive& a, const std::string& doc) {
  return Arr(a.Json({"history", doc, "--json"}), "revisions");
}

TEST(NotesTest, DateWithoutAYearIsTheLatestNotAfterTheCapture) {
  // Captured on 5 January 2024, "updated December 30" means 30 December 2023.
  CliArchive a;
  a.IngestText("yr", kBody, "2023-12-20T00:00:00Z");
  json::value r = a.IngestText("yr",
                               kBody +
                                   "\nEditor's Note: This story was updated December 30 to correct "
                                   "the number of fragments.\n",
                               "2024-01-05T00:00:00Z");
  EXPECT_EQ(Str(r, "kind"), "correction");
  json::array revs = Revisions(a, "yr");
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(Str(revs[1], "kind"), "correction");
  EXPECT_EQ(Str(revs[1], "effective_at"), "2023-12-30T00:00:00Z");
  EXPECT_EQ(Str(revs[1], "note"),
            "This story was updated December 30 to correct the number of fragments.");
  EXPECT_EQ(Int(revs[1], "words_added"), 0) << "the note is not body text";
}

TEST(NotesTest, TypographicAndStraightApostrophesAreTheSameNote) {
  for (const std::string apostrophe : {"\xe2\x80\x99", "'"}) {
    CliArchive a;
    a.IngestText("ap", kBody, "2023-07-20T12:00:00Z");
    a.IngestText("ap",
                 kBody + "\nEditor" + apostrophe +
                     "s Note: This story was updated July 24 to clarify the fragment count.\n",
                 "2023-07-25T12:00:00Z");
    json::array revs = Revisions(a, "ap");
    ASSERT_EQ(revs.size(), 2u) << "apostrophe " << apostrophe;
    EXPECT_EQ(Str(revs[1], "kind"), "correction") << "apostrophe " << apostrophe;
    EXPECT_EQ(Str(revs[1], "effective_at"), "2023-07-24T00:00:00Z") << "apostrophe " << apostrophe;
    EXPECT_EQ(Str(revs[1], "note"),
              "This story was updated July 24 to clarify the fragment count.");
  }
}

TEST(NotesTest, CorrectionLineWithoutADateTakesEffectAtTheCapture) {
  CliArchive a;
  a.IngestText("corr", kBody, "2024-01-01T00:00:00Z");
  a.IngestText(
      "corr",
      kBody + "\nCorrection: An earlier version of this story misstated the agency's name.\n",
      "2024-01-06T08:00:00Z");
  json::array revs = Revisions(a, "corr");
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(Str(revs[1], "kind"), "correction");
  EXPECT_EQ(Str(revs[1], "effective_at"), "2024-01-06T08:00:00Z");
  EXPECT_TRUE(Contains(Str(revs[1], "note"), "misstated the agency")) << Str(revs[1], "note");
  json::value s = a.Json({"show", "corr", "--json"});
  ASSERT_EQ(Arr(s, "notes").size(), 1u);
  EXPECT_FALSE(Contains(Str(s, "body"), "misstated")) << "the note is not part of the body";
}

TEST(NotesTest, RecapturingTheCorrectedPageIsUnchanged) {
  CliArchive a;
  a.IngestScenario();
  json::value r =
      a.IngestFixture(kAfterFixture, {"--id", kScenarioDoc, "--captured", "2023-08-01T00:00:00Z"});
  EXPECT_EQ(Str(r, "status"), "unchanged");
  EXPECT_EQ(Int(r, "rev"), 2);
  EXPECT_EQ(Int(r, "version"), 3);
  json::array revs = Revisions(a, kScenarioDoc);
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(Str(revs[1], "last_seen_at"), "2023-08-01T00:00:00Z");
  EXPECT_EQ(Str(revs[1], "captured_at"), kAfterCaptured);
}

// The corpus correction ("updated July 24"), captured years later: with the article's
// publication date known (the importer's published_at), the note is dated from it; without
// one, the year rule of the capture applies.
TEST(NotesTest, TheCorpusCorrectionCapturedYearsLaterIsDatedFromItsPublication) {
  CliArchive a;
  const std::string page = Fixture(kAfterFixture);
  std::string lines;
  for (const auto& [id, extra] : std::vector<std::pair<std::string, json::object>>{
           {"dated", {{"published_at", "2023-07-20T12:00:00Z"}}}, {"undated", {}}}) {
    json::object o{{"id", id},
                   {"raw", page},
                   {"media_type", "text/plain"},
                   {"captured_at", "2026-12-04T09:00:00Z"}};
    for (const auto& kv : extra) o[kv.key()] = kv.value();
    lines += json::serialize(o) + "\n";
  }
  const std::string path = a.Join("later.jsonl");
  WriteFileOrDie(path, lines);
  a.Ok({"import", path, "--progress", "never"});
  json::value dated = a.Json({"show", "dated", "--json"});
  ASSERT_EQ(Arr(dated, "notes").size(), 1u);
  EXPECT_EQ(Str(Arr(dated, "notes")[0], "effective_at"), "2023-07-24T00:00:00Z");
  json::value undated = a.Json({"show", "undated", "--json"});
  ASSERT_EQ(Arr(undated, "notes").size(), 1u);
  EXPECT_EQ(Str(Arr(undated, "notes")[0], "effective_at"), "2026-07-24T00:00:00Z");
}

}  // namespace
}  // namespace palimpsest::testing
