// Content-addressed storage for the bytes events refer to (raw captures, correction texts).
//
// Database `blobs`: key = SHA-256 of the uncompressed bytes (32 bytes); value = u8 codec, then
//   0 stored:    the bytes as they are
//   1 zstd:      one zstd frame
//   2 withheld:  u16 BE reason length, the UTF-8 reason, then the inner value (codec 0, 1, 3,
//                4 or 5, or nothing when the bytes are gone, e.g. after restoring an export that
//                left them out). Redacted content: never served, still readable by the projections
//                so `replay` stays exact.
//   3 delta:     u8 chain depth, 32-byte SHA-256 of the reference content, one zstd frame
//                compressed with the reference as prefix. A new capture of a document is
//                compressed against the previous capture's own reference (its anchor) while
//                that delta stays under 1/16 of the bytes, else against the previous capture,
//                which then anchors the next ones one level deeper; past two levels the chain
//                restarts with a standalone value. A one-sentence correction costs a few
//                hundred bytes, and any revision decodes in at most two delta steps (archives
//                written before 2026-12-07 chained each capture to the previous one, up to
//                kMaxDeltaDepth links; they read as they are).
//   4 shared:    nothing more: the bytes are those the log's own store (`blobs`) holds under
//                the same hash. Only in a projection's store made with the log's store
//                (revision_texts): an extracted body that is exactly its raw capture, as a
//                JSONL body often is, is stored once.
//   5 derived:   32-byte SHA-256 of content in the log's store, one zstd frame compressed
//                with that content as prefix: a body stored as a delta against the raw capture
//                it was extracted from, when that capture is little more than the body (plain
//                text), so reading it back costs about what reading the body would.
//   6 dictionary: 32-byte SHA-256 of a dictionary in `content_dictionaries`, one zstd frame
//                compressed with it. Only in the log's store: a capture stored standalone (the
//                first of its document) whose source has a dictionary trained on its earlier
//                first captures (archive/content_dictionaries.h), when that is smaller.
// The key always names the uncompressed bytes, so the codec can change (recompression,
// redaction) without touching any event or the hash chain.

#ifndef PALIMPSEST_ARCHIVE_CONTENT_STORE_H_
#define PALIMPSEST_ARCHIVE_CONTENT_STORE_H_

#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/content_dictionaries.h"
#include "archive/lmdb/lmdb.h"
#include "palimpsest/event.h"

namespace palimpsest {

// Decoded content shared between a cache and its readers without copying.
using SharedBytes = std::shared_ptr<const std::string>;

// A bounded, least-recently-used map from content hash to the uncompressed bytes. Content named
// by its SHA-256 never changes, so an entry stays true whatever transaction reads it; whether
// the content exists (and may be served) is still decided by the caller's transaction. An entry
// is either verified (its bytes hashed to its name) or a delta base decoded on the way to other
// content, which is trusted only as far as the content decoded against it is verified.
// Thread-safe.
class DecodedContentCache {
 public:
  explicit DecodedContentCache(size_t max_bytes) : max_bytes_(max_bytes) {}
  DecodedContentCache(const DecodedContentCache&) = delete;
  DecodedContentCache& operator=(const DecodedContentCache&) = delete;

  struct Entry {
    SharedBytes bytes;
    bool verified = false;
  };
  // The cached bytes (shared, not copied), or nullopt when not cached.
  std::optional<Entry> Find(const Digest& hash);
  // Records `bytes` under `hash` (an entry already there stays, marked verified when `verified`);
  // evicts the least recently used entries beyond the byte budget (content larger than the whole
  // budget is not cached).
  void Insert(const Digest& hash, SharedBytes bytes, bool verified);
  // Forgets the entry of `hash`, if any.
  void Erase(const Digest& hash);

 private:
  using Node = std::pair<Digest, Entry>;
  std::mutex mu_;
  std::list<Node> lru_;  // most recently used first
  std::map<Digest, std::list<Node>::iterator> index_;
  size_t bytes_ = 0;
  const size_t max_bytes_;
};

class ContentStore {
 public:
  static constexpr const char* kDatabase = "blobs";

  // `database`: "blobs" for the log's content; projections keep their own stores.
  // `shared`: the log's store, whose content this one names instead of storing it again
  // (codec 4); must outlive this store.
  explicit ContentStore(const char* database = kDatabase, ContentStore* shared = nullptr)
      : database_(database),
        shared_(shared),
        cache_reads_(std::string_view(database) != kDatabase),
        bases_(std::make_unique<DecodedContentCache>(kBaseCacheBytes)),
        dictionaries_(std::string_view(database) == kDatabase
                          ? std::make_unique<ContentDictionaries>()
                          : nullptr) {}
  // The deepest chain a reader follows (the writer keeps chains shallower).
  static constexpr int kMaxDeltaDepth = 8;
  // Budget of the cache of recently stored or decoded contents that serve as delta bases.
  static constexpr size_t kBaseCacheBytes = size_t{16} << 20;

  // Who is reading: users are never served withheld content; projections may read it.
  enum class Access { kServe, kInternal };

  // Resolves the database inside `txn`.
  Status Open(lmdb::Txn& txn, bool create);

