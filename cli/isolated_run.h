// Running a piece of work in a child process, so that a fault or a hang in it (reading a file
// whose damaged bytes confuse the library that parses them) is observed and reported instead
// of taking the command down with it.

#ifndef PALIMPSEST_CLI_ISOLATED_RUN_H_
#define PALIMPSEST_CLI_ISOLATED_RUN_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "palimpsest/status.h"

namespace palimpsest::cli {

struct IsolatedRun {
  enum class Ending { kExited, kCrashed, kTimedOut, kStopped };
  Ending ending = Ending::kExited;
  int exit_code = 0;  // kExited: what `work` returned
  int signal = 0;     // kCrashed: the signal that ended the child
  std::string out;    // what `work` wrote to its out and err streams (kExited only)
  std::string err;
};

// Runs `work(out, err)` in a forked child with default fault handlers and no core dumps, and
// waits at most `timeout_s` seconds (0: no limit) before killing it. Flush the caller's
// streams first: the child inherits their buffers. IOError when no child could be started
// (the caller may then run `work` itself). Not thread safe: call only from a single-threaded
// process (fork copies one thread).
Result<IsolatedRun> RunIsolated(const std::function<int(std::ostream&, std::ostream&)>& work,
                                uint64_t timeout_s);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_ISOLATED_RUN_H_
