// ParseLooseTimestamp (timestamp.h): the times people and publishing systems write in article
// fields, read as words and numbers.
//
// The text is cut into tokens — words, numbers, clock times (H:MM[:SS[.f]]), ISO-like dates
// (YYYY-M-D, YYYY/M/D) and numeric offsets (+hhmm, -hh:mm) — after removing parenthesized
// comments. Each token must be understood: a weekday (ignored), a month name, a day (1-2 digits,
// optionally "8th"), a year (4 digits), a clock time with am/pm, a zone. Filler words "at" and
// "on" are skipped. Anything else makes the text unreadable: a guess would put a wrong date in
// the archive, which is worse than none. Numeric day/month orders ("11/08/2020") are refused for
// the same reason: they read differently in the US and elsewhere.

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "palimpsest/timestamp.h"

namespace palimpsest {

namespace {

// Zone abbreviations, minutes east of UTC. Where an abbreviation has several meanings the one
// usual in English-language news wins (CST: US Central, IST: India, BST: British Summer).
struct NamedZone {
  std::string_view name;
  int minutes;
};
constexpr std::array<NamedZone, 40> kZones = {{
    {"z", 0},       {"ut", 0},      {"utc", 0},     {"gmt", 0},     {"est", -300},
    {"edt", -240},  {"cst", -360},  {"cdt", -300},  {"mst", -420},  {"mdt", -360},
    {"pst", -480},  {"pdt", -420},  {"akst", -540}, {"akdt", -480}, {"hst", -600},
    {"ast", -240},  {"adt", -180},  {"nst", -210},  {"ndt", -150},  {"wet", 0},
    {"west", 60},   {"bst", 60},    {"ist", 330},   {"cet", 60},    {"cest", 120},
    {"met", 60},    {"mest", 120},  {"eet", 120},   {"eest", 180},  {"msk", 180},
    {"jst", 540},   {"kst", 540},   {"hkt", 480},   {"sgt", 480},   {"awst", 480},
    {"acst", 570},  {"acdt", 630},  {"aest", 600},  {"aedt", 660},  {"nzst", 720},
}};

// US zones named without saying whether daylight time applies ("ET", "PT"): standard offset;
// daylight time per the US rule since 2007 is added when the date falls in it.
struct UsZone {
  std::string_view name;
  int standard_minutes;
};
constexpr std::array<UsZone, 4> kUsZones = {{{"et", -300}, {"ct", -360}, {"mt", -420}, {"pt", -480}}};

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kWeekdays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// 1..12 for a month name or its abbreviation of at least three letters ("Sep", "Sept"), else 0.
int MonthNumber(std::string_view word) {
  if (word.size() < 3) return 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i].substr(0, word.size()) == word) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool IsWeekday(std::string_view word) {
  if (word.size() < 3) return false;
  for (std::string_view day : kWeekdays) {
    if (day.substr(0, word.size()) == word) return true;
  }
  return false;
}

// What the tokens said so far.
struct Parts {
  int64_t year = -1;
  int month = 0;
  int day = 0;
  int hour = -1;
  int minute = 0;
  int second = 0;
  int64_t micros = 0;
  int meridiem = 0;  // 0 none, 1 am, 2 pm
  bool has_zone = false;
  int zone_minutes = 0;
  int us_zone_standard = 0;  // non-zero: an "ET"-style zone, daylight time to be decided
};

// The parenthesized comments left out ("(EDT)", "(optional)"); nesting is not needed.
std::string WithoutComments(std::string_view text) {
  std::string out;
  int depth = 0;
  for (char c : text) {
    if (c == '(') {
      ++depth;
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

class LooseTimeReader {
 public:
  explicit LooseTimeReader(std::string_view s) : s_(s) {}

  // Reads every token into `parts`; false at the first token it does not understand.
  bool Read(Parts* parts) {
    p_ = parts;
    for (;;) {
      while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == ',' || s_[pos_] == '\t' ||
                                  s_[pos_] == '.' || s_[pos_] == '|')) {
        ++pos_;
      }
      if (pos_ == s_.size()) return true;
      const char c = s_[pos_];
      bool ok = false;
      if (IsAlpha(c)) {
        ok = Word();
      } else if (IsDigit(c)) {
        ok = Number();
      } else if (c == '+' || c == '-') {
        ok = Offset();
      }
      if (!ok) return false;
    }
  }

 private:
  bool Word() {
    std::string word;
    while (pos_ < s_.size() && (IsAlpha(s_[pos_]) || (s_[pos_] == '.' && word.size() == 1))) {
      if (s_[pos_] != '.') {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(s_[pos_])));
      }
      ++pos_;
    }
    // "a.m." / "p.m." arrive as "am" / "pm" once the dots are dropped.
    if (word == "am" || word == "pm") {
      if (p_->meridiem != 0) return false;
      p_->meridiem = word == "am" ? 1 : 2;
      return true;
    }
    if (word == "at" || word == "on") return true;
    if (IsWeekday(word)) return true;
    if (int m = MonthNumber(word); m != 0) {
      if (p_->month != 0) return false;
      p_->month = m;
      return true;
    }
    return Zone(word);
  }

