// Group commit for the HTTP server's writes: requests from many connections that arrive while
// a commit is in flight are appended together, in one LMDB write transaction and one fsync, and
// each caller is answered only once its event is durable.
//
// Each request of a batch is appended in a nested transaction of its own (Archive::AppendEach):
// one that fails for its own reason (a version conflict, a reused event id, bad content) gets
// the answer it would have had alone and the others commit; a storage failure (disk full, I/O
// error) fails the whole batch.
//
// Thread safety: Append may be called from any number of threads. One writer thread, owned by
// the committer, calls Archive::Append.

#ifndef PALIMPSEST_CLI_HTTP_GROUP_COMMIT_H_
#define PALIMPSEST_CLI_HTTP_GROUP_COMMIT_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "palimpsest/archive.h"

namespace palimpsest::cli {

class GroupCommitter {
 public:
  // `archive` must outlive the committer.
  GroupCommitter(Archive& archive, size_t max_batch);
  // Finishes the queued requests, then stops the writer thread.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Appends `request`, batched with concurrent callers; blocks until it is committed (durable
  // under the archive's durability mode) or has failed.
  Result<AppendResult> Append(AppendRequest request);

  // Commits so far, and requests they carried (for metrics and tests).
  size_t commits() const;
  size_t requests() const;

 private:
  struct Pending {
    AppendRequest request;
    std::promise<Result<AppendResult>> done;
  };
  void Loop();
  void Commit(std::vector<Pending>& batch);

  Archive& archive_;
  const size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stop_ = false;
  size_t commits_ = 0;
  size_t requests_ = 0;
  std::thread writer_;
};

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_HTTP_GROUP_COMMIT_H_
