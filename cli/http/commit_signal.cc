#include "cli/http/commit_signal.h"

#include <boost/asio/post.hpp>

namespace palimpsest::cli {

void CommitSignal::Register(const std::shared_ptr<Timer>& timer) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(timers_, [](const std::weak_ptr<Timer>& t) { return t.expired(); });
  timers_.push_back(timer);
}

void CommitSignal::Notify() {
  generation_.fetch_add(1, std::memory_order_acq_rel);
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::weak_ptr<Timer>& weak : timers_) {
    if (std::shared_ptr<Timer> timer = weak.lock()) {
      // Timers are used only on their own executor (a strand): cancel there.
      boost::asio::post(timer->get_executor(), [weak] {
        if (std::shared_ptr<Timer> t = weak.lock()) t->cancel();
      });
    }
  }
}

}  // namespace palimpsest::cli
