// `palimpsest checkpoint` and `verify --checkpoint FILE`: a chain head kept outside the archive
// proves the log still holds that exact prefix — a truncated tail (an old copy of the file, which
// verifies on its own) and a rewritten history are both caught with exit 4.

#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

void IngestCheckpointDocs(const CliArchive& a, const std::string& prefix, int from, int to) {
  for (int i = from; i <= to; ++i) {
    a.IngestText(prefix + std::to_string(i),
                 SampleArticle("Checkpoint Article Number " + std::to_string(i)),
                 "2024-02-" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "T08:00:00Z");
  }
}

TEST(CheckpointTest, PrintsTheChainHeadAsJsonAndText) {
  CliArchive a;
  IngestCheckpointDocs(a, "doc-", 1, 3);
  std::vector<json::value> log = ParseJsonLines(a.Ok({"log", "--json"}));
  ASSERT_EQ(log.size(), 3u);
  json::value cp = a.Json({"checkpoint", "--json"});
  EXPECT_EQ(Int(cp, "seq"), 3);
  EXPECT_EQ(Str(cp, "hash"), Str(log.back(), "hash"));
  EXPECT_EQ(Str(cp, "recorded_at"), Str(log.back(), "recorded_at"));
  json::value stats = a.Json({"stats", "--json"});
  EXPECT_EQ(Str(cp, "hash"), Str(stats, "head_hash"));

  std::vector<std::string> lines = Lines(a.Ok({"checkpoint"}));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "seq 3");
  EXPECT_EQ(lines[1], "hash " + Str(log.back(), "hash"));
  EXPECT_EQ(lines[2], "recorded_at " + Str(log.back(), "recorded_at"));
}

TEST(CheckpointTest, MissingArchiveIsNotFound) {
  CliArchive a;
  ExpectOneLineError(a.Run({"checkpoint"}), 2);
  EXPECT_FALSE(std::filesystem::exists(a.data()));
}

TEST(CheckpointTest, VerifyAcceptsItsOwnCheckpointAndLaterAppends) {
  CliArchive a;
  IngestCheckpointDocs(a, "doc-", 1, 3);
  WriteFileOrDie(a.Join("cp.txt"), a.Ok({"checkpoint"}));
  WriteFileOrDie(a.Join("cp.json"), a.Ok({"checkpoint", "--json"}));
  for (const char* file : {"cp.txt", "cp.json"}) {
    RunResult r = a.Run({"verify", "--checkpoint", a.Join(file)});
    EXPECT_EQ(r.exit_code, 0) << file << "\n" << Describe(r);
    EXPECT_TRUE(Contains(r.out, "contains checkpoint seq 3")) << r.out;
  }
  // Appending keeps the prefix.
  IngestCheckpointDocs(a, "doc-", 4, 5);
  json::value v = a.Json({"verify", "--json", "--checkpoint", a.Join("cp.txt")});
  EXPECT_TRUE(Bool(v, "ok"));
  EXPECT_EQ(Int(v, "head_seq"), 5);
  EXPECT_EQ(Int(Field(v, "checkpoint"), "seq"), 3);
  EXPECT_TRUE(Bool(Field(v, "checkpoint"), "ok"));
}

TEST(CheckpointTest, TruncatedLogIsCaught) {
  CliArchive a;
  IngestCheckpointDocs(a, "doc-", 1, 3);
  // An old copy of the file: a log that is complete in itself but ends at seq 3.
  const std::string old_copy = a.Join("old");
  ASSERT_EQ(a.Run({"backup", old_copy}).exit_code, 0);
  IngestCheckpointDocs(a, "doc-", 4, 6);
  WriteFileOrDie(a.Join("cp.txt"), a.Ok({"checkpoint"}));

  // The truncated archive passes a plain verify: nothing inside the file shows the loss.
  ASSERT_EQ(RunCli({"--data", old_copy, "verify"}).exit_code, 0);
  RunResult r = RunCli({"--data", old_copy, "verify", "--checkpoint", a.Join("cp.txt")});
  EXPECT_EQ(r.exit_code, 4) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "log no longer contains checkpoint seq 6")) << Describe(r);
  EXPECT_EQ(r.err.rfind("palimpsest: ", 0), 0u) << Describe(r);

  RunResult j = RunCli({"--data", old_copy, "verify", "--json", "--checkpoint", a.Join("cp.txt")});
  EXPECT_EQ(j.exit_code, 4) << Describe(j);
  json::value v = ParseJson(j.out);
  EXPECT_FALSE(Bool(v, "ok"));
  EXPECT_EQ(Int(v, "first_bad_seq"), 4);
  EXPECT_FALSE(Bool(Field(v, "checkpoint"), "ok"));
  ASSERT_FALSE(Arr(v, "problems").empty());
  EXPECT_EQ(Arr(v, "problems")[0].as_string(), "log no longer contains checkpoint seq 6");
}

TEST(CheckpointTest, RewrittenHistoryIsCaught) {
  CliArchive a, b;
  IngestCheckpointDocs(a, "doc-", 1, 4);
  // Same length, different events: a history rewritten.
  IngestCheckpointDocs(b, "doc-", 1, 2);
  IngestCheckpointDocs(b, "other-", 3, 4);
  WriteFileOrDie(a.Join("cp.json"), a.Ok({"checkpoint", "--json"}));
  ASSERT_EQ(b.Run({"verify"}).exit_code, 0);
  RunResult r = b.Run({"verify", "--checkpoint", a.Join("cp.json")});
  EXPECT_EQ(r.exit_code, 4) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "event 4 differs from the checkpoint")) << Describe(r);

  // A hand-written checkpoint of an earlier event (recorded times and correlation ids make
  // every event of `b` differ from `a`'s).
  std::vector<json::value> log = ParseJsonLines(a.Ok({"log", "--json"}));
  WriteFileOrDie(a.Join("cp3.txt"), "# kept elsewhere\nseq 3\nhash " + Str(log[2], "hash") + "\n");
  EXPECT_EQ(a.Run({"verify", "--checkpoint", a.Join("cp3.txt")}).exit_code, 0);
  RunResult r3 = b.Run({"verify", "--checkpoint", a.Join("cp3.txt")});
  EXPECT_EQ(r3.exit_code, 4) << Describe(r3);
  EXPECT_TRUE(Contains(r3.err, "event 3 differs from the checkpoint")) << Describe(r3);
}

TEST(CheckpointTest, BadCheckpointFileIsUsageError) {
  CliArchive a;
  IngestCheckpointDocs(a, "doc-", 1, 1);
  ExpectOneLineError(a.Run({"verify", "--checkpoint", a.Join("missing.txt")}), 1);
  for (const std::string& text :
       {std::string("nothing here\n"), std::string("seq x\nhash sha256:00\n"),
        std::string("seq 1\nhash sha256:zz\n"), std::string("{\"seq\": 1}"),
        std::string("{\"seq\": -1, \"hash\": \"sha256:" + std::string(64, '0') + "\"}"),
        std::string("{not json")}) {
    WriteFileOrDie(a.Join("bad.txt"), text);
    ExpectOneLineError(a.Run({"verify", "--checkpoint", a.Join("bad.txt")}), 1);
  }
}

}  // namespace
}  // namespace palimpsest::testing
