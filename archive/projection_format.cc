// Projection formats: meta "format/<projection>" (ASCII decimal; absent = 1) names the byte
// layout a projection's databases were built in (Projection::format()). When a layout changes,
// the projection's format() rises, and:
// - a synchronous projection must still read every older layout (appends go on in it): an
//   archive built in one keeps working, verify says its databases differ from a rebuild because
//   of the layout, and `palimpsest replay` rebuilds them in the new one;
// - an asynchronous projection in an older layout is rebuilt from the log when the archive is
//   opened for writing (its databases emptied, its checkpoint dropped: catch-up rebuilds it),
//   and refused, naming `palimpsest replay`, when it is opened read-only;
// - a projection in a newer layout than this build knows is refused either way.
// A new archive, and replay, record every projection's current format. Archives of format 2 (meta
// "format") hold a key for every projection, so a missing one is damage; a writable open of a
// format 1 archive records the formats it has (absent = 1) and raises it to 2.

#include <charconv>

#include "archive/archive_impl.h"

namespace palimpsest {

namespace {

std::string FormatKey(const Projection& p) { return std::string("format/") + p.name(); }

}  // namespace

Result<int> ArchiveImpl::StoredProjectionFormat(lmdb::Txn& txn, const Projection& p) {
  auto value = txn.Get(meta_, FormatKey(p));
  if (value.status().IsNotFound()) {
    // Archives of format 2 record every projection's format: a missing one is damage.
    auto archive_format = txn.Get(meta_, "format");
    if (archive_format.ok() && *archive_format != "1") {
      return Status::Corruption("meta " + FormatKey(p) + " is missing");
    }
    return 1;
  }
  PALIMPSEST_RETURN_IF_ERROR(value.status());
  int format = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), format);
  if (ec != std::errc() || end != value->data() + value->size() || format < 1) {
    return Status::Corruption("meta " + FormatKey(p) + " is not a format number");
  }
  return format;
}

Status ArchiveImpl::RefuseUnreadableProjectionFormat(lmdb::Txn& txn, const Projection& p,
                                                     bool rebuilt_if_older) {
  PALIMPSEST_ASSIGN_OR_RETURN(int stored, StoredProjectionFormat(txn, p));
  const bool asynchronous = IsAsynchronous(p);
  if (stored == p.format() || (stored < p.format() && (!asynchronous || rebuilt_if_older))) {
    return Status::OK();
  }
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

bool ArchiveImpl::IsAsynchronous(const Projection& p) {
  for (Projection* a : async_projections()) {
    if (a == &p) return true;
  }
  return false;
}

Status ArchiveImpl::MigrateProjectionFormats(lmdb::Txn& txn, bool new_archive) {
  std::vector<Projection*> all = projections();
  for (Projection* p : async_projections()) all.push_back(p);
  for (Projection* p : all) {
    PALIMPSEST_RETURN_IF_ERROR(RefuseUnreadableProjectionFormat(txn, *p, true));
    PALIMPSEST_ASSIGN_OR_RETURN(int stored, StoredProjectionFormat(txn, *p));
    if (new_archive) {
      PALIMPSEST_RETURN_IF_ERROR(WriteProjectionFormat(txn, *p));
    } else if (stored < p->format() && IsAsynchronous(*p)) {
      for (const char* db : p->databases()) {
        PALIMPSEST_ASSIGN_OR_RETURN(MDB_dbi dbi, ProjectionDb(db));
        PALIMPSEST_RETURN_IF_ERROR(txn.Clear(dbi));
      }
      Status dropped = txn.Del(meta_, std::string("checkpoint/") + p->name());
      if (!dropped.ok() && !dropped.IsNotFound()) return dropped;
      PALIMPSEST_RETURN_IF_ERROR(WriteProjectionFormat(txn, *p));
    }
  }
  return Status::OK();
}

Status ArchiveImpl::RecordProjectionFormats(lmdb::Txn& txn) {
  std::vector<Projection*> all = projections();
  for (Projection* p : async_projections()) all.push_back(p);
  for (Projection* p : all) {
    if (!txn.Get(meta_, FormatKey(*p)).status().IsNotFound()) continue;
    PALIMPSEST_ASSIGN_OR_RETURN(int stored, StoredProjectionFormat(txn, *p));
    PALIMPSEST_RETURN_IF_ERROR(txn.Put(meta_, FormatKey(*p), std::to_string(stored)));
  }
  return Status::OK();
}

Status ArchiveImpl::WriteProjectionFormat(lmdb::Txn& txn, const Projection& p) {
  return txn.Put(meta_, FormatKey(p), std::to_string(p.format()));
}

}  // namespace palimpsest
