// `palimpsest correct`: explicit corrections entered by a person — note-only, with a new body,
// kinds, effective times, optimistic concurrency, idempotent retry and bad input.

#include <gtest/gtest.h>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kCorrectedStory = "003_bc5277d4b9ff88ba";

class CorrectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    json::value r =
        a_.IngestFixture("003_bc5277d4b9ff88ba.txt", {"--captured", "2024-12-15T09:00:00Z"});
    ASSERT_EQ(Str(r, "status"), "created");
  }

  json::value Correct(std::vector<std::string> extra) {
    std::vector<std::string> args = {"correct", kCorrectedStory, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return a_.Json(args);
  }

  json::array Revisions() {
    return Arr(a_.Json({"history", kCorrectedStory, "--json"}), "revisions");
  }

  void ExpectRejected(std::vector<std::string> args, int code) {
    auto before = a_.Snapshot();
    ExpectOneLineError(a_.Run(args), code);
    EXPECT_EQ(a_.Snapshot(), before) << "a rejected correction changed the data directory";
  }

  CliArchive a_;
};

TEST_F(CorrectTest, NoteOnlyCorrectionIsANewRevisionKeepingTheBody) {
  json::value before = a_.Json({"show", kCorrectedStory, "--json"});
  json::value r = Correct({"--note", "An earlier version misstated the year of the exercise."});
  EXPECT_EQ(Str(r, "id"), kCorrectedStory);
  EXPECT_EQ(Str(r, "status"), "revised");
  EXPECT_EQ(Int(r, "rev"), 2);
  EXPECT_EQ(Int(r, "version"), 2);
  EXPECT_EQ(Str(r, "kind"), "correction");

  json::value after = a_.Json({"show", kCorrectedStory, "--json"});
  EXPECT_EQ(Int(after, "rev"), 2);
  EXPECT_EQ(Str(after, "kind"), "correction");
  EXPECT_EQ(Str(after, "body"), Str(before, "body"));
  EXPECT_EQ(Str(after, "title"), Str(before, "title"));
  EXPECT_NE(Str(after, "content_hash"), Str(before, "content_hash"));
  const json::array& notes = Arr(after, "notes");
  ASSERT_EQ(notes.size(), Arr(before, "notes").size() + 1);
  EXPECT_EQ(Str(notes.back(), "text"), "An earlier version misstated the year of the exercise.");
  EXPECT_FALSE(IsNull(notes.back(), "effective_at")) << "defaults to when it was recorded";

  json::array revs = Revisions();
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(Str(revs[1], "kind"), "correction");
  EXPECT_EQ(Str(revs[1], "note"), "An earlier version misstated the year of the exercise.");
  EXPECT_FALSE(Bool(revs[1], "stealth"));
  EXPECT_EQ(Int(revs[1], "words_added"), 0);
  EXPECT_EQ(Int(revs[1], "words_removed"), 0);
  // Without --effective the correction takes effect when recorded.
  EXPECT_EQ(Str(revs[1], "effective_at"), Str(revs[1], "recorded_at"));
}

TEST_F(CorrectTest, FileReplacesTheBody) {
  const std::string body_file = a_.Join("body.txt");
  WriteFileOrDie(body_file,
                 "First corrected paragraph about the command's exercise.\n\n"
                 "Second   paragraph,\nwrapped over two lines.\n\n\n"
                 "Third paragraph.\n");
  json::value r = Correct({"--file", body_file, "--note", "The exercise dates were corrected."});
  EXPECT_EQ(Str(r, "status"), "revised");
  EXPECT_EQ(Int(r, "rev"), 2);

  json::value s = a_.Json({"show", kCorrectedStory, "--json"});
  EXPECT_EQ(Str(s, "body"),
            "First corrected paragraph about the command's exercise.\n\n"
            "Second paragraph, wrapped over two lines.\n\n"
            "Third paragraph.");
  json::array revs = Revisions();
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_GT(Int(revs[1], "words_added"), 0);
  EXPECT_GT(Int(revs[1], "words_removed"), 0);
  // The original stays readable.
  json::value rev1 = a_.Json({"show", kCorrectedStory, "--rev", "1", "--json"});
  EXPECT_NE(Str(rev1, "body"), Str(s, "body"));
  // A hand-entered revision has no capture to print raw.
  RunResult raw = a_.Run({"show", kCorrectedStory, "--raw"});
  EXPECT_EQ(raw.exit_code, 2) << Describe(raw);
}

TEST_F(CorrectTest, FileFromStdin) {
  RunResult r =
      a_.Run({"correct", kCorrectedStory, "--file", "-", "--note", "Body replaced.", "--json"},
             "Only paragraph now.\n");
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(Str(a_.Json({"show", kCorrectedStory, "--json"}), "body"), "Only paragraph now.");
}

