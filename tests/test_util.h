// Shared test helpers: scratch directories, fixtures, and running the `palimpsest` binary.

#ifndef PALIMPSEST_TESTS_TEST_UTIL_H_
#define PALIMPSEST_TESTS_TEST_UTIL_H_

#include <string>
#include <vector>

namespace palimpsest::testing {

// A fresh directory under $TMPDIR, removed (recursively) on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Contents of tests/fixtures/<name>; aborts the test binary if it cannot be read.
std::string Fixture(const std::string& name);
std::string FixturePath(const std::string& name);

// Article page `n` of an outlet whose template (styles, navigation, footer) all its pages share:
// HTML the extractor takes as an article, distinct per `n`.
std::string OutletPage(int n);

std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& contents);

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// A command line made ready for execv before fork. The child of a test whose other threads (a
// local web site, a server) may hold the allocator's lock at the moment of fork must not
// allocate: make the ExecArgs first, and in the child call only async-signal-safe functions and
// Exec(). Not copyable (argv points into args).
class ExecArgs {
 public:
  explicit ExecArgs(std::vector<std::string> args);
  ExecArgs(const ExecArgs&) = delete;
  ExecArgs& operator=(const ExecArgs&) = delete;

  // Replaces the process image with args[0] (a path); returns only when that failed.
  void Exec() const;

 private:
  std::vector<std::string> args_;
  std::vector<char*> argv_;  // into args_, null-terminated
};

// Runs the palimpsest binary with `args` (argv[1..]), feeding `stdin_data` on standard input.
RunResult RunCli(const std::vector<std::string>& args, const std::string& stdin_data = "");

// Every regular file below `dir` with its bytes, keyed by relative path (lock files excluded);
// used to prove a failed command wrote nothing.
std::vector<std::pair<std::string, std::string>> SnapshotFiles(const std::string& dir);

}  // namespace palimpsest::testing

#endif  // PALIMPSEST_TESTS_TEST_UTIL_H_
