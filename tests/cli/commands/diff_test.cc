// `palimpsest diff` end to end: the correction scenario against golden files (text and unified),
// the JSON shape, `patch` applying the unified output in both directions, the word format,
// colour modes, defaults and argument order, rev 0 (the empty article), and bad input.
//
// Golden files live in tests/fixtures/golden/diff_*.txt and were reviewed by eye. To regenerate
// after a deliberate change, run with PALIMPSEST_UPDATE_GOLDEN=1 and review the git diff.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kDiffedDoc = "001";
constexpr const char* kDiffNote =
    "This story was updated July 24 to clarify additional SETs that took place with Australia "
    "and South Korea.";
constexpr const char* kOldSentence =
    "The Space Force has previously held SETs with Israel and Brazil.";
constexpr const char* kNewSentence =
    "The Space Force has previously held SETs with Israel, Brazil, Australia, and South Korea.";

// Compares `actual` with tests/fixtures/golden/<name>, or rewrites the file when
// PALIMPSEST_UPDATE_GOLDEN is set.
void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = FixturePath("golden/" + name);
  if (const char* update = std::getenv("PALIMPSEST_UPDATE_GOLDEN"); update && *update) {
    WriteFileOrDie(path, actual);
    return;
  }
  EXPECT_EQ(actual, Fixture("golden/" + name)) << "golden file " << path;
}

// Runs `sh -c command`; returns its exit status (or -1).
int Shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
}

// Applies `patch_text` to `original` with GNU patch in `dir`; returns the patched text.
std::string ApplyPatch(const CliArchive& a, const std::string& stem, const std::string& original,
                       const std::string& patch_text) {
  const std::string in = a.Join(stem + ".orig");
  const std::string diff = a.Join(stem + ".patch");
  const std::string out = a.Join(stem + ".out");
  WriteFileOrDie(in, original);
  WriteFileOrDie(diff, patch_text);
  const int rc = Shell("patch --quiet --batch --output='" + out + "' '" + in + "' '" + diff +
                       "' >'" + a.Join(stem + ".log") + "' 2>&1");
  EXPECT_EQ(rc, 0) << "patch failed: " << ReadFileOrDie(a.Join(stem + ".log"));
  if (rc != 0) return "";
  return ReadFileOrDie(out);
}

// The text `git diff --word-diff=plain` marks describe on one side: deletions dropped and
// insertions unwrapped gives the after text; the reverse gives the before text's words.
std::string StripWordMarks(const std::string& marked, bool keep_after) {
  std::string out;
  for (size_t i = 0; i < marked.size();) {
    if (marked.compare(i, 2, "[-") == 0 || marked.compare(i, 2, "{+") == 0) {
      const bool removed = marked[i] == '[';
      const size_t end = marked.find(removed ? "-]" : "+}", i + 2);
      if (end == std::string::npos) return out + marked.substr(i);
      if (removed != keep_after) out += marked.substr(i + 2, end - i - 2);
      i = end + 2;
      continue;
    }
    out += marked[i++];
  }
  return out;
}

class DiffTest : public ::testing::Test {
 protected:
  // One archive for the suite; the tests here only read it.
  static void SetUpTestSuite() {
    archive_ = new CliArchive();
    archive_->IngestFixture(kBeforeFixture, {"--id", kDiffedDoc, "--captured", kBeforeCaptured});
    archive_->IngestFixture(kAfterFixture, {"--id", kDiffedDoc, "--captured", kAfterCaptured});
  }
  static void TearDownTestSuite() {
    delete archive_;
    archive_ = nullptr;
  }

  const CliArchive& a() const { return *archive_; }

  std::string Body(int rev) const {
    return Str(a().Json({"show", kDiffedDoc, "--rev", std::to_string(rev), "--json"}), "body");
  }

  static CliArchive* archive_;
};

CliArchive* DiffTest::archive_ = nullptr;

