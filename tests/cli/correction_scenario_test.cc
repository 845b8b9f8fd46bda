// The correction scenario of the sample corpus (tests/fixtures) through the CLI: the story
// before its July 24 Editor's Note, then after it, as one document — history, show by revision, as of an
// effective time, as known at a recorded time, --raw, and bad selectors.

#include <gtest/gtest.h>

#include <set>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kNotePrefix = "This story was updated July 24";

class CorrectionScenarioTest : public ::testing::Test {
 protected:
  // One archive for the whole suite: every test here only reads it.
  static void SetUpTestSuite() {
    archive_ = new CliArchive();
    archive_->IngestScenario();
  }
  static void TearDownTestSuite() {
    delete archive_;
    archive_ = nullptr;
  }

  const CliArchive& a() const { return *archive_; }

  json::value Show(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"show", kScenarioDoc, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return a().Json(args);
  }

  json::array Revisions() const {
    json::value h = a().Json({"history", kScenarioDoc, "--json"});
    return Arr(h, "revisions");
  }

  static CliArchive* archive_;
};

CliArchive* CorrectionScenarioTest::archive_ = nullptr;

TEST_F(CorrectionScenarioTest, IngestReportsCreatedThenRevisedCorrection) {
  CliArchive fresh;
  json::value first =
      fresh.IngestFixture(kBeforeFixture, {"--id", kScenarioDoc, "--captured", kBeforeCaptured});
  EXPECT_EQ(Str(first, "status"), "created");
  EXPECT_EQ(Int(first, "rev"), 1);
  json::value second =
      fresh.IngestFixture(kAfterFixture, {"--id", kScenarioDoc, "--captured", kAfterCaptured});
  EXPECT_EQ(Str(second, "id"), kScenarioDoc);
  EXPECT_EQ(Str(second, "status"), "revised");
  EXPECT_EQ(Int(second, "rev"), 2);
  EXPECT_EQ(Int(second, "version"), 2);
  EXPECT_EQ(Str(second, "kind"), "correction");
}

TEST_F(CorrectionScenarioTest, HistoryHasTheCorrectionWithItsNoteAndDates) {
  json::value h = a().Json({"history", kScenarioDoc, "--json"});
  EXPECT_EQ(Str(h, "id"), kScenarioDoc);
  const json::array& revs = Arr(h, "revisions");
  ASSERT_EQ(revs.size(), 2u) << json::serialize(h);

  const json::value& r1 = revs[0];
  EXPECT_EQ(Int(r1, "rev"), 1);
  EXPECT_EQ(Str(r1, "kind"), "original");
  EXPECT_EQ(Str(r1, "note"), "");
  EXPECT_FALSE(Bool(r1, "stealth"));
  EXPECT_EQ(Str(r1, "effective_at"), "2023-07-20T12:00:00Z");
  EXPECT_EQ(Str(r1, "captured_at"), "2023-07-20T12:00:00Z");
  EXPECT_EQ(Str(r1, "last_seen_at"), "2023-07-20T12:00:00Z");

  const json::value& r2 = revs[1];
  EXPECT_EQ(Int(r2, "rev"), 2);
  EXPECT_EQ(Str(r2, "kind"), "correction");
  EXPECT_EQ(Str(r2, "note").rfind(kNotePrefix, 0), 0u) << Str(r2, "note");
  EXPECT_TRUE(Contains(Str(r2, "note"), "Australia and South Korea")) << Str(r2, "note");
  EXPECT_FALSE(Contains(Str(r2, "note"), "Editor")) << "the note text without its label";
  EXPECT_FALSE(Bool(r2, "stealth"));
  EXPECT_EQ(Str(r2, "effective_at"), "2023-07-24T00:00:00Z");
  EXPECT_EQ(Str(r2, "captured_at"), "2023-07-25T12:00:00Z");

  // Only the SET sentence changed: a few words, not the whole article.
  EXPECT_GT(Int(r2, "words_added"), 0);
  EXPECT_GT(Int(r2, "words_removed"), 0);
  EXPECT_LE(Int(r2, "words_added"), 10);
  EXPECT_LE(Int(r2, "words_removed"), 5);

  for (const json::value& r : revs) {
    for (const char* key :
         {"rev", "kind", "note", "stealth", "effective_at", "recorded_at", "captured_at",
          "last_seen_at", "content_hash", "words_added", "words_removed"}) {
      EXPECT_TRUE(Has(r, key)) << key << " missing in " << json::serialize(r);
    }
    EXPECT_EQ(Str(r, "content_hash").rfind("sha256:", 0), 0u);
    EXPECT_EQ(Str(r, "content_hash").size(), 7u + 64u);
  }
  EXPECT_NE(Str(r1, "content_hash"), Str(r2, "content_hash"));
  EXPECT_LT(Str(r1, "recorded_at"), Str(r2, "recorded_at"));
}

