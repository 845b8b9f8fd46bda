// zstd compression of stored content, optionally against a reference text.
//
// Compressing a revision with the previous revision of the same document as its reference
// (zstd "prefix" mode) makes a one-sentence correction cost a few hundred bytes instead of a
// whole article. Decompression needs the same reference.
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_COMPRESSION_H_
#define PALIMPSEST_CODEC_COMPRESSION_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/status.h"

struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace palimpsest {

// Compresses `data`; `reference` (may be empty) is content the decompressor will also have.
std::string ZstdCompress(std::string_view data, std::string_view reference = {}, int level = 3);

// Decompresses a frame made by ZstdCompress with the same `reference`. Refuses frames that
// declare more than `max_size` bytes. Malformed input → Corruption.
Result<std::string> ZstdDecompress(std::string_view frame, std::string_view reference = {},
                                   size_t max_size = size_t{1} << 31);

// A trained zstd dictionary ready to compress and decompress with: first captures of pages that
// share a site's template compress against what the dictionary learned from earlier pages.
// Thread-safe: immutable once loaded.
class ZstdDictionary {
 public:
  // `bytes` must be a dictionary in zstd's format (as TrainZstdDictionary makes them); anything
  // else → Corruption.
  static Result<std::shared_ptr<const ZstdDictionary>> Load(std::string_view bytes);
  ~ZstdDictionary();
  ZstdDictionary(const ZstdDictionary&) = delete;
  ZstdDictionary& operator=(const ZstdDictionary&) = delete;

  // One zstd frame of `data` (level 3, with a content checksum) compressed with the dictionary.
  std::string Compress(std::string_view data) const;
  // Decompresses a frame made by Compress with this dictionary. Refuses frames that declare more
  // than `max_size` bytes. Malformed input → Corruption.
  Result<std::string> Decompress(std::string_view frame, size_t max_size = size_t{1} << 31) const;

 private:
  ZstdDictionary(ZSTD_CDict_s* cdict, ZSTD_DDict_s* ddict) : cdict_(cdict), ddict_(ddict) {}
  ZSTD_CDict_s* cdict_;
  ZSTD_DDict_s* ddict_;
};

// A dictionary of at most `capacity` bytes trained on `samples`; empty when zstd cannot train one
// (too few or too small samples).
std::string TrainZstdDictionary(const std::vector<std::string>& samples, size_t capacity);

}  // namespace palimpsest

#endif  // PALIMPSEST_CODEC_COMPRESSION_H_
