// CommitQueue: the one way writers hand their appends to an archive when more than one may be
// in flight — the HTTP server's concurrent requests (group commit), `import`'s batches while it
// reads the next ones, and any future long-running writer.
//
// One writer thread, owned by the queue, takes what is queued and appends it with
// Archive::AppendEach: one write transaction (one fsync) per commit, each request in a nested
// transaction of its own, so a request that fails for its own reason (a version conflict, a
// reused event id, bad content) gets the answer it would have had alone and the others commit;
// a storage failure (disk full, I/O error) fails every request of that commit.
//
// Single requests (Append) arriving while a commit is in flight are committed together, at
// most `max_batch` per transaction. A batch (SubmitBatch) is committed as one transaction of
// its own, after everything queued before it: commits happen in submission order.
//
// Thread safety: Append and SubmitBatch may be called from any number of threads.

#ifndef PALIMPSEST_COMMIT_QUEUE_H_
#define PALIMPSEST_COMMIT_QUEUE_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "palimpsest/archive.h"

namespace palimpsest {

class CommitQueue {
 public:
  // `archive` must outlive the queue.
  CommitQueue(Archive& archive, size_t max_batch);
  // Commits everything queued, then stops the writer thread.
  ~CommitQueue();
  CommitQueue(const CommitQueue&) = delete;
  CommitQueue& operator=(const CommitQueue&) = delete;

  // Appends `request`, batched with concurrent callers; blocks until it is committed (durable
  // under the archive's durability mode) or has failed.
  Result<AppendResult> Append(AppendRequest request);

  // What became of a batch: per request (in order), or the storage failure of the whole commit.
  using BatchDone = std::function<void(Result<std::vector<Result<AppendResult>>>)>;
  // Queues `batch` and returns at once; `done` is called on the queue's writer thread once the
  // batch is committed or has failed. `done` must not call back into the queue.
  void SubmitBatch(std::vector<AppendRequest> batch, BatchDone done);

  // Commits so far, and requests they carried (for metrics and tests).
  size_t commits() const;
  size_t requests() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_COMMIT_QUEUE_H_
