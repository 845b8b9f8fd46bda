#include "test_util.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace palimpsest::testing {

ScratchDir::ScratchDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp ? tmp : "/tmp") + "/palimpsest-test-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    perror("mkdtemp");
    std::abort();
  }
  path_ = buf.data();
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string FixturePath(const std::string& name) {
  // Appended rather than `std::string(...) + "/" + name`: GCC 12 reports a false -Warray-bounds
  // for that expression once GoogleTest is precompiled.
  std::string path = PALIMPSEST_FIXTURES;
  path += '/';
  path += name;
  return path;
}

std::string Fixture(const std::string& name) { return ReadFileOrDie(FixturePath(name)); }

std::string OutletPage(int n) {
  std::string page = "<!DOCTYPE html><html><head><title>Story " + std::to_string(n) +
                     " | The Daily Example</title><style>";
  for (int i = 0; i < 80; ++i) {
    page += ".rule" + std::to_string(i) + "{margin:" + std::to_string(i % 7) + "px;color:#" +
            std::to_string(100000 + i * 7919) + "}\n";
  }
  page += "</style></head><body><header><nav><ul>";
  for (const char* section : {"world", "politics", "business", "science", "culture", "sport",
                              "opinion", "climate", "travel", "books"}) {
    page += "<li><a href=\"https://daily.example/" + std::string(section) + "/\">" + section +
            "</a></li>";
  }
  page += "</ul></nav></header><main><article><h1>Story " + std::to_string(n) + "</h1>";
  for (int p = 0; p < 6; ++p) {
    page += "<p>Paragraph " + std::to_string(p) + " of story " + std::to_string(n) +
            " tells readers what happened on day " + std::to_string(n * 7 + p) +
            " and why it matters to them.</p>\n";
  }
  page +=
      "</article></main><footer>About us | Contact | Privacy | Terms | Corrections policy "
      "| Advertise | Careers | Newsletters</footer></body></html>";
  return page;
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fprintf(stderr, "cannot read %s\n", path.c_str());
    std::abort();
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFileOrDie(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  if (!out) {
    fprintf(stderr, "cannot write %s\n", path.c_str());
    std::abort();
  }
}

ExecArgs::ExecArgs(std::vector<std::string> args) : args_(std::move(args)) {
  for (std::string& a : args_) argv_.push_back(a.data());
  argv_.push_back(nullptr);
}

void ExecArgs::Exec() const { execv(argv_[0], argv_.data()); }

RunResult RunCli(const std::vector<std::string>& args, const std::string& stdin_data) {
  // Everything the child needs is built before fork: a test's other threads (a local web site,
  // a server) may hold the allocator's lock at the moment of fork, and the child, which has only
  // this thread, would wait for it forever. The child calls only async-signal-safe functions.
  std::vector<std::string> command = {PALIMPSEST_BINARY};
  command.insert(command.end(), args.begin(), args.end());
  const ExecArgs exec(std::move(command));
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) std::abort();
  pid_t pid = fork();
  if (pid < 0) std::abort();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    exec.Exec();
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Feed stdin and drain stdout/stderr together so neither side blocks on a full pipe.
  RunResult result;
  size_t written = 0;
  int in_fd = in_pipe[1];
  if (stdin_data.empty()) {
    close(in_fd);
    in_fd = -1;
  } else {
    fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open || in_fd >= 0) {
    pollfd fds[3];
    int n = 0;
    if (out_open) fds[n++] = {out_pipe[0], POLLIN, 0};
    if (err_open) fds[n++] = {err_pipe[0], POLLIN, 0};
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    if (poll(fds, n, -1) < 0) continue;
    for (int i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_fd) {
        ssize_t w = write(in_fd, stdin_data.data() + written, stdin_data.size() - written);
        if (w > 0) written += w;
        if (w < 0 || written == stdin_data.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      ssize_t r = read(fds[i].fd, buf, sizeof buf);
      if (r <= 0) {
        if (fds[i].fd == out_pipe[0])
          out_open = false;
        else
          err_open = false;
        continue;
      }
      (fds[i].fd == out_pipe[0] ? result.out : result.err).append(buf, r);
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::vector<std::pair<std::string, std::string>> SnapshotFiles(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> files;
  if (!std::filesystem::exists(dir)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string rel = std::filesystem::relative(entry.path(), dir).string();
    if (rel.find("lock") != std::string::npos) continue;
    files.emplace_back(rel, ReadFileOrDie(entry.path().string()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace palimpsest::testing
