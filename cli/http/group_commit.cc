#include "cli/http/group_commit.h"

namespace palimpsest::cli {

GroupCommitter::GroupCommitter(Archive& archive, size_t max_batch)
    : archive_(archive), max_batch_(max_batch == 0 ? 1 : max_batch) {
  writer_ = std::thread([this] { Loop(); });
}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

Result<AppendResult> GroupCommitter::Append(AppendRequest request) {
  std::future<Result<AppendResult>> result;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return Status::IOError("the server is shutting down");
    queue_.push_back(Pending{std::move(request), {}});
    result = queue_.back().done.get_future();
  }
  cv_.notify_one();
  return result.get();
}

size_t GroupCommitter::commits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commits_;
}

size_t GroupCommitter::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void GroupCommitter::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to do
    std::vector<Pending> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    Commit(batch);
    lock.lock();
  }
}

void GroupCommitter::Commit(std::vector<Pending>& batch) {
  std::vector<AppendRequest> requests;
  requests.reserve(batch.size());
  for (Pending& p : batch) requests.push_back(std::move(p.request));
  // One transaction; a request that fails for its own reason fails alone (Archive::AppendEach).
  auto results = archive_.AppendEach(std::move(requests));
  for (size_t i = 0; i < batch.size(); ++i) {
    if (results.ok()) {
      batch[i].done.set_value(std::move((*results)[i]));
    } else {
      batch[i].done.set_value(results.status());
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++commits_;
  requests_ += batch.size();
}

}  // namespace palimpsest::cli
