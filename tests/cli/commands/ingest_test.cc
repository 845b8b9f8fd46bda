// `palimpsest ingest`: first capture, idempotent re-ingest, unchanged observations, stealth
// edits, doc id defaults, and bad input that must exit 1 and write nothing.

#include <gtest/gtest.h>

#include <set>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kIngestedDoc = "000_99c9495df02aabac";
constexpr const char* kFixture = "000_99c9495df02aabac.txt";

TEST(IngestTest, FirstCaptureCreatesRevisionOne) {
  CliArchive a;
  json::value r = a.IngestFixture(kFixture, {"--captured", "2024-12-15T09:00:00Z"});
  EXPECT_EQ(Str(r, "id"), kIngestedDoc);
  EXPECT_EQ(Int(r, "rev"), 1);
  EXPECT_EQ(Int(r, "version"), 1);
  EXPECT_EQ(Str(r, "status"), "created");
  EXPECT_EQ(Str(r, "kind"), "original") << "the first revision's kind (documents.h)";
  EXPECT_EQ(Int(r, "seq"), 1);
  EXPECT_FALSE(Bool(r, "duplicate"));

  json::value h = a.Json({"history", kIngestedDoc, "--json"});
  ASSERT_EQ(Arr(h, "revisions").size(), 1u);
  const json::value& rev1 = Arr(h, "revisions")[0];
  EXPECT_EQ(Int(rev1, "rev"), 1);
  EXPECT_EQ(Str(rev1, "captured_at"), "2024-12-15T09:00:00Z");
  EXPECT_FALSE(Bool(rev1, "stealth"));
}

TEST(IngestTest, JsonOutputHasExactlyTheDocumentedKeys) {
  CliArchive a;
  json::value r = a.IngestFixture(kFixture, {"--captured", "2024-12-15T09:00:00Z"});
  ASSERT_TRUE(r.is_object());
  std::set<std::string> keys;
  for (const auto& kv : r.get_object()) keys.insert(std::string(kv.key()));
  EXPECT_EQ(keys,
            (std::set<std::string>{"id", "rev", "version", "status", "kind", "seq", "duplicate"}));
}

