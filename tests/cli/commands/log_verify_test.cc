// `palimpsest log`, `stats` and `verify`: the event log as JSON Lines with its hash chain,
// filters, counts, and verify catching a byte flipped inside a stored event.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kObservedDoc = "000_99c9495df02aabac";
constexpr const char* kCorrectedDoc = "003_bc5277d4b9ff88ba";

// The scenario (2 captures), the other 4 articles, an unchanged re-capture of 000 and an
// explicit correction of 003: 8 events, 5 documents, 7 revisions.
class LogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    archive_ = new CliArchive();
    archive_->IngestScenario();
    archive_->IngestOthers();
    archive_->IngestFixture(std::string(kObservedDoc) + ".txt",
                            {"--captured", "2024-12-20T09:00:00Z"});
    archive_->Json({"correct", kCorrectedDoc, "--note", "A name was misspelled.", "--json"});
  }
  static void TearDownTestSuite() {
    delete archive_;
    archive_ = nullptr;
  }

  std::vector<json::value> Log(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"log", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return ParseJsonLines(archive_->Ok(args));
  }

  static std::vector<int64_t> Seqs(const std::vector<json::value>& lines) {
    std::vector<int64_t> seqs;
    for (const auto& l : lines) seqs.push_back(Int(l, "seq"));
    return seqs;
  }

  static CliArchive* archive_;
};

CliArchive* LogTest::archive_ = nullptr;

TEST_F(LogTest, OneObjectPerLineWithTheEnvelope) {
  std::vector<json::value> log = Log();
  ASSERT_EQ(log.size(), 8u);
  for (size_t i = 0; i < log.size(); ++i) {
    const json::value& e = log[i];
    EXPECT_EQ(Int(e, "seq"), static_cast<int64_t>(i + 1));
    for (const char* key :
         {"seq", "id", "kind", "doc", "version", "recorded_at", "hash", "prev_hash"}) {
      EXPECT_TRUE(Has(e, key)) << key << " missing in " << json::serialize(e);
    }
    EXPECT_EQ(Str(e, "hash").rfind("sha256:", 0), 0u) << Str(e, "hash");
    EXPECT_EQ(Str(e, "hash").size(), 7u + 64u);
    EXPECT_FALSE(Str(e, "id").empty());
    EXPECT_FALSE(Str(e, "recorded_at").empty());
    if (i > 0) {
      EXPECT_EQ(Str(e, "prev_hash"), Str(log[i - 1], "hash")) << "chain broken at seq " << i + 1;
      EXPECT_GE(Str(e, "recorded_at"), Str(log[i - 1], "recorded_at")) << "recorded time goes back";
    }
  }
  EXPECT_EQ(Str(log[0], "doc"), kScenarioDoc);
  EXPECT_EQ(Int(log[0], "version"), 1);
  EXPECT_EQ(Str(log[1], "doc"), kScenarioDoc);
  EXPECT_EQ(Int(log[1], "version"), 2);
  EXPECT_EQ(Str(log[0], "kind"), "captured");
  EXPECT_EQ(Str(log[7], "kind"), "corrected");
  EXPECT_EQ(Str(log[7], "doc"), kCorrectedDoc);
  EXPECT_EQ(Str(log[6], "doc"), kObservedDoc);
  EXPECT_EQ(Int(log[6], "version"), 2);
  // Event ids are distinct.
  std::set<std::string> ids;
  for (const auto& e : log) ids.insert(Str(e, "id"));
  EXPECT_EQ(ids.size(), log.size());
}

TEST_F(LogTest, TextOutputHasOneLinePerEvent) {
  std::string out = archive_->Ok({"log"});
  EXPECT_EQ(Lines(out).size(), 8u) << out;
}

TEST_F(LogTest, AfterAndLimit) {
  EXPECT_EQ(Seqs(Log({"--after", "5"})), (std::vector<int64_t>{6, 7, 8}));
  EXPECT_EQ(Seqs(Log({"--limit", "3"})), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(Seqs(Log({"--after", "2", "--limit", "2"})), (std::vector<int64_t>{3, 4}));
  EXPECT_TRUE(Log({"--after", "8"}).empty());
  EXPECT_TRUE(Log({"--after", "1000"}).empty());
  // Paging with --after/--limit gives the same lines as one read.
  std::vector<json::value> all = Log();
  std::vector<json::value> paged;
  for (int64_t after = 0;;) {
    auto page = Log({"--after", std::to_string(after), "--limit", "3"});
    if (page.empty()) break;
    after = Int(page.back(), "seq");
    paged.insert(paged.end(), page.begin(), page.end());
  }
  EXPECT_EQ(paged, all);
  ExpectOneLineError(archive_->Run({"log", "--limit", "0"}), 1);
  ExpectOneLineError(archive_->Run({"log", "--after", "x"}), 1);
}

// Issue #12: the largest seq must not wrap to 0 and replay the whole log.
TEST_F(LogTest, AfterTheLargestSeqIsEmpty) {
  RunResult r = archive_->Run({"log", "--json", "--after", "18446744073709551615"});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out, "");
}