  // Stores `bytes` (no-op when already present) and returns its reference. When `reference`
  // names stored content, the bytes are delta-compressed against it if that is smaller; when
  // `capture` names content of the shared store the bytes were derived from, against that.
  // `source` (the log's store only; null: none): the outlet the bytes were captured from, whose
  // dictionary compresses them when they are stored standalone; while it has none they are
  // kept as a training sample, and the dictionary is trained once there are enough.
  Result<ContentRef> Put(lmdb::Txn& txn, std::string_view bytes, const Digest* reference = nullptr,
                         const ContentRef* capture = nullptr, const std::string* source = nullptr);

  // The uncompressed bytes, verified against the hash (for a projection's store, an internal
  // read may return bytes verified by an earlier read in this process). Corruption when absent
  // (every hash asked for comes from a stored record, so a gap is damage) or when the stored
  // bytes do not decode or do not match; Status::Redacted (NotFound, IsRedacted(), with the
  // reason) when withheld and access is kServe, or when the bytes are gone.
  Result<std::string> Get(lmdb::Txn& txn, const Digest& hash, Access access = Access::kServe);

  bool Contains(lmdb::Txn& txn, const Digest& hash);

  // Marks stored content as withheld with `reason` (kept for the projections, never served).
  // Records a withheld marker without bytes when the content is absent.
  Status Withhold(lmdb::Txn& txn, const Digest& hash, std::string_view reason);

  MDB_dbi dbi() const { return dbi_; }
  // The log's store: its dictionaries' database, when there is one (ContentDictionaries::dbi).
  std::optional<MDB_dbi> dictionaries_dbi() const {
    return dictionaries_ != nullptr ? dictionaries_->dbi() : std::nullopt;
  }

 private:
  // The bytes of stored record `value` (read in `txn`) named `hash`. `verify`: checked against
  // the hash; otherwise (a delta base on the way to content that is checked) not. Delta bases
  // are decoded unchecked: a chain read costs one SHA-256; when the result is damaged, the
  // decode runs again checking every link, so the error names the damaged record and no bad
  // base stays cached.
  Result<std::string> Decode(lmdb::Txn& txn, const Digest& hash, std::string_view value,
                             Access access, int depth, bool verify);
  // The codecs: `value` decoded, not checked against `hash`. Delta bases are checked only when
  // `verify_bases`; otherwise `*unchecked_base` names the one used.
  Result<std::string> DecodeValue(lmdb::Txn& txn, const Digest& hash, std::string_view value,
                                  Access access, int depth, bool verify_bases,
                                  std::optional<Digest>* unchecked_base);
  Result<std::string> DecodeDelta(lmdb::Txn& txn, const Digest& hash, std::string_view value,
                                  int depth, bool verify_bases,
                                  std::optional<Digest>* unchecked_base);
  // The bytes of content named by a stored record (`value`, already read in `txn`): from the
  // cache when there, else decoded (and then cached). `verify`: the bytes must have been checked
  // against the hash (a cached unchecked base is checked now), as anything written or served
  // from them needs; otherwise they are a base whose use is checked downstream.
  Result<SharedBytes> Base(lmdb::Txn& txn, const Digest& hash, std::string_view value, int depth,
                           bool verify);
  // Chain depth of a stored value (0 for standalone values).
  int Depth(std::string_view value);
  // A delta value for `bytes` (hashing to `self`) against stored content `previous`, chained as
  // the byte format above says; empty when no delta can be made.
  std::string ChainedValue(lmdb::Txn& txn, std::string_view bytes, const Digest& previous,
                           const Digest& self);
  // `value`, a standalone value for `bytes` of `source`, or the value compressed with the
  // source's dictionary when that is smaller. `*sample`: the source is still collecting
  // training samples.
  Result<std::string> WithSourceDictionary(lmdb::Txn& txn, const std::string& source,
                                           std::string_view bytes, std::string value, bool* sample);
  // Trains the dictionary of `source` on its standalone captures `samples` and recompresses
  // them with it, or records that it keeps none when the samples would shrink by less than a
  // tenth.
  Status TrainDictionary(lmdb::Txn& txn, const std::string& source,
                         const std::vector<Digest>& samples);
  // A delta value for `bytes` against stored content `base_hash`; empty when `base_hash` is
  // `self`, is absent or unreadable, or the chain would grow deeper than this store writes.
  std::string DeltaAgainst(lmdb::Txn& txn, std::string_view bytes, const Digest& base_hash,
                           const Digest& self);

  const char* database_;
  ContentStore* shared_;
  MDB_dbi dbi_ = 0;
  // Whether Access::kInternal reads of content itself use the cache: only for a projection's
  // store (derived texts, rebuilt by replay, read for every revision of a document on each
  // query). The log's own store ("blobs") always decodes and verifies the record read, so
  // verify sees every stored byte.
  bool cache_reads_;
  // Recently stored contents and the delta bases decoded on the way to other records (a record
  // read for itself is not added: a stream of reads of current texts would push out the
  // anchors the next reads and writes need). For the log's store only delta bases come from
  // it, so what it saves there is re-decoding the chain under a record (up to two records now,
  // kMaxDeltaDepth in older archives, each decompressed) on every read and every
  // delta-compressed write. Bases decoded for a read are cached unchecked; a write compressing
  // against one checks it first.
  std::unique_ptr<DecodedContentCache> bases_;
  // The log's store only (null for a projection's).
  std::unique_ptr<ContentDictionaries> dictionaries_;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_CONTENT_STORE_H_