TEST_F(DiffTest, TextShowsExactlyTheSetSentenceAndTheNote) {
  const std::string out = a().Ok({"diff", kDiffedDoc});
  ExpectGolden("diff_001_correction.txt", out);
  // The same facts, independent of the golden file's layout.
  EXPECT_EQ(out.rfind(std::string("diff 001 rev 1 (original) → rev 2 (correction"), 0), 0u) << out;
  EXPECT_TRUE(
      Contains(out, "[-Israel and Brazil.-]{+Israel, Brazil, Australia, and South Korea.+}"))
      << out;
  EXPECT_TRUE(Contains(out, std::string("+ note: ") + kDiffNote)) << out;
  EXPECT_TRUE(Contains(out, "words: +5 -2")) << out;
  EXPECT_FALSE(Contains(out, "title:")) << out;
  EXPECT_EQ(Lines(out).size(), 8u) << out;
}

TEST_F(DiffTest, DefaultIsPreviousToCurrent) {
  EXPECT_EQ(a().Ok({"diff", kDiffedDoc, "1", "2"}), a().Ok({"diff", kDiffedDoc}));
  EXPECT_EQ(a().Ok({"diff", kDiffedDoc, "1"}), a().Ok({"diff", kDiffedDoc}));
  EXPECT_EQ(a().Ok({"diff", kDiffedDoc, "1", "2", "--json"}),
            a().Ok({"diff", kDiffedDoc, "--json"}));
}

TEST_F(DiffTest, ReverseOrderIsTheReverseDiff) {
  const std::string out = a().Ok({"diff", kDiffedDoc, "2", "1"});
  ExpectGolden("diff_001_reverse.txt", out);
  EXPECT_EQ(out.rfind("diff 001 rev 2 (correction) → rev 1 (original", 0), 0u) << out;
  EXPECT_TRUE(
      Contains(out, "[-Israel, Brazil, Australia, and South Korea.-]{+Israel and Brazil.+}"))
      << out;
  EXPECT_TRUE(Contains(out, std::string("- note: ") + kDiffNote)) << out;
  EXPECT_TRUE(Contains(out, "words: +2 -5")) << out;
}

TEST_F(DiffTest, JsonHasOneReplacedParagraphWithOneChangedSentenceAndOneNote) {
  const json::value d = a().Json({"diff", kDiffedDoc, "--json"});
  EXPECT_EQ(Str(d, "id"), kDiffedDoc);
  const json::array history = Arr(a().Json({"history", kDiffedDoc, "--json"}), "revisions");
  ASSERT_EQ(history.size(), 2u);
  const json::value& from = Field(d, "from");
  const json::value& to = Field(d, "to");
  EXPECT_EQ(Int(from, "rev"), 1);
  EXPECT_EQ(Str(from, "kind"), "original");
  EXPECT_EQ(Str(from, "content_hash"), Str(history[0], "content_hash"));
  EXPECT_EQ(Int(to, "rev"), 2);
  EXPECT_EQ(Str(to, "kind"), "correction");
  EXPECT_EQ(Str(to, "note"), kDiffNote);
  EXPECT_EQ(Str(to, "content_hash"), Str(history[1], "content_hash"));

  EXPECT_TRUE(Arr(d, "fields").empty()) << json::serialize(d);
  const json::array& notes = Arr(d, "notes");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(Str(notes[0], "op"), "insert");
  EXPECT_EQ(Str(notes[0], "text"), kDiffNote);
  EXPECT_EQ(Str(notes[0], "effective_at"), "2023-07-24T00:00:00Z");
  EXPECT_EQ(Int(d, "words_added"), 5);
  EXPECT_EQ(Int(d, "words_removed"), 2);

  const std::string before_body = Body(1);
  const std::string after_body = Body(2);
  std::vector<json::value> changed;
  int64_t before_paragraphs = 0, after_paragraphs = 0;
  for (const json::value& h : Arr(d, "body")) {
    before_paragraphs += Int(h, "before_count");
    after_paragraphs += Int(h, "after_count");
    if (Str(h, "op") == "equal") {
      // Equal hunks carry positions only.
      EXPECT_FALSE(Has(h, "before_text")) << json::serialize(h);
      EXPECT_FALSE(Has(h, "sentences")) << json::serialize(h);
      EXPECT_EQ(before_body.substr(Int(h, "before_offset"), Int(h, "before_length")),
                after_body.substr(Int(h, "after_offset"), Int(h, "after_length")));
      continue;
    }
    changed.push_back(h);
  }
  // Every paragraph of both bodies is covered once.
  EXPECT_EQ(before_paragraphs, 10);
  EXPECT_EQ(after_paragraphs, 10);
  ASSERT_EQ(changed.size(), 1u) << json::serialize(d);
  const json::value& h = changed[0];
  EXPECT_EQ(Str(h, "op"), "replace");
  EXPECT_EQ(Int(h, "before_index"), 5);
  EXPECT_EQ(Int(h, "after_index"), 5);
  EXPECT_EQ(Int(h, "before_count"), 1);
  EXPECT_EQ(Int(h, "after_count"), 1);
  EXPECT_EQ(Str(h, "before_text"), kOldSentence);
  EXPECT_EQ(Str(h, "after_text"), kNewSentence);
  EXPECT_EQ(before_body.substr(Int(h, "before_offset"), Int(h, "before_length")), kOldSentence);
  EXPECT_EQ(after_body.substr(Int(h, "after_offset"), Int(h, "after_length")), kNewSentence);
  EXPECT_EQ(Int(h, "words_added"), 5);
  EXPECT_EQ(Int(h, "words_removed"), 2);

  std::vector<json::value> sentences;
  for (const json::value& s : Arr(h, "sentences")) {
    if (Str(s, "op") != "equal") sentences.push_back(s);
  }
  ASSERT_EQ(sentences.size(), 1u) << json::serialize(h);
  const json::value& s = sentences[0];
  EXPECT_EQ(Str(s, "op"), "replace");
  EXPECT_EQ(Str(s, "before"), kOldSentence);
  EXPECT_EQ(Str(s, "after"), kNewSentence);
  std::string inserted, deleted;
  for (const json::value& w : Arr(s, "words")) {
    const std::string op = Str(w, "op");
    ASSERT_TRUE(op == "insert" || op == "delete") << json::serialize(w);
    const std::string& body = op == "insert" ? after_body : before_body;
    EXPECT_EQ(body.substr(Int(w, "offset"), Int(w, "length")), Str(w, "text"));
    (op == "insert" ? inserted : deleted) += Str(w, "text") + "|";
  }
  EXPECT_TRUE(Contains(inserted, "Australia")) << inserted;
  EXPECT_TRUE(Contains(inserted, "South Korea.")) << inserted;
  EXPECT_TRUE(Contains(deleted, "Brazil.")) << deleted;
}

