// An InputStream over bytes already in memory, for the engine's own tests and fuzzers: the
// same decompression and damage handling as a file (input_stream.h), without a file. Front
// ends read files and standard input (InputStream::OpenFile, OpenIstream).
//
// Thread safety: one stream per thread.

#ifndef PALIMPSEST_CODEC_IO_STRING_STREAM_H_
#define PALIMPSEST_CODEC_IO_STRING_STREAM_H_

#include <memory>
#include <string>

#include "palimpsest/input_stream.h"
#include "palimpsest/status.h"

namespace palimpsest {

// A stream that reads `bytes` (compressed or not, recognized as for a file); `name` is used in
// messages.
Result<std::unique_ptr<InputStream>> OpenStringStream(std::string bytes, std::string name);

}  // namespace palimpsest

#endif  // PALIMPSEST_CODEC_IO_STRING_STREAM_H_
