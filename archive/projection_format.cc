// Projection formats: meta "format/<projection>" (ASCII decimal; absent = 1) names the byte
// layout a projection's databases are in (Projection::format()). When a layout changes, the
// projection's format() rises and:
// - opening the archive for writing rebuilds an asynchronous projection in an older format from
//   the log: its databases are emptied and its checkpoint dropped, so catch-up (or replay)
//   rebuilds it, and its format is recorded;
// - opening read-only refuses with a message naming `palimpsest replay` (reads cannot rebuild);
// - a synchronous projection in an older format is refused too: appends need it current.
// An archive whose projection is in a newer format than this build knows is refused either way.

#include <charconv>

#include "archive/archive_impl.h"

namespace palimpsest {

namespace {

std::string FormatKey(const Projection& p) { return std::string("format/") + p.name(); }

}  // namespace

Result<int> ArchiveImpl::StoredProjectionFormat(lmdb::Txn& txn, const Projection& p) {
  auto value = txn.Get(meta_, FormatKey(p));
  if (value.status().IsNotFound()) return 1;
  PALIMPSEST_RETURN_IF_ERROR(value.status());
  int format = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), format);
  if (ec != std::errc() || end != value->data() + value->size() || format < 1) {
    return Status::Corruption("meta " + FormatKey(p) + " is not a format number");
  }
  return format;
}

Status ArchiveImpl::RefuseOtherProjectionFormat(lmdb::Txn& txn, const Projection& p,
                                                bool can_rebuild) {
  PALIMPSEST_ASSIGN_OR_RETURN(int stored, StoredProjectionFormat(txn, p));
  if (stored == p.format() || (stored < p.format() && can_rebuild)) return Status::OK();
  const std::string formats =
      " (format " + std::to_string(stored) + "; this version uses " + std::to_string(p.format());
  if (stored > p.format()) {
    return Status::InvalidArgument("the " + std::string(p.name()) + " projection of " +
                                   options_.data_dir + " was built by a newer palimpsest" +
                                   formats + "); use that version");
  }
  return Status::NotFound("the " + std::string(p.name()) + " projection of " + options_.data_dir +
                          " is in an older format" + formats +
                          "); run `palimpsest replay` to rebuild it");
}

Status ArchiveImpl::MigrateProjectionFormats(lmdb::Txn& txn) {
  for (Projection* p : projections()) {
    PALIMPSEST_RETURN_IF_ERROR(RefuseOtherProjectionFormat(txn, *p, /*can_rebuild=*/false));
  }
  for (Projection* p : async_projections()) {
    PALIMPSEST_RETURN_IF_ERROR(RefuseOtherProjectionFormat(txn, *p, /*can_rebuild=*/true));
    PALIMPSEST_ASSIGN_OR_RETURN(int stored, StoredProjectionFormat(txn, *p));
    if (stored < p->format()) {
      for (const char* db : p->databases()) {
        PALIMPSEST_ASSIGN_OR_RETURN(MDB_dbi dbi, ProjectionDb(db));
        PALIMPSEST_RETURN_IF_ERROR(txn.Clear(dbi));
      }
      Status dropped = txn.Del(meta_, std::string("checkpoint/") + p->name());
      if (!dropped.ok() && !dropped.IsNotFound()) return dropped;
    }
    if (stored < p->format() || txn.Get(meta_, FormatKey(*p)).status().IsNotFound()) {
      PALIMPSEST_RETURN_IF_ERROR(txn.Put(meta_, FormatKey(*p), std::to_string(p->format())));
    }
  }
  return Status::OK();
}

}  // namespace palimpsest
