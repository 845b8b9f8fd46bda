// `palimpsest blame`, `changes` and `search` end to end, on the correction scenario.

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

class FeedsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_.IngestScenario();
    archive_.IngestOthers();
  }

  // The ids of a search's results.
  std::vector<std::string> SearchIds(std::vector<std::string> args) {
    args.insert(args.begin(), "search");
    args.push_back("--json");
    json::value v = archive_.Json(args);
    std::vector<std::string> ids;
    if (v.is_null()) return ids;
    for (const json::value& hit : Arr(v, "results")) ids.push_back(Str(hit, "id"));
    return ids;
  }

  CliArchive archive_;
};

TEST_F(FeedsTest, BlameAttributesTheCorrectedSentenceToTheCorrection) {
  json::value v = archive_.Json({"blame", kScenarioDoc, "--json"});
  ASSERT_FALSE(v.is_null());
  EXPECT_EQ(Int(v, "rev"), 2);
  size_t from_rev2 = 0, total = 0;
  for (const json::value& p : Arr(v, "paragraphs")) {
    for (const json::value& s : Arr(p, "sentences")) {
      ++total;
      const std::string text = Str(s, "text");
      if (Int(s, "rev") == 2) {
        ++from_rev2;
        EXPECT_EQ(text,
                  "The Space Force has previously held SETs with Israel, Brazil, Australia, "
                  "and South Korea.");
        EXPECT_EQ(Str(s, "kind"), "correction");
        EXPECT_TRUE(Contains(Str(s, "note"), "Australia and South Korea")) << Str(s, "note");
        EXPECT_EQ(Str(s, "effective_at"), "2023-07-24T00:00:00Z");
      } else {
        EXPECT_EQ(Int(s, "rev"), 1) << text;
        EXPECT_EQ(Str(s, "kind"), "original");
      }
    }
  }
  EXPECT_EQ(from_rev2, 1u);
  EXPECT_GT(total, 10u);

  // Revision 1 is all original; the text form marks each sentence with its revision.
  json::value first = archive_.Json({"blame", kScenarioDoc, "--rev", "1", "--json"});
  for (const json::value& p : Arr(first, "paragraphs")) {
    for (const json::value& s : Arr(p, "sentences")) EXPECT_EQ(Int(s, "rev"), 1);
  }
  const std::string text = archive_.Ok({"blame", kScenarioDoc});
  EXPECT_TRUE(Contains(text, "r2 correction | The Space Force has previously held SETs")) << text;
  EXPECT_TRUE(Contains(text, "r1 original   | ")) << text;
}

TEST_F(FeedsTest, BlameErrors) {
  ExpectOneLineError(archive_.Run({"blame", "no-such-doc"}), 2);
  ExpectOneLineError(archive_.Run({"blame", kScenarioDoc, "--rev", "3"}), 2);
  EXPECT_EQ(archive_.Run({"blame", kScenarioDoc, "--rev", "zero"}).exit_code, 1);
}

TEST_F(FeedsTest, ChangesInARecordedWindowAndByEffectiveTime) {
  // Everything was recorded now (the test's run), so a window around now lists all six
  // documents' revisions: 5 originals and the correction.
  json::value all = archive_.Json({"changes", "--json"});
  ASSERT_EQ(Arr(all, "changes").size(), 6u);
  // Effective time: only the correction took effect on 2023-07-24.
  json::value window = archive_.Json(
      {"changes", "--effective", "--since", "2023-07-21", "--until", "2023-07-25", "--json"});
  const json::array& changes = Arr(window, "changes");
  ASSERT_EQ(changes.size(), 1u) << json::serialize(window);
  EXPECT_EQ(Str(changes[0], "id"), kScenarioDoc);
  EXPECT_EQ(Int(changes[0], "rev"), 2);
  EXPECT_EQ(Str(changes[0], "kind"), "correction");
  EXPECT_EQ(Str(changes[0], "source"), "airandspaceforces");
  EXPECT_TRUE(Contains(Str(changes[0], "note"), "clarify"));
  // Ordered by effective time (RFC 3339 UTC strings sort as times).
  json::value ordered = archive_.Json({"changes", "--effective", "--json"});
  const json::array& by_effective = Arr(ordered, "changes");
  ASSERT_EQ(by_effective.size(), 6u);
  for (size_t i = 1; i < by_effective.size(); ++i) {
    EXPECT_LE(Str(by_effective[i - 1], "effective_at"), Str(by_effective[i], "effective_at"));
  }
  // A window in the far past is empty; filters and limits apply.
  EXPECT_TRUE(
      Arr(archive_.Json({"changes", "--until", "2000-01-01", "--json"}), "changes").empty());
  EXPECT_EQ(
      Arr(archive_.Json({"changes", "--source", "airandspaceforces", "--json"}), "changes").size(),
      2u);
  EXPECT_EQ(Arr(archive_.Json({"changes", "--limit", "2", "--json"}), "changes").size(), 2u);
  EXPECT_TRUE(Contains(
      archive_.Ok({"changes", "--effective", "--since", "2023-07-24", "--until", "2023-07-25"}),
      "rev 2  correction"));
}

TEST_F(FeedsTest, ChangesErrors) {
  ExpectOneLineError(archive_.Run({"changes", "--since", "yesterday"}), 1);
  ExpectOneLineError(archive_.Run({"changes", "--since", "2024-01-02", "--until", "2024-01-01"}),
                     1);
}

