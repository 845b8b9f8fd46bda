// Test harness for `palimpsest serve`: runs the real binary on 127.0.0.1:0 as a child process
// (reading the bound port from its first stdout line), and a small synchronous Beast client.
// Timeouts here are failure guards only; no test asserts on timing.

#ifndef PALIMPSEST_TESTS_CLI_SERVE_TEST_HARNESS_H_
#define PALIMPSEST_TESTS_CLI_SERVE_TEST_HARNESS_H_

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {

inline constexpr int kGuardSeconds = 30;

// `palimpsest --data DATA serve --listen 127.0.0.1:0 EXTRA...`, stopped (SIGTERM) by Stop() or
// killed by the destructor.
class ServeProcess {
 public:
  ServeProcess(const std::string& data, const std::vector<std::string>& extra,
               const std::string& err_path) {
    std::vector<std::string> args = {PALIMPSEST_BINARY, "--data",   data,
                                     "serve",           "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    const ExecArgs exec(std::move(args));
    int out_pipe[2];
    if (pipe(out_pipe) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out_pipe[1], STDOUT_FILENO);
      int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) dup2(err, STDERR_FILENO);
      close(out_pipe[0]);
      close(out_pipe[1]);
      exec.Exec();
      _exit(127);
    }
    close(out_pipe[1]);
    out_fd_ = out_pipe[0];
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kGuardSeconds);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_fd_, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char c;
      if (read(out_fd_, &c, 1) != 1) break;
      line.push_back(c);
    }
    const std::string prefix = "listening on 127.0.0.1:";
    if (line.rfind(prefix, 0) == 0)
      port_ = static_cast<uint16_t>(std::stoi(line.substr(prefix.size())));
    first_line_ = line;
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  uint16_t port() const { return port_; }
  const std::string& first_line() const { return first_line_; }

  // SIGTERM and wait (guarded); the exit code, or -1 when it had to be killed.
  int Stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kGuardSeconds);
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      usleep(20 * 1000);
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  uint16_t port_ = 0;
  std::string first_line_;
};

struct HttpReply {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  json::value Json() const { return ParseJson(body); }
};

inline void GuardSocket(boost::asio::ip::tcp::socket& socket) {
  timeval tv{kGuardSeconds, 0};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

inline boost::asio::ip::tcp::socket Connect(boost::asio::io_context& ioc, uint16_t port) {
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  GuardSocket(socket);
  return socket;
}

inline HttpReply ReadReply(boost::asio::ip::tcp::socket& socket,
                           boost::beast::flat_buffer& buffer) {
  namespace http = boost::beast::http;
  HttpReply reply;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  boost::system::error_code ec;
  http::read(socket, buffer, parser, ec);
  if (ec) {
    ADD_FAILURE() << "reading the response: " << ec.message();
    return reply;
  }
  const auto& res = parser.get();
  reply.status = res.result_int();
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(field.value());
  }
  reply.body = res.body();
  return reply;
}

// Request headers, in order.
using Headers = std::vector<std::pair<std::string, std::string>>;

// A JSON request as "alice", the writer of the tokens file WithTokens() writes.
inline const Headers kAlice = {{"Authorization", "Bearer secret-a"},
                               {"Content-Type", "application/json"}};

// `base` followed by `more`.
inline Headers With(Headers base, const Headers& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

// One request on a fresh connection.
inline HttpReply Http(uint16_t port, boost::beast::http::verb method, const std::string& target,
                      const std::string& body = "",
                      const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  namespace http = boost::beast::http;
  boost::asio::io_context ioc;
  auto socket = Connect(ioc, port);
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  if (!body.empty() || method == http::verb::post) req.prepare_payload();
  http::write(socket, req);
  boost::beast::flat_buffer buffer;
  return ReadReply(socket, buffer);
}

inline HttpReply Get(uint16_t port, const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  return Http(port, boost::beast::http::verb::get, target, "", headers);
}

inline HttpReply Post(uint16_t port, const std::string& target, const std::string& body,
                      const std::vector<std::pair<std::string, std::string>>& headers) {
  return Http(port, boost::beast::http::verb::post, target, body, headers);
}

// Writes raw bytes on a fresh connection and reads one response.
inline HttpReply RawRequest(uint16_t port, const std::string& bytes) {
  boost::asio::io_context ioc;
  auto socket = Connect(ioc, port);
  boost::asio::write(socket, boost::asio::buffer(bytes));
  boost::beast::flat_buffer buffer;
  return ReadReply(socket, buffer);
}

// A server over an archive in a scratch directory.
class ServeFixture : public ::testing::Test {
 protected:
  void StartServer(const std::vector<std::string>& extra = {}) {
    server_ = std::make_unique<ServeProcess>(archive_.data(), extra, archive_.Join("serve.err"));
    ASSERT_NE(server_->port(), 0) << "first line: '" << server_->first_line() << "'\n"
                                  << ServeErr();
    port_ = server_->port();
  }
  std::string ServeErr() const {
    std::string err;
    if (FILE* f = fopen(archive_.Join("serve.err").c_str(), "r")) {
      char buf[4096];
      size_t n;
      while ((n = fread(buf, 1, sizeof(buf), f)) > 0) err.append(buf, n);
      fclose(f);
    }
    return "--- server stderr ---\n" + err;
  }
  int StopServer() { return server_->Stop(); }
  // A tokens file with alice:secret-a and bob:secret-b.
  std::string WriteTokens() {
    const std::string path = archive_.Join("tokens");
    WriteFileOrDie(path,
                   "# name sha256(token)\n"
                   "alice " +
                       archive_.Ok({"serve", "--hash-token"}, "secret-a").substr(0, 64) + "\n" +
                       "bob " + archive_.Ok({"serve", "--hash-token"}, "secret-b").substr(0, 64) +
                       "\n");
    return path;
  }

  CliArchive archive_;
  std::unique_ptr<ServeProcess> server_;
  uint16_t port_ = 0;
};

}  // namespace palimpsest::testing

#endif  // PALIMPSEST_TESTS_CLI_SERVE_TEST_HARNESS_H_