// Issue #12: a limit that cuts the log short says so on stderr, with where to continue.
TEST_F(LogTest, ATruncatedLogSaysMoreFollow) {
  RunResult r = archive_->Run({"log", "--json", "--limit", "3"});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(ParseJsonLines(r.out).size(), 3u);
  EXPECT_TRUE(Contains(r.err, "more follow")) << r.err;
  EXPECT_TRUE(Contains(r.err, "--after 3")) << r.err;
  RunResult doc = archive_->Run({"log", "--doc", kScenarioDoc, "--limit", "1"});
  EXPECT_TRUE(Contains(doc.err, "more follow")) << doc.err;
  // A limit that happens to fit the whole log prints no notice.
  RunResult exact = archive_->Run({"log", "--json", "--limit", "8"});
  EXPECT_EQ(exact.err, "") << Describe(exact);
  EXPECT_EQ(archive_->Run({"log"}).err, "");
}

// Issue #12: `log --json` has no default limit: an audit script gets every event, not the
// first 1,000 (the HTTP load checker once reported writes past seq 1,000 as lost).
TEST(LogLimitTest, JsonPrintsTheWholeLogPlainStopsAtAThousandAndSaysSo) {
  CliArchive a;
  std::string jsonl;
  for (int i = 0; i < 1005; ++i) {
    jsonl += "{\"id\":\"doc-" + std::to_string(i) +
             "\",\"captured_at\":\"2024-01-01T00:00:00Z\",\"title\":\"T\",\"body\":\"Body " +
             std::to_string(i) + ".\"}\n";
  }
  std::string path = a.Join("many.jsonl");
  WriteFileOrDie(path, jsonl);
  a.Ok({"import", path, "--progress", "never"});
  RunResult json_run = a.Run({"log", "--json"});
  EXPECT_EQ(ParseJsonLines(json_run.out).size(), 1005u);
  EXPECT_EQ(json_run.err, "");
  RunResult plain = a.Run({"log"});
  EXPECT_EQ(Lines(plain.out).size(), 1000u);
  EXPECT_TRUE(Contains(plain.err, "--after 1000")) << plain.err;
}

TEST_F(LogTest, DocFilter) {
  auto scenario = Log({"--doc", kScenarioDoc});
  EXPECT_EQ(Seqs(scenario), (std::vector<int64_t>{1, 2}));
  for (const auto& e : scenario) EXPECT_EQ(Str(e, "doc"), kScenarioDoc);
  auto observed = Log({"--doc", kObservedDoc});
  ASSERT_EQ(observed.size(), 2u);
  EXPECT_EQ(Int(observed[0], "version"), 1);
  EXPECT_EQ(Int(observed[1], "version"), 2);
  EXPECT_EQ(Int(observed[1], "seq"), 7);
  EXPECT_EQ(Seqs(Log({"--doc", kObservedDoc, "--after", "3"})), (std::vector<int64_t>{7}));
  EXPECT_EQ(Log({"--doc", kObservedDoc, "--limit", "1"}).size(), 1u);
  // Lines are the same as in the full log.
  auto all = Log();
  EXPECT_EQ(observed[1], all[6]);
}

TEST_F(LogTest, DocFilterOnAnUnknownDocument) {
  RunResult r = archive_->Run({"log", "--json", "--doc", "no-such-doc"});
  // Either nothing (exit 0) or not found (exit 2); never an error of another kind.
  if (r.exit_code == 0) {
    EXPECT_EQ(r.out, "");
  } else {
    ExpectOneLineError(r, 2);
  }
}

TEST_F(LogTest, StatsCounts) {
  json::value s = archive_->Json({"stats", "--json"});
  EXPECT_EQ(Int(s, "events"), 8);
  EXPECT_EQ(Int(s, "documents"), 5);
  EXPECT_EQ(Int(s, "revisions"), 7);
  EXPECT_EQ(Int(s, "head_seq"), 8);
  const json::value& kinds = Field(s, "events_by_kind");
  EXPECT_EQ(Int(kinds, "captured"), 7);
  EXPECT_EQ(Int(kinds, "corrected"), 1);
  auto log = Log();
  EXPECT_EQ(Str(s, "head_hash"), Str(log.back(), "hash"));
  EXPECT_GT(Int(s, "file_bytes"), 0);
  // Where the bytes go: every database, the log's and the projections'.
  const json::value& databases = Field(s, "database_bytes");
  for (const char* db : {"events", "blobs", "revisions", "search_terms", "search_docs"}) {
    EXPECT_GT(Int(databases, db), 0) << db;
  }
  EXPECT_GE(Int(s, "free_bytes"), 0);
  // Six distinct capture files; the re-capture of 000 has the bytes of its first capture and
  // the note-only correction has no content.
  EXPECT_EQ(Int(s, "contents"), 6);
  std::string text = archive_->Ok({"stats"});
  EXPECT_TRUE(Contains(text, "8")) << text;
}

