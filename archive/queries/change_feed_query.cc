// The change feed query: entries of the change-feed projection matching a filter, with the
// diffs the change-summary projection stored for them when asked.

#include <boost/json.hpp>
#include <vector>

#include "archive/archive_impl.h"

namespace palimpsest {

Status ArchiveImpl::AddStoredDiff(lmdb::Txn& txn, ChangeEntry* e) {
  if (e->rev < 2 || e->redacted) return Status::OK();
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision before,
                              articles_.ReadRevision(txn, e->id, e->rev - 1, false));
  PALIMPSEST_ASSIGN_OR_RETURN(
      e->diff, change_summaries_.DiffText(txn, e->id, e->rev, before.info.seq, e->seq));
  PALIMPSEST_ASSIGN_OR_RETURN(
      std::string summary, change_summaries_.Summary(txn, e->id, e->rev, before.info.seq, e->seq));
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(summary, ec);
  if (!ec && v.is_object()) {
    if (const auto* cosmetic = v.get_object().if_contains("cosmetic")) {
      e->cosmetic = cosmetic->is_bool() && cosmetic->get_bool();
    }
  }
  return Status::OK();
}

Result<std::vector<ChangeEntry>> ArchiveImpl::Changes(const ChangeFilter& filter) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  ChangeFilter resolved = filter;
  if (!filter.doc_id.empty()) {
    PALIMPSEST_ASSIGN_OR_RETURN(resolved.doc_id, articles_.Resolve(r.txn, filter.doc_id));
  }
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<ChangeEntry> entries,
                              change_feed_.Changes(r.txn, resolved));
  if (filter.with_diffs) {
    for (ChangeEntry& e : entries) PALIMPSEST_RETURN_IF_ERROR(AddStoredDiff(r.txn, &e));
  }
  return entries;
}

}  // namespace palimpsest
