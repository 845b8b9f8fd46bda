// zstd compression of stored content, optionally against a reference text.
//
// Compressing a revision with the previous revision of the same document as its reference
// (zstd "prefix" mode) makes a one-sentence correction cost a few hundred bytes instead of a
// whole article. Decompression needs the same reference.
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_COMPRESSION_H_
#define PALIMPSEST_CODEC_COMPRESSION_H_

#include <string>
#include <string_view>

#include "palimpsest/status.h"

namespace palimpsest {

// Compresses `data`; `reference` (may be empty) is content the decompressor will also have.
std::string ZstdCompress(std::string_view data, std::string_view reference = {}, int level = 3);

// Decompresses a frame made by ZstdCompress with the same `reference`. Refuses frames that
// declare more than `max_size` bytes. Malformed input → Corruption.
Result<std::string> ZstdDecompress(std::string_view frame, std::string_view reference = {},
                                   size_t max_size = size_t{1} << 31);

}  // namespace palimpsest

#endif  // PALIMPSEST_CODEC_COMPRESSION_H_
