// Replay: every projection rebuilt from the log in one write transaction, with a digest of each
// of its databases before and after, so the report says whether incremental maintenance had
// drifted from what the log implies.

#include <algorithm>
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
  std::vector<Projection*> all = projections();
  for (Projection* p : async_projections()) all.push_back(p);
  return ReplaySelected(all, /*everything=*/true);
}

Result<ReplayReport> ArchiveImpl::ReplayProjections(const std::vector<std::string>& names) {
  std::vector<Projection*> selected;
  std::string known;
  for (Projection* p : async_projections()) {
    known += std::string(known.empty() ? "" : ", ") + p->name();
    if (std::find(names.begin(), names.end(), p->name()) != names.end()) selected.push_back(p);
  }
  for (const std::string& name : names) {
    const bool found = std::any_of(selected.begin(), selected.end(),
                                   [&](const Projection* p) { return name == p->name(); });
    if (!found) {
      return Status::InvalidArgument("cannot replay '" + name + "' alone (one of: " + known +
                                     "; `replay` without a name rebuilds every projection)");
    }
  }
  if (selected.empty()) return Status::InvalidArgument("no projection named to replay");
  return ReplaySelected(selected, /*everything=*/false);
}

Result<ReplayReport> ArchiveImpl::ReplaySelected(const std::vector<Projection*>& selected,
                                                 bool everything) {
  std::lock_guard<std::mutex> write(write_mu_);
  // Compare against fully caught-up projections: that is the incrementally maintained state.
  PALIMPSEST_RETURN_IF_ERROR(CatchUpLocked(UINT64_MAX).status());
  ReplayReport report;
  PALIMPSEST_RETURN_IF_ERROR(WriteWithGrowth([&](lmdb::Txn& txn) -> Status {
    report = ReplayReport{};
    // Events another process appended since the catch-up above are compared caught up too.
    PALIMPSEST_ASSIGN_OR_RETURN(ChainHead before, ReadHead(txn));
    PALIMPSEST_RETURN_IF_ERROR(CatchUpInTxn(txn, before.seq));
    for (Projection* p : selected) {
      for (const char* db : p->databases()) {
        PALIMPSEST_ASSIGN_OR_RETURN(report.databases[db].first, DigestDatabase(txn, db));
      }
    }
    PALIMPSEST_RETURN_IF_ERROR(RebuildProjections(txn, selected, &report.events_replayed));
    PALIMPSEST_ASSIGN_OR_RETURN(ChainHead head, ReadHead(txn));
    PALIMPSEST_RETURN_IF_ERROR(WriteHead(txn, head));
    if (everything) PALIMPSEST_RETURN_IF_ERROR(WriteExtractorVersion(txn));
    for (Projection* p : selected) {
      PALIMPSEST_RETURN_IF_ERROR(WriteProjectionFormat(txn, *p));
      if (IsAsynchronous(*p)) {
        PALIMPSEST_RETURN_IF_ERROR(
            txn.Put(meta_, std::string("checkpoint/") + p->name(), keys::U64(head.seq)));
      }
    }
    for (auto& [db, digests] : report.databases) {
      PALIMPSEST_ASSIGN_OR_RETURN(digests.second, DigestDatabase(txn, db.c_str()));
    }
    return Status::OK();
  }));
  return report;
}

}  // namespace palimpsest
