#include "codec/extract/article_fields.h"

#include <string>
#include <string_view>

#include "codec/extract/ascii_text.h"

namespace palimpsest::text_internal {

namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// True when the first word of `s` (up to a space, comma or parenthesis) has at least two
// letters and no lower-case one.
bool OpensWithCapitalWord(std::string_view s) {
  size_t letters = 0;
  for (char c : s) {
    if (c == ' ' || c == ',' || c == '(') break;
    if (IsLower(c)) return false;
    if (IsUpper(c)) ++letters;
  }
  return letters >= 2;
}

// "WASHINGTON (AP)" → "WASHINGTON": a wire-service credit is not the place.
std::string_view DropCredit(std::string_view place) {
  if (!place.empty() && place.back() == ')') {
    size_t open = place.rfind(" (");
    if (open != std::string_view::npos) return TrimSpaces(place.substr(0, open));
  }
  return place;
}

}  // namespace

std::string InlineDateline(std::string_view paragraph) {
  static constexpr std::string_view kDashes[] = {" \u2013 ", " \u2014 ", " -- ", " - "};
  constexpr size_t kMaxPlaceBytes = 80;
  size_t cut = std::string_view::npos, dash_size = 0;
  for (std::string_view dash : kDashes) {
    size_t at = paragraph.find(dash);
    if (at != std::string_view::npos && at < cut) {
      cut = at;
      dash_size = dash.size();
    }
  }
  if (cut == std::string_view::npos || cut > kMaxPlaceBytes) return "";
  if (cut + dash_size >= paragraph.size()) return "";  // nothing follows the dash
  std::string_view place = TrimSpaces(paragraph.substr(0, cut));
  if (place.empty() || !IsUpper(place[0]) || !OpensWithCapitalWord(place)) return "";
  if (WordCount(place) > 8) return "";
  for (char c : place) {
    if ((c >= '0' && c <= '9') || c == '"' || c == ':' || c == ';') return "";
  }
  if (place.find("\u201C") != std::string_view::npos) return "";  // a quotation
  return std::string(DropCredit(place));
}

bool IsDatelineLabel(std::string_view line) {
  if (line.find(',') == std::string_view::npos || WordCount(line) > 8) return false;
  if (!OpensWithCapitalWord(line)) return false;
  for (char c : line) {
    if (IsLower(c) || (c >= '0' && c <= '9') || c == '|' || c == ':') return false;
  }
  return true;
}

std::string CopyrightOutlet(std::string_view line) {
  std::string_view s = line;
  if (s.starts_with("\u00A9")) {
    s.remove_prefix(2);
  } else if (StartsWithIgnoreCase(s, "copyright ")) {
    s.remove_prefix(10);
    if (s.starts_with("\u00A9")) s.remove_prefix(2);
  } else {
    return "";
  }
  s = TrimSpaces(s);
  // Years and year ranges: "2024", "2019-2024", "2019–2024".
  while (!s.empty() && ((s[0] >= '0' && s[0] <= '9') || s[0] == '-' || s[0] == ',')) {
    s.remove_prefix(1);
  }
  if (s.starts_with("\u2013")) s.remove_prefix(3);
  while (!s.empty() && s[0] >= '0' && s[0] <= '9') s.remove_prefix(1);
  s = TrimSpaces(s);
  for (std::string_view end : {". All rights reserved", ", All rights reserved",
                               " All rights reserved", ". All Rights Reserved"}) {
    size_t at = s.find(end);
    if (at != std::string_view::npos) s = s.substr(0, at);
  }
  s = TrimSpaces(s);
  while (!s.empty() && (s.back() == '.' || s.back() == ',')) s.remove_suffix(1);
  if (s.empty() || WordCount(s) > 8 || !IsUpper(s[0])) return "";
  return std::string(s);
}

std::string NormalizeLanguageTag(std::string_view declared) {
  declared = declared.substr(0, declared.find_first_of(",;"));
  while (!declared.empty() && declared.front() == ' ') declared.remove_prefix(1);
  while (!declared.empty() && declared.back() == ' ') declared.remove_suffix(1);
  if (declared.empty() || declared.size() > 35) return "";
  std::string tag;
  size_t subtag = 0, subtag_length = 0;
  for (char c : declared) {
    if (c == '_' || c == '-') {
      if (subtag_length == 0) return "";
      tag += '-';
      ++subtag;
      subtag_length = 0;
      continue;
    }
    const bool letter = IsAsciiAlpha(c);
    if (!letter && !(c >= '0' && c <= '9')) return "";
    if (subtag == 0 && !letter) return "";
    ++subtag_length;
    tag += c;
  }
  if (subtag_length == 0) return "";
  const size_t first = tag.find('-');
  const size_t language_length = first == std::string::npos ? tag.size() : first;
  if (language_length < 2 || language_length > 3) return "";
  for (size_t i = 0; i < language_length; ++i) tag[i] = AsciiLower(tag[i]);
  if (first != std::string::npos) {
    const size_t end = tag.find('-', first + 1);
    const size_t length = (end == std::string::npos ? tag.size() : end) - first - 1;
    if (length == 2) {
      for (size_t i = first + 1; i < first + 3; ++i) tag[i] = AsciiUpper(tag[i]);
    }
  }
  return tag;
}

}  // namespace palimpsest::text_internal
