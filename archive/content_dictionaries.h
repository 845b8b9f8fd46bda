// Per-source zstd dictionaries for the log's content store (`blobs`). The pages of one outlet
// share its template (head, navigation, footer, scripts), so the first capture of each article
// repeats most of the bytes of every other: a dictionary trained on the source's first captures
// lets zstd leave them out. Later captures of a document are deltas against earlier ones and
// need none.
//
// Database `content_dictionaries` (byte layout; also in schemas/README.md):
//   'd' + SHA-256 of the dictionary (32 bytes) → the dictionary, in zstd's format (as ZDICT
//                                                trains them); content-addressed like `blobs`
//                                                and checked against its name when loaded
//   's' + SHA-256 of the source (32 bytes)     → the SHA-256 (32 bytes) of the source's
//                                                dictionary, or empty: the source was trained
//                                                and keeps none (it did not pay)
//   'p' + SHA-256 of the source (32 bytes)     → SHA-256s (32 bytes each) of the source's
//                                                captures stored standalone so far: the samples
//                                                its dictionary will be trained on
// A source is ChromeLines::SourceKey: the outlet the importer named, else the capture's host (no
// port, no "www."), else "" (captures with neither share one).
// Never served: a dictionary holds fragments of the captures it was trained on (redacted ones
// are left out of training; like their own withheld bytes, fragments of captures redacted later
// stay in the file).
//
// Thread safety: the cache of loaded dictionaries is thread-safe; transactions follow LMDB's
// rules.

#ifndef PALIMPSEST_ARCHIVE_CONTENT_DICTIONARIES_H_
#define PALIMPSEST_ARCHIVE_CONTENT_DICTIONARIES_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/lmdb/lmdb.h"
#include "codec/compression.h"
#include "palimpsest/event.h"

namespace palimpsest {

class ContentDictionaries {
 public:
  static constexpr const char* kDatabase = "content_dictionaries";
  // Standalone captures of a source its dictionary is trained on.
  static constexpr size_t kTrainingSamples = 32;

  // Resolves the database inside `txn`. An archive written before dictionaries (format 2) has
  // none until a writable open creates it: it is read as holding no dictionary.
  Status Open(lmdb::Txn& txn, bool create);

  // What a source has: a dictionary to compress its first captures with, or none yet (then
  // `collecting`: its standalone captures are gathered as training samples).
  struct SourceDictionary {
    std::shared_ptr<const ZstdDictionary> dictionary;  // null: none
    Digest hash{};                                     // the dictionary's name, when there is one
    bool collecting = false;
  };
  Result<SourceDictionary> ForSource(lmdb::Txn& txn, std::string_view source);

  // The dictionary named `hash`. Corruption when it is absent or does not match its name.
  Result<std::shared_ptr<const ZstdDictionary>> Get(lmdb::Txn& txn, const Digest& hash);

  // Adds capture `hash` to the training samples of `source`; returns every sample so far.
  Result<std::vector<Digest>> AddSample(lmdb::Txn& txn, std::string_view source,
                                        const Digest& hash);

  // Records `dictionary` (empty: none worth keeping) as that of `source`, which stops collecting
  // samples. Returns the dictionary's name.
  Result<Digest> Record(lmdb::Txn& txn, std::string_view source, std::string_view dictionary);

  // The database, once open (nullopt: absent, in a read-only open of an older archive).
  std::optional<MDB_dbi> dbi() const { return dbi_; }

 private:
  std::optional<MDB_dbi> dbi_;
  std::mutex mu_;
  // Dictionaries kept loaded (each about half a megabyte of zstd tables at 64 KiB).
  static constexpr size_t kMaxLoaded = 64;
  std::map<Digest, std::shared_ptr<const ZstdDictionary>> loaded_;  // verified when loaded
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_CONTENT_DICTIONARIES_H_
