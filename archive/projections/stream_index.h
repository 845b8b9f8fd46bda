// The stream index: per document, version → seq. The first synchronous projection; the append
// path also reads it to learn a document's current version.
//
// Database `streams`: key = doc id, NUL, version (u64 BE); value = seq (u64 BE).

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_STREAM_INDEX_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_STREAM_INDEX_H_

#include <string>
#include <vector>

#include "archive/projections/projection.h"

namespace palimpsest {

class StreamIndex : public Projection {
 public:
  static constexpr const char* kDatabase = "streams";

  const char* name() const override { return "streams"; }
  std::vector<const char*> databases() const override { return {kDatabase}; }
  Status Open(lmdb::Txn& txn, bool create) override;
  Status Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) override;

  // The document's current version; 0 when the document has no events.
  Result<uint64_t> Version(lmdb::Txn& txn, const std::string& doc_id);

  // Seqs of the document's events with version >= from_version, in version order.
  Result<std::vector<uint64_t>> Seqs(lmdb::Txn& txn, const std::string& doc_id,
                                     uint64_t from_version);

  MDB_dbi dbi() const { return dbi_; }

 private:
  MDB_dbi dbi_ = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_STREAM_INDEX_H_
