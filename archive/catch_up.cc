// CatchUp: advancing the asynchronous projections, each from its own checkpoint, in bounded
// transactions that never hold up an append for long.
//
// The costly part of each event (the terms of a revision, the diff behind a change summary) is
// prepared ahead (Projection::Prepare) on a second thread, in a read transaction, for the next
// batch while the writer applies this one; the writer checks each prepared result still holds
// and otherwise works it out itself, so what is stored is exactly what Apply alone would store.

#include <algorithm>
#include <future>

#include "archive/archive_impl.h"
#include "archive/lmdb/keys.h"

namespace palimpsest {

namespace {

constexpr uint64_t kCatchUpBatch = 256;  // events per transaction: bounded work per commit

}  // namespace

Result<uint64_t> ArchiveImpl::CatchUp(uint64_t max_events) {
  // The writer mutex is taken per transaction, so appends wait for one batch at most. The
  // prepared batch is awaited outside it and outside any transaction: the preparing thread may
  // have to wait for this process's transactions to end (AdoptMapSize).
  PALIMPSEST_ASSIGN_OR_RETURN(uint64_t from, SlowestCheckpoint());
  auto prepare = [this](uint64_t after, uint64_t count) {
    return std::async(std::launch::async,
                      [this, after, count] { return PrepareCatchUp(after, count); });
  };
  std::future<PreparedBatch> next = prepare(from, std::min(kCatchUpBatch, max_events));
  uint64_t applied = 0;
  while (applied < max_events && next.valid()) {
    PreparedBatch prepared = next.get();
    const uint64_t left = max_events - applied;
    const uint64_t ahead = std::min(kCatchUpBatch, left);
    if (left > ahead) next = prepare(from + ahead, std::min(kCatchUpBatch, left - ahead));
    uint64_t done = 0;
    {
      std::lock_guard<std::mutex> write(write_mu_);
      PALIMPSEST_ASSIGN_OR_RETURN(done, CatchUpOneBatch(ahead, &prepared));
    }
    if (done == 0) break;
    applied += done;
    from += ahead;
  }
  return applied;
}

uint64_t ArchiveImpl::Checkpoint(lmdb::Txn& txn, const Projection& projection) {
  auto checkpoint = txn.Get(meta_, std::string("checkpoint/") + projection.name());
  return checkpoint.ok() && checkpoint->size() == 8 ? keys::ReadU64(*checkpoint) : 0;
}

Result<uint64_t> ArchiveImpl::SlowestCheckpoint() {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn read, BeginRead());
  uint64_t slowest = UINT64_MAX;
  for (Projection* p : async_projections()) slowest = std::min(slowest, Checkpoint(read.txn, *p));
  return slowest == UINT64_MAX ? 0 : slowest;
}

ArchiveImpl::PreparedBatch ArchiveImpl::PrepareCatchUp(uint64_t after_seq, uint64_t count,
                                                       const std::vector<Projection*>* replayed) {
  const bool for_replay = replayed != nullptr;
  PreparedBatch batch;
  batch.first_seq = after_seq + 1;
  // Anything that goes wrong here is left to the writer, which meets it again and says so.
  Result<ReadTxn> read = Status::IOError("no read transaction");
  if (for_replay) {
    ReadTxn r{std::shared_lock<std::shared_mutex>(map_mu_), {}};
    auto txn = lmdb::Txn::Begin(env_, /*read_only=*/true);
    if (!txn.ok()) return batch;
    r.txn = std::move(txn).value();
    read = std::move(r);
  } else {
    read = BeginRead();
  }
  if (!read.ok()) return batch;
  auto head = ReadHead(read->txn);
  if (!head.ok()) return batch;
  const uint64_t last = std::min(head->seq, after_seq + count);
  const std::vector<Projection*> projections = async_projections();
  batch.work.resize(projections.size());
  for (uint64_t seq = batch.first_seq; seq <= last; ++seq) {
    auto event = ReadEvent(read->txn, seq);
    for (size_t p = 0; p < projections.size(); ++p) {
      std::unique_ptr<PreparedWork> work;
      const bool wanted = !for_replay || std::find(replayed->begin(), replayed->end(),
                                                   projections[p]) != replayed->end();
      if (event.ok() && wanted) {
        auto prepared = projections[p]->Prepare(read->txn, *event);
        if (prepared.ok()) work = std::move(prepared).value();
        if (work != nullptr) work->check_content = for_replay;
      }
      batch.work[p].push_back(std::move(work));
    }
  }
  return batch;
}

Result<uint64_t> ArchiveImpl::CatchUpLocked(uint64_t max_events) {
  uint64_t applied = 0;
  while (applied < max_events) {
    PALIMPSEST_ASSIGN_OR_RETURN(uint64_t done, CatchUpOneBatch(max_events - applied, nullptr));
    if (done == 0) break;
    applied += done;
  }
  return applied;
}

Result<uint64_t> ArchiveImpl::CatchUpOneBatch(uint64_t max_events, PreparedBatch* prepared) {
  uint64_t done = 0;
  PALIMPSEST_RETURN_IF_ERROR(WriteWithGrowth([&](lmdb::Txn& txn) -> Status {
    done = 0;
    PALIMPSEST_ASSIGN_OR_RETURN(ChainHead head, ReadHead(txn));
    const std::vector<Projection*> projections = async_projections();
    for (size_t p = 0; p < projections.size(); ++p) {
      Projection* projection = projections[p];
      const std::string key = std::string("checkpoint/") + projection->name();
      const uint64_t at = Checkpoint(txn, *projection);
      const uint64_t until = std::min(head.seq, at + std::min(kCatchUpBatch, max_events));
      projection->Discard();
      for (uint64_t seq = at + 1; seq <= until && at < head.seq; ++seq) {
        PALIMPSEST_ASSIGN_OR_RETURN(Event event, ReadEvent(txn, seq));
        Status s = projection->ApplyPrepared(txn, event, contents_,
                                             prepared ? prepared->For(p, seq) : nullptr);
        if (!s.ok())
          return s.WithContext(std::string(projection->name()) + " at seq " + std::to_string(seq));
      }
      PALIMPSEST_RETURN_IF_ERROR(
          projection->Flush(txn).WithContext(std::string(projection->name()) + " projection"));
      if (until > at) PALIMPSEST_RETURN_IF_ERROR(txn.Put(meta_, key, keys::U64(until)));
      done = std::max(done, until - std::min(until, at));
    }
    return Status::OK();
  }));
  return done;
}

}  // namespace palimpsest
