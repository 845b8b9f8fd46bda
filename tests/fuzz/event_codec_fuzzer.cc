// libFuzzer target: DecodeEvent over arbitrary bytes (codec/event/event_codec.cc).
//
// Properties checked beyond "no crash, no leak, no UB": whatever decodes re-encodes to bytes
// that decode to the same event, and that re-encoding is a fixed point (encode(decode(e)) == e
// for canonical bytes), which export/restore relies on.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "palimpsest/event.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto event = palimpsest::DecodeEvent(bytes);
  if (!event.ok()) return 0;
  const std::string canonical = palimpsest::EncodeEvent(*event);
  auto again = palimpsest::DecodeEvent(canonical);
  if (!again.ok() || !(*again == *event)) abort();
  if (palimpsest::EncodeEvent(*again) != canonical) abort();
  palimpsest::EventKindName(event->body);
  palimpsest::ReferencedContent(event->body);
  return 0;
}
