// libFuzzer target: the JSON Lines import path (codec/io/jsonl_reader.cc) over arbitrary bytes:
// InputStream (gzip/zstd recognized by magic bytes, so damaged compressed streams are reached
// too) → JsonlReader (a small line limit, so over-long lines are exercised) →
// ParseJsonlArticle → CaptureFromRecord, as `import` runs it.
//
// Properties: no crash, no leak, no UB; a line the reader returns is never over the limit; a
// capture always has a valid doc id.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "codec/io/string_stream.h"
#include "palimpsest/doc_id.h"
#include "palimpsest/input_stream.h"
#include "palimpsest/jsonl_reader.h"

namespace {
constexpr size_t kMaxLine = 4096;
constexpr palimpsest::Timestamp kNow = 1'690'286'400'000'000;  // 2023-07-25T12:00:00Z
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto in = palimpsest::OpenStringStream(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.jsonl");
  if (!in.ok()) return 0;
  palimpsest::JsonlReader reader(**in, kMaxLine);
  palimpsest::JsonlLine line;
  for (;;) {
    auto more = reader.Next(&line);
    if (!more.ok() || !*more) break;
    if (line.too_long) continue;
    if (line.text.size() > kMaxLine) abort();
    auto record = palimpsest::ParseJsonlArticle(line.text);
    if (!record.ok()) continue;
    auto capture = palimpsest::CaptureFromRecord(std::move(record).value(), kNow);
    if (capture.ok() && !palimpsest::ValidateDocId(capture->doc_id).ok()) abort();
  }
  return 0;
}
