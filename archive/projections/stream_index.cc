#include "archive/projections/stream_index.h"

#include "archive/lmdb/keys.h"

namespace palimpsest {

Status StreamIndex::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(dbi_, txn.OpenDb(kDatabase, create));
  return Status::OK();
}

Status StreamIndex::Apply(lmdb::Txn& txn, const Event& event, ContentStore&) {
  return txn.Put(dbi_, keys::DocKey(event.doc_id, event.version), keys::U64(event.seq));
}

Result<uint64_t> StreamIndex::Version(lmdb::Txn& txn, const std::string& doc_id) {
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, dbi_));
  // The last key of this document sorts just before doc id + NUL + 0xFF...: seek past it, step
  // back once.
  const std::string prefix = keys::DocPrefix(doc_id);
  bool found = cursor.Seek(prefix + std::string(8, '\xff')) ? cursor.Prev() : cursor.Last();
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  if (!found || cursor.key().size() != prefix.size() + 8 ||
      cursor.key().substr(0, prefix.size()) != prefix) {
    return uint64_t{0};
  }
  return keys::ReadU64(cursor.key().substr(prefix.size()));
}

Result<std::vector<uint64_t>> StreamIndex::Seqs(lmdb::Txn& txn, const std::string& doc_id,
                                                uint64_t from_version) {
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, dbi_));
  const std::string prefix = keys::DocPrefix(doc_id);
  std::vector<uint64_t> seqs;
  for (bool ok = cursor.Seek(keys::DocKey(doc_id, from_version)); ok; ok = cursor.Next()) {
    if (cursor.key().size() != prefix.size() + 8 ||
        cursor.key().substr(0, prefix.size()) != prefix) {
      break;
    }
    seqs.push_back(keys::ReadU64(cursor.value()));
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  return seqs;
}

}  // namespace palimpsest