TEST_F(LogTest, VerifyGoodArchive) {
  RunResult r = archive_->Run({"verify"});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "ok")) << r.out;
  json::value v = archive_->Json({"verify", "--json"});
  EXPECT_TRUE(Bool(v, "ok"));
  EXPECT_EQ(Int(v, "events"), 8);
  EXPECT_EQ(Int(v, "head_seq"), 8);
  EXPECT_EQ(Str(v, "head_hash"), Str(Log().back(), "hash"));
  EXPECT_TRUE(Arr(v, "problems").empty());
}

TEST(VerifyTest, MissingArchiveIsNotFound) {
  CliArchive a;
  ExpectOneLineError(a.Run({"verify"}), 2);
  ExpectOneLineError(a.Run({"verify", "--json"}), 2);
  ExpectOneLineError(a.Run({"log"}), 2);
  ExpectOneLineError(a.Run({"stats"}), 2);
  EXPECT_FALSE(std::filesystem::exists(a.data())) << "a read command created the archive";
}

// Replaces every occurrence of `needle` in the file by `replacement` (same length); returns
// how many there were.
size_t ReplaceInFile(const std::string& path, const std::string& needle,
                     const std::string& replacement) {
  std::string bytes = ReadFileOrDie(path);
  size_t n = 0;
  for (size_t pos = bytes.find(needle); pos != std::string::npos;
       pos = bytes.find(needle, pos + 1)) {
    bytes.replace(pos, needle.size(), replacement);
    ++n;
  }
  WriteFileOrDie(path, bytes);
  return n;
}

TEST(VerifyTest, ByteFlippedInsideAStoredEventIsCaughtAndNamesItsSeq) {
  CliArchive a;
  a.IngestText("first-doc", SampleArticle("First Article About Orbital Debris"),
               "2024-01-01T00:00:00Z");
  {
    // The actor ("cli:$USER") is stored only in the event envelope, so flipping it changes
    // nothing but the bytes of seq 2.
    ScopedEnv user("USER", "needleactorq7z");
    a.IngestText("needle-doc-xyz", SampleArticle("Second Article About Orbital Debris"),
                 "2024-01-02T00:00:00Z");
  }
  a.IngestText("third-doc", SampleArticle("Third Article About Orbital Debris"),
               "2024-01-03T00:00:00Z");
  std::vector<json::value> log = ParseJsonLines(a.Ok({"log", "--json"}));
  ASSERT_EQ(log.size(), 3u);
  ASSERT_EQ(Str(log[1], "doc"), "needle-doc-xyz");
  ASSERT_EQ(a.Run({"verify"}).exit_code, 0);

  // No palimpsest process is running now: flip one character of the actor in data.mdb (every
  // copy of it, since LMDB may keep stale copies of the page in freed pages).
  const std::string mdb = a.data() + "/data.mdb";
  ASSERT_TRUE(std::filesystem::exists(mdb)) << "expected the LMDB data file at " << mdb;
  ASSERT_GE(ReplaceInFile(mdb, "needleactorq7z", "needleactorq8z"), 1u);

  RunResult r = a.Run({"verify"});
  EXPECT_EQ(r.exit_code, 4) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "seq 2")) << Describe(r);
  RunResult j = a.Run({"verify", "--json"});
  EXPECT_EQ(j.exit_code, 4) << Describe(j);
  json::value v = ParseJson(j.out);
  EXPECT_FALSE(Bool(v, "ok"));
  EXPECT_EQ(Int(v, "first_bad_seq"), 2);
  EXPECT_FALSE(Arr(v, "problems").empty());
}

TEST(VerifyTest, ByteFlippedInTheDocIdOfTheLastEventIsCaught) {
  CliArchive a;
  a.IngestText("first-doc", SampleArticle("First Article About Orbital Debris"),
               "2024-01-01T00:00:00Z");
  a.IngestText("needle-doc-xyz", SampleArticle("Second Article About Orbital Debris"),
               "2024-01-02T00:00:00Z");
  ASSERT_EQ(a.Run({"verify"}).exit_code, 0);
  // The doc id is also a key in the index databases; flipping every copy of it still has to
  // be reported as an integrity failure, never a crash or a pass.
  ASSERT_GE(ReplaceInFile(a.data() + "/data.mdb", "needle-doc-xyz", "needle-doc-xyZ"), 1u);
  RunResult r = a.Run({"verify", "--json"});
  EXPECT_EQ(r.exit_code, 4) << Describe(r);
  json::value v = ParseJson(r.out);
  EXPECT_FALSE(Bool(v, "ok"));
  EXPECT_EQ(Int(v, "first_bad_seq"), 2) << json::serialize(v);
}

}  // namespace
}  // namespace palimpsest::testing
