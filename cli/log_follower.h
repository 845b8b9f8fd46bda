// LogFollower: Archive::FollowLog on a thread of its own, so a node of a shared log applies
// what other nodes write while it serves (`serve --log`). After entries are applied it calls
// `after_apply` (the server wakes its event streams and its catch-up loop). A failure is
// reported on `err` once per kind of trouble and retried after a second: an unreachable log
// comes back; an entry that does not continue this node's chain stops the follower (the node
// keeps serving what it has, and /api/health shows its lag).
//
// Thread safety: constructed and destroyed on one thread; after_apply runs on the follower's.

#ifndef PALIMPSEST_CLI_LOG_FOLLOWER_H_
#define PALIMPSEST_CLI_LOG_FOLLOWER_H_

#include <atomic>
#include <functional>
#include <ostream>
#include <thread>

#include "palimpsest/archive.h"

namespace palimpsest::cli {

class LogFollower {
 public:
  // `archive` and `err` must outlive the follower.
  LogFollower(Archive& archive, std::ostream& err, std::function<void()> after_apply);
  // Stops the thread (within about half a second).
  ~LogFollower();
  LogFollower(const LogFollower&) = delete;
  LogFollower& operator=(const LogFollower&) = delete;

 private:
  void Loop();

  Archive& archive_;
  std::ostream& err_;
  std::function<void()> after_apply_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_LOG_FOLLOWER_H_
