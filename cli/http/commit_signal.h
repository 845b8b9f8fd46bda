// CommitSignal: wakes the server's event streams when new events are committed, so a
// Server-Sent Events client sees a write at once instead of at the next poll.
//
// A stream registers an Asio timer it waits on; Notify() bumps a generation counter and
// cancels every registered timer on the timer's own executor. A stream compares the
// generation before reading the log and after writing what it read, so a commit that lands in
// between is never missed.
//
// Thread safety: every method may be called from any thread.

#ifndef PALIMPSEST_CLI_HTTP_COMMIT_SIGNAL_H_
#define PALIMPSEST_CLI_HTTP_COMMIT_SIGNAL_H_

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace palimpsest::cli {

class CommitSignal {
 public:
  using Timer = boost::asio::steady_timer;

  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // Registers `timer` until it is destroyed (held weakly).
  void Register(const std::shared_ptr<Timer>& timer);

  // New events are committed: wake every waiting stream.
  void Notify();

 private:
  std::atomic<uint64_t> generation_{0};
  std::mutex mu_;
  std::vector<std::weak_ptr<Timer>> timers_;
};

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_HTTP_COMMIT_SIGNAL_H_
