#include "nats/nats_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <nats/nats.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace palimpsest {
namespace testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kReadyTimeout = std::chrono::seconds(30);
constexpr int kStartAttempts = 3;
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr char kProbeStream[] = "PALIMPSEST_TEST_PROBE";
constexpr char kProbeSubject[] = "palimpsest-test-probe";

// The nats-server binary: $PALIMPSEST_NATS_SERVER, /usr/bin, /usr/sbin, then $PATH. Empty
// when there is none.
std::string FindServerBinary() {
  const char* env = std::getenv("PALIMPSEST_NATS_SERVER");
  if (env != nullptr && *env != '\0') return env;
  std::vector<std::string> candidates = {"/usr/bin/nats-server", "/usr/sbin/nats-server"};
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "";
  for (size_t start = 0; start <= dirs.size();) {
    size_t colon = dirs.find(':', start);
    if (colon == std::string::npos) colon = dirs.size();
    if (colon > start) candidates.push_back(dirs.substr(start, colon - start) + "/nats-server");
    start = colon + 1;
  }
  for (const std::string& c : candidates) {
    if (access(c.c_str(), X_OK) == 0) return c;
  }
  return "";
}

// `count` distinct free TCP ports on 127.0.0.1 (bound to port 0, then released together).
std::vector<int> FreePorts(int count) {
  std::vector<int> fds;
  std::vector<int> ports;
  for (int i = 0; i < count; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      if (fd >= 0) close(fd);
      break;
    }
    fds.push_back(fd);
    ports.push_back(ntohs(addr.sin_port));
  }
  for (int fd : fds) close(fd);
  if (static_cast<int>(ports.size()) != count) ports.clear();
  return ports;
}

// A client connection with a JetStream context, closed when it goes out of scope.
class Client {
 public:
  Client() = default;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client() {
    jsCtx_Destroy(js_);
    natsConnection_Destroy(nc_);
    natsOptions_Destroy(opts_);
  }

  // Connects to the comma-separated `url` without retrying; false on failure.
  bool Connect(const std::string& url, int64_t timeout_ms) {
    if (natsOptions_Create(&opts_) != NATS_OK) return false;
    std::vector<std::string> servers;
    for (size_t start = 0; start <= url.size();) {
      size_t comma = url.find(',', start);
      if (comma == std::string::npos) comma = url.size();
      servers.push_back(url.substr(start, comma - start));
      start = comma + 1;
    }
    std::vector<const char*> ptrs;
    for (const std::string& s : servers) ptrs.push_back(s.c_str());
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = timeout_ms;
    return natsOptions_SetServers(opts_, ptrs.data(), static_cast<int>(ptrs.size())) == NATS_OK &&
           natsOptions_SetTimeout(opts_, timeout_ms) == NATS_OK &&
           natsOptions_SetMaxReconnect(opts_, 0) == NATS_OK &&
           natsConnection_Connect(&nc_, opts_) == NATS_OK &&
           natsConnection_JetStream(&js_, nc_, &jo) == NATS_OK;
  }

  jsCtx* js() const { return js_; }

 private:
  natsOptions* opts_ = nullptr;
  natsConnection* nc_ = nullptr;
  jsCtx* js_ = nullptr;
};

// Creates and deletes an in-memory stream with `replicas` replicas; true when both work.
bool ProbeJetStream(const std::string& url, int replicas) {
  Client client;
  if (!client.Connect(url, 2000)) return false;
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  const char* subjects[] = {kProbeSubject};
  config.Name = kProbeStream;
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Storage = js_MemoryStorage;
  config.Replicas = replicas;
  jsStreamInfo* info = nullptr;
  jsErrCode code;
  natsStatus s = js_AddStream(&info, client.js(), &config, nullptr, &code);
  jsStreamInfo_Destroy(info);
  if (s != NATS_OK && code != JSStreamNameExistErr) return false;
  return js_DeleteStream(client.js(), kProbeStream, nullptr, &code) == NATS_OK;
}

}  // namespace

std::unique_ptr<NatsCluster> NatsCluster::Start(const std::string& dir, int servers) {
  std::string binary = FindServerBinary();
  if (binary.empty()) {
    std::fprintf(stderr, "NatsCluster: no nats-server binary (install the nats-server package)\n");
    return nullptr;
  }
  // A port found free may be taken again before the server binds it (by another test's cluster
  // or any outgoing connection, which draw from the same range): a server that exits at start
  // is tried again on new ports, with fresh data.
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    std::error_code ec;
    if (attempt > 1) std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir, ec);
    std::vector<int> ports = servers >= 1 ? FreePorts(3 * servers) : std::vector<int>();
    if (ec || ports.empty()) {
      std::fprintf(stderr, "NatsCluster: cannot make %s or find free ports\n", dir.c_str());
      return nullptr;
    }
    std::vector<Server> list(static_cast<size_t>(servers));
    for (int i = 0; i < servers; ++i) {
      list[i].name = "n" + std::to_string(i);
      list[i].port = ports[3 * i];
      list[i].cluster_port = ports[3 * i + 1];
      list[i].monitor_port = ports[3 * i + 2];
    }
    std::unique_ptr<NatsCluster> cluster(new NatsCluster(dir, binary, std::move(list)));
    bool spawned = true;
    for (int i = 0; i < servers && spawned; ++i) spawned = cluster->Spawn(i);
    if (!spawned) return nullptr;
    if (cluster->WaitForJetStream()) return cluster;
    if (attempt < kStartAttempts) {
      std::fprintf(stderr, "NatsCluster: starting again on other ports (attempt %d of %d)\n",
                   attempt + 1, kStartAttempts);
    }
  }
  return nullptr;
}

