// WARC 1.0 / 1.1 input (ISO 28500) for `palimpsest import`: a pull reader over an
// InputStream (so a .warc.gz with one gzip member per record is read transparently) yielding
// one record at a time, and the HTTP payload of `response` / `resource` records.
//
// A malformed record — a bad version line or header, no Content-Length, a block that is cut
// short by the end of the input, or a Content-Length that does not land on the record's
// closing CRLF CRLF — is reported with the byte offset where it starts, and the reader then
// resynchronizes at the next line beginning "WARC/1." (or a "WARC/1.0"/"WARC/1.1" version line
// glued to the end of damaged bytes), so one bad record never hides the rest.
// Offsets are in the decompressed stream.
//
// A record whose block is over WarcLimits::max_block_bytes is skipped (kSkipped) without being
// held; when the input ends before such a block does, its Content-Length was wrong, and reading
// resumes at the first record that began inside it (kept while skipping, up to 64 MiB). When
// the stream fails (damaged zstd data, a read error), the records read before the failure are
// still returned; the failure comes after them.
//
// Memory is bounded by the largest accepted record (WarcLimits).
//
// Thread safety: one reader per thread; ExtractWarcPayload is a pure function.

#ifndef PALIMPSEST_WARC_READER_H_
#define PALIMPSEST_WARC_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "palimpsest/input_stream.h"
#include "palimpsest/status.h"

namespace palimpsest {

struct WarcLimits {
  uint64_t max_block_bytes = uint64_t{256} << 20;    // a larger record is reported and skipped
  uint64_t max_payload_bytes = uint64_t{256} << 20;  // decompressed HTTP payload
  size_t max_header_bytes = 1 << 20;                 // all header lines of one record
};

struct WarcRecord {
  uint64_t offset = 0;                                       // of the record's "WARC/1.x" line
  std::string version;                                       // "WARC/1.0", "WARC/1.1"
  std::vector<std::pair<std::string, std::string>> headers;  // in order, values trimmed
  std::string block;

  // The first header named `name` (case-insensitive), or "".
  std::string Header(std::string_view name) const;
  std::string type() const { return Header("WARC-Type"); }
  // WARC-Target-URI without the angle brackets some WARC 1.0 writers put around it.
  std::string target_uri() const;
};

enum class WarcNext { kRecord, kMalformed, kSkipped, kEnd };

class WarcReader {
 public:
  // `in` must outlive the reader.
  explicit WarcReader(InputStream& in, WarcLimits limits = {});

  // kRecord: *record is the next record. kMalformed: record->offset and *problem describe a
  // bad record that was skipped; call Next again to go on. kSkipped: likewise for a record over
  // the limits (not an error: its headers are in *record). kEnd: no more input. A failing
  // stream (read error, damaged compression) is a non-OK Status once the records before the
  // failure are read: stop reading.
  Result<WarcNext> Next(WarcRecord* record, std::string* problem);

 private:
  // Ensures at least `n` bytes are buffered from pos_ (fewer only at the end); returns how
  // many are.
  Result<size_t> Want(size_t n);
  // The next line (through "\n") starting at pos_, without consuming it; false at the end.
  // Lines longer than `max` are returned cut at `max` bytes (*complete false).
  Result<bool> PeekLine(size_t max, std::string_view* line, bool* complete);
  void Consume(size_t n);
  // Skips to the next line starting "WARC/1." (not consuming it); false at the end.
  Result<bool> Resync();
  // Skips an over-limit block of `length` bytes (see the file comment).
  Result<WarcNext> SkipOversized(uint64_t length, std::string* problem);
  uint64_t offset() const { return base_ + pos_; }

  InputStream& in_;
  WarcLimits limits_;
  std::string buf_;
  size_t pos_ = 0;
  uint64_t base_ = 0;  // stream offset of buf_[0]
  bool eof_ = false;
  Status failed_;  // the stream's failure, returned once the buffered input is read
};

// The content of a `response` (the HTTP response in the block, de-chunked when
// Transfer-Encoding is chunked and decompressed when Content-Encoding is gzip, x-gzip or
// deflate) or a `resource` record (the block itself). A `revisit` record's block holds the
// HTTP response's header (and usually no body): its status and Location are read the same way.
struct WarcPayload {
  int http_status = 0;       // 0 for a resource record
  std::string content_type;  // as sent: HTTP Content-Type, or the WARC Content-Type of a resource
  std::string location;      // the Location header as sent (a redirect's target, maybe relative)
  std::string body;          // empty for a redirect (3xx): its page is not the article
};

// InvalidArgument for a record of another type, a malformed HTTP response, bad chunking or a
// damaged compressed body.
Result<WarcPayload> ExtractWarcPayload(const WarcRecord& record, const WarcLimits& limits = {});

// True when `digest` — a WARC-Payload-Digest value such as "sha1:2EHXP…" (sha1 or sha256, in
// base32 or hex) — is the digest of `payload`. A revisit names the payload it saw again this
// way; the archive, which stores bytes under SHA-256, checks a candidate against it.
bool PayloadDigestMatches(std::string_view digest, std::string_view payload);

// "text/html; charset=UTF-8" → "text/html" (lower case, parameters dropped).
std::string BareMediaType(std::string_view content_type);

}  // namespace palimpsest

#endif  // PALIMPSEST_WARC_READER_H_
