#include "archive/projections/revision_times.h"

#include "archive/lmdb/keys.h"

namespace palimpsest {

namespace {

const std::string kCompleteKey(1, '\0');
const std::string kCompleteValue(1, '\1');

std::string TimeKey(const std::string& doc_id, Timestamp effective_at, uint32_t rev) {
  return keys::DocPrefix(doc_id) + keys::I64(effective_at) + keys::U32(rev);
}

}  // namespace

Status RevisionTimeIndex::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<MDB_dbi> dbi, txn.OpenOptionalDb(kDatabase, create));
  open_ = dbi.has_value();
  dbi_ = dbi.value_or(0);
  return Status::OK();
}

Result<bool> RevisionTimeIndex::Complete(lmdb::Txn& txn, uint64_t revisions_count) {
  if (!open_) return false;
  auto mark = txn.Get(dbi_, kCompleteKey);
  if (mark.ok()) return *mark == kCompleteValue;
  if (!mark.status().IsNotFound()) return mark.status();
  if (revisions_count != 0) return false;
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(dbi_, kCompleteKey, kCompleteValue));
  return true;
}

Status RevisionTimeIndex::Put(lmdb::Txn& txn, const std::string& doc_id, uint32_t rev,
                              Timestamp effective_at, std::optional<Timestamp> previous,
                              uint64_t revisions_count) {
  PALIMPSEST_ASSIGN_OR_RETURN(bool complete, Complete(txn, revisions_count));
  if (!complete) return Status::OK();
  if (previous) {
    if (*previous == effective_at) return Status::OK();
    Status s = txn.Del(dbi_, TimeKey(doc_id, *previous, rev));
    if (!s.ok() && !s.IsNotFound()) return s;
  }
  return txn.Put(dbi_, TimeKey(doc_id, effective_at, rev), std::string_view());
}

Status RevisionTimeIndex::DeleteDocument(lmdb::Txn& txn, const std::string& doc_id) {
  if (!open_) return Status::OK();
  return lmdb::DeletePrefix(txn, dbi_, keys::DocPrefix(doc_id));
}

Result<std::optional<uint32_t>> RevisionTimeIndex::InEffect(lmdb::Txn& txn,
                                                            const std::string& doc_id,
                                                            Timestamp as_of) {
  if (!open_) return std::optional<uint32_t>();
  auto mark = txn.Get(dbi_, kCompleteKey);
  if (mark.status().IsNotFound()) return std::optional<uint32_t>();
  PALIMPSEST_RETURN_IF_ERROR(mark.status());
  const std::string prefix = keys::DocPrefix(doc_id);
  const std::string bound = TimeKey(doc_id, as_of, UINT32_MAX);
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, dbi_));
  // The last key not after `bound`.
  const bool at = cursor.Seek(bound);
  const bool found = (at && cursor.key() == bound) || (at ? cursor.Prev() : cursor.Last());
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  const std::string_view key = cursor.key();
  if (!found || key.size() != prefix.size() + 12 || key.substr(0, prefix.size()) != prefix) {
    return std::optional<uint32_t>(0);
  }
  return std::optional<uint32_t>(keys::ReadU32(key.substr(prefix.size() + 8)));
}

}  // namespace palimpsest
