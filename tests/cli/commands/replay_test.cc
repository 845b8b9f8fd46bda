// `palimpsest replay`: rebuilding every projection from the log gives byte-identical databases,
// and every read answers the same before and after.

#include <gtest/gtest.h>

#include <algorithm>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kReplayedDoc = "004_52689c8dd169f3e3";

// Everything a reader can see, command by command, for comparing before and after a replay.
// (stats' sizes are left out: replay rewrites pages, so the file may grow.)
std::vector<std::pair<std::string, std::string>> ReadEverything(const CliArchive& a) {
  std::vector<std::vector<std::string>> commands = {
      {"list", "--json"},
      {"list", "--json", "--as-of", "2023-07-23"},
      {"log", "--json"},
      {"show", kScenarioDoc, "--json", "--as-of", "2023-07-23"}};
  std::vector<std::string> docs(kOtherDocs.begin(), kOtherDocs.end());
  docs.push_back(kScenarioDoc);
  docs.push_back("stealth-doc");
  for (const std::string& doc : docs) {
    commands.push_back({"history", doc, "--json"});
    commands.push_back({"show", doc, "--json"});
    commands.push_back({"show", doc, "--json", "--rev", "1"});
  }
  std::vector<std::pair<std::string, std::string>> all;
  for (const auto& cmd : commands) {
    std::string label;
    for (const auto& arg : cmd) label += arg + " ";
    all.emplace_back(label, a.Ok(cmd));
  }
  json::value stats = a.Json({"stats", "--json"});
  if (stats.is_object()) {
    for (const char* size : {"file_bytes", "database_bytes", "free_bytes"}) {
      stats.as_object().erase(size);
    }
  }
  all.emplace_back("stats --json", json::serialize(stats));
  return all;
}

void ExpectSameReads(const std::vector<std::pair<std::string, std::string>>& before,
                     const std::vector<std::pair<std::string, std::string>>& after) {
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(after[i].second, before[i].second) << "`" << before[i].first << "` changed by replay";
  }
}

void ExpectReplayIdentical(const CliArchive& a, int64_t events) {
  json::value r = a.Json({"replay", "--json"});
  EXPECT_EQ(Int(r, "events"), events);
  EXPECT_TRUE(Bool(r, "identical")) << json::serialize(r);
  const json::value& dbs = Field(r, "databases");
  ASSERT_TRUE(dbs.is_object());
  EXPECT_FALSE(dbs.get_object().empty()) << "replay names the databases it rebuilt";
  for (const auto& kv : dbs.get_object()) {
    EXPECT_TRUE(Bool(kv.value(), "identical")) << kv.key() << ": " << json::serialize(kv.value());
    EXPECT_EQ(Str(kv.value(), "before"), Str(kv.value(), "after")) << kv.key();
  }
}

TEST(ReplayTest, RebuildsByteIdenticalProjections) {
  CliArchive a;
  a.IngestScenario();
  a.IngestOthers();
  // An unchanged observation, a stealth edit and explicit corrections of both kinds.
  a.IngestFixture("000_99c9495df02aabac.txt", {"--captured", "2024-12-20T09:00:00Z"});
  a.Json({"correct", kReplayedDoc, "--note", "The general's title was corrected.", "--kind",
          "correction", "--effective", "2024-12-16", "--json"});
  std::string body = a.Join("body.txt");
  WriteFileOrDie(body, "The whole body, replaced.\n\nIn two paragraphs.\n");
  a.Json({"correct", kReplayedDoc, "--file", body, "--note", "Clarified.", "--kind",
          "clarification", "--json"});
  a.IngestText("stealth-doc", SampleArticle(), "2024-01-01T00:00:00Z");
  a.IngestText("stealth-doc",
               SampleArticle("Test Article About Orbital Debris", " Silently added."),
               "2024-01-02T00:00:00Z");
  const int64_t events = 11;

  const auto before = ReadEverything(a);
  const std::string verify_before = a.Ok({"verify", "--json"});
  ExpectReplayIdentical(a, events);
  ExpectSameReads(before, ReadEverything(a));
  EXPECT_EQ(a.Ok({"verify", "--json"}), verify_before);

  // Twice is fine too.
  ExpectReplayIdentical(a, events);
  ExpectSameReads(before, ReadEverything(a));
  EXPECT_EQ(a.Run({"verify"}).exit_code, 0);

  // Text output.
  RunResult text = a.Run({"replay"});
  EXPECT_EQ(text.exit_code, 0) << Describe(text);
  EXPECT_TRUE(Contains(text.out, "identical")) << text.out;

  // Writes after a replay carry on normally.
  json::value next = a.IngestText("after-replay", SampleArticle(), "2025-01-01T00:00:00Z");
  EXPECT_EQ(Int(next, "seq"), events + 1);
  ExpectReplayIdentical(a, events + 1);
}

// `replay --only` rebuilds the named asynchronous projections alone: the report names only
// their databases, every answer stays the same, and other names are refused (exit 1).
TEST(ReplayTest, OnlyRebuildsTheNamedAsynchronousProjections) {
  CliArchive a;
  a.IngestScenario();
  a.IngestOthers();
  a.IngestText("stealth-doc", SampleArticle(), "2024-01-01T00:00:00Z");
  const auto before = ReadEverything(a);
  json::value r = a.Json({"replay", "--only", "search", "--json"});
  EXPECT_TRUE(Bool(r, "identical")) << json::serialize(r);
  const json::object& dbs = Field(r, "databases").get_object();
  EXPECT_TRUE(dbs.contains("search_terms"));
  EXPECT_TRUE(dbs.contains("search_vocabulary"));
  EXPECT_FALSE(dbs.contains("revisions")) << "the articles projection is left alone";
  EXPECT_FALSE(dbs.contains("change_summaries"));
  ExpectSameReads(before, ReadEverything(a));

  r = a.Json({"replay", "--only", "search", "--only", "change_summaries", "--json"});
  EXPECT_TRUE(Field(r, "databases").get_object().contains("change_summaries"));
  EXPECT_EQ(a.Run({"verify"}).exit_code, 0);

  const std::string file = ReadFileOrDie(a.data() + "/data.mdb");
  RunResult refused = a.Run({"replay", "--only", "articles"});
  EXPECT_EQ(refused.exit_code, 1) << Describe(refused);
  EXPECT_EQ(refused.err.rfind("palimpsest: ", 0), 0u) << "one line saying why: " << refused.err;
  EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
  EXPECT_EQ(a.Run({"replay", "--only", "nonsense"}).exit_code, 1);
  EXPECT_EQ(ReadFileOrDie(a.data() + "/data.mdb"), file) << "a refused replay writes nothing";
}

TEST(ReplayTest, ScenarioHistoryIsTheSameAfterReplay) {
  CliArchive a;
  a.IngestScenario();
  const std::string history = a.Ok({"history", kScenarioDoc, "--json"});
  ExpectReplayIdentical(a, 2);
  EXPECT_EQ(a.Ok({"history", kScenarioDoc, "--json"}), history);
  json::value h = ParseJson(history);
  ASSERT_EQ(Arr(h, "revisions").size(), 2u);
  EXPECT_EQ(Str(Arr(h, "revisions")[1], "kind"), "correction");
}

}  // namespace
}  // namespace palimpsest::testing
