#include "cli/isolated_run.h"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <sstream>

namespace palimpsest::cli {

namespace {

bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t w = ::write(fd, data.data() + done, data.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    done += static_cast<size_t>(w);
  }
  return true;
}

[[noreturn]] void RunChild(const std::function<int(std::ostream&, std::ostream&)>& work, int out_fd,
                           int err_fd) {
  // A crash should not leave a core dump behind.
  rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  // A fault must end the child by its signal, so the parent sees it: no handler installed by
  // a runtime (sanitizers turn faults into exit code 1) may catch it.
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::signal(sig, SIG_DFL);
  // What a library prints on its own before aborting (LMDB's assertions on a damaged page)
  // goes to the parent through the pipe, which drops it when the child crashed: the user sees
  // one line from the parent, not a library's internals.
  ::dup2(err_fd, STDERR_FILENO);
  std::ostringstream out, err;
  const int code = work(out, err);
  const bool written = WriteAll(out_fd, out.str()) && WriteAll(err_fd, err.str());
  // _exit: no atexit handlers or stdio buffers inherited from the parent.
  ::_exit(written ? code : 125);
}

// Reads both pipes until they close or the deadline passes; false when it passed.
bool Drain(int out_fd, int err_fd, uint64_t timeout_s, std::string* out, std::string* err) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open) {
    int wait_ms = -1;
    if (timeout_s > 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      wait_ms = static_cast<int>(std::min<int64_t>(left.count(), 1000));
    }
    pollfd fds[2];
    int n = 0;
    if (out_open) fds[n++] = {out_fd, POLLIN, 0};
    if (err_open) fds[n++] = {err_fd, POLLIN, 0};
    int ready = ::poll(fds, n, wait_ms);
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < n && ready > 0; ++i) {
      if (fds[i].revents == 0) continue;
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      const bool is_out = fds[i].fd == out_fd;
      if (got <= 0) {
        (is_out ? out_open : err_open) = false;
        continue;
      }
      (is_out ? *out : *err).append(buf, static_cast<size_t>(got));
    }
  }
  return true;
}

}  // namespace

Result<IsolatedRun> RunIsolated(const std::function<int(std::ostream&, std::ostream&)>& work,
                                uint64_t timeout_s) {
  int out_pipe[2], err_pipe[2];
  if (::pipe(out_pipe) != 0) return Status::IOError("pipe failed");
  if (::pipe(err_pipe) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return Status::IOError("pipe failed");
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    return Status::IOError("fork failed");
  }
  if (pid == 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    RunChild(work, out_pipe[1], err_pipe[1]);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  IsolatedRun run;
  const bool in_time = Drain(out_pipe[0], err_pipe[0], timeout_s, &run.out, &run.err);
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  if (!in_time) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!in_time) {
    run.ending = IsolatedRun::Ending::kTimedOut;
  } else if (WIFSIGNALED(status)) {
    run.ending = IsolatedRun::Ending::kCrashed;
    run.signal = WTERMSIG(status);
  } else if (WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
  } else {
    run.ending = IsolatedRun::Ending::kStopped;
  }
  if (run.ending != IsolatedRun::Ending::kExited) {
    run.out.clear();
    run.err.clear();
  }
  return run;
}

}  // namespace palimpsest::cli
