#include "palimpsest/timestamp.h"

#include <chrono>
#include <cstdio>

namespace palimpsest {

// Howard Hinnant's public-domain civil calendar algorithms (days_from_civil / civil_from_days),
// restated here for the proleptic Gregorian calendar.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromTimestamp(Timestamp t, int64_t* year, unsigned* month, unsigned* day) {
  int64_t z = t / kMicrosPerDay;
  if (t % kMicrosPerDay < 0) --z;
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (*month <= 2);
}

namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool AtEnd() const { return pos_ == s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  // Reads exactly `n` decimal digits.
  bool Digits(int n, int64_t* out) {
    int64_t v = 0;
    for (int i = 0; i < n; ++i) {
      char c = Peek();
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
      ++pos_;
    }
    *out = v;
    return true;
  }
  // Reads one or more digits as a fraction of a second, in microseconds.
  bool Fraction(int64_t* micros) {
    int64_t v = 0;
    int n = 0;
    while (Peek() >= '0' && Peek() <= '9') {
      if (n < 6) v = v * 10 + (Peek() - '0');
      ++n;
      ++pos_;
    }
    if (n == 0) return false;
    for (int i = n; i < 6; ++i) v *= 10;
    *micros = v;
    return true;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

Result<Timestamp> ParseTimestamp(std::string_view text, DateOnly date_only) {
  auto bad = [&] {
    return Status::InvalidArgument("invalid time '" + std::string(text) +
                                   "' (expected e.g. 2023-07-20 or 2023-07-20T12:00:00Z)");
  };
  Scanner s(text);
  int64_t year, month, day;
  if (!s.Digits(4, &year) || !s.Consume('-') || !s.Digits(2, &month) || !s.Consume('-') ||
      !s.Digits(2, &day)) {
    return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return bad();
  const Timestamp midnight = DaysFromCivil(year, month, day) * kMicrosPerDay;
  if (s.AtEnd()) {
    return date_only == DateOnly::kEndOfDay ? midnight + kMicrosPerDay - 1 : midnight;
  }
  if (!s.Consume('T') && !s.Consume('t') && !s.Consume(' ')) return bad();
  int64_t hour, minute, second = 0, micros = 0;
  if (!s.Digits(2, &hour) || !s.Consume(':') || !s.Digits(2, &minute)) return bad();
  if (s.Consume(':')) {
    if (!s.Digits(2, &second)) return bad();
    if ((s.Consume('.') || s.Consume(',')) && !s.Fraction(&micros)) return bad();
  }
  if (hour > 23 || minute > 59 || second > 60) return bad();
  if (second == 60) second = 59;  // A leap second clamps to the last representable second.
  int64_t offset_minutes = 0;
  if (s.Consume('Z') || s.Consume('z')) {
  } else if (s.Peek() == '+' || s.Peek() == '-') {
    const int sign = s.Peek() == '-' ? -1 : 1;
    s.Consume(s.Peek());
    int64_t oh, om;
    if (!s.Digits(2, &oh)) return bad();
    s.Consume(':');
    if (!s.Digits(2, &om)) return bad();
    if (oh > 23 || om > 59) return bad();
    offset_minutes = sign * (oh * 60 + om);
  }
  if (!s.AtEnd()) return bad();
  const Timestamp t =
      midnight + ((hour * 60 + minute - offset_minutes) * 60 + second) * kMicrosPerSecond + micros;
  // An offset can carry a time out of years 0000-9999, which FormatTimestamp could not write
  // back in a form this function reads.
  static const Timestamp kFirst = DaysFromCivil(0, 1, 1) * kMicrosPerDay;
  static const Timestamp kLast = DaysFromCivil(10000, 1, 1) * kMicrosPerDay - 1;
  if (t < kFirst || t > kLast) return bad();
  return t;
}

std::string FormatTimestamp(Timestamp t) {
  if (t == kNoTime) return "";
  int64_t year;
  unsigned month, day;
  CivilFromTimestamp(t, &year, &month, &day);
  int64_t in_day = t % kMicrosPerDay;
  if (in_day < 0) in_day += kMicrosPerDay;
  const int64_t secs = in_day / kMicrosPerSecond, micros = in_day % kMicrosPerSecond;
  char buf[64];
  if (micros == 0) {
    snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
             static_cast<long long>(year), month, day, static_cast<long long>(secs / 3600),
             static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  } else {
    snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ",
             static_cast<long long>(year), month, day, static_cast<long long>(secs / 3600),
             static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
             static_cast<long long>(micros));
  }
  return buf;
}

Timestamp Now() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace palimpsest
