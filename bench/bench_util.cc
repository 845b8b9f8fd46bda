#include "bench/bench_util.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace palimpsest::bench {

namespace {

// Current resident set in KiB, from /proc/self/statm.
long CurrentRssKib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

std::vector<char*> CArgv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const std::string& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

// Spawns argv in `dir` with the given file actions; returns the pid or dies.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& dir,
            posix_spawn_file_actions_t* actions) {
  posix_spawn_file_actions_addchdir_np(actions, dir.c_str());
  std::vector<char*> c = CArgv(argv);
  pid_t pid = 0;
  if (posix_spawnp(&pid, c[0], actions, nullptr, c.data(), environ) != 0) {
    Die("cannot start " + argv[0]);
  }
  return pid;
}

// Reads `fd` to its end into `out` and closes it, then reaps `pid`; true when it exited 0.
bool ReadAllThenWait(int fd, pid_t pid, std::string* out) {
  char buf[16384];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  close(fd);
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

void Die(const std::string& message) {
  std::fprintf(stderr, "compare: %s\n", message.c_str());
  std::exit(1);
}

double CpuSeconds() {
  auto seconds = [](const struct rusage& u) {
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  struct rusage self {};
  struct rusage children {};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  return seconds(self) + seconds(children);
}

void LatencyRecorder::Report(const std::string& name, Metrics& out) {
  if (samples_.empty()) return;
  std::sort(samples_.begin(), samples_.end());
  auto at = [&](double p) {
    const size_t i = std::min(samples_.size() - 1, static_cast<size_t>(p * samples_.size()));
    return samples_[i];
  };
  out[name + "_p50_us"] = at(0.50);
  out[name + "_p99_us"] = at(0.99);
}

void InRotatedOrder(size_t round, const std::vector<std::function<void()>>& reads) {
  for (size_t k = 0; k < reads.size(); ++k) reads[(round + k) % reads.size()]();
}

Metrics RunInChild(const std::string& name, const std::function<Metrics()>& fn) {
  std::fflush(stdout);
  std::fflush(stderr);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) Die("pipe failed");
  const long inherited_kib = CurrentRssKib();
  const pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    close(fds[0]);
    Metrics m = fn();
    struct rusage self {};
    struct rusage children {};
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    const double own_mb = static_cast<double>(self.ru_maxrss - inherited_kib) / 1024.0;
    const double child_mb = static_cast<double>(children.ru_maxrss) / 1024.0;
    m["peak_rss_mb"] = std::max(own_mb, child_mb);
    std::ostringstream out;
    out.precision(17);
    for (const auto& [k, v] : m) out << k << ' ' << v << '\n';
    const std::string text = out.str();
    size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = write(fds[1], text.data() + done, text.size() - done);
      if (n <= 0) _exit(1);
      done += static_cast<size_t>(n);
    }
    std::fflush(stdout);
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  if (!ReadAllThenWait(fds[0], pid, &text)) Die(name + " run failed");
  Metrics m;
  std::istringstream in(text);
  std::string key;
  double value = 0;
  while (in >> key >> value) m[key] = value;
  return m;
}

int RunCommand(const std::vector<std::string>& argv, const std::string& dir,
               const std::string& stdout_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (stdout_path == "-") {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  } else if (!stdout_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
  }
  const pid_t pid = Spawn(argv, dir, &actions);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string CaptureCommand(const std::vector<std::string>& argv, const std::string& dir) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) Die("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  const pid_t pid = Spawn(argv, dir, &actions);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  std::string out;
  if (!ReadAllThenWait(fds[0], pid, &out)) Die(argv[0] + " " + argv[1] + " failed");
  return out;
}

Child StartCommand(const std::vector<std::string>& argv, const std::string& dir, bool pipe_stdin,
                   bool pipe_stdout) {
  int in[2] = {-1, -1}, out[2] = {-1, -1};
  if ((pipe_stdin && pipe2(in, O_CLOEXEC) != 0) || (pipe_stdout && pipe2(out, O_CLOEXEC) != 0))
    Die("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (pipe_stdin) {
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_addclose(&actions, in[0]);
    posix_spawn_file_actions_addclose(&actions, in[1]);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  if (pipe_stdout) {
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, out[1]);
  }
  Child child;
  child.pid = Spawn(argv, dir, &actions);
  posix_spawn_file_actions_destroy(&actions);
  if (pipe_stdin) {
    close(in[0]);
    child.in_fd = in[1];
  }
  if (pipe_stdout) {
    close(out[1]);
    child.out_fd = out[0];
  }
  return child;
}

int WaitCommand(Child& child) {
  if (child.in_fd >= 0) close(child.in_fd);
  if (child.out_fd >= 0) close(child.out_fd);
  child.in_fd = child.out_fd = -1;
  int status = 0;
  if (waitpid(child.pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

uint64_t DiskUsage(const std::string& path) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    struct stat st {};
    if (lstat(it->path().c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      total += static_cast<uint64_t>(st.st_blocks) * 512;
    }
  }
  return total;
}

void FreshDir(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  std::filesystem::create_directories(path, ec);
  if (ec) Die("cannot create " + path + ": " + ec.message());
}

}  // namespace palimpsest::bench