TEST_F(DiffTest, JsonReverseSwapsSides) {
  const json::value d = a().Json({"diff", kDiffedDoc, "2", "1", "--json"});
  EXPECT_EQ(Int(Field(d, "from"), "rev"), 2);
  EXPECT_EQ(Int(Field(d, "to"), "rev"), 1);
  EXPECT_EQ(Str(Field(d, "to"), "note"), "");
  const json::array& notes = Arr(d, "notes");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(Str(notes[0], "op"), "delete");
  EXPECT_EQ(Int(d, "words_added"), 2);
  EXPECT_EQ(Int(d, "words_removed"), 5);
  int replaced = 0;
  for (const json::value& h : Arr(d, "body")) {
    if (Str(h, "op") == "equal") continue;
    ++replaced;
    EXPECT_EQ(Str(h, "op"), "replace");
    EXPECT_EQ(Str(h, "before_text"), kNewSentence);
    EXPECT_EQ(Str(h, "after_text"), kOldSentence);
  }
  EXPECT_EQ(replaced, 1);
}

TEST_F(DiffTest, UnifiedAppliesWithPatchBothWays) {
  const std::string rev1 = Body(1);
  const std::string rev2 = Body(2);
  ASSERT_NE(rev1, rev2);
  const std::string forward = a().Ok({"diff", kDiffedDoc, "--format", "unified"});
  ExpectGolden("diff_001_unified.txt", forward);
  EXPECT_EQ(forward.rfind("--- 001@rev 1\n+++ 001@rev 2\n@@ ", 0), 0u) << forward;
  EXPECT_EQ(ApplyPatch(a(), "forward", rev1, forward), rev2);

  const std::string backward = a().Ok({"diff", kDiffedDoc, "2", "1", "--format", "unified"});
  EXPECT_EQ(backward.rfind("--- 001@rev 2\n+++ 001@rev 1\n@@ ", 0), 0u) << backward;
  EXPECT_EQ(ApplyPatch(a(), "backward", rev2, backward), rev1);
}

