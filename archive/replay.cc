// Replay: every projection rebuilt from the log in one write transaction, with a digest of each
// of its databases before and after, so the report says whether incremental maintenance had
// drifted from what the log implies.

#include <mutex>
#include <string>
#include <vector>

#include "archive/archive_impl.h"
#include "archive/lmdb/keys.h"

namespace palimpsest {

bool ReplayReport::identical() const {
  for (const auto& [name, digests] : databases) {
    if (digests.first != digests.second) return false;
  }
  return true;
}

Result<ReplayReport> ArchiveImpl::Replay() {
  std::lock_guard<std::mutex> write(write_mu_);
  // Compare against fully caught-up projections: that is the incrementally maintained state.
  PALIMPSEST_RETURN_IF_ERROR(CatchUpLocked(UINT64_MAX).status());
  ReplayReport report;
  PALIMPSEST_RETURN_IF_ERROR(WriteWithGrowth([&](lmdb::Txn& txn) -> Status {
    report = ReplayReport{};
    // Events another process appended since the catch-up above are compared caught up too.
    PALIMPSEST_ASSIGN_OR_RETURN(ChainHead before, ReadHead(txn));
    PALIMPSEST_RETURN_IF_ERROR(CatchUpInTxn(txn, before.seq));
    std::vector<Projection*> all = projections();
    for (Projection* p : async_projections()) all.push_back(p);
    for (Projection* p : all) {
      for (const char* db : p->databases()) {
        PALIMPSEST_ASSIGN_OR_RETURN(report.databases[db].first, DigestDatabase(txn, db));
      }
    }
    PALIMPSEST_RETURN_IF_ERROR(RebuildProjections(txn, &report.events_replayed));
    PALIMPSEST_ASSIGN_OR_RETURN(ChainHead head, ReadHead(txn));
    PALIMPSEST_RETURN_IF_ERROR(WriteHead(txn, head));
    PALIMPSEST_RETURN_IF_ERROR(WriteExtractorVersion(txn));
    for (Projection* p : all) PALIMPSEST_RETURN_IF_ERROR(WriteProjectionFormat(txn, *p));
    for (Projection* p : async_projections()) {
      PALIMPSEST_RETURN_IF_ERROR(
          txn.Put(meta_, std::string("checkpoint/") + p->name(), keys::U64(head.seq)));
    }
    for (auto& [db, digests] : report.databases) {
      PALIMPSEST_ASSIGN_OR_RETURN(digests.second, DigestDatabase(txn, db.c_str()));
    }
    return Status::OK();
  }));
  return report;
}

}  // namespace palimpsest
