// ASCII case folding for the protocol tokens the watcher compares: header names, robots.txt
// fields, feed element names, HTTP date words. ASCII-only on purpose: these tokens are ASCII,
// and a locale-dependent fold would make the comparison depend on the machine.
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_CLI_WATCH_ASCII_CASE_H_
#define PALIMPSEST_CLI_WATCH_ASCII_CASE_H_

#include <algorithm>
#include <string_view>

namespace palimpsest::cli {

inline char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Whether `a` and `b` are equal but for ASCII case.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_ASCII_CASE_H_
