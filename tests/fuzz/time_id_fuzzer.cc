// libFuzzer target: the time parser (codec/timestamp.cc) and the doc-id functions
// (codec/doc_id.cc) over arbitrary text.
//
// Properties: no crash, no UB (overflow in date arithmetic included); a parsed time formats and
// parses back to itself; an end-of-day parse is never before the start-of-day one; DocIdFromUrl
// and DocIdFromFileName give "" or a valid doc id, deterministically.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "palimpsest/doc_id.h"
#include "palimpsest/timestamp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto start = palimpsest::ParseTimestamp(text, palimpsest::DateOnly::kStartOfDay);
  auto end = palimpsest::ParseTimestamp(text, palimpsest::DateOnly::kEndOfDay);
  if (start.ok() != end.ok()) abort();
  if (start.ok()) {
    if (*end < *start) abort();
    const std::string formatted = palimpsest::FormatTimestamp(*start);
    auto back = palimpsest::ParseTimestamp(formatted);
    if (!back.ok() || *back != *start) abort();
    int64_t year;
    unsigned month, day;
    palimpsest::CivilFromTimestamp(*start, &year, &month, &day);
    if (month < 1 || month > 12 || day < 1 || day > 31) abort();
  }

  const bool valid = palimpsest::ValidateDocId(text).ok();
  if (valid && (text.empty() || text.size() > palimpsest::kMaxDocIdBytes)) abort();
  (void)palimpsest::CanonicalUrl(text);
  const std::string from_url = palimpsest::DocIdFromUrl(text);
  if (!from_url.empty() && !palimpsest::ValidateDocId(from_url).ok()) abort();
  if (from_url != palimpsest::DocIdFromUrl(text)) abort();
  const std::string from_file = palimpsest::DocIdFromFileName(text);
  if (!from_file.empty() && !palimpsest::ValidateDocId(from_file).ok()) abort();
  return 0;
}
