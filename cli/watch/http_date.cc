// Implements ParseHttpDate (splits the text on spaces, tells the three forms apart by their
// token count, and checks every field) and ParseRetryAfter, declared in http_fetcher.h next to
// the FetchResult::retry_after it reads.

#include "cli/watch/http_date.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <vector>

#include "cli/watch/ascii_case.h"
#include "cli/watch/http_fetcher.h"

namespace palimpsest::cli {

namespace {

namespace chr = std::chrono;

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kDays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                   "Friday", "Saturday", "Sunday"};

// "Sun" when !full, "Sunday" when full.
bool IsWeekday(std::string_view token, bool full) {
  for (std::string_view day : kDays) {
    if (EqualsIgnoreCase(token, full ? day : day.substr(0, 3))) return true;
  }
  return false;
}

// 1..12, or 0 when `token` is not a month abbreviation.
unsigned Month(std::string_view token) {
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (EqualsIgnoreCase(token, kMonths[i])) return static_cast<unsigned>(i + 1);
  }
  return 0;
}

// A number of exactly `min_digits`..`max_digits` decimal digits, or -1.
int Number(std::string_view token, size_t min_digits, size_t max_digits) {
  if (token.size() < min_digits || token.size() > max_digits) return -1;
  int n = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

struct Fields {
  int year = -1;
  unsigned month = 0;
  int day = -1;
  std::string_view clock;  // "HH:MM:SS"
};

// Checks and combines the fields; nullopt when any is out of range.
std::optional<Timestamp> Combine(const Fields& f) {
  if (f.year < 0 || f.month == 0 || f.day < 1 || f.clock.size() != 8 || f.clock[2] != ':' ||
      f.clock[5] != ':') {
    return std::nullopt;
  }
  int hour = Number(f.clock.substr(0, 2), 2, 2);
  int minute = Number(f.clock.substr(3, 2), 2, 2);
  int second = Number(f.clock.substr(6, 2), 2, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  chr::year_month_day date{chr::year(f.year), chr::month(f.month),
                           chr::day(static_cast<unsigned>(f.day))};
  if (!date.ok()) return std::nullopt;
  int64_t days = chr::sys_days(date).time_since_epoch().count();
  int64_t seconds = days * 86'400 + hour * 3'600 + minute * 60 + second;
  return seconds * kMicrosPerSecond;
}

// The year a two-digit RFC 850 year stands for, seen from `now`.
int FullYear(int two_digits, Timestamp now) {
  auto today = chr::floor<chr::days>(chr::sys_time<chr::microseconds>(chr::microseconds(now)));
  int this_year = static_cast<int>(chr::year_month_day(today).year());
  int year = this_year - this_year % 100 + two_digits;
  if (year > this_year + 50) year -= 100;
  return year;
}

std::vector<std::string_view> SplitOnSpaces(std::string_view text) {
  std::vector<std::string_view> tokens;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    tokens.push_back(text.substr(i, end - i));
    i = end;
  }
  return tokens;
}

}  // namespace

std::optional<Timestamp> ParseHttpDate(std::string_view text, Timestamp now) {
  std::vector<std::string_view> t = SplitOnSpaces(text);
  Fields f;
  if (t.size() == 6 && t[0].ends_with(',') && IsWeekday(t[0].substr(0, t[0].size() - 1), false) &&
      EqualsIgnoreCase(t[5], "GMT")) {
    // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    f.day = Number(t[1], 2, 2);
    f.month = Month(t[2]);
    f.year = Number(t[3], 4, 4);
    f.clock = t[4];
  } else if (t.size() == 4 && t[0].ends_with(',') &&
             IsWeekday(t[0].substr(0, t[0].size() - 1), true) && EqualsIgnoreCase(t[3], "GMT") &&
             t[1].size() == 9 && t[1][2] == '-' && t[1][6] == '-') {
    // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
    f.day = Number(t[1].substr(0, 2), 2, 2);
    f.month = Month(t[1].substr(3, 3));
    int yy = Number(t[1].substr(7, 2), 2, 2);
    f.year = yy < 0 ? -1 : FullYear(yy, now);
    f.clock = t[2];
  } else if (t.size() == 5 && IsWeekday(t[0], false)) {
    // asctime: Sun Nov  6 08:49:37 1994
    f.month = Month(t[1]);
    f.day = Number(t[2], 1, 2);
    f.clock = t[3];
    f.year = Number(t[4], 4, 4);
  } else {
    return std::nullopt;
  }
  return Combine(f);
}

std::optional<int64_t> ParseRetryAfter(std::string_view value, Timestamp now) {
  constexpr int64_t kCapSeconds = 7 * 86'400;
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int64_t seconds = 0;
    for (char c : value) {
      seconds = std::min(seconds * 10 + (c - '0'), kCapSeconds + 1);  // saturates, no overflow
    }
    return std::min(seconds, kCapSeconds);
  }
  std::optional<Timestamp> date = ParseHttpDate(value, now);
  if (!date.has_value()) return std::nullopt;
  int64_t wait_us = 0;
  if (__builtin_sub_overflow(*date, now, &wait_us)) return std::nullopt;
  if (wait_us <= -kMicrosPerSecond) return std::nullopt;                      // in the past
  int64_t seconds = wait_us <= 0 ? 0 : (wait_us - 1) / kMicrosPerSecond + 1;  // rounded up
  return std::min(seconds, kCapSeconds);
}

}  // namespace palimpsest::cli
