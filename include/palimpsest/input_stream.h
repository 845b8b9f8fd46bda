// Byte input for importers: a file or standard input, read in chunks, with gzip (.gz, any
// number of concatenated members, as in a .warc.gz with one member per record) and zstd
// (.zst, any number of frames) decompressed transparently. Memory is bounded by the chunk size:
// nothing is ever read whole.
//
// Compression is recognized by the stream's first bytes (gzip 1f 8b, zstd 28 b5 2f fd), so a
// compressed standard input works too; the file name's suffix is not needed.
//
// Thread safety: one InputStream per thread.

#ifndef PALIMPSEST_INPUT_STREAM_H_
#define PALIMPSEST_INPUT_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "palimpsest/status.h"

namespace palimpsest {

enum class Compression { kNone, kGzip, kZstd };

// `path` without a trailing ".gz" or ".zst" (the name a format is recognized by).
std::string_view StripCompressionSuffix(std::string_view path);

class InputStream {
 public:
  virtual ~InputStream() = default;

  // Opens a file. InvalidArgument naming it when it cannot be opened.
  static Result<std::unique_ptr<InputStream>> OpenFile(const std::string& path);
  // Reads from `in` (e.g. standard input), which must outlive the stream; `name` is used in
  // messages.
  static Result<std::unique_ptr<InputStream>> OpenIstream(std::istream& in, std::string name);
  // Reads from bytes in memory (tests).
  static Result<std::unique_ptr<InputStream>> OpenString(std::string bytes, std::string name);

  // Reads up to `n` decompressed bytes into `buf`; 0 only at the end. Corruption for damaged or
  // truncated compressed data; IOError when the source cannot be read.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;

  // Decompressed bytes returned so far.
  virtual uint64_t position() const = 0;
  // Bytes consumed from the source so far (compressed), for progress.
  virtual uint64_t source_bytes() const = 0;
  // The source's size when known (a regular file).
  virtual std::optional<uint64_t> source_size() const = 0;
  virtual Compression compression() const = 0;
  virtual const std::string& name() const = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_INPUT_STREAM_H_
