// CatchUp: advancing the asynchronous projections, each from its own checkpoint, in bounded
// transactions that never hold up an append for long.

#include <algorithm>

#include "archive/archive_impl.h"
#include "archive/lmdb/keys.h"

namespace palimpsest {

Result<uint64_t> ArchiveImpl::CatchUp(uint64_t max_events) {
  // The writer mutex is taken per transaction, so appends wait for one batch at most.
  uint64_t applied = 0;
  while (applied < max_events) {
    uint64_t done = 0;
    {
      std::lock_guard<std::mutex> write(write_mu_);
      PALIMPSEST_ASSIGN_OR_RETURN(done, CatchUpOneBatch(max_events - applied));
    }
    if (done == 0) break;
    applied += done;
  }
  return applied;
}

Result<uint64_t> ArchiveImpl::CatchUpLocked(uint64_t max_events) {
  uint64_t applied = 0;
  while (applied < max_events) {
    PALIMPSEST_ASSIGN_OR_RETURN(uint64_t done, CatchUpOneBatch(max_events - applied));
    if (done == 0) break;
    applied += done;
  }
  return applied;
}

Result<uint64_t> ArchiveImpl::CatchUpOneBatch(uint64_t max_events) {
  constexpr uint64_t kBatch = 256;  // events per transaction: bounded work per commit
  uint64_t done = 0;
  PALIMPSEST_RETURN_IF_ERROR(WriteWithGrowth([&](lmdb::Txn& txn) -> Status {
    done = 0;
    PALIMPSEST_ASSIGN_OR_RETURN(ChainHead head, ReadHead(txn));
    for (Projection* p : async_projections()) {
      const std::string key = std::string("checkpoint/") + p->name();
      auto checkpoint = txn.Get(meta_, key);
      uint64_t at = checkpoint.ok() && checkpoint->size() == 8 ? keys::ReadU64(*checkpoint) : 0;
      const uint64_t until = std::min(head.seq, at + std::min(kBatch, max_events));
      for (uint64_t seq = at + 1; seq <= until && at < head.seq; ++seq) {
        PALIMPSEST_ASSIGN_OR_RETURN(Event event, ReadEvent(txn, seq));
        Status s = p->Apply(txn, event, contents_);
        if (!s.ok())
          return s.WithContext(std::string(p->name()) + " at seq " + std::to_string(seq));
      }
      if (until > at) PALIMPSEST_RETURN_IF_ERROR(txn.Put(meta_, key, keys::U64(until)));
      done = std::max(done, until - std::min(until, at));
    }
    return Status::OK();
  }));
  return done;
}

}  // namespace palimpsest
