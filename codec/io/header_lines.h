// Header-line helpers shared by the WARC reader (WARC headers) and the WARC payload decoder (the
// HTTP response headers inside a record): both are "Name: value" lines ending in CRLF or LF.
// Case folding is ASCII-only, as header names are ASCII tokens.
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_IO_HEADER_LINES_H_
#define PALIMPSEST_CODEC_IO_HEADER_LINES_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace palimpsest::header_internal {

// `s` without leading spaces and tabs and without trailing spaces, tabs, CR and LF.
inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// `line` without its LF or CRLF ending.
inline std::string_view StripLineEnd(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

inline char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

inline std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

// A decimal count (a Content-Length, a chunk size in decimal): 1 to 19 ASCII digits, so it
// cannot overflow. False for anything else.
inline bool ParseDecimal(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

}  // namespace palimpsest::header_internal

#endif  // PALIMPSEST_CODEC_IO_HEADER_LINES_H_