TEST_F(FeedsTest, SearchCurrentAsOfAndAllRevisions) {
  EXPECT_EQ(SearchIds({"Australia"}), std::vector<std::string>{kScenarioDoc});
  // Case and accents do not matter; every word must match.
  EXPECT_EQ(SearchIds({"SOUTH korea AUSTRALIA"}), std::vector<std::string>{kScenarioDoc});
  EXPECT_TRUE(SearchIds({"Australia", "--as-of", "2023-07-23"}).empty());
  // The phrase of revision 1 is gone from the current text.
  EXPECT_TRUE(SearchIds({"\"Israel and Brazil\""}).empty());
  EXPECT_EQ(SearchIds({"\"Israel and Brazil\"", "--as-of", "2023-07-23"}),
            std::vector<std::string>{kScenarioDoc});
  json::value all = archive_.Json({"search", "\"Israel and Brazil\"", "--all-revisions", "--json"});
  ASSERT_EQ(Arr(all, "results").size(), 1u);
  const json::value& hit = Arr(all, "results")[0];
  EXPECT_EQ(Int(hit, "rev"), 1);
  EXPECT_EQ(json::serialize(Field(hit, "revs")), "[1]");
  // The snippet shows the match, and the highlights point at the words.
  const std::string snippet = Str(hit, "snippet");
  for (const json::value& h : Arr(hit, "highlights")) {
    const std::string word =
        snippet.substr(h.as_array()[0].to_number<size_t>(), h.as_array()[1].to_number<size_t>());
    EXPECT_TRUE(word == "Israel" || word == "and" || word == "Brazil") << word;
  }
  EXPECT_TRUE(Contains(snippet, "Israel and Brazil")) << snippet;
  json::value current = archive_.Json({"search", "Australia", "--json"});
  EXPECT_EQ(Int(current, "indexed_seq"), Int(current, "head_seq"));
  EXPECT_EQ(Int(current, "total"), 1);
}

TEST_F(FeedsTest, SearchRanksAndLimits) {
  // "the" is in every article: all five match, best first, limited on request.
  json::value v = archive_.Json({"search", "the", "--json"});
  EXPECT_EQ(Int(v, "total"), 5);
  const json::array& hits = Arr(v, "results");
  ASSERT_EQ(hits.size(), 5u);
  for (size_t i = 1; i < hits.size(); ++i) {
    EXPECT_GE(Field(hits[i - 1], "score").to_number<double>(),
              Field(hits[i], "score").to_number<double>());
  }
  EXPECT_EQ(Arr(archive_.Json({"search", "the", "--limit", "2", "--json"}), "results").size(), 2u);
  const std::string text = archive_.Ok({"search", "Australia"});
  EXPECT_TRUE(Contains(text, std::string(kScenarioDoc) + "  rev 2  correction")) << text;
  EXPECT_TRUE(Contains(text, "1 of 1 matching document")) << text;
}

TEST_F(FeedsTest, SearchErrors) {
  ExpectOneLineError(archive_.Run({"search", "  !!  "}), 1);
  ExpectOneLineError(archive_.Run({"search", "x", "--as-of", "2023-07-23", "--all-revisions"}), 1);
  ExpectOneLineError(archive_.Run({"search", "x", "--as-of", "soon"}), 1);
  EXPECT_TRUE(SearchIds({"zzzyxnotaword"}).empty());
}

TEST_F(FeedsTest, RedactedRevisionsAreNeverFoundAndReplayStaysIdentical) {
  ASSERT_EQ(SearchIds({"\"Israel and Brazil\"", "--all-revisions"}),
            std::vector<std::string>{kScenarioDoc});
  archive_.Ok({"redact", kScenarioDoc, "--rev", "1", "--reason", "legal request"});
  EXPECT_TRUE(SearchIds({"\"Israel and Brazil\"", "--all-revisions"}).empty());
  EXPECT_TRUE(SearchIds({"\"Israel and Brazil\"", "--as-of", "2023-07-23"}).empty());
  // Revision 2 is still found; its blame no longer credits the redacted revision.
  EXPECT_EQ(SearchIds({"Australia"}), std::vector<std::string>{kScenarioDoc});
  json::value blame = archive_.Json({"blame", kScenarioDoc, "--json"});
  for (const json::value& p : Arr(blame, "paragraphs")) {
    for (const json::value& s : Arr(p, "sentences")) EXPECT_EQ(Int(s, "rev"), 2);
  }
  ExpectOneLineError(archive_.Run({"blame", kScenarioDoc, "--rev", "1"}), 2);
  json::value changes = archive_.Json({"changes", "--source", "airandspaceforces", "--json"});
  EXPECT_TRUE(Bool(Arr(changes, "changes")[0], "redacted"));
  EXPECT_EQ(Str(Arr(changes, "changes")[0], "title"), "");
  // The search index and the change feed rebuild byte for byte.
  json::value replay = archive_.Json({"replay", "--json"});
  EXPECT_TRUE(Bool(replay, "identical")) << json::serialize(replay);
  for (const char* db : {"search_terms", "search_docs", "changes_recorded", "changes_effective"}) {
    EXPECT_TRUE(Has(Field(replay, "databases"), db)) << db;
  }
  EXPECT_EQ(archive_.Run({"verify"}).exit_code, 0);
}

TEST_F(FeedsTest, ExportRestoreRebuildsTheSearchIndex) {
  archive_.Ok({"export", "--out", archive_.Join("export.jsonl")});
  CliArchive copy;
  copy.Ok({"restore", archive_.Join("export.jsonl")});
  json::value v = copy.Json({"search", "Australia", "--json"});
  ASSERT_EQ(Arr(v, "results").size(), 1u);
  EXPECT_EQ(Int(v, "indexed_seq"), Int(v, "head_seq"));
  EXPECT_TRUE(Bool(copy.Json({"replay", "--json"}), "identical"));
}

}  // namespace
}  // namespace palimpsest::testing
