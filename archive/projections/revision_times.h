// The revision of a document in effect at a time, found in O(log revisions): an index of every
// stored revision record by (document, effective time). Projection state of the article
// projection (kept in the same write transaction, emptied and rebuilt by replay).
//
// Database `revision_times` (byte layout also in schemas/README.md):
//   key   = doc id, 0x00, effective time (i64 BE, sign bit flipped), rev (u32 BE): one per key
//           of `revisions`, with that record's effective time and the key's number
//   value = empty
//   key   = 0x00 alone (the completeness mark; no doc id is empty), value = 0x01: the index holds
//           every revision record. It is set when the index starts with no revision stored (a
//           new archive, a replay), so an archive built before this index (articles format 2),
//           whose writable open creates the database empty, is never read through a partial
//           index: its reads scan the revision records until `palimpsest replay`.
//
// Thread safety: none of its own; used inside the caller's transaction.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_REVISION_TIMES_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_REVISION_TIMES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "archive/lmdb/lmdb.h"
#include "palimpsest/documents.h"
#include "palimpsest/status.h"

namespace palimpsest {

class RevisionTimeIndex {
 public:
  static constexpr const char* kDatabase = "revision_times";

  // Resolves the database in `txn`; an archive opened read-only that predates it has none (the
  // index then reads as incomplete).
  Status Open(lmdb::Txn& txn, bool create);

  // Records that key `rev` of `doc_id` in `revisions` (holding `revisions_count` records in
  // all) now holds a revision in effect from `effective_at`, replacing the entry of the record
  // it held before, whose effective time is `previous` (nullopt: the key was free). A no-op
  // while the index is incomplete.
  Status Put(lmdb::Txn& txn, const std::string& doc_id, uint32_t rev, Timestamp effective_at,
             std::optional<Timestamp> previous, uint64_t revisions_count);
  // Forgets every entry of `doc_id` (its revision records were deleted).
  Status DeleteDocument(lmdb::Txn& txn, const std::string& doc_id);

  // The number of the revision of `doc_id` with the greatest effective time not after `as_of`
  // (the greatest number among equal times), 0 when none; nullopt when the index is incomplete
  // and the caller must look at the records themselves.
  Result<std::optional<uint32_t>> InEffect(lmdb::Txn& txn, const std::string& doc_id,
                                           Timestamp as_of);

 private:
  // Whether the index holds every record; marks an empty one complete when `revisions_count`
  // is 0 (nothing stored yet, so nothing is missing).
  Result<bool> Complete(lmdb::Txn& txn, uint64_t revisions_count);

  MDB_dbi dbi_ = 0;
  bool open_ = false;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_REVISION_TIMES_H_