TEST(IngestTest, TextOutputIsOneLineNamingTheStatus) {
  CliArchive a;
  RunResult r = a.Run({"ingest", FixturePath(kFixture), "--captured", "2024-12-15T09:00:00Z"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(Lines(r.out).size(), 1u) << r.out;
  EXPECT_TRUE(Contains(r.out, kIngestedDoc)) << r.out;
  EXPECT_TRUE(Contains(r.out, "created")) << r.out;
}

TEST(IngestTest, ReingestingTheSameFileAtTheSameTimeIsANoOp) {
  CliArchive a;
  json::value first = a.IngestFixture(kFixture, {"--captured", "2024-12-15T09:00:00Z"});
  auto before = a.Snapshot();
  size_t log_before = a.LogLength();

  json::value again = a.IngestFixture(kFixture, {"--captured", "2024-12-15T09:00:00Z"});
  EXPECT_EQ(Int(again, "seq"), Int(first, "seq"));
  EXPECT_TRUE(Bool(again, "duplicate"));
  EXPECT_EQ(Int(again, "rev"), 1);
  EXPECT_EQ(Int(again, "version"), 1);
  EXPECT_EQ(a.LogLength(), log_before);
  EXPECT_EQ(a.Snapshot(), before) << "a duplicate ingest wrote to the data directory";
}

TEST(IngestTest, SameContentAtANewTimeIsAnUnchangedObservation) {
  CliArchive a;
  a.IngestFixture(kFixture, {"--captured", "2024-12-15T09:00:00Z"});
  json::value r = a.IngestFixture(kFixture, {"--captured", "2024-12-20T10:30:00Z"});
  EXPECT_EQ(Str(r, "status"), "unchanged");
  EXPECT_EQ(Int(r, "rev"), 1);
  EXPECT_EQ(Int(r, "version"), 2);
  EXPECT_EQ(Int(r, "seq"), 2);
  EXPECT_FALSE(Bool(r, "duplicate"));
  EXPECT_EQ(a.LogLength(), 2u);

  json::value h = a.Json({"history", kIngestedDoc, "--json"});
  const json::array& revs = Arr(h, "revisions");
  ASSERT_EQ(revs.size(), 1u);
  EXPECT_EQ(Str(revs[0], "captured_at"), "2024-12-15T09:00:00Z");
  EXPECT_EQ(Str(revs[0], "last_seen_at"), "2024-12-20T10:30:00Z");
}

TEST(IngestTest, WhitespaceOnlyChangeIsUnchanged) {
  CliArchive a;
  const std::string text = SampleArticle();
  a.IngestText("ws-doc", text, "2024-01-01T00:00:00Z");
  // More spaces inside paragraphs, trailing spaces, CRLF line ends, extra blank lines.
  std::string noisy;
  for (char c : text) {
    if (c == ' ')
      noisy += "  ";
    else if (c == '\n')
      noisy += "  \r\n";
    else
      noisy += c;
  }
  noisy = "\n\n" + noisy + "\n\n\n";
  json::value r = a.IngestText("ws-doc", noisy, "2024-01-02T00:00:00Z");
  EXPECT_EQ(Str(r, "status"), "unchanged");
  EXPECT_EQ(Int(r, "rev"), 1);
  EXPECT_EQ(Int(r, "version"), 2);
  EXPECT_EQ(Arr(a.Json({"history", "ws-doc", "--json"}), "revisions").size(), 1u);
}

TEST(IngestTest, UnicodeNormalizationAndNonBreakingSpacesAreUnchanged) {
  CliArchive a;
  // "Café" precomposed (U+00E9), then decomposed (e + U+0301), then with a no-break space.
  json::value first = a.IngestText(
      "nfc-doc", SampleArticle("Caf\xc3\xa9 Opens Downtown After Long Delay"), "2024-01-01");
  EXPECT_EQ(Str(first, "status"), "created");
  json::value decomposed = a.IngestText(
      "nfc-doc", SampleArticle("Cafe\xcc\x81 Opens Downtown After Long Delay"), "2024-01-02");
  EXPECT_EQ(Str(decomposed, "status"), "unchanged");
  json::value nbsp = a.IngestText("nfc-doc",
                                  SampleArticle("Caf\xc3\xa9 Opens\xc2\xa0"
                                                "Downtown After Long Delay"),
                                  "2024-01-03");
  EXPECT_EQ(Str(nbsp, "status"), "unchanged");
  EXPECT_EQ(Str(a.Json({"show", "nfc-doc", "--json"}), "title"),
            "Caf\xc3\xa9 Opens Downtown After Long Delay");
  // --raw still gives each capture's own bytes.
  EXPECT_EQ(a.Ok({"show", "nfc-doc", "--raw"}),
            SampleArticle("Caf\xc3\xa9 Opens Downtown After Long Delay"));
}

TEST(IngestTest, SubstantiveChangeWithoutANoteIsAStealthUpdate) {
  CliArchive a;
  a.IngestText("stealth-doc", SampleArticle(), "2024-01-01T00:00:00Z");
  json::value r = a.IngestText(
      "stealth-doc",
      SampleArticle("Test Article About Orbital Debris",
                    " A second agency later disputed the count, saying it was closer to twenty."),
      "2024-01-03T00:00:00Z");
  EXPECT_EQ(Str(r, "status"), "revised");
  EXPECT_EQ(Int(r, "rev"), 2);
  EXPECT_EQ(Int(r, "version"), 2);
  EXPECT_EQ(Str(r, "kind"), "update");

  json::value h = a.Json({"history", "stealth-doc", "--json"});
  const json::array& revs = Arr(h, "revisions");
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(Str(revs[1], "kind"), "update");
  EXPECT_TRUE(Bool(revs[1], "stealth"));
  EXPECT_EQ(Str(revs[1], "note"), "");
  EXPECT_GT(Int(revs[1], "words_added"), 0);
  EXPECT_FALSE(Bool(revs[0], "stealth"));

  RunResult text = a.Run({"ingest", a.Join("input-1.txt"), "--id", "stealth-doc", "--captured",
                          "2024-01-03T00:00:00Z"});
  ASSERT_EQ(text.exit_code, 0) << Describe(text);
  EXPECT_TRUE(Contains(text.out, "stealth")) << text.out;
}

TEST(IngestTest, DocIdDefaultsToTheFileBaseNameBeforeTheFirstDot) {
  CliArchive a;
  json::value r = a.IngestFixture(kBeforeFixture, {"--captured", kBeforeCaptured});
  EXPECT_EQ(Str(r, "id"), kScenarioDoc) << "001_….before-correction.txt → 001_…";

  // A copy with a different directory and a multi-dot name.
  std::string path = a.Join("my-story.v2.txt");
  WriteFileOrDie(path, SampleArticle());
  RunResult out = a.Run({"ingest", path, "--json", "--captured", "2024-01-01"});
  ASSERT_EQ(out.exit_code, 0) << Describe(out);
  EXPECT_EQ(Str(ParseJson(out.out), "id"), "my-story");
  EXPECT_EQ(a.Run({"show", "my-story", "--json"}).exit_code, 0);
}

TEST(IngestTest, DocIdComesFromTheUrlWhenGiven) {
  CliArchive a;
  json::value r = a.IngestFixture(
      kFixture, {"--url", "https://WWW.Example.COM/news/story-1/?utm_source=feed#comments",
                 "--captured", "2024-12-15T09:00:00Z"});
  std::string id = Str(r, "id");
  EXPECT_NE(id, kIngestedDoc) << "--url must win over the file name";
  EXPECT_EQ(id.rfind("www.example.com", 0), 0u) << id;
  EXPECT_TRUE(Contains(id, "story-1")) << id;
  EXPECT_FALSE(Contains(id, "utm")) << id;
  EXPECT_FALSE(Contains(id, "/")) << id;

  // The same URL spelt differently is the same document.
  json::value again = a.IngestFixture(kFixture, {"--url", "http://www.example.com/news/story-1",
                                                 "--captured", "2024-12-16T09:00:00Z"});
  EXPECT_EQ(Str(again, "id"), id);
  EXPECT_EQ(Str(again, "status"), "unchanged");

  json::value show = a.Json({"show", id, "--json"});
  EXPECT_TRUE(Contains(Str(show, "url"), "example.com")) << Str(show, "url");

  // An explicit --id wins over --url.
  json::value explicit_id = a.IngestFixture(kFixture, {"--url", "https://example.com/x", "--id",
                                                       "chosen-id", "--captured", "2024-12-15"});
  EXPECT_EQ(Str(explicit_id, "id"), "chosen-id");
}

TEST(IngestTest, LongUrlsAndOddFileNamesStillGiveValidIds) {
  CliArchive a;
  json::value r =
      a.IngestFixture(kFixture, {"--url", "https://example.com/" + std::string(300, 'p') + "/story",
                                 "--captured", "2024-12-15"});
  const std::string id = Str(r, "id");
  EXPECT_LE(id.size(), 200u) << id;
  EXPECT_FALSE(Contains(id, "/")) << id;
  EXPECT_EQ(a.Run({"show", id, "--json"}).exit_code, 0);

  std::string odd = a.Join("my story (draft).txt");
  WriteFileOrDie(odd, SampleArticle());
  RunResult out = a.Run({"ingest", odd, "--json", "--captured", "2024-01-01"});
  ASSERT_EQ(out.exit_code, 0) << Describe(out);
  const std::string odd_id = Str(ParseJson(out.out), "id");
  EXPECT_FALSE(Contains(odd_id, " ")) << odd_id;
  EXPECT_EQ(a.Run({"show", odd_id, "--json"}).exit_code, 0);
}

TEST(IngestTest, CapturedTimeWithAnOffsetIsStoredInUtc) {
  CliArchive a;
  a.IngestFixture(kFixture, {"--captured", "2023-07-20T14:00:00+02:00"});
  json::value h = a.Json({"history", kIngestedDoc, "--json"});
  EXPECT_EQ(Str(Arr(h, "revisions")[0], "captured_at"), "2023-07-20T12:00:00Z");
  // Date-only captures mean the start of that day.
  a.IngestFixture(kFixture, {"--id", "date-only", "--captured", "2023-07-21"});
  json::value d = a.Json({"history", "date-only", "--json"});
  EXPECT_EQ(Str(Arr(d, "revisions")[0], "captured_at"), "2023-07-21T00:00:00Z");
}

TEST(IngestTest, StdinNeedsAnId) {
  CliArchive a;
  const std::string text = Fixture(kFixture);
  RunResult no_id = a.Run({"ingest", "-", "--captured", "2024-12-15T09:00:00Z"}, text);
  ExpectOneLineError(no_id, 1);
  EXPECT_TRUE(a.Snapshot().empty()) << "nothing may be created";

  RunResult with_id = a.Run(
      {"ingest", "-", "--id", "from-stdin", "--captured", "2024-12-15T09:00:00Z", "--json"}, text);
  ASSERT_EQ(with_id.exit_code, 0) << Describe(with_id);
  json::value r = ParseJson(with_id.out);
  EXPECT_EQ(Str(r, "id"), "from-stdin");
  EXPECT_EQ(Str(r, "status"), "created");
  RunResult raw = a.Run({"show", "from-stdin", "--raw"});
  ASSERT_EQ(raw.exit_code, 0) << Describe(raw);
  EXPECT_EQ(raw.out, text);
}

// Each bad input: exit 1, one line on stderr, and the data directory byte-identical.
class IngestBadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_.IngestFixture(kFixture, {"--captured", "2024-12-15T09:00:00Z"});
    before_ = a_.Snapshot();
    ASSERT_FALSE(before_.empty());
  }

  void ExpectRejected(std::vector<std::string> args, const std::string& stdin_data = "") {
    RunResult r = a_.Run(args, stdin_data);
    ExpectOneLineError(r, 1);
    EXPECT_EQ(a_.Snapshot(), before_) << "a rejected ingest changed the data directory";
  }

  std::string WriteInput(const std::string& name, const std::string& bytes) {
    std::string path = a_.Join(name);
    WriteFileOrDie(path, bytes);
    return path;
  }

  CliArchive a_;
  std::vector<std::pair<std::string, std::string>> before_;
};

