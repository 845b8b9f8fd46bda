// `palimpsest backup DEST [--compact]`: a consistent hot copy that opens and verifies, taken
// also while another process keeps writing; DEST must be new or empty.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cli/cli_test_helpers.h"

extern char** environ;

namespace palimpsest::testing {
namespace {

void IngestBackupDocs(const CliArchive& a, int n) {
  for (int i = 1; i <= n; ++i) {
    a.IngestText("backup-doc-" + std::to_string(i),
                 SampleArticle("Backup Article Number " + std::to_string(i)),
                 "2024-03-0" + std::to_string(1 + i % 9) + "T08:00:00Z");
  }
}

TEST(BackupTest, CopyOpensVerifiesAndMatches) {
  CliArchive a;
  IngestBackupDocs(a, 4);
  a.Json({"correct", "backup-doc-2", "--note", "A date was wrong.", "--json"});
  const std::string dest = a.Join("copy");
  RunResult r = a.Run({"backup", dest});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "verified")) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dest + "/data.mdb"));

  RunResult v = RunCli({"--data", dest, "verify"});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  EXPECT_EQ(RunCli({"--data", dest, "log", "--json"}).out, a.Ok({"log", "--json"}));
  EXPECT_EQ(RunCli({"--data", dest, "show", "backup-doc-2", "--json"}).out,
            a.Ok({"show", "backup-doc-2", "--json"}));
  EXPECT_EQ(RunCli({"--data", dest, "history", "backup-doc-2", "--json"}).out,
            a.Ok({"history", "backup-doc-2", "--json"}));
  // The copy is a working archive: it takes writes of its own.
  RunResult w = RunCli({"--data", dest, "correct", "backup-doc-1", "--note", "In the copy."});
  EXPECT_EQ(w.exit_code, 0) << Describe(w);
  EXPECT_EQ(RunCli({"--data", dest, "verify"}).exit_code, 0);
}

TEST(BackupTest, CompactCopyIsNoLargerAndHasTheSameLog) {
  CliArchive a;
  IngestBackupDocs(a, 6);
  const std::string plain = a.Join("plain"), compact = a.Join("compact");
  json::value p = a.Json({"backup", plain, "--json"});
  json::value c = a.Json({"backup", compact, "--compact", "--json"});
  EXPECT_TRUE(Bool(c, "compact"));
  EXPECT_TRUE(Bool(c, "verified"));
  EXPECT_EQ(Int(c, "events"), 6);
  EXPECT_EQ(Str(c, "head_hash"), Str(p, "head_hash"));
  EXPECT_LE(Int(c, "bytes"), Int(p, "bytes"));
  EXPECT_EQ(RunCli({"--data", compact, "log", "--json"}).out, a.Ok({"log", "--json"}));
  EXPECT_EQ(RunCli({"--data", compact, "verify"}).exit_code, 0);
}

TEST(BackupTest, DestinationMustBeNewOrEmpty) {
  CliArchive a;
  IngestBackupDocs(a, 1);
  // An existing empty directory is fine.
  std::filesystem::create_directories(a.Join("empty"));
  EXPECT_EQ(a.Run({"backup", a.Join("empty")}).exit_code, 0);
  // A non-empty directory (e.g. an earlier backup) and a file are refused, untouched.
  auto before = SnapshotFiles(a.Join("empty"));
  ExpectOneLineError(a.Run({"backup", a.Join("empty")}), 1);
  EXPECT_EQ(SnapshotFiles(a.Join("empty")), before);
  WriteFileOrDie(a.Join("file"), "x");
  ExpectOneLineError(a.Run({"backup", a.Join("file")}), 1);
  EXPECT_EQ(ReadFileOrDie(a.Join("file")), "x");
  ExpectOneLineError(a.Run({"backup", a.data()}), 1);
  ExpectOneLineError(a.Run({"backup"}), 1);
}

TEST(BackupTest, MissingArchiveIsNotFound) {
  CliArchive a;
  ExpectOneLineError(a.Run({"backup", a.Join("copy")}), 2);
  EXPECT_FALSE(std::filesystem::exists(a.Join("copy")));
}

// Backups taken while an import commits one record per transaction in another process: each
// copy verifies and holds a prefix of the final log.
TEST(BackupTest, HotCopyWhileAnotherProcessWrites) {
  CliArchive a;
  IngestBackupDocs(a, 1);
  std::string jsonl;
  for (int i = 0; i < 400; ++i) {
    jsonl += "{\"id\":\"hot-" + std::to_string(i) + "\",\"title\":\"Hot " + std::to_string(i) +
             "\",\"captured_at\":\"2024-04-01T00:00:00Z\",\"body\":\"Paragraph one of record " +
             std::to_string(i) + ".\\n\\nParagraph two.\"}\n";
  }
  WriteFileOrDie(a.Join("hot.jsonl"), jsonl);
  std::string binary = PALIMPSEST_BINARY;
  std::vector<std::string> args = {binary,    "--data", a.data(),     "import", a.Join("hot.jsonl"),
                                   "--batch", "1",      "--progress", "never"};
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);

  std::vector<std::string> copies;
  for (int i = 0; i < 5; ++i) {
    usleep(150 * 1000);
    copies.push_back(a.Join("hot-copy-" + std::to_string(i)));
    RunResult r = a.Run({"backup", copies.back(), i % 2 ? "--compact" : "--json"});
    EXPECT_EQ(r.exit_code, 0) << Describe(r);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const std::string full = a.Ok({"log", "--json", "--limit", "100000"});
  size_t distinct_lengths = 0, last_length = 0;
  for (const std::string& copy : copies) {
    EXPECT_EQ(RunCli({"--data", copy, "verify"}).exit_code, 0) << copy;
    std::string log = RunCli({"--data", copy, "log", "--json", "--limit", "100000"}).out;
    EXPECT_FALSE(log.empty());
    EXPECT_EQ(full.compare(0, log.size(), log), 0) << copy << " is not a prefix of the log";
    if (log.size() != last_length) ++distinct_lengths;
    last_length = log.size();
  }
  // Not a timing assertion: just report how many distinct states the copies caught.
  std::cout << "[ info ] " << copies.size() << " hot copies, " << distinct_lengths
            << " distinct log lengths\n";
}

}  // namespace
}  // namespace palimpsest::testing
