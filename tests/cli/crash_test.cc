// Crash safety: writers killed with SIGKILL at random moments lose nothing they acknowledged and
// leave no half-written document; the archive verifies after every kill.
//
// Each trial (on one archive that accumulates across trials) is one of:
//  - a sequence of `ingest --json` runs (new documents and new revisions of shared ones) from a
//    shell in its own process group. Each ingest prints its JSON line only after its commit, so
//    every line printed before the kill is an acknowledged write that must be in the log with
//    that seq, document and version;
//  - an `import` of JSON Lines (random --batch) killed midway, then run again to completion:
//    the killed run must have committed a prefix of the input, and the rerun must end with every
//    record in input order, each exactly once (an uninterrupted import's result).
// The process group is killed after a random delay (seeded) in [0, 1.2 × the time an
// unkilled run of the same size took); a delay past the end just means no kill. Nothing
// asserts on timing.
//
// PALIMPSEST_CRASH_TRIALS (default 6) and PALIMPSEST_CRASH_SEED (default 8) set the run;
// bench/crash_soak.sh runs hundreds of trials. PALIMPSEST_CRASH_DOCS (default: all) caps how
// many of the touched documents each check reads back (a random sample; `verify` and the log
// checks always cover everything) — the sanitizer stage sets it, where each CLI run is slow.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

using Clock = std::chrono::steady_clock;

struct Outcome {
  bool killed = false;
  int exit_code = -1;
  std::string out;
  double seconds = 0;
};

