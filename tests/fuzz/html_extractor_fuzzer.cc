// libFuzzer target: the HTML article extractor (codec/html_*.cc) through ExtractCapture, under
// a media type chosen by the input's length (none, a declared charset, XHTML), so charset
// sniffing and every decoder are reached.
//
// Properties: no crash, no leak, no UB; extraction is deterministic.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "codec/extract/html/html_extractor.h"
#include "palimpsest/extractor.h"

namespace {
constexpr palimpsest::Timestamp kCaptured = 1'690'286'400'000'000;  // 2023-07-25T12:00:00Z
constexpr const char* kMediaTypes[] = {"text/html", "text/html; charset=windows-1252",
                                       "application/xhtml+xml", "text/html; charset=UTF-8"};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  const char* media_type = kMediaTypes[size % 4];
  auto first = palimpsest::ExtractCapture(raw, media_type, kCaptured, {});
  palimpsest::HtmlMetadata metadata;
  auto second = palimpsest::ExtractHtml(raw, media_type, kCaptured, &metadata);
  if (first.ok() != second.ok()) abort();
  if (first.ok() && !(*first == *second)) abort();
  return 0;
}
