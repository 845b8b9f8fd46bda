// libFuzzer target: the plain-text article extractor through ExtractCapture (text/plain); the
// body media type with importer fields (note, dates) cut from the input's first lines; and
// NormalizeBodyText over the same bytes.
//
// Properties: no crash, no leak, no UB; extraction is deterministic (the same bytes give the
// same article, which replay relies on).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "palimpsest/extractor.h"

namespace {
constexpr palimpsest::Timestamp kCaptured = 1'690'286'400'000'000;  // 2023-07-25T12:00:00Z
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  auto first = palimpsest::ExtractCapture(raw, "text/plain", kCaptured, {});
  auto second = palimpsest::ExtractCapture(raw, "text/plain", kCaptured, {});
  if (first.ok() != second.ok()) abort();
  if (first.ok() && !(*first == *second)) abort();
  (void)palimpsest::NormalizeBodyText(raw);
  // "note\npublished_at\nbody…": the fields the JSONL and HTTP importers pass beside a body.
  const size_t a = raw.find('\n');
  const size_t b = a == std::string::npos ? a : raw.find('\n', a + 1);
  if (b != std::string::npos) {
    std::vector<palimpsest::Field> fields = {{"note", raw.substr(0, a)},
                                             {"published_at", raw.substr(a + 1, b - a - 1)}};
    (void)palimpsest::ExtractCapture(raw.substr(b + 1), palimpsest::kBodyMediaType, kCaptured,
                                     fields);
  }
  return 0;
}