TEST_F(DiffTest, WordFormatMarksTheBody) {
  const std::string out = a().Ok({"diff", kDiffedDoc, "--format", "word"});
  EXPECT_TRUE(Contains(out, "[-")) << out;
  EXPECT_TRUE(Contains(out, "{+")) << out;
  EXPECT_TRUE(Contains(out, "{+South Korea.+}")) << out;
  // The marks describe the edit: dropping them one way or the other gives each body.
  ASSERT_FALSE(out.empty());
  const std::string marked = out.substr(0, out.size() - 1);  // the final newline we add
  EXPECT_EQ(StripWordMarks(marked, true), Body(2));
  EXPECT_EQ(StripWordMarks(marked, false), Body(1));
}

TEST_F(DiffTest, ColorModes) {
  const std::string never = a().Ok({"diff", kDiffedDoc, "--color", "never"});
  EXPECT_EQ(never.find('\x1b'), std::string::npos) << never;
  EXPECT_EQ(never, a().Ok({"diff", kDiffedDoc}));
  // auto: the test's pipe is not a terminal.
  EXPECT_EQ(a().Ok({"diff", kDiffedDoc, "--color", "auto"}), never);

  const std::string always = a().Ok({"diff", kDiffedDoc, "--color", "always"});
  EXPECT_NE(always.find('\x1b'), std::string::npos) << always;
  EXPECT_FALSE(Contains(always, "[-")) << always;
  EXPECT_TRUE(Contains(always, "South Korea.")) << always;
  // Colour never reaches the machine-readable formats.
  EXPECT_EQ(a().Ok({"diff", kDiffedDoc, "--color", "always", "--format", "unified"}).find('\x1b'),
            std::string::npos);
  EXPECT_EQ(a().Ok({"diff", kDiffedDoc, "--color", "always", "--json"}).find('\x1b'),
            std::string::npos);
}

TEST_F(DiffTest, SameRevisionHasNoChanges) {
  const std::string out = a().Ok({"diff", kDiffedDoc, "2", "2"});
  EXPECT_TRUE(Contains(out, "(no changes)")) << out;
  EXPECT_EQ(a().Ok({"diff", kDiffedDoc, "1", "1", "--format", "unified"}), "");
  const json::value d = a().Json({"diff", kDiffedDoc, "1", "1", "--json"});
  EXPECT_TRUE(Arr(d, "notes").empty());
  EXPECT_EQ(Int(d, "words_added"), 0);
  for (const json::value& h : Arr(d, "body")) EXPECT_EQ(Str(h, "op"), "equal");
}

TEST_F(DiffTest, BadInput) {
  ExpectOneLineError(a().Run({"diff", "no-such-doc"}), 2);
  const RunResult rev5 = a().Run({"diff", kDiffedDoc, "5"});
  ExpectOneLineError(rev5, 2);
  EXPECT_TRUE(Contains(rev5.err, "rev 5")) << rev5.err;
  EXPECT_TRUE(Contains(rev5.err, "1–2")) << rev5.err;
  ExpectOneLineError(a().Run({"diff", kDiffedDoc, "1", "3"}), 2);
  ExpectOneLineError(a().Run({"diff", kDiffedDoc, "1", "99999999999999999999999"}), 2);
  const RunResult abc = a().Run({"diff", kDiffedDoc, "abc"});
  ExpectOneLineError(abc, 1);
  EXPECT_TRUE(Contains(abc.err, "'abc'")) << abc.err;
  ExpectOneLineError(a().Run({"diff", kDiffedDoc, "1", "two"}), 1);
  ExpectOneLineError(a().Run({"diff", kDiffedDoc, "1.5"}), 1);
  ExpectOneLineError(a().Run({"diff", kDiffedDoc, "--color", "bogus"}), 1);
  ExpectOneLineError(a().Run({"diff", kDiffedDoc, "--format", "bogus"}), 1);
  ExpectOneLineError(a().Run({"diff", kDiffedDoc, "--json", "--format", "word"}), 1);
  ExpectOneLineError(a().Run({"diff"}), 1);
  CliArchive empty;
  ExpectOneLineError(empty.Run({"diff", kDiffedDoc}), 2);  // no archive at all
}

