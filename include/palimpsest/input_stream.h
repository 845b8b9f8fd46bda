// Byte input for importers: a file or standard input, read in chunks, with gzip (.gz, any
// number of concatenated members, as in a .warc.gz with one member per record) and zstd
// (.zst, any number of frames) decompressed transparently. Memory is bounded by the chunk size:
// nothing is ever read whole.
//
// Compression is recognized by the stream's first bytes (gzip 1f 8b, zstd 28 b5 2f fd), so a
// compressed standard input works too; the file name's suffix is not needed.
//
// A damaged gzip member does not end the stream: what was decoded of it is delivered, the
// stream resumes at the next member (the next gzip header after the damaged member's start),
// and the compressed bytes passed over are reported by TakeSkipped; a truncated last member
// likewise delivers what was decoded and ends the stream with a skipped range. (A .warc.gz
// has one member per record, so one damaged record costs that record only.)
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
#include <vector>

#include "palimpsest/status.h"

namespace palimpsest {

enum class Compression { kNone, kGzip, kZstd };

// Damaged compressed input the stream passed over.
struct SkippedInput {
  uint64_t begin = 0;     // source (compressed) offset of the damaged member
  uint64_t end = 0;       // where the stream resumed (the next member), or the source's end
  uint64_t position = 0;  // decompressed bytes returned before the gap
  std::string reason;     // zlib's diagnosis, or "truncated"
};

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

  // Reads up to `n` decompressed bytes into `buf`; 0 only at the end. Corruption for damaged or
  // truncated zstd data (damaged gzip data is skipped, see TakeSkipped); IOError when the
  // source cannot be read.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;

  // The damaged stretches passed over since the last call, in input order (moved out).
  virtual std::vector<SkippedInput> TakeSkipped() = 0;

  // Decompressed bytes returned so far.
  virtual uint64_t position() const = 0;
  // Bytes consumed from the source so far (compressed), for progress.
  virtual uint64_t source_bytes() const = 0;
  virtual Compression compression() const = 0;
  virtual const std::string& name() const = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_INPUT_STREAM_H_