TEST_F(CorrectTest, KindClarification) {
  json::value r = Correct({"--note", "This story was clarified.", "--kind", "clarification"});
  EXPECT_EQ(Str(r, "kind"), "clarification");
  EXPECT_EQ(Str(Revisions()[1], "kind"), "clarification");
  for (const char* kind : {"update", "editorial", "correction"}) {
    json::value k = Correct({"--note", std::string("A note of kind ") + kind, "--kind", kind});
    EXPECT_EQ(Str(k, "kind"), kind);
  }
  EXPECT_EQ(Revisions().size(), 5u);
}

TEST_F(CorrectTest, EffectiveDateIsTheStartOfThatDay) {
  Correct({"--note", "Corrected the unit's name.", "--effective", "2023-08-01"});
  json::array revs = Revisions();
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(Str(revs[1], "effective_at"), "2023-08-01T00:00:00Z");
  json::value s = a_.Json({"show", kCorrectedStory, "--json"});
  EXPECT_EQ(Str(Arr(s, "notes").back(), "effective_at"), "2023-08-01T00:00:00Z");
  EXPECT_EQ(Int(a_.Json({"show", kCorrectedStory, "--json", "--as-of", "2023-08-01"}), "rev"), 2);
  EXPECT_EQ(Int(a_.Json({"show", kCorrectedStory, "--json", "--as-of", "2023-07-31"}), "rev"), 1);

  Correct({"--note", "A timed correction.", "--effective", "2023-09-01T15:30:00+02:00"});
  EXPECT_EQ(Str(Revisions()[2], "effective_at"), "2023-09-01T13:30:00Z");
}

TEST_F(CorrectTest, ExpectVersionMatching) {
  json::value r = Correct({"--note", "First fix.", "--expect-version", "1"});
  EXPECT_EQ(Int(r, "version"), 2);
  json::value r2 = Correct({"--note", "Second fix.", "--expect-version", "2"});
  EXPECT_EQ(Int(r2, "version"), 3);
  EXPECT_EQ(Int(r2, "rev"), 3);
}

TEST_F(CorrectTest, ExpectVersionMismatchIsAConflictAndWritesNothing) {
  auto before = a_.Snapshot();
  RunResult r =
      a_.Run({"correct", kCorrectedStory, "--note", "Too late.", "--expect-version", "5"});
  ExpectOneLineError(r, 3);
  EXPECT_TRUE(Contains(r.err, "1")) << "names the current version: " << r.err;
  EXPECT_TRUE(Contains(r.err, "version")) << r.err;
  EXPECT_EQ(a_.Snapshot(), before);

  RunResult zero =
      a_.Run({"correct", kCorrectedStory, "--note", "Too late.", "--expect-version", "0"});
  ExpectOneLineError(zero, 3);
  EXPECT_EQ(a_.Snapshot(), before);

  // A stale writer: someone else corrected first.
  Correct({"--note", "Someone else's fix.", "--expect-version", "1"});
  auto after_first = a_.Snapshot();
  RunResult stale =
      a_.Run({"correct", kCorrectedStory, "--note", "My fix.", "--expect-version", "1"});
  ExpectOneLineError(stale, 3);
  EXPECT_TRUE(Contains(stale.err, "2")) << "names the current version 2: " << stale.err;
  EXPECT_EQ(a_.Snapshot(), after_first);
  EXPECT_EQ(Revisions().size(), 2u);
}

TEST_F(CorrectTest, RetryingTheSameCorrectionIsANoOp) {
  json::value first = Correct({"--note", "Fixed a name.", "--effective", "2024-12-16"});
  auto before = a_.Snapshot();
  json::value again = Correct({"--note", "Fixed a name.", "--effective", "2024-12-16"});
  EXPECT_EQ(Int(again, "seq"), Int(first, "seq"));
  EXPECT_TRUE(Bool(again, "duplicate"));
  EXPECT_EQ(Int(again, "rev"), 2);
  EXPECT_EQ(a_.Snapshot(), before);
}

TEST_F(CorrectTest, RetryWithTheSameExpectedVersionReturnsTheOriginalResult) {
  // Appends are idempotent: retrying one with the same event id returns the original result —
  // also when the retry carries the expected version the first attempt already advanced past.
  json::value first =
      Correct({"--note", "Retried fix.", "--expect-version", "1", "--effective", "2024-12-16"});
  auto before = a_.Snapshot();
  RunResult again = a_.Run({"correct", kCorrectedStory, "--json", "--note", "Retried fix.",
                            "--expect-version", "1", "--effective", "2024-12-16"});
  ASSERT_EQ(again.exit_code, 0) << Describe(again);
  json::value r = ParseJson(again.out);
  EXPECT_EQ(Int(r, "seq"), Int(first, "seq"));
  EXPECT_TRUE(Bool(r, "duplicate"));
  EXPECT_EQ(a_.Snapshot(), before);
}

