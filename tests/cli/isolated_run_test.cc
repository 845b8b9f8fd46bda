// RunIsolated (cli/isolated_run.h): what `verify` relies on to survive a scan that faults or
// hangs on a damaged file. The work here faults or hangs on purpose.

#include "cli/isolated_run.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

namespace palimpsest::cli {
namespace {

TEST(IsolatedRunTest, ReturnsWhatTheWorkWroteAndItsExitCode) {
  auto run = RunIsolated(
      [](std::ostream& out, std::ostream& err) {
        out << "scanned\n";
        err << "one warning\n";
        return 4;
      },
      10);
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->ending, IsolatedRun::Ending::kExited);
  EXPECT_EQ(run->exit_code, 4);
  EXPECT_EQ(run->out, "scanned\n");
  EXPECT_EQ(run->err, "one warning\n");
}

TEST(IsolatedRunTest, AFaultIsReportedWithItsSignal) {
  auto run = RunIsolated(
      [](std::ostream& out, std::ostream&) {
        out << "half a report";
        ::raise(SIGSEGV);
        return 0;
      },
      10);
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->ending, IsolatedRun::Ending::kCrashed);
  EXPECT_EQ(run->signal, SIGSEGV);
  EXPECT_TRUE(run->out.empty());
}

TEST(IsolatedRunTest, WorkPastTheLimitIsKilledAndReportedAsTimedOut) {
  auto run = RunIsolated(
      [](std::ostream&, std::ostream&) {
        for (;;) ::pause();
        return 0;
      },
      1);
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->ending, IsolatedRun::Ending::kTimedOut);
}

}  // namespace
}  // namespace palimpsest::cli