  bool Zone(std::string_view word) {
    if (p_->has_zone) return false;
    for (const NamedZone& z : kZones) {
      if (z.name == word) {
        p_->has_zone = true;
        p_->zone_minutes = z.minutes;
        return true;
      }
    }
    for (const UsZone& z : kUsZones) {
      if (z.name == word) {
        p_->has_zone = true;
        p_->us_zone_standard = z.standard_minutes;
        return true;
      }
    }
    return false;
  }

  // Up to `max` digits; -1 when there are none.
  int64_t Digits(size_t max, size_t* count) {
    int64_t v = 0;
    *count = 0;
    while (pos_ < s_.size() && IsDigit(s_[pos_]) && *count < max) {
      v = v * 10 + (s_[pos_] - '0');
      ++pos_;
      ++*count;
    }
    return *count == 0 ? -1 : v;
  }

  bool Number() {
    size_t n = 0;
    const int64_t v = Digits(9, &n);
    const char next = pos_ < s_.size() ? s_[pos_] : '\0';
    if (next == ':') return Clock(v, n);
    if (n == 4 && (next == '-' || next == '/')) return IsoDate(v, next);
    if (next == '/') return false;  // 11/08/2020: month and day order unknown
    if (IsAlpha(next)) {
      // An ordinal day ("8th"), or a clock time glued to am/pm ("3pm"); other suffixes fail.
      std::string suffix;
      while (pos_ < s_.size() && IsAlpha(s_[pos_])) {
        suffix += static_cast<char>(std::tolower(static_cast<unsigned char>(s_[pos_])));
        ++pos_;
      }
      if (suffix == "am" || suffix == "pm") {
        if (n > 2 || p_->hour >= 0 || p_->meridiem != 0) return false;
        p_->hour = static_cast<int>(v);
        p_->meridiem = suffix == "am" ? 1 : 2;
        return true;
      }
      if (suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th") return false;
      return Day(v, n);
    }
    if (n == 4) {
      if (p_->year >= 0) return false;
      p_->year = v;
      return true;
    }
    return Day(v, n);
  }

  bool Day(int64_t v, size_t n) {
    if (n > 2 || p_->day != 0 || v < 1) return false;
    p_->day = static_cast<int>(v);
    return true;
  }

  // H:MM[:SS[.fraction]], the hour already read.
  bool Clock(int64_t hour, size_t n) {
    if (n > 2 || p_->hour >= 0) return false;
    size_t count = 0;
    ++pos_;  // ':'
    const int64_t minute = Digits(2, &count);
    if (count != 2) return false;
    int64_t second = 0;
    if (pos_ < s_.size() && s_[pos_] == ':') {
      ++pos_;
      second = Digits(2, &count);
      if (count != 2) return false;
      if (pos_ + 1 < s_.size() && s_[pos_] == '.' && IsDigit(s_[pos_ + 1])) {
        ++pos_;
        int64_t micros = 0;
        size_t digits = 0;
        while (pos_ < s_.size() && IsDigit(s_[pos_])) {
          if (digits < 6) micros = micros * 10 + (s_[pos_] - '0');
          ++digits;
          ++pos_;
        }
        for (size_t i = digits; i < 6; ++i) micros *= 10;
        p_->micros = micros;
      }
    }
    p_->hour = static_cast<int>(hour);
    p_->minute = static_cast<int>(minute);
    p_->second = static_cast<int>(second);
    return true;
  }

  // YYYY-M-D or YYYY/M/D, the year already read.
  bool IsoDate(int64_t year, char separator) {
    if (p_->year >= 0 || p_->month != 0 || p_->day != 0) return false;
    size_t count = 0;
    ++pos_;
    const int64_t month = Digits(2, &count);
    if (count == 0 || pos_ >= s_.size() || s_[pos_] != separator) return false;
    ++pos_;
    const int64_t day = Digits(2, &count);
    if (count == 0) return false;
    if (pos_ < s_.size() && (s_[pos_] == 'T' || s_[pos_] == 't')) ++pos_;  // date 'T' time
    p_->year = year;
    p_->month = static_cast<int>(month);
    p_->day = static_cast<int>(day);
    return true;
  }

  // +hh, +hhmm or +hh:mm after a clock time.
  bool Offset() {
    if (p_->hour < 0 || (p_->has_zone && p_->zone_minutes != 0)) return false;
    const int sign = s_[pos_] == '-' ? -1 : 1;
    ++pos_;
    size_t count = 0;
    const int64_t hours = Digits(2, &count);
    if (count != 2) return false;
    int64_t minutes = 0;
    if (pos_ < s_.size() && s_[pos_] == ':') ++pos_;
    if (pos_ < s_.size() && IsDigit(s_[pos_])) {
      minutes = Digits(2, &count);
      if (count != 2) return false;
    }
    if (hours > 23 || minutes > 59) return false;
    p_->has_zone = true;  // "GMT+0100": the offset refines the zone word
    p_->us_zone_standard = 0;
    p_->zone_minutes = sign * static_cast<int>(hours * 60 + minutes);
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
  Parts* p_ = nullptr;
};

// The day of the month of the `nth` Sunday of month `m` (1-based).
int NthSunday(int64_t y, unsigned m, int nth) {
  const int64_t first = DaysFromCivil(y, m, 1);
  const int weekday = static_cast<int>(((first % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
  const int first_sunday = 1 + (7 - weekday) % 7;
  return first_sunday + 7 * (nth - 1);
}

// US daylight time (since 2007): from the second Sunday of March to the first Sunday of
// November, decided by the local calendar date (the switch hour is not resolved).
bool UsDaylight(int64_t y, int month, int day) {
  if (month < 3 || month > 11) return false;
  if (month > 3 && month < 11) return true;
  if (month == 3) return day >= NthSunday(y, 3, 2);
  return day < NthSunday(y, 11, 1);
}

}  // namespace

Result<Timestamp> ParseLooseTimestamp(std::string_view text) {
  auto strict = ParseTimestamp(text, DateOnly::kStartOfDay);
  if (strict.ok()) return strict;
  const Status unreadable = Status::InvalidArgument("unreadable time '" + std::string(text) + "'");
  const std::string cleaned = WithoutComments(text);
  Parts p;
  if (!LooseTimeReader(cleaned).Read(&p)) return unreadable;
  if (p.year < 1 || p.year > 9999 || p.month == 0 || p.day == 0) return unreadable;
  if (p.hour < 0) {
    if (p.meridiem != 0 || p.has_zone) return unreadable;  // "May 8 pm", "May 8 2020 EDT"
    p.hour = 0;
  }
  if (p.meridiem != 0) {
    if (p.hour < 1 || p.hour > 12) return unreadable;
    p.hour = p.hour % 12 + (p.meridiem == 2 ? 12 : 0);
  }
  if (p.hour > 23 || p.minute > 59 || p.second > 60) return unreadable;
  const int64_t days = DaysFromCivil(p.year, static_cast<unsigned>(p.month),
                                     static_cast<unsigned>(p.day));
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromTimestamp(days * kMicrosPerDay, &y, &m, &d);
  if (y != p.year || static_cast<int>(m) != p.month || static_cast<int>(d) != p.day) {
    return unreadable;  // February 30
  }
  int zone = p.zone_minutes;
  if (p.us_zone_standard != 0) {
    zone = p.us_zone_standard + (UsDaylight(p.year, p.month, p.day) ? 60 : 0);
  }
  const int64_t local_seconds =
      days * 86'400 + int64_t{p.hour} * 3600 + int64_t{p.minute} * 60 + std::min(p.second, 59);
  return (local_seconds - int64_t{zone} * 60) * kMicrosPerSecond + p.micros;
}

}  // namespace palimpsest