TEST_F(CorrectionScenarioTest, HistoryTextNamesTheCorrection) {
  std::string out = a().Ok({"history", kScenarioDoc});
  EXPECT_TRUE(Contains(out, "correction")) << out;
  EXPECT_TRUE(Contains(out, kNotePrefix)) << out;
}

TEST_F(CorrectionScenarioTest, ShowRevOneIsTheStoryBeforeTheNote) {
  json::value s = Show({"--rev", "1"});
  EXPECT_EQ(Str(s, "id"), kScenarioDoc);
  EXPECT_EQ(Int(s, "rev"), 1);
  EXPECT_EQ(Int(s, "version"), 2) << "version is the document's current stream version";
  EXPECT_EQ(Str(s, "kind"), "original");
  EXPECT_TRUE(Arr(s, "notes").empty()) << json::serialize(s);
  EXPECT_TRUE(Contains(Str(s, "body"), "with Israel and Brazil.")) << Str(s, "body");
  EXPECT_FALSE(Contains(Str(s, "body"), "Australia, and South Korea"));
  EXPECT_EQ(Str(s, "source"), "airandspaceforces");
}

TEST_F(CorrectionScenarioTest, ShowCurrentIsTheCorrectedStoryWithItsNote) {
  json::value s = Show({});
  EXPECT_EQ(Int(s, "rev"), 2);
  EXPECT_EQ(Str(s, "kind"), "correction");
  const std::string body = Str(s, "body");
  EXPECT_TRUE(Contains(body, "Australia, and South Korea")) << body;
  EXPECT_FALSE(Contains(body, "with Israel and Brazil."));
  EXPECT_FALSE(Contains(body, kNotePrefix)) << "the note belongs in notes, not the body";
  const json::array& notes = Arr(s, "notes");
  ASSERT_EQ(notes.size(), 1u) << json::serialize(s);
  EXPECT_EQ(Str(notes[0], "text").rfind(kNotePrefix, 0), 0u) << Str(notes[0], "text");
  EXPECT_EQ(Str(notes[0], "effective_at"), "2023-07-24T00:00:00Z");
  // Paragraphs are separated by one blank line.
  EXPECT_TRUE(Contains(body, "\n\n"));
  EXPECT_FALSE(Contains(body, "\n\n\n"));
}

TEST_F(CorrectionScenarioTest, ShowJsonHasTheDocumentedFields) {
  json::value s = Show({});
  for (const char* key : {"id", "rev", "version", "kind", "title", "byline", "published_at",
                          "updated_at", "source", "url", "body", "notes", "content_hash"}) {
    EXPECT_TRUE(Has(s, key)) << key << " missing in show --json";
  }
  EXPECT_FALSE(Str(s, "title").empty());
  EXPECT_TRUE(Contains(Str(s, "title"), "Space")) << Str(s, "title");
  // The revision's hash is the one history reports.
  EXPECT_EQ(Str(s, "content_hash"), Str(Revisions()[1], "content_hash"));
  EXPECT_EQ(Str(Show({"--rev", "1"}), "content_hash"), Str(Revisions()[0], "content_hash"));
}

TEST_F(CorrectionScenarioTest, ShowTextNamesRevisionAndNote) {
  std::string out = a().Ok({"show", kScenarioDoc});
  EXPECT_TRUE(Contains(out, "rev 2")) << out;
  EXPECT_TRUE(Contains(out, "Australia, and South Korea")) << out;
  EXPECT_TRUE(Contains(out, kNotePrefix)) << out;
  std::string rev1 = a().Ok({"show", kScenarioDoc, "--rev", "1"});
  EXPECT_TRUE(Contains(rev1, "with Israel and Brazil.")) << rev1;
  EXPECT_FALSE(Contains(rev1, kNotePrefix)) << rev1;
}

TEST_F(CorrectionScenarioTest, AsOfPicksTheRevisionInEffect) {
  EXPECT_EQ(Int(Show({"--as-of", "2023-07-23"}), "rev"), 1);
  EXPECT_EQ(Int(Show({"--as-of", "2023-07-23T23:59:59Z"}), "rev"), 1);
  // A date means the end of that UTC day: the July 24 correction is in effect.
  EXPECT_EQ(Int(Show({"--as-of", "2023-07-24"}), "rev"), 2);
  EXPECT_EQ(Int(Show({"--as-of", "2023-07-24T00:00:00Z"}), "rev"), 2);
  EXPECT_EQ(Int(Show({"--as-of", "2023-07-24T00:00:00"}), "rev"), 2) << "no offset means UTC";
  EXPECT_EQ(Int(Show({"--as-of", "2023-07-23T23:59:59.999999Z"}), "rev"), 1);
  // An offset is honoured: 2023-07-24T01:00+02:00 is 2023-07-23T23:00Z.
  EXPECT_EQ(Int(Show({"--as-of", "2023-07-24T01:00:00+02:00"}), "rev"), 1);
  EXPECT_EQ(Int(Show({"--as-of", "2023-07-20T12:00:00Z"}), "rev"), 1);
  EXPECT_EQ(Int(Show({"--as-of", "2030-01-01"}), "rev"), 2);
  json::value on23 = Show({"--as-of", "2023-07-23"});
  EXPECT_TRUE(Contains(Str(on23, "body"), "with Israel and Brazil."));
}

