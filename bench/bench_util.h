// Helpers shared by the comparison benchmark: timing, percentiles, per-system child processes
// (so each system's peak RSS is its own), spawning commands, and disk usage.
//
// Benchmark code: failures that make a measurement meaningless abort the run with a message
// (Die), since there is nothing sensible to continue with.

#ifndef PALIMPSEST_BENCH_BENCH_UTIL_H_
#define PALIMPSEST_BENCH_BENCH_UTIL_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace palimpsest::bench {

// Named numbers one system's run produced, e.g. {"ingest_nosync_eps", 12345}.
using Metrics = std::map<std::string, double>;

// Prints "compare: <message>" to stderr and exits 1.
[[noreturn]] void Die(const std::string& message);

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  double Micros() const { return Seconds() * 1e6; }

 private:
  std::chrono::steady_clock::time_point start_;
};

// CPU time (user + system) this process and its waited-for children have used, in seconds:
// unlike wall time, barely affected by other load on the machine.
double CpuSeconds();

// Records latencies (µs) and stores p50/p99 under "<name>_p50_us" / "<name>_p99_us".
class LatencyRecorder {
 public:
  void Add(double micros) { samples_.push_back(micros); }
  void Report(const std::string& name, Metrics& out);

 private:
  std::vector<double> samples_;
};

// Runs every one of `reads`, starting with reads[round % n] and going round: the reads of one
// document rotate which of them comes first (and reads the document cold).
void InRotatedOrder(size_t round, const std::vector<std::function<void()>>& reads);

// Runs `fn` in a forked child and returns its metrics plus "peak_rss_mb": the child's peak
// resident set above what it inherited, or of its largest waited-for child process (git),
// whichever is larger. Dies if the child fails.
Metrics RunInChild(const std::string& name, const std::function<Metrics()>& fn);

// Runs argv (argv[0] looked up in PATH) in `dir` with stdin from /dev/null; returns its exit
// status (-1 when it could not start). Output goes to `stdout_path` ("" to inherit stdout;
// "-" to discard) and stderr is inherited.
int RunCommand(const std::vector<std::string>& argv, const std::string& dir,
               const std::string& stdout_path = "-");

// A started command with optional pipes to its stdin (in_fd, we write) and stdout (out_fd, we
// read); -1 where not piped (stdin then reads /dev/null, stdout is inherited).
struct Child {
  int pid = -1;
  int in_fd = -1;
  int out_fd = -1;
};
Child StartCommand(const std::vector<std::string>& argv, const std::string& dir, bool pipe_stdin,
                   bool pipe_stdout);
// Closes the pipes that are still open and waits; returns the exit status (-1 if killed).
int WaitCommand(Child& child);

// Runs argv in `dir` and returns its standard output; dies unless it exits 0.
std::string CaptureCommand(const std::vector<std::string>& argv, const std::string& dir);

// Bytes allocated on disk (st_blocks × 512) by every file under `path`, recursively.
uint64_t DiskUsage(const std::string& path);

// Removes `path` if present and creates it as an empty directory.
void FreshDir(const std::string& path);

}  // namespace palimpsest::bench

#endif  // PALIMPSEST_BENCH_BENCH_UTIL_H_
