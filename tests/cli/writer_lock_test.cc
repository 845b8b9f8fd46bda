// One writer at a time: while another process holds the lock on <data>/data.mdb, write commands
// wait a bounded time (PALIMPSEST_LOCK_TIMEOUT_MS) and fail with exit 5 (their message says never
// to delete lock files); read commands still work.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <thread>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kLockedDoc = "000_99c9495df02aabac";

// Holds an exclusive flock on a file for its lifetime, as a second writer process would.
class HeldLock {
 public:
  explicit HeldLock(const std::string& path) {
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      ADD_FAILURE() << "cannot open " << path;
      return;
    }
    if (flock(fd_, LOCK_EX | LOCK_NB) != 0) ADD_FAILURE() << "cannot lock " << path;
  }
  ~HeldLock() {
    if (fd_ >= 0) close(fd_);
  }
  HeldLock(const HeldLock&) = delete;
  HeldLock& operator=(const HeldLock&) = delete;

 private:
  int fd_ = -1;
};

class WriterLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_.IngestFixture("000_99c9495df02aabac.txt", {"--captured", "2024-12-15T09:00:00Z"});
  }

  void ExpectLockedOut(std::vector<std::string> args, const std::string& stdin_data = "") {
    auto before = a_.Snapshot();
    RunResult r = a_.Run(args, stdin_data);
    ExpectOneLineError(r, 5);
    EXPECT_TRUE(Contains(r.err, "another process is writing")) << Describe(r);
    EXPECT_TRUE(Contains(r.err, "never delete")) << Describe(r);
    EXPECT_EQ(a_.Snapshot(), before) << "a locked-out write changed the data directory";
  }

  CliArchive a_;
};

TEST_F(WriterLockTest, WritersFailWithExitFiveWhileTheLockIsHeld) {
  ScopedEnv timeout("PALIMPSEST_LOCK_TIMEOUT_MS", "200");
  HeldLock lock(a_.data() + "/data.mdb");
  ExpectLockedOut(
      {"ingest", FixturePath("002_7e22955fd7e20ed8.txt"), "--captured", "2024-12-15T09:00:00Z"});
  ExpectLockedOut(
      {"ingest", FixturePath("000_99c9495df02aabac.txt"), "--captured", "2024-12-16T09:00:00Z"});
  ExpectLockedOut({"correct", kLockedDoc, "--note", "A correction that has to wait."});
  ExpectLockedOut({"replay"});
}

TEST_F(WriterLockTest, ReadersWorkWhileTheLockIsHeld) {
  ScopedEnv timeout("PALIMPSEST_LOCK_TIMEOUT_MS", "200");
  HeldLock lock(a_.data() + "/data.mdb");
  json::value show = a_.Json({"show", kLockedDoc, "--json"});
  EXPECT_EQ(Int(show, "rev"), 1);
  json::value history = a_.Json({"history", kLockedDoc, "--json"});
  EXPECT_EQ(Arr(history, "revisions").size(), 1u);
  RunResult verify = a_.Run({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << Describe(verify);
  EXPECT_EQ(a_.LogLength(), 1u);
  EXPECT_EQ(Arr(a_.Json({"list", "--json"}), "documents").size(), 1u);
  EXPECT_EQ(a_.Run({"stats", "--json"}).exit_code, 0);
  EXPECT_EQ(a_.Run({"export"}).exit_code, 0);
  RunResult raw = a_.Run({"show", kLockedDoc, "--raw"});
  EXPECT_EQ(raw.out, Fixture("000_99c9495df02aabac.txt"));
}

TEST_F(WriterLockTest, WritesWorkAgainOnceTheLockIsReleased) {
  ScopedEnv timeout("PALIMPSEST_LOCK_TIMEOUT_MS", "200");
  {
    HeldLock lock(a_.data() + "/data.mdb");
    ASSERT_EQ(a_.Run({"correct", kLockedDoc, "--note", "Waiting."}).exit_code, 5);
  }
  json::value r = a_.Json({"correct", kLockedDoc, "--note", "Now it goes through.", "--json"});
  EXPECT_EQ(Str(r, "status"), "revised");
  EXPECT_EQ(Int(r, "version"), 2);
  EXPECT_EQ(a_.Run({"verify"}).exit_code, 0);
}

TEST_F(WriterLockTest, ConcurrentWritersBothSucceedOneAfterTheOther) {
  // With the default timeout a second writer waits for the first instead of failing.
  RunResult r1, r2;
  std::thread t1([&] {
    r1 = a_.Run(
        {"ingest", FixturePath("002_7e22955fd7e20ed8.txt"), "--captured", "2024-12-15", "--json"});
  });
  std::thread t2([&] {
    r2 = a_.Run({"correct", kLockedDoc, "--note", "Written concurrently.", "--json"});
  });
  t1.join();
  t2.join();
  EXPECT_EQ(r1.exit_code, 0) << Describe(r1);
  EXPECT_EQ(r2.exit_code, 0) << Describe(r2);
  EXPECT_EQ(a_.LogLength(), 3u);
  EXPECT_EQ(a_.Run({"verify"}).exit_code, 0);
}

}  // namespace
}  // namespace palimpsest::testing
