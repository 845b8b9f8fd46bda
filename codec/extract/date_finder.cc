#include "codec/extract/date_finder.h"

#include <array>
#include <string>
#include <string_view>

#include "codec/extract/ascii_text.h"

namespace palimpsest::text_internal {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return IsAsciiAlpha(c); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }

// Reads between 1 and `max_digits` digits at `*pos` and requires that no further digit
// follows, so "2023" is never read as the day "20".
bool ReadNumber(std::string_view s, size_t* pos, size_t max_digits, unsigned* value) {
  size_t i = *pos;
  unsigned v = 0;
  while (i < s.size() && IsDigit(s[i]) && i - *pos < max_digits) v = v * 10 + (s[i++] - '0');
  if (i == *pos || (i < s.size() && IsDigit(s[i]))) return false;
  *pos = i;
  *value = v;
  return true;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Year 0 stands for "no year": February 29 is then possible.
unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr std::array<unsigned, 12> kDays = {31, 29, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  if (month == 2 && year != 0 && !IsLeap(year)) return 28;
  return kDays[month - 1];
}

bool ValidDate(int64_t year, unsigned month, unsigned day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
}

// A month name as printed in a date: capitalized ("July", "Jul") or all capitals ("JULY").
// Lower-case words are not months, so "may 24" in running text is not a date.
unsigned MonthFromWord(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kNames = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  if (word.size() < 3 || !(word[0] >= 'A' && word[0] <= 'Z')) return 0;
  bool all_upper = true, rest_lower = true;
  for (size_t i = 1; i < word.size(); ++i) {
    all_upper = all_upper && word[i] >= 'A' && word[i] <= 'Z';
    rest_lower = rest_lower && word[i] >= 'a' && word[i] <= 'z';
  }
  if (!all_upper && !rest_lower) return 0;
  for (unsigned m = 0; m < 12; ++m) {
    if (EqualsIgnoreCase(word, kNames[m])) return m + 1;
    if (EqualsIgnoreCase(word, kNames[m].substr(0, 3))) return m + 1;
  }
  if (EqualsIgnoreCase(word, "sept")) return 9;
  return 0;
}

// Reads a month word (plus an abbreviation's period) at `*pos`.
unsigned ReadMonth(std::string_view s, size_t* pos) {
  size_t i = *pos;
  while (i < s.size() && IsAlpha(s[i])) ++i;
  if (i < s.size() && IsDigit(s[i])) return 0;
  unsigned month = MonthFromWord(s.substr(*pos, i - *pos));
  if (month == 0) return 0;
  if (i < s.size() && s[i] == '.') ++i;
  *pos = i;
  return month;
}

// Skips "st", "nd", "rd", "th" after a day number.
void SkipOrdinal(std::string_view s, size_t* pos) {
  if (*pos + 2 <= s.size()) {
    std::string_view suffix = s.substr(*pos, 2);
    bool ordinal = EqualsIgnoreCase(suffix, "st") || EqualsIgnoreCase(suffix, "nd") ||
                   EqualsIgnoreCase(suffix, "rd") || EqualsIgnoreCase(suffix, "th");
    if (ordinal && (*pos + 2 == s.size() || !IsAlnum(s[*pos + 2]))) *pos += 2;
  }
}

size_t SkipSpaces(std::string_view s, size_t i) {
  while (i < s.size() && s[i] == ' ') ++i;
  return i;
}

// An optional ", 2023" / " 2023" after a month-name date.
void ReadOptionalYear(std::string_view s, DateMatch* m) {
  size_t i = m->end;
  if (i < s.size() && s[i] == ',') ++i;
  size_t j = SkipSpaces(s, i);
  if (j == i) return;  // a year needs a separator
  unsigned year = 0;
  size_t k = j;
  if (!ReadNumber(s, &k, 4, &year) || k - j != 4 || (k < s.size() && IsAlpha(s[k]))) return;
  if (year < 1900 || !ValidDate(year, m->month, m->day)) return;
  m->year = year;
  m->end = k;
}

// "2023-07-24", optionally with "T10:00:00Z" or " 10:00+02:00".
bool TryIso(std::string_view s, size_t i, DateMatch* m) {
  if (i + 10 > s.size() || s[i + 4] != '-' || s[i + 7] != '-') return false;
  size_t p = i;
  unsigned y = 0, mo = 0, d = 0;
  if (!ReadNumber(s, &p, 4, &y) || p != i + 4) return false;
  ++p;
  if (!ReadNumber(s, &p, 2, &mo) || p != i + 7) return false;
  ++p;
  if (!ReadNumber(s, &p, 2, &d) || p != i + 10) return false;
  if (!ValidDate(y, mo, d)) return false;
  *m = DateMatch{i, p, y, mo, d, kNoTime};
  // A time of day: the extent of an RFC 3339 time, handed to ParseTimestamp to validate.
  if (p + 3 < s.size() && (s[p] == 'T' || s[p] == ' ') && IsDigit(s[p + 1]) && IsDigit(s[p + 2]) &&
      s[p + 3] == ':') {
    size_t q = p + 1;
    while (q < s.size() && (IsDigit(s[q]) || s[q] == ':' || s[q] == '.')) ++q;
    if (q < s.size() && (s[q] == 'Z' || s[q] == 'z')) {
      ++q;
    } else if (q < s.size() && (s[q] == '+' || s[q] == '-')) {
      ++q;
      while (q < s.size() && (IsDigit(s[q]) || s[q] == ':')) ++q;
    }
    Result<Timestamp> t = ParseTimestamp(s.substr(i, q - i));
    if (t.ok()) {
      m->exact = *t;
      m->end = q;
    }
  }
  return true;
}

// "7/24/2023", "12.02.2024", "7-24-2023": month first, four-digit year.
bool TryNumeric(std::string_view s, size_t i, DateMatch* m) {
  size_t p = i;
  unsigned mo = 0, d = 0, y = 0;
  if (!ReadNumber(s, &p, 2, &mo) || p >= s.size()) return false;
  const char sep = s[p];
  if (sep != '/' && sep != '.' && sep != '-') return false;
  ++p;
  if (!ReadNumber(s, &p, 2, &d) || p >= s.size() || s[p] != sep) return false;
  ++p;
  size_t year_start = p;
  if (!ReadNumber(s, &p, 4, &y) || p - year_start != 4) return false;
  if (p < s.size() && IsAlpha(s[p])) return false;
  // "1.2.2024.5" is a version number, not a date.
  if (p + 1 < s.size() && s[p] == sep && IsDigit(s[p + 1])) return false;
  if (y < 1900 || !ValidDate(y, mo, d)) return false;
  *m = DateMatch{i, p, y, mo, d, kNoTime};
  return true;
}

// "24 July 2023", "24 Jul.", "1st March".
bool TryDayMonth(std::string_view s, size_t i, DateMatch* m) {
  size_t p = i;
  unsigned d = 0;
  if (!ReadNumber(s, &p, 2, &d)) return false;
  SkipOrdinal(s, &p);
  size_t q = SkipSpaces(s, p);
  if (q == p) return false;
  unsigned mo = ReadMonth(s, &q);
  if (mo == 0 || !ValidDate(0, mo, d)) return false;
  *m = DateMatch{i, q, 0, mo, d, kNoTime};
  ReadOptionalYear(s, m);
  return true;
}

// "July 24", "Jul. 24, 2023", "Sept 3rd 2024".
bool TryMonthDay(std::string_view s, size_t i, DateMatch* m) {
  size_t p = i;
  unsigned mo = ReadMonth(s, &p);
  if (mo == 0) return false;
  size_t q = SkipSpaces(s, p);
  if (q == p) return false;
  unsigned d = 0;
  if (!ReadNumber(s, &q, 2, &d)) return false;
  SkipOrdinal(s, &q);
  if (q < s.size() && IsAlpha(s[q])) return false;
  if (!ValidDate(0, mo, d)) return false;
  *m = DateMatch{i, q, 0, mo, d, kNoTime};
  ReadOptionalYear(s, m);
  return true;
}

bool IsTimeToken(std::string_view w) {
  if (w.empty() || EqualsIgnoreCase(w, "at") || w == "@" || w == "-" || w == "|") return true;
  if (EqualsIgnoreCase(w, "am") || EqualsIgnoreCase(w, "pm") || EqualsIgnoreCase(w, "a.m.") ||
      EqualsIgnoreCase(w, "p.m.")) {
    return true;
  }
  // Time zone abbreviations: "ET", "EST", "UTC".
  bool caps = w.size() <= 5;
  for (char c : w) caps = caps && c >= 'A' && c <= 'Z';
  if (caps) return true;
  // "10:15", "01:28:05", "10:15am", "10:15 p.m." (the suffix as its own token is above).
  size_t i = 0;
  unsigned v = 0;
  if (!ReadNumber(w, &i, 2, &v) || i >= w.size() || w[i] != ':') return false;
  while (i < w.size() && w[i] == ':') {
    ++i;
    size_t start = i;
    if (!ReadNumber(w, &i, 2, &v) || i - start != 2) return false;
  }
  std::string_view rest = w.substr(i);
  return rest.empty() || EqualsIgnoreCase(rest, "am") || EqualsIgnoreCase(rest, "pm") ||
         EqualsIgnoreCase(rest, "a.m.") || EqualsIgnoreCase(rest, "p.m.");
}

size_t SkipWeekday(std::string_view s) {
  static constexpr std::array<std::string_view, 7> kDays = {
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  size_t i = 0;
  while (i < s.size() && IsAlpha(s[i])) ++i;
  std::string_view word = s.substr(0, i);
  bool weekday = false;
  for (std::string_view d : kDays) {
    weekday = weekday || EqualsIgnoreCase(word, d) ||
              (word.size() == 3 && EqualsIgnoreCase(word, d.substr(0, 3)));
  }
  if (!weekday) return 0;
  if (i < s.size() && s[i] == '.') ++i;
  if (i < s.size() && s[i] == ',') ++i;
  size_t j = SkipSpaces(s, i);
  return j > i ? j : 0;
}

}  // namespace

bool FindDate(std::string_view text, size_t from, DateMatch* match) {
  for (size_t i = from; i < text.size(); ++i) {
    // Dates start at a word boundary; after '.', '/' or '-' a number belongs to something
    // else ("v1.7/24/2023", "A-7/24").
    if (i > 0) {
      char prev = text[i - 1];
      if (IsAlnum(prev) || prev == '.' || prev == '/' || prev == '-' || prev == ':') continue;
    }
    const char c = text[i];
    if (IsDigit(c)) {
      if (TryIso(text, i, match) || TryNumeric(text, i, match) || TryDayMonth(text, i, match)) {
        return true;
      }
    } else if (c >= 'A' && c <= 'Z') {
      if (TryMonthDay(text, i, match)) return true;
    }
  }
  return false;
}

bool ParseDateOnly(std::string_view text, DateMatch* match) {
  size_t start = SkipWeekday(text);
  DateMatch m;
  if (!FindDate(text, start, &m) || m.begin != start) return false;
  std::string_view tail = text.substr(m.end);
  size_t i = 0;
  while (i < tail.size()) {
    while (i < tail.size() && (tail[i] == ' ' || tail[i] == ',')) ++i;
    size_t j = i;
    while (j < tail.size() && tail[j] != ' ' && tail[j] != ',') ++j;
    if (!IsTimeToken(tail.substr(i, j - i))) return false;
    i = j;
  }
  *match = m;
  return true;
}

Timestamp StartOfDay(const DateMatch& match, Timestamp anchor) {
  if (match.year != 0) return DaysFromCivil(match.year, match.month, match.day) * kMicrosPerDay;
  if (anchor == kNoTime) return kNoTime;
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromTimestamp(anchor, &year, &month, &day);
  // Eight years back always reaches a leap year, so even February 29 resolves.
  for (int64_t y = year; y >= year - 8; --y) {
    if (!ValidDate(y, match.month, match.day)) continue;
    Timestamp t = DaysFromCivil(y, match.month, match.day) * kMicrosPerDay;
    if (t <= anchor) return t;
  }
  return kNoTime;
}

Timestamp StartOfDaySince(const DateMatch& match, Timestamp published, Timestamp captured) {
  if (match.year != 0 || published == kNoTime) return StartOfDay(match, captured);
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromTimestamp(published, &year, &month, &day);
  const Timestamp published_day = DaysFromCivil(year, month, day) * kMicrosPerDay;
  for (int64_t y = year; y <= year + 8; ++y) {
    if (!ValidDate(y, match.month, match.day)) continue;
    Timestamp t = DaysFromCivil(y, match.month, match.day) * kMicrosPerDay;
    if (t < published_day) continue;
    if (captured != kNoTime && t > captured) break;
    return t;
  }
  return StartOfDay(match, captured);
}

Timestamp DateTimestamp(const DateMatch& match, Timestamp anchor) {
  return match.exact != kNoTime ? match.exact : StartOfDay(match, anchor);
}

}  // namespace palimpsest::text_internal