TEST_F(CorrectionScenarioTest, AsOfBeforeTheFirstRevisionIsNotFound) {
  RunResult r = a().Run({"show", kScenarioDoc, "--as-of", "2023-07-19", "--json"});
  ExpectOneLineError(r, 2);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--as-of", "2023-07-20T11:59:59Z"}), 2);
}

TEST_F(CorrectionScenarioTest, KnownAtPicksWhatTheArchiveHadRecorded) {
  json::array revs = Revisions();
  ASSERT_EQ(revs.size(), 2u);
  const std::string rec1 = Str(revs[0], "recorded_at");
  const std::string rec2 = Str(revs[1], "recorded_at");
  ASSERT_FALSE(rec1.empty());
  EXPECT_EQ(Int(Show({"--known-at", rec1}), "rev"), 1);
  EXPECT_EQ(Int(Show({"--known-at", rec2}), "rev"), 2);
  EXPECT_EQ(Int(Show({"--known-at", "2999-01-01"}), "rev"), 2);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--known-at", "2020-01-01"}), 2);
}

TEST_F(CorrectionScenarioTest, KnownAtCombinesWithAsOfAndRev) {
  json::array revs = Revisions();
  ASSERT_EQ(revs.size(), 2u);
  const std::string rec1 = Str(revs[0], "recorded_at");
  const std::string rec2 = Str(revs[1], "recorded_at");
  // When only rev 1 was known, July 24 still read as rev 1.
  EXPECT_EQ(Int(Show({"--as-of", "2023-07-24", "--known-at", rec1}), "rev"), 1);
  // Once rev 2 was known, July 24 reads as rev 2 but July 23 as rev 1.
  EXPECT_EQ(Int(Show({"--as-of", "2023-07-24", "--known-at", rec2}), "rev"), 2);
  EXPECT_EQ(Int(Show({"--as-of", "2023-07-23", "--known-at", rec2}), "rev"), 1);
  // Nothing in effect on July 19, whatever was known.
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--as-of", "2023-07-19", "--known-at", rec2}),
                     2);
  // --rev 2 was not yet known at rec1.
  EXPECT_EQ(Int(Show({"--rev", "1", "--known-at", rec1}), "rev"), 1);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--rev", "2", "--known-at", rec1}), 2);
}

TEST_F(CorrectionScenarioTest, RawPrintsTheIngestedBytesExactly) {
  RunResult current = a().Run({"show", kScenarioDoc, "--raw"});
  ASSERT_EQ(current.exit_code, 0) << Describe(current);
  EXPECT_EQ(current.out, Fixture(kAfterFixture));
  RunResult rev1 = a().Run({"show", kScenarioDoc, "--raw", "--rev", "1"});
  ASSERT_EQ(rev1.exit_code, 0) << Describe(rev1);
  EXPECT_EQ(rev1.out, Fixture(kBeforeFixture));
  RunResult as_of = a().Run({"show", kScenarioDoc, "--raw", "--as-of", "2023-07-23"});
  ASSERT_EQ(as_of.exit_code, 0) << Describe(as_of);
  EXPECT_EQ(as_of.out, Fixture(kBeforeFixture));
}

TEST_F(CorrectionScenarioTest, BadSelectorsAndUnknownDocuments) {
  auto before = a().Snapshot();
  ExpectOneLineError(a().Run({"show", "no-such-doc"}), 2);
  ExpectOneLineError(a().Run({"show", "no-such-doc", "--json"}), 2);
  ExpectOneLineError(a().Run({"history", "no-such-doc", "--json"}), 2);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--rev", "9"}), 2);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--rev", "3", "--json"}), 2);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--rev", "0"}), 1);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--rev", "-1"}), 1);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--rev", "two"}), 1);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--as-of", "garbage"}), 1);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--as-of", "2023-07-32"}), 1);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--known-at", "garbage"}), 1);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--rev", "1", "--as-of", "2023-07-23"}), 1);
  ExpectOneLineError(a().Run({"show", kScenarioDoc, "--bogus"}), 1);
  ExpectOneLineError(a().Run({"show"}), 1);
  EXPECT_EQ(a().Snapshot(), before) << "read commands must not write";
}

TEST_F(CorrectionScenarioTest, ReadCommandsOnAMissingArchiveAreNotFoundAndCreateNothing) {
  CliArchive empty;
  ExpectOneLineError(empty.Run({"show", kScenarioDoc}), 2);
  ExpectOneLineError(empty.Run({"history", kScenarioDoc}), 2);
  EXPECT_TRUE(empty.Snapshot().empty());
}

}  // namespace
}  // namespace palimpsest::testing
