// A full disk: writes that fail for lack of space give a clear one-line error with exit 5 and
// lose nothing already committed; the archive verifies and takes writes again afterwards.
//
// Two ways to run out of space: RLIMIT_FSIZE set in the child before exec (SIGXFSZ ignored, so
// write() fails with EFBIG), and — when this process may mount — a 2 MB tmpfs (ENOSPC).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <random>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

// Runs the binary with RLIMIT_FSIZE = `fsize_limit` bytes (0: no limit) and SIGXFSZ ignored.
RunResult RunLimited(const std::vector<std::string>& args, uint64_t fsize_limit,
                     const std::string& scratch) {
  const std::string out_path = scratch + "/limited.out", err_path = scratch + "/limited.err";
  std::vector<std::string> command = {PALIMPSEST_BINARY};
  command.insert(command.end(), args.begin(), args.end());
  const ExecArgs exec(std::move(command));
  pid_t pid = fork();
  if (pid < 0) std::abort();
  if (pid == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int in = open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || in < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (fsize_limit > 0) {
      // The output files are opened already: the limit applies to writes, not to open fds.
      rlimit lim{fsize_limit, fsize_limit};
      if (setrlimit(RLIMIT_FSIZE, &lim) != 0) _exit(125);
      signal(SIGXFSZ, SIG_IGN);
    }
    exec.Exec();
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFileOrDie(out_path);
  r.err = ReadFileOrDie(err_path);
  return r;
}

// An article of about `bytes` bytes of random words: zstd cannot shrink it much, so storing it
// needs new pages at the end of data.mdb.
std::string BigArticle(size_t bytes, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string text = "A Very Long Article Number " + std::to_string(seed) + "\n\n";
  size_t words_in_paragraph = 0;
  while (text.size() < bytes) {
    size_t len = 3 + rng() % 7;
    for (size_t i = 0; i < len; ++i) text.push_back(static_cast<char>('a' + rng() % 26));
    if (++words_in_paragraph == 60) {
      text += ".\n\n";
      words_in_paragraph = 0;
    } else {
      text.push_back(' ');
    }
  }
  return text + ".\n";
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// Ingests `n` small documents normally; returns each one's `show --json` body.
std::vector<std::pair<std::string, std::string>> IngestCommitted(const CliArchive& a, int n) {
  std::vector<std::pair<std::string, std::string>> docs;
  for (int i = 0; i < n; ++i) {
    std::string id = "kept-" + std::to_string(i);
    a.IngestText(id, SampleArticle("Committed Article Number " + std::to_string(i)),
                 "2024-05-01T0" + std::to_string(i % 10) + ":00:00Z");
    docs.emplace_back(id, Str(a.Json({"show", id, "--json"}), "body"));
  }
  return docs;
}

// Everything committed before the failure is still there, and the archive verifies.
void ExpectNothingLost(const CliArchive& a,
                       const std::vector<std::pair<std::string, std::string>>& docs,
                       const std::string& log_before) {
  RunResult v = a.Run({"verify"});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  EXPECT_EQ(a.Ok({"log", "--json"}), log_before) << "the log changed";
  for (const auto& [id, body] : docs) {
    json::value show = a.Json({"show", id, "--json"});
    EXPECT_EQ(Str(show, "body"), body) << id;
  }
}

TEST(DiskFullTest, FileSizeLimitGivesExit5AndLosesNothing) {
  CliArchive a;
  auto docs = IngestCommitted(a, 5);
  const std::string log_before = a.Ok({"log", "--json"});
  const std::string mdb = a.data() + "/data.mdb";
  const uint64_t size = FileSize(mdb);
  ASSERT_GT(size, 0u);
  const uint64_t limit = std::max<uint64_t>(size, FileSize(a.data() + "/lock.mdb")) + 16 * 1024;

  const std::string big = a.Join("big.txt");
  WriteFileOrDie(big, BigArticle(1 << 20, 7));
  RunResult r = RunLimited(
      {"--data", a.data(), "ingest", big, "--id", "too-big", "--captured", "2024-05-02T00:00:00Z"},
      limit, a.scratch());
  ExpectOneLineError(r, 5);
  EXPECT_TRUE(Contains(r.err, "disk full")) << Describe(r);
  ExpectNothingLost(a, docs, log_before);
  ExpectOneLineError(a.Run({"show", "too-big"}), 2);

  // The same through import (one batch of several large records).
  std::string jsonl;
  for (int i = 0; i < 3; ++i) {
    json::object rec{{"id", "big-import-" + std::to_string(i)},
                     {"title", "Big import " + std::to_string(i)},
                     {"captured_at", "2024-05-03T00:00:00Z"},
                     {"body", BigArticle(400 * 1024, 100 + i)}};
    jsonl += json::serialize(rec) + "\n";
  }
  WriteFileOrDie(a.Join("big.jsonl"), jsonl);
  RunResult imp =
      RunLimited({"--data", a.data(), "import", a.Join("big.jsonl"), "--progress", "never"},
                 FileSize(mdb) + 16 * 1024, a.scratch());
  EXPECT_EQ(imp.exit_code, 5) << Describe(imp);
  EXPECT_TRUE(Contains(imp.err, "disk full")) << Describe(imp);
  ExpectNothingLost(a, docs, log_before);

  // With room again, the archive takes the write.
  RunResult ok = a.Run({"ingest", big, "--id", "too-big", "--captured", "2024-05-02T00:00:00Z"});
  EXPECT_EQ(ok.exit_code, 0) << Describe(ok);
  EXPECT_EQ(a.Run({"verify"}).exit_code, 0);
  std::cout << "[ info ] data.mdb " << size << " bytes, limit " << limit
            << " bytes; ingest error: " << r.err;
}

// A real full filesystem: a 2 MB tmpfs. Needs permission to mount (root in a privileged
// container); skipped otherwise.
TEST(DiskFullTest, SmallTmpfsGivesExit5AndLosesNothing) {
  ScratchDir dir;
  const std::string mnt = dir.Join("mnt");
  std::filesystem::create_directories(mnt);
  if (mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=2m") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here: " << std::strerror(errno);
  }
  struct Unmount {
    std::string path;
    ~Unmount() { umount2(path.c_str(), MNT_DETACH); }
  } unmount{mnt};
  const std::string data = mnt + "/data";
  std::vector<std::pair<std::string, std::string>> docs;
  for (int i = 0; i < 3; ++i) {
    std::string id = "tmpfs-" + std::to_string(i);
    WriteFileOrDie(dir.Join("in.txt"), SampleArticle("Tmpfs Article " + std::to_string(i)));
    RunResult r = RunCli({"--data", data, "ingest", dir.Join("in.txt"), "--id", id, "--captured",
                          "2024-06-01T00:00:00Z"});
    ASSERT_EQ(r.exit_code, 0) << Describe(r);
    RunResult s = RunCli({"--data", data, "show", id, "--json"});
    docs.emplace_back(id, Str(ParseJson(s.out), "body"));
  }
  const std::string log_before = RunCli({"--data", data, "log", "--json"}).out;
  WriteFileOrDie(dir.Join("big.txt"), BigArticle(3 << 20, 11));
  RunResult r = RunCli({"--data", data, "ingest", dir.Join("big.txt"), "--id", "too-big"});
  ExpectOneLineError(r, 5);
  EXPECT_TRUE(Contains(r.err, "no space left on device") || Contains(r.err, "disk full"))
      << Describe(r);
  EXPECT_EQ(RunCli({"--data", data, "verify"}).exit_code, 0);
  EXPECT_EQ(RunCli({"--data", data, "log", "--json"}).out, log_before);
  for (const auto& [id, body] : docs) {
    EXPECT_EQ(Str(ParseJson(RunCli({"--data", data, "show", id, "--json"}).out), "body"), body);
  }
}

}  // namespace
}  // namespace palimpsest::testing