// Runs `argv` in a new process group with stdout to a file; SIGKILLs the whole group after
// `kill_after` (none when negative).
Outcome RunAndMaybeKill(const std::vector<std::string>& args, const std::string& out_path,
                        double kill_after) {
  const auto start = Clock::now();
  const ExecArgs exec(args);
  pid_t pid = fork();
  if (pid < 0) std::abort();
  if (pid == 0) {
    setpgid(0, 0);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int null = open("/dev/null", O_RDWR);
    if (out < 0 || null < 0) _exit(126);
    dup2(null, 0);
    dup2(out, 1);
    dup2(null, 2);
    exec.Exec();
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent, so the group exists before any kill
  Outcome o;
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (kill_after >= 0 && elapsed >= kill_after) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      o.killed = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  // Children of the shell that outlived it (none expected after a group kill) are reaped by
  // init; make sure none still holds the writer lock.
  kill(-pid, SIGKILL);
  o.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!o.killed && WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
  o.out = ReadFileOrDie(out_path);
  return o;
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

std::string Two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// Capture times that increase with the trial (trials start at -2) and the record.
std::string CaptureTime(const std::string& month, int trial, int i) {
  const int t = (trial + 2) * 100 + i;
  return "2024-" + month + "-" + Two(1 + t / 86400) + "T" + Two(t / 3600 % 24) + ":" +
         Two(t / 60 % 60) + ":" + Two(t % 60) + "Z";
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* t = std::getenv("PALIMPSEST_CRASH_TRIALS")) trials_ = std::atoi(t);
    if (const char* s = std::getenv("PALIMPSEST_CRASH_SEED")) seed_ = std::strtoul(s, nullptr, 10);
    if (const char* d = std::getenv("PALIMPSEST_CRASH_DOCS")) docs_checked_ = std::atoi(d);
    rng_.seed(seed_);
  }

  // The whole log, checked for contiguous seqs and per-document versions.
  std::vector<json::value> CheckedLog() {
    std::vector<json::value> log = ParseJsonLines(a_.Ok({"log", "--json", "--limit", "100000000"}));
    std::map<std::string, int64_t> versions;
    for (size_t i = 0; i < log.size(); ++i) {
      EXPECT_EQ(Int(log[i], "seq"), static_cast<int64_t>(i + 1)) << "gap in the log";
      int64_t& v = versions[Str(log[i], "doc")];
      EXPECT_EQ(Int(log[i], "version"), ++v) << "stream of " << Str(log[i], "doc") << " has a gap";
    }
    return log;
  }

  // After a kill: verify passes; each document touched is whole (its history's revisions are
  // events of that document in the log, and it can be shown).
  void CheckArchive(const std::vector<json::value>& log, const std::set<std::string>& docs) {
    RunResult v = a_.Run({"verify"});
    ASSERT_EQ(v.exit_code, 0) << "trial " << trial_ << ": " << Describe(v);
    std::set<std::string> in_log;
    for (const auto& e : log) in_log.insert(Str(e, "doc"));
    std::vector<std::string> checked;
    for (const std::string& doc : docs) {
      if (in_log.count(doc)) checked.push_back(doc);
    }
    if (checked.size() > docs_checked_) {
      // A sample, drawn apart from rng_ so the kill moments stay the same.
      std::mt19937 sample_rng(static_cast<unsigned>(seed_ * 1000 + trial_ + 2));
      std::shuffle(checked.begin(), checked.end(), sample_rng);
      checked.resize(docs_checked_);
    }
    for (const std::string& doc : checked) {
      json::value h = a_.Json({"history", doc, "--json"});
      const json::array& revs = Arr(h, "revisions");
      EXPECT_FALSE(revs.empty()) << doc;
      for (const auto& rev : revs) {
        int64_t seq = Int(rev, "seq");
        ASSERT_GE(seq, 1);
        ASSERT_LE(seq, static_cast<int64_t>(log.size())) << doc << " names a missing event";
        EXPECT_EQ(Str(log[seq - 1], "doc"), doc) << "revision of " << doc << " at seq " << seq;
      }
      EXPECT_EQ(a_.Run({"show", doc}).exit_code, 0) << doc;
    }
  }

  std::string ArticleText(int trial, int i) {
    return SampleArticle("Crash Trial " + std::to_string(trial) + " Article " + std::to_string(i),
                         " Revision marker " + std::to_string(rng_() % 1000000) + ".");
  }

  // Ingest trial: returns the number of acknowledged writes checked.
  size_t IngestTrial(double kill_after, double* duration) {
    const int n = 12;
    std::string script = "set -e\n";
    std::set<std::string> docs;
    for (int i = 0; i < n; ++i) {
      // Alternate new documents and new revisions of a few shared ones.
      std::string doc = i % 3 == 2 ? "shared-" + std::to_string(rng_() % 4)
                                   : "t" + std::to_string(trial_) + "-" + std::to_string(i);
      docs.insert(doc);
      std::string file = a_.Join("in-" + std::to_string(trial_) + "-" + std::to_string(i) + ".txt");
      WriteFileOrDie(file, ArticleText(trial_, i));
      script += Quote(PALIMPSEST_BINARY) + " --data " + Quote(a_.data()) + " ingest " +
                Quote(file) + " --id " + doc + " --captured " + CaptureTime("07", trial_, i) +
                " --source t" + std::to_string(trial_) + " --json\n";
    }
    WriteFileOrDie(a_.Join("script.sh"), script);
    Outcome o = RunAndMaybeKill({"/bin/sh", a_.Join("script.sh")}, a_.Join("acks.out"), kill_after);
    *duration = o.seconds;
    if (!o.killed) {
      EXPECT_EQ(o.exit_code, 0) << "trial " << trial_ << " ingest failed";
    }
    killed_ += o.killed;
    std::vector<json::value> log = CheckedLog();
    // Every complete line printed is an acknowledged write.
    size_t acks = 0;
    std::vector<std::string> lines = Lines(o.out);
    if (!o.out.empty() && o.out.back() != '\n') lines.pop_back();  // cut off by the kill
    for (const std::string& line : lines) {
      json::value ack = ParseJson(line);
      int64_t seq = Int(ack, "seq");
      ++acks;
      if (Bool(ack, "duplicate")) continue;
      if (seq < 1 || seq > static_cast<int64_t>(log.size())) {
        ADD_FAILURE() << "trial " << trial_ << ": acknowledged seq " << seq << " is lost: " << line;
        continue;
      }
      EXPECT_EQ(Str(log[seq - 1], "doc"), Str(ack, "id")) << line;
      EXPECT_EQ(Int(log[seq - 1], "version"), Int(ack, "version")) << line;
    }
    if (!o.killed) {
      EXPECT_EQ(acks, static_cast<size_t>(n));
    }
    CheckArchive(log, docs);
    return acks;
  }

  // Import trial: returns how many records the killed run had committed.
  size_t ImportTrial(double kill_after, double* duration) {
    const int n = 60;
    std::string jsonl;
    std::vector<std::string> record_docs;
    for (int i = 0; i < n; ++i) {
      std::string doc = i % 4 == 3 ? "imp-shared-" + std::to_string(rng_() % 3)
                                   : "imp" + std::to_string(trial_) + "-" + std::to_string(i);
      record_docs.push_back(doc);
      json::object rec{
          {"id", doc},
          {"title", "Import trial " + std::to_string(trial_) + " record " + std::to_string(i)},
          {"captured_at", CaptureTime("08", trial_, i)},
          {"source", "trial-" + std::to_string(trial_)},
          {"body", "First paragraph " + std::to_string(rng_()) +
                       ".\n\nSecond paragraph of record " + std::to_string(i) + "."}};
      jsonl += json::serialize(rec) + "\n";
    }
    const std::string file = a_.Join("import-" + std::to_string(trial_) + ".jsonl");
    WriteFileOrDie(file, jsonl);
    const std::string batch = std::to_string(1 + rng_() % 8);
    const size_t before = CheckedLog().size();
    Outcome o = RunAndMaybeKill({PALIMPSEST_BINARY, "--data", a_.data(), "import", file, "--batch",
                                 batch, "--progress", "never"},
                                a_.Join("import.out"), kill_after);
    *duration = o.seconds;
    if (!o.killed) {
      EXPECT_EQ(o.exit_code, 0) << "trial " << trial_ << " import failed";
    }
    killed_ += o.killed;
    std::set<std::string> docs(record_docs.begin(), record_docs.end());
    std::vector<json::value> log = CheckedLog();
    // What the killed run committed is a prefix of the input, whole batches only.
    const size_t committed = log.size() - before;
    EXPECT_LE(committed, record_docs.size());
    for (size_t i = 0; i < committed && i < record_docs.size(); ++i) {
      EXPECT_EQ(Str(log[before + i], "doc"), record_docs[i])
          << "trial " << trial_ << " record " << i;
    }
    if (committed < record_docs.size()) {
      EXPECT_EQ(committed % std::stoul(batch), 0u) << "a batch was half-committed";
    }
    CheckArchive(log, docs);
    // Run again to completion: every record exactly once, in input order.
    RunResult again = a_.Run({"import", file, "--batch", batch, "--progress", "never"});
    EXPECT_EQ(again.exit_code, 0) << Describe(again);
    log = CheckedLog();
    EXPECT_EQ(log.size() - before, record_docs.size()) << "trial " << trial_;
    for (size_t i = 0; i < record_docs.size() && before + i < log.size(); ++i) {
      EXPECT_EQ(Str(log[before + i], "doc"), record_docs[i]) << "trial " << trial_;
    }
    CheckArchive(log, docs);
    return committed;
  }

  CliArchive a_;
  int trials_ = 6;
  unsigned long seed_ = 8;
  size_t docs_checked_ = SIZE_MAX;  // documents whose history and text each check reads
  std::mt19937 rng_;
  int trial_ = 0;
  int killed_ = 0;
};

TEST_F(CrashTest, SigkillAtRandomMomentsLosesNoAcknowledgedWrite) {
  // Unkilled runs first, to learn how long each kind takes here.
  double ingest_time = 0, import_time = 0;
  trial_ = -1;
  IngestTrial(-1, &ingest_time);
  trial_ = -2;
  ImportTrial(-1, &import_time);
  size_t acks = 0, committed = 0;
  for (trial_ = 0; trial_ < trials_ && !HasFatalFailure(); ++trial_) {
    double took = 0;
    std::uniform_real_distribution<double> when(0, 1.2 * (trial_ % 2 ? import_time : ingest_time));
    if (trial_ % 2 == 0) {
      acks += IngestTrial(when(rng_), &took);
    } else {
      committed += ImportTrial(when(rng_), &took);
    }
  }
  std::cout << "[ info ] seed " << seed_ << ": " << trials_ << " trials, " << killed_
            << " SIGKILLs, " << acks << " acknowledged ingests checked, " << committed
            << " records committed by killed imports; lost: "
            << (HasFailure() ? "SEE FAILURES" : "nothing") << "\n";
}

}  // namespace
}  // namespace palimpsest::testing
