// Verify's projection check: every projection rebuilt from the log and compared with the one
// stored, without writing anything.
//
// The rebuild runs in an LMDB write transaction that is always aborted. LMDB serialises write
// transactions across processes, so a running writer (the server) waits while the check runs;
// the check's changes never reach the file. The asynchronous projections are first caught up
// to the head inside the same transaction, so a projection that merely lags is not reported.
// Equal SHA-256 digests over a database's ordered keys and values mean equal contents, the same
// comparison `palimpsest replay` reports.

#include <algorithm>
#include <future>
#include <map>

#include "archive/archive_impl.h"
#include "archive/lmdb/keys.h"

namespace palimpsest {

namespace {

constexpr uint64_t kReplayBatch = 256;  // events prepared ahead at a time

// Stored digests per database, keyed by database name.
using Digests = std::map<std::string, Digest>;

}  // namespace

Result<VerifyReport> ArchiveImpl::Verify() {
  PALIMPSEST_ASSIGN_OR_RETURN(VerifyReport report, VerifyLog());
  // Rebuilding needs a sound log, and a write transaction (kCheck) to rebuild in.
  if (!report.ok() || options_.mode != OpenMode::kCheck) return report;
  PALIMPSEST_RETURN_IF_ERROR(CheckProjections(report.head.seq, &report.problems));
  report.projections_checked = true;
  return report;
}

Result<Digest> ArchiveImpl::DigestDatabase(lmdb::Txn& txn, const char* name) {
  PALIMPSEST_ASSIGN_OR_RETURN(MDB_dbi dbi, ProjectionDb(name));
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, dbi));
  Sha256Builder b;
  for (bool ok = cursor.First(); ok; ok = cursor.Next()) {
    b.UpdateField(cursor.key());
    b.UpdateField(cursor.value());
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  return b.Finish();
}

Status ArchiveImpl::CatchUpInTxn(lmdb::Txn& txn, uint64_t head) {
  for (Projection* p : async_projections()) {
    const std::string key = std::string("checkpoint/") + p->name();
    auto checkpoint = txn.Get(meta_, key);
    uint64_t at = checkpoint.ok() && checkpoint->size() == 8 ? keys::ReadU64(*checkpoint) : 0;
    p->Discard();
    for (uint64_t seq = at + 1; seq <= head; ++seq) {
      PALIMPSEST_ASSIGN_OR_RETURN(Event event, ReadEvent(txn, seq));
      Status s = p->Apply(txn, event, contents_);
      if (!s.ok()) return s.WithContext(std::string(p->name()) + " at seq " + std::to_string(seq));
    }
    PALIMPSEST_RETURN_IF_ERROR(p->Flush(txn).WithContext(std::string(p->name()) + " projection"));
    if (head > at) PALIMPSEST_RETURN_IF_ERROR(txn.Put(meta_, key, keys::U64(head)));
  }
  return Status::OK();
}

Status ArchiveImpl::RebuildProjections(lmdb::Txn& txn, uint64_t* events_replayed) {
  std::vector<Projection*> all = projections();
  for (Projection* p : async_projections()) all.push_back(p);
  return RebuildProjections(txn, all, events_replayed);
}

