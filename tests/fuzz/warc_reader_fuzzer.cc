// libFuzzer target: the WARC import path (codec/io/warc_reader.cc) over arbitrary bytes:
// InputStream (a .warc.gz is recognized by its magic bytes) → WarcReader with small limits (so
// over-long records and headers are exercised) → ExtractWarcPayload for every record (HTTP
// parsing, de-chunking, gzip/deflate) → BareMediaType.
//
// Properties: no crash, no leak, no UB; the reader always makes progress (a bounded number of
// results for a bounded input); no payload is over its limit.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "codec/io/string_stream.h"
#include "palimpsest/input_stream.h"
#include "palimpsest/warc_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto in = palimpsest::OpenStringStream(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.warc");
  if (!in.ok()) return 0;
  palimpsest::WarcLimits limits;
  limits.max_block_bytes = 64 * 1024;
  limits.max_payload_bytes = 256 * 1024;
  limits.max_header_bytes = 4096;
  palimpsest::WarcReader reader(**in, limits);
  palimpsest::WarcRecord record;
  std::string problem;
  // Every result consumes at least one byte of the decompressed input, which a gzip bomb can
  // make large but not unbounded; the bound here only stops a reader that loops in place.
  for (size_t results = 0;; ++results) {
    if (results > 4 * (size + 1) + (size_t{1} << 20)) abort();
    auto next = reader.Next(&record, &problem);
    if (!next.ok() || *next == palimpsest::WarcNext::kEnd) break;
    if (*next == palimpsest::WarcNext::kMalformed || *next == palimpsest::WarcNext::kSkipped) {
      continue;
    }
    (void)record.type();
    (void)record.target_uri();
    auto payload = palimpsest::ExtractWarcPayload(record, limits);
    if (!payload.ok()) continue;
    if (payload->body.size() > limits.max_payload_bytes) abort();
    (void)palimpsest::BareMediaType(payload->content_type);
  }
  return 0;
}
