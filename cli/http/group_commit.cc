#include "cli/http/group_commit.h"

namespace palimpsest::cli {

namespace {

// A failure that belongs to the storage, not to any one request.
bool IsStorageFailure(const Status& s) {
  return s.code() == StatusCode::kIOError || s.code() == StatusCode::kCorruption;
}

}  // namespace

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
  for (Pending& p : batch) requests.push_back(p.request);
  auto results = archive_.Append(std::move(requests));
  size_t commits = 1;
  if (results.ok()) {
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].done.set_value((*results)[i]);
    }
  } else if (batch.size() == 1 || IsStorageFailure(results.status())) {
    for (Pending& p : batch) p.done.set_value(results.status());
  } else {
    // One request spoiled the batch: give each its own transaction and its own answer.
    commits = 0;
    for (Pending& p : batch) {
      std::vector<AppendRequest> one;
      one.push_back(std::move(p.request));
      auto result = archive_.Append(std::move(one));
      ++commits;
      if (result.ok()) {
        p.done.set_value(result->front());
      } else {
        p.done.set_value(result.status());
      }
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    commits_ += commits;
    requests_ += batch.size();
  }
}

}  // namespace palimpsest::cli