Status ArchiveImpl::RebuildProjections(lmdb::Txn& txn, const std::vector<Projection*>& all,
                                       uint64_t* events_replayed) {
  for (Projection* p : all) {
    for (const char* db : p->databases()) {
      PALIMPSEST_ASSIGN_OR_RETURN(MDB_dbi dbi, ProjectionDb(db));
      PALIMPSEST_RETURN_IF_ERROR(txn.Clear(dbi));
    }
    p->Discard();
  }
  // The asynchronous projections' costly part (terms, diffs) is prepared on a second thread
  // from the committed state this transaction replaces, a batch ahead; ApplyPrepared uses it
  // only where the revisions' content came out the same (PreparedWork::check_content).
  const std::vector<Projection*> async = async_projections();
  std::vector<size_t> async_index(all.size(), async.size());
  for (size_t i = 0; i < all.size(); ++i) {
    async_index[i] = std::find(async.begin(), async.end(), all[i]) - async.begin();
  }
  const bool prepares = std::any_of(async_index.begin(), async_index.end(),
                                    [&](size_t a) { return a < async.size(); });
  auto prepare = [this, &all](uint64_t after) {
    return std::async(std::launch::async,
                      [this, &all, after] { return PrepareCatchUp(after, kReplayBatch, &all); });
  };
  std::future<PreparedBatch> next;
  if (prepares) next = prepare(0);
  PreparedBatch batch;
  uint64_t batch_end = 0;  // the last seq `batch` covers
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, events_));
  for (bool ok = cursor.First(); ok; ok = cursor.Next()) {
    auto event = DecodeEvent(cursor.value());
    if (!event.ok()) {
      return event.status().WithContext("replaying seq " +
                                        std::to_string(keys::ReadU64(cursor.key())));
    }
    while (prepares && event->seq > batch_end) {
      batch = next.get();
      batch_end = batch.first_seq - 1 + kReplayBatch;
      next = prepare(batch_end);
    }
    for (size_t i = 0; i < all.size(); ++i) {
      Projection* p = all[i];
      Status s =
          async_index[i] < async.size()
              ? p->ApplyPrepared(txn, *event, contents_, batch.For(async_index[i], event->seq))
              : p->Apply(txn, *event, contents_);
      if (!s.ok()) {
        return s.WithContext("replaying seq " + std::to_string(event->seq) + " into " + p->name());
      }
    }
    ++*events_replayed;
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  for (Projection* p : all) {
    PALIMPSEST_RETURN_IF_ERROR(
        p->Flush(txn).WithContext(std::string("replaying into ") + p->name()));
  }
  return Status::OK();
}

Status ArchiveImpl::CheckProjectionsInTxn(lmdb::Txn& txn, uint64_t head,
                                          std::vector<std::string>* problems) {
  Status caught_up = CatchUpInTxn(txn, head);
  if (lmdb::IsMapFull(caught_up)) return caught_up;
  if (!caught_up.ok()) {
    problems->push_back("asynchronous projections cannot be brought up to date: " +
                        caught_up.message() + " (`palimpsest replay` rebuilds them)");
  }
  std::vector<Projection*> all = projections();
  for (Projection* p : async_projections()) all.push_back(p);
  Digests stored;
  // A synchronous projection built by an older version in an older (still readable) layout
  // differs from a rebuild for that reason alone: the problem says so.
  std::map<Projection*, std::string> older;
  for (Projection* p : all) {
    PALIMPSEST_ASSIGN_OR_RETURN(int format, StoredProjectionFormat(txn, *p));
    if (format < p->format()) {
      older[p] = " (its layout is format " + std::to_string(format) + "; this version builds " +
                 std::to_string(p->format()) + ")";
    }
  }
  for (Projection* p : all) {
    for (const char* db : p->databases()) {
      auto digest = DigestDatabase(txn, db);
      if (!digest.ok()) {
        problems->push_back(std::string("projection ") + p->name() + ": database " + db +
                            " cannot be read: " + digest.status().message());
        continue;
      }
      stored[db] = *digest;
    }
  }
  uint64_t replayed = 0;
  Status rebuilt = RebuildProjections(txn, &replayed);
  if (lmdb::IsMapFull(rebuilt)) return rebuilt;
  if (!rebuilt.ok()) {
    problems->push_back("projections cannot be rebuilt from the log: " + rebuilt.message());
    return Status::OK();
  }
  for (Projection* p : all) {
    for (const char* db : p->databases()) {
      PALIMPSEST_ASSIGN_OR_RETURN(Digest fresh, DigestDatabase(txn, db));
      auto it = stored.find(db);
      if (caught_up.ok() && it != stored.end() && it->second != fresh) {
        problems->push_back(std::string("projection ") + p->name() + ": database " + db +
                            " differs from a rebuild from the log" + older[p] +
                            " (`palimpsest replay` repairs it)");
      }
    }
  }
  return Status::OK();
}

Status ArchiveImpl::CheckProjections(uint64_t head, std::vector<std::string>* problems) {
  std::lock_guard<std::mutex> write(write_mu_);
  for (;;) {
    std::vector<std::string> found;
    Status s;
    {
      std::shared_lock<std::shared_mutex> map_lock(map_mu_);
      PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Txn txn, lmdb::Txn::Begin(env_, /*read_only=*/false));
      s = CheckProjectionsInTxn(txn, head, &found);
      txn.Abort();  // A check never writes.
    }
    if (lmdb::IsMapFull(s)) {
      PALIMPSEST_RETURN_IF_ERROR(GrowMap());
      continue;
    }
    PALIMPSEST_RETURN_IF_ERROR(s);
    problems->insert(problems->end(), found.begin(), found.end());
    return Status::OK();
  }
}

}  // namespace palimpsest
