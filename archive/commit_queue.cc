#include "palimpsest/commit_queue.h"

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <utility>

namespace palimpsest {

class CommitQueue::Impl {
 public:
  Impl(Archive& archive, size_t max_batch)
      : archive_(archive), max_batch_(max_batch == 0 ? 1 : max_batch) {
    writer_ = std::thread([this] { Loop(); });
  }

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    writer_.join();
  }

  // One entry of the queue: a single request (batched with its neighbours) or a whole batch.
  struct Entry {
    std::vector<AppendRequest> requests;
    BatchDone done;
    bool single = false;
  };

  void Push(Entry entry) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!stop_) {
        queue_.push_back(std::move(entry));
        cv_.notify_one();
        return;
      }
    }
    entry.done(Status::IOError("the archive's writer is shutting down"));
  }

  size_t commits() const {
    std::lock_guard<std::mutex> lock(mu_);
    return commits_;
  }
  size_t requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      std::vector<Entry> commit;
      commit.push_back(std::move(queue_.front()));
      queue_.pop_front();
      // Single requests ride together; a batch goes alone.
      while (commit.front().single && commit.size() < max_batch_ && !queue_.empty() &&
             queue_.front().single) {
        commit.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      lock.unlock();
      Commit(commit);
      lock.lock();
    }
  }

  void Commit(std::vector<Entry>& commit) {
    std::vector<AppendRequest> requests;
    for (Entry& e : commit) {
      for (AppendRequest& r : e.requests) requests.push_back(std::move(r));
    }
    const size_t count = requests.size();
    auto results = archive_.AppendEach(std::move(requests));
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++commits_;
      requests_ += count;
    }
    if (commit.size() == 1 && !commit.front().single) {
      commit.front().done(std::move(results));
      return;
    }
    for (size_t i = 0; i < commit.size(); ++i) {
      std::vector<Result<AppendResult>> one;
      if (results.ok()) one.push_back(std::move((*results)[i]));
      commit[i].done(results.ok() ? Result<std::vector<Result<AppendResult>>>(std::move(one))
                                  : Result<std::vector<Result<AppendResult>>>(results.status()));
    }
  }

  Archive& archive_;
  const size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Entry> queue_;
  bool stop_ = false;
  size_t commits_ = 0;
  size_t requests_ = 0;
  std::thread writer_;
};

CommitQueue::CommitQueue(Archive& archive, size_t max_batch)
    : impl_(std::make_unique<Impl>(archive, max_batch)) {}

CommitQueue::~CommitQueue() = default;

Result<AppendResult> CommitQueue::Append(AppendRequest request) {
  std::promise<Result<AppendResult>> promise;
  std::future<Result<AppendResult>> result = promise.get_future();
  Impl::Entry entry;
  entry.requests.push_back(std::move(request));
  entry.single = true;
  entry.done = [&promise](Result<std::vector<Result<AppendResult>>> results) {
    promise.set_value(results.ok() ? std::move(results->front())
                                   : Result<AppendResult>(results.status()));
  };
  impl_->Push(std::move(entry));
  return result.get();
}

void CommitQueue::SubmitBatch(std::vector<AppendRequest> batch, BatchDone done) {
  impl_->Push(Impl::Entry{std::move(batch), std::move(done), false});
}

size_t CommitQueue::commits() const { return impl_->commits(); }
size_t CommitQueue::requests() const { return impl_->requests(); }

}  // namespace palimpsest
