#include "cli/catch_up_loop.h"

#include <chrono>

namespace palimpsest::cli {

namespace {

// Events per CatchUp call: large enough that the batch prepared ahead keeps the second core
// busy, small enough that stopping waits for little.
constexpr uint64_t kEventsPerRound = 4096;

}  // namespace

CatchUpLoop::CatchUpLoop(Archive& archive, std::ostream& err) : archive_(archive), err_(err) {
  thread_ = std::thread([this] { Loop(); });
}

CatchUpLoop::~CatchUpLoop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void CatchUpLoop::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = true;
  }
  cv_.notify_one();
}

void CatchUpLoop::Loop() {
  bool warned = false;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_ = false;
    lock.unlock();
    auto applied = archive_.CatchUp(kEventsPerRound);
    if (!applied.ok() && !warned) {
      err_ << "palimpsest: warning: change summaries and search index not updated: "
           << applied.status().message() << std::endl;
      warned = true;
    }
    lock.lock();
    if (applied.ok() && *applied > 0) continue;  // more may be waiting
    cv_.wait_for(lock, std::chrono::seconds(1), [this] { return wake_ || stop_; });
  }
}

}  // namespace palimpsest::cli