TEST_F(IngestBadInputTest, MissingFile) {
  ExpectRejected({"ingest", a_.Join("no-such-file.txt"), "--id", "x"});
}

TEST_F(IngestBadInputTest, Directory) { ExpectRejected({"ingest", a_.scratch(), "--id", "x"}); }

TEST_F(IngestBadInputTest, EmptyFile) {
  ExpectRejected({"ingest", WriteInput("empty.txt", ""), "--id", "x"});
  ExpectRejected({"ingest", "-", "--id", "x"}, "");
}

TEST_F(IngestBadInputTest, WhitespaceOnlyFile) {
  ExpectRejected({"ingest", WriteInput("blank.txt", " \n\n\t \n"), "--id", "x"});
}

TEST_F(IngestBadInputTest, BinaryBytes) {
  ExpectRejected({"ingest",
                  WriteInput("binary.txt", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)),
                  "--id", "x"});
  ExpectRejected({"ingest",
                  WriteInput("nul.txt", std::string("Title\n\nBody with a NUL \x00 in it.\n", 30)),
                  "--id", "x"});
}

TEST_F(IngestBadInputTest, InvalidIds) {
  std::string good = WriteInput("good.txt", SampleArticle());
  ExpectRejected({"ingest", good, "--id", "a b"});
  ExpectRejected({"ingest", good, "--id", "a/b"});
  ExpectRejected({"ingest", good, "--id", std::string(201, 'x')});
  ExpectRejected({"ingest", good, "--id", "caf\xc3\xa9"});
}

