// NatsCluster: real nats-server processes with JetStream on 127.0.0.1, for tests of code that
// talks to NATS (archive/log/nats_log.h). Each server listens on free ports, keeps its data
// under the directory given to Start and writes its output to <dir>/nI.log.
//
// The servers die with the thread that started them (PR_SET_PDEATHSIG): start the cluster,
// and call Restart, from a thread that outlives it (a test's main thread).
//
// Thread safety: none; one thread drives a cluster.

#ifndef PALIMPSEST_TESTS_NATS_NATS_CLUSTER_H_
#define PALIMPSEST_TESTS_NATS_NATS_CLUSTER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace palimpsest {
namespace testing {

class NatsCluster {
 public:
  // Starts `servers` nats-server processes (/usr/bin/nats-server, else /usr/sbin/nats-server,
  // else the first on PATH; $PALIMPSEST_NATS_SERVER overrides): "-js", "-sd <dir>/nI",
  // "-a 127.0.0.1", "-p <port>", "--cluster_name palimpsest-test",
  // "--cluster nats://127.0.0.1:<cport>", "--routes <the other servers' cluster urls>",
  // "-n nI", "-m <monitor port>", with free ports and data under `dir` (created if missing).
  // Waits until JetStream in the cluster accepts an R(servers) stream (creates and deletes a
  // probe stream, retrying up to 30 s). When a server exits before that (its port was taken
  // between finding it free and binding it), starts all again on new ports with `dir` emptied,
  // up to 3 times. servers == 1: a single JetStream server without cluster options. Returns
  // nullptr, with a message on stderr, when it cannot start.
  static std::unique_ptr<NatsCluster> Start(const std::string& dir, int servers = 3);

  NatsCluster(const NatsCluster&) = delete;
  NatsCluster& operator=(const NatsCluster&) = delete;

  // SIGTERM to every running server, waits, SIGKILL after 5 s.
  ~NatsCluster();

  // "nats://127.0.0.1:p1,nats://127.0.0.1:p2,..." (all servers, running or not).
  std::string Url() const;
  // "nats://127.0.0.1:pI" for server `i` (0-based).
  std::string ServerUrl(int i) const;
  int size() const;

  // The index of the server leading stream `stream` (asked of the cluster through
  // js_GetStreamInfo; the leader's name is "nI"); -1 when unknown.
  int LeaderOf(const std::string& stream) const;

  // SIGKILL to server `i`; waits for the process to end.
  void Kill(int i);
  // Starts server `i` again (same ports, same data) unless it runs; waits until it accepts
  // connections (at most 30 s). False, with a message on stderr, when it does not.
  bool Restart(int i);

 private:
  struct Server {
    std::string name;  // "nI"
    int port = 0;
    int cluster_port = 0;
    int monitor_port = 0;
    pid_t pid = -1;  // -1: not running
  };

  NatsCluster(std::string dir, std::string binary, std::vector<Server> servers)
      : dir_(std::move(dir)), binary_(std::move(binary)), servers_(std::move(servers)) {}

  // The command line of server `i`.
  std::vector<std::string> Arguments(int i) const;
  // Forks and execs server `i`; false when fork fails.
  bool Spawn(int i);
  // Creates and deletes an R(size()) probe stream until it works or 30 s pass; false, with a
  // message on stderr, when it does not or a server exits meanwhile.
  bool WaitForJetStream();
  // False, with a message on stderr, when server `i` has exited (it is reaped).
  bool StillRunning(int i);

  std::string dir_;
  std::string binary_;
  std::vector<Server> servers_;
};

}  // namespace testing
}  // namespace palimpsest

#endif  // PALIMPSEST_TESTS_NATS_NATS_CLUSTER_H_