TEST(DiffSingleRevisionTest, DiffsAgainstTheEmptyArticle) {
  CliArchive a;
  a.IngestText("solo", SampleArticle(), "2024-03-01T10:00:00Z");
  const std::string body = Str(a.Json({"show", "solo", "--json"}), "body");

  const std::string out = a.Ok({"diff", "solo"});
  EXPECT_EQ(out.rfind("diff solo rev 0 (empty) → rev 1 (original", 0), 0u) << out;
  EXPECT_TRUE(Contains(out, "(added):")) << out;
  EXPECT_EQ(a.Ok({"diff", "solo", "0", "1"}), out);
  EXPECT_EQ(a.Ok({"diff", "solo", "0"}), out);

  const json::value d = a.Json({"diff", "solo", "--json"});
  EXPECT_EQ(Int(Field(d, "from"), "rev"), 0);
  EXPECT_EQ(Str(Field(d, "from"), "kind"), "empty");
  EXPECT_TRUE(IsNull(Field(d, "from"), "content_hash"));
  const json::array& body_hunks = Arr(d, "body");
  ASSERT_EQ(body_hunks.size(), 1u) << json::serialize(d);
  EXPECT_EQ(Str(body_hunks[0], "op"), "insert");
  EXPECT_EQ(Str(body_hunks[0], "after_text"), body);

  // Patching an empty file gives the whole body.
  EXPECT_EQ(ApplyPatch(a, "solo", "", a.Ok({"diff", "solo", "--format", "unified"})), body);

  const RunResult two = a.Run({"diff", "solo", "2"});
  ExpectOneLineError(two, 2);
  EXPECT_TRUE(Contains(two.err, "only revision is 1")) << two.err;
}

TEST(DiffFieldsTest, TitleChangeIsAFieldChange) {
  CliArchive a;
  a.IngestText("t", SampleArticle("Test Article About Orbital Debris"), "2024-03-01T10:00:00Z");
  a.IngestText("t",
               SampleArticle("Test Article About Orbital Junk", " It was the third such event."),
               "2024-03-02T10:00:00Z");
  const json::value d = a.Json({"diff", "t", "--json"});
  const json::array& fields = Arr(d, "fields");
  ASSERT_EQ(fields.size(), 1u) << json::serialize(d);
  EXPECT_EQ(Str(fields[0], "field"), "title");
  EXPECT_EQ(Str(fields[0], "before"), "Test Article About Orbital Debris");
  EXPECT_EQ(Str(fields[0], "after"), "Test Article About Orbital Junk");
  EXPECT_EQ(Int(d, "words_added"), 6);
  EXPECT_EQ(Int(d, "words_removed"), 0);

  const std::string out = a.Ok({"diff", "t"});
  EXPECT_TRUE(Contains(out,
                       "title: [-Test Article About Orbital Debris-] → "
                       "{+Test Article About Orbital Junk+}"))
      << out;
  EXPECT_TRUE(Contains(out, "{+It was the third such event.+}")) << out;
  // The unified format stays the body only.
  EXPECT_FALSE(Contains(a.Ok({"diff", "t", "--format", "unified"}), "Orbital Junk"));
}

// Redaction is another command; this runs once it exists (`redact DOC --rev N --reason TEXT`).
TEST(DiffRedactedTest, RedactedRevisionIsNotServed) {
  CliArchive a;
  a.IngestFixture(kBeforeFixture, {"--id", kDiffedDoc, "--captured", kBeforeCaptured});
  a.IngestFixture(kAfterFixture, {"--id", kDiffedDoc, "--captured", kAfterCaptured});
  const RunResult help = RunCli({"--help"});
  if (!Contains(help.out, "\n  redact ")) GTEST_SKIP() << "no redact command yet";
  const RunResult redact = a.Run({"redact", kDiffedDoc, "--rev", "1", "--reason", "personal data"});
  ASSERT_EQ(redact.exit_code, 0) << Describe(redact);
  for (const std::vector<std::string>& args : {std::vector<std::string>{"diff", kDiffedDoc},
                                               {"diff", kDiffedDoc, "2", "1"},
                                               {"diff", kDiffedDoc, "--json"},
                                               {"diff", kDiffedDoc, "--format", "unified"}}) {
    const RunResult r = a.Run(args);
    ExpectOneLineError(r, 2);
    EXPECT_TRUE(Contains(r.err, "rev 1 is redacted: personal data")) << r.err;
  }
  EXPECT_TRUE(Contains(a.Ok({"diff", kDiffedDoc, "0", "2"}), "South Korea"));
}

}  // namespace
}  // namespace palimpsest::testing