TEST_F(IngestBadInputTest, LongestValidIdIsAccepted) {
  std::string good = WriteInput("good.txt", SampleArticle());
  RunResult r =
      a_.Run({"ingest", good, "--id", std::string(200, 'x'), "--json", "--captured", "2024-01-01"});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
}

TEST_F(IngestBadInputTest, BadCapturedTimes) {
  std::string good = WriteInput("good.txt", SampleArticle());
  ExpectRejected({"ingest", good, "--id", "x", "--captured", "yesterday"});
  ExpectRejected({"ingest", good, "--id", "x", "--captured", "2023-13-01"});
  ExpectRejected({"ingest", good, "--id", "x", "--captured", "2023-02-30"});
  ExpectRejected({"ingest", good, "--id", "x", "--captured", "2023-07-20T25:00:00Z"});
}

TEST_F(IngestBadInputTest, UnknownOptionAndMissingArgument) {
  std::string good = WriteInput("good.txt", SampleArticle());
  ExpectRejected({"ingest", good, "--id", "x", "--no-such-option"});
  ExpectRejected({"ingest"});
  ExpectRejected({"no-such-command"});
  ExpectRejected({});  // no subcommand
}

TEST(IngestTest, BadInputOnAFreshDirectoryCreatesNothing) {
  CliArchive a;
  std::string path = a.Join("binary.bin");
  WriteFileOrDie(path, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  ExpectOneLineError(a.Run({"ingest", path, "--id", "x"}), 1);
  EXPECT_TRUE(a.Snapshot().empty());
}

}  // namespace
}  // namespace palimpsest::testing
