#include "cli/log_follower.h"

#include <chrono>

namespace palimpsest::cli {

namespace {

// How long one FollowLog call waits for news: also how long stopping may take.
constexpr int kWaitMs = 500;

}  // namespace

LogFollower::LogFollower(Archive& archive, std::ostream& err, std::function<void()> after_apply)
    : archive_(archive), err_(err), after_apply_(std::move(after_apply)) {
  thread_ = std::thread([this] { Loop(); });
}

LogFollower::~LogFollower() {
  stop_ = true;
  thread_.join();
}

void LogFollower::Loop() {
  StatusCode last_trouble = StatusCode::kOk;
  while (!stop_) {
    auto applied = archive_.FollowLog(kWaitMs);
    if (applied.ok()) {
      if (last_trouble != StatusCode::kOk) err_ << "palimpsest: following the shared log again\n";
      last_trouble = StatusCode::kOk;
      if (*applied > 0 && after_apply_) after_apply_();
      continue;
    }
    const Status& s = applied.status();
    if (s.code() != last_trouble) {
      err_ << "palimpsest: shared log: " << s.message() << std::endl;
      last_trouble = s.code();
    }
    if (s.code() == StatusCode::kCorruption) return;  // nothing to retry; health shows the lag
    for (int i = 0; i < 10 && !stop_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace palimpsest::cli