NatsCluster::~NatsCluster() {
  for (Server& s : servers_) {
    if (s.pid > 0) kill(s.pid, SIGTERM);
  }
  auto deadline = Clock::now() + kStopTimeout;
  for (Server& s : servers_) {
    while (s.pid > 0) {
      if (waitpid(s.pid, nullptr, WNOHANG) == s.pid) {
        s.pid = -1;
      } else if (Clock::now() >= deadline) {
        kill(s.pid, SIGKILL);
        waitpid(s.pid, nullptr, 0);
        s.pid = -1;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  }
}

std::string NatsCluster::Url() const {
  std::string url;
  for (int i = 0; i < size(); ++i) url += (i == 0 ? "" : ",") + ServerUrl(i);
  return url;
}

std::string NatsCluster::ServerUrl(int i) const {
  return "nats://127.0.0.1:" + std::to_string(servers_.at(i).port);
}

int NatsCluster::size() const { return static_cast<int>(servers_.size()); }

int NatsCluster::LeaderOf(const std::string& stream) const {
  Client client;
  if (!client.Connect(Url(), 2000)) return -1;
  jsStreamInfo* info = nullptr;
  jsErrCode code;
  if (js_GetStreamInfo(&info, client.js(), stream.c_str(), nullptr, &code) != NATS_OK) return -1;
  int leader = -1;
  if (info->Cluster != nullptr && info->Cluster->Leader != nullptr) {
    std::string name = info->Cluster->Leader;
    for (int i = 0; i < size(); ++i) {
      if (servers_[i].name == name) leader = i;
    }
  } else if (size() == 1) {
    leader = 0;
  }
  jsStreamInfo_Destroy(info);
  return leader;
}

void NatsCluster::Kill(int i) {
  Server& s = servers_.at(i);
  if (s.pid <= 0) return;
  kill(s.pid, SIGKILL);
  waitpid(s.pid, nullptr, 0);
  s.pid = -1;
}

bool NatsCluster::Restart(int i) {
  if (servers_.at(i).pid > 0) return true;
  if (!Spawn(i)) return false;
  auto deadline = Clock::now() + kReadyTimeout;
  while (Clock::now() < deadline) {
    if (!StillRunning(i)) return false;
    Client client;
    if (client.Connect(ServerUrl(i), 1000)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::fprintf(stderr, "NatsCluster: %s accepts no connection after 30 s (see %s/%s.log)\n",
               servers_[i].name.c_str(), dir_.c_str(), servers_[i].name.c_str());
  return false;
}

std::vector<std::string> NatsCluster::Arguments(int i) const {
  const Server& s = servers_[i];
  std::vector<std::string> args = {binary_, "-js",       "-sd", dir_ + "/" + s.name,
                                   "-a",    "127.0.0.1", "-p",  std::to_string(s.port),
                                   "-n",    s.name,      "-m",  std::to_string(s.monitor_port)};
  if (size() > 1) {
    std::string routes;
    for (int j = 0; j < size(); ++j) {
      if (j == i) continue;
      routes += (routes.empty() ? "" : ",") + std::string("nats://127.0.0.1:") +
                std::to_string(servers_[j].cluster_port);
    }
    args.insert(args.end(),
                {"--cluster_name", "palimpsest-test", "--cluster",
                 "nats://127.0.0.1:" + std::to_string(s.cluster_port), "--routes", routes});
  }
  return args;
}

bool NatsCluster::Spawn(int i) {
  // Everything the child needs is made before fork: after it only async-signal-safe calls.
  std::vector<std::string> args = Arguments(i);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string log_path = dir_ + "/" + servers_[i].name + ".log";
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    std::perror("NatsCluster: fork");
    return false;
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int in = open("/dev/null", O_RDONLY);
    int out = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(127);
    syscall(SYS_close_range, 3U, ~0U, 0U);  // the test's sockets stay with the test
    execv(argv[0], argv.data());
    _exit(127);
  }
  servers_[i].pid = pid;
  return true;
}

bool NatsCluster::StillRunning(int i) {
  Server& s = servers_[i];
  int status = 0;
  if (s.pid > 0 && waitpid(s.pid, &status, WNOHANG) == s.pid) {
    s.pid = -1;
    std::fprintf(stderr, "NatsCluster: %s exited (status %d; see %s/%s.log)\n", s.name.c_str(),
                 status, dir_.c_str(), s.name.c_str());
  }
  return s.pid > 0;
}

bool NatsCluster::WaitForJetStream() {
  auto deadline = Clock::now() + kReadyTimeout;
  while (Clock::now() < deadline) {
    for (int i = 0; i < size(); ++i) {
      if (!StillRunning(i)) return false;
    }
    if (ProbeJetStream(Url(), size())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::fprintf(stderr, "NatsCluster: JetStream not ready after 30 s (see %s/n*.log)\n",
               dir_.c_str());
  return false;
}

}  // namespace testing
}  // namespace palimpsest