TEST_F(CorrectTest, RecapturingTheSamePageAfterACorrectionIsUnchanged) {
  // The publisher's page has not changed since the first capture; a person recorded a
  // correction in between. Crawling the same page again is an observation of unchanged
  // content — not a new "stealth" update, and the recorded correction stays current.
  Correct({"--note", "The office's name was corrected.", "--effective", "2024-12-16"});
  json::value r =
      a_.IngestFixture("003_bc5277d4b9ff88ba.txt", {"--captured", "2024-12-20T09:00:00Z"});
  EXPECT_EQ(Str(r, "status"), "unchanged") << json::serialize(r);
  EXPECT_EQ(Int(r, "rev"), 2);
  json::array revs = Revisions();
  EXPECT_EQ(revs.size(), 2u) << "a byte-identical re-capture made a new revision: "
                             << json::serialize(revs.back());
  for (const json::value& rev : revs) EXPECT_FALSE(Bool(rev, "stealth")) << json::serialize(rev);
  json::value s = a_.Json({"show", kCorrectedStory, "--json"});
  EXPECT_EQ(Int(s, "rev"), 2);
  ASSERT_FALSE(Arr(s, "notes").empty()) << "the correction's note disappeared";
  EXPECT_EQ(Str(Arr(s, "notes").back(), "text"), "The office's name was corrected.");
}

// Issue #12 (10): the page still showing its old text after a person's `correct --file` is
// an observation of revision 1, not of the corrected revision 2 — rev 2's last_seen_at must
// not claim the page showed text it never showed. Replay derives the same.
TEST_F(CorrectTest, RecapturingTheOldTextAfterACorrectionWithAFileIsSeenOnTheOldRevision) {
  const std::string body = a_.Join("fixed.txt");
  WriteFileOrDie(body, "A corrected first paragraph.\n\nA corrected second paragraph.\n");
  Correct({"--note", "Rewritten by the desk.", "--file", body, "--effective", "2024-12-16"});
  json::value r =
      a_.IngestFixture("003_bc5277d4b9ff88ba.txt", {"--captured", "2024-12-20T09:00:00Z"});
  EXPECT_EQ(Str(r, "status"), "unchanged") << json::serialize(r);
  json::array revs = Revisions();
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(Str(revs[0], "last_seen_at"), "2024-12-20T09:00:00Z");
  EXPECT_NE(Str(revs[1], "last_seen_at"), "2024-12-20T09:00:00Z") << json::serialize(revs[1]);
  const std::string history = a_.Ok({"history", kCorrectedStory, "--json"});
  a_.Ok({"replay"});
  EXPECT_EQ(a_.Ok({"history", kCorrectedStory, "--json"}), history);
}

TEST_F(CorrectTest, UnknownDocumentIsNotFound) {
  ExpectRejected({"correct", "no-such-doc", "--note", "x"}, 2);
  ExpectRejected({"correct", "no-such-doc", "--note", "x", "--expect-version", "0"}, 2);
}

TEST_F(CorrectTest, BadInputIsExitOne) {
  ExpectRejected({"correct", kCorrectedStory, "--note", "x", "--kind", "retraction"}, 1);
  ExpectRejected({"correct", kCorrectedStory, "--note", "x", "--kind", "Correction"}, 1);
  ExpectRejected({"correct", kCorrectedStory, "--note", ""}, 1);
  ExpectRejected({"correct", kCorrectedStory, "--note", "   \t  "}, 1);
  ExpectRejected({"correct", kCorrectedStory}, 1);  // --note is required
  ExpectRejected({"correct", kCorrectedStory, "--note", "x", "--effective", "next tuesday"}, 1);
  ExpectRejected({"correct", kCorrectedStory, "--note", "x", "--expect-version", "-1"}, 1);
  ExpectRejected({"correct", kCorrectedStory, "--note", "x", "--expect-version", "one"}, 1);
  ExpectRejected({"correct", kCorrectedStory, "--note", "x", "--file", a_.Join("missing.txt")}, 1);
  ExpectRejected({"correct", "a b", "--note", "x"}, 1);
  ExpectRejected({"correct", kCorrectedStory, "--note", "bad \xff byte"}, 1);
  std::string empty = a_.Join("empty.txt");
  WriteFileOrDie(empty, "\n\n");
  ExpectRejected({"correct", kCorrectedStory, "--note", "x", "--file", empty}, 1);
  std::string binary = a_.Join("binary.txt");
  WriteFileOrDie(binary, std::string("\xff\xfe\x00"
                                     "abc",
                                     6));
  ExpectRejected({"correct", kCorrectedStory, "--note", "x", "--file", binary}, 1);
  EXPECT_EQ(Revisions().size(), 1u);
}

}  // namespace
}  // namespace palimpsest::testing
