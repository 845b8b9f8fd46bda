// Content-addressed storage for the bytes events refer to (raw captures, correction texts).
//
// Database `blobs`: key = SHA-256 of the uncompressed bytes (32 bytes); value =
//   u8 codec, then
//   codec 0 (stored):    the bytes as they are
//   codec 1 (zstd):      one zstd frame
//   codec 2 (redacted):  UTF-8 reason text; the bytes are gone
// The hash always names the uncompressed bytes, so the codec can change (recompression,
// redaction) without touching any event.

#ifndef PALIMPSEST_ARCHIVE_CONTENT_STORE_H_
#define PALIMPSEST_ARCHIVE_CONTENT_STORE_H_

#include <string>
#include <string_view>

#include "archive/lmdb.h"
#include "palimpsest/event.h"

namespace palimpsest {

class ContentStore {
 public:
  static constexpr const char* kDatabase = "blobs";

  // Resolves the database inside `txn`.
  Status Open(lmdb::Txn& txn, bool create);

  // Stores `bytes` (no-op when already present) and returns its reference.
  Result<ContentRef> Put(lmdb::Txn& txn, std::string_view bytes);

  // The uncompressed bytes, verified against the hash. NotFound when absent; NotFound with
  // "redacted: <reason>" when redacted; Corruption when the stored bytes do not match.
  Result<std::string> Get(lmdb::Txn& txn, const Digest& hash);

  bool Contains(lmdb::Txn& txn, const Digest& hash);

  // Replaces the bytes with a redaction marker carrying `reason`.
  Status Redact(lmdb::Txn& txn, const Digest& hash, std::string_view reason);

  // Sums for `stats`: entries, bytes as stored (values), bytes uncompressed is not tracked.
  MDB_dbi dbi() const { return dbi_; }

 private:
  MDB_dbi dbi_ = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_CONTENT_STORE_H_
