// Timestamps: microseconds since the Unix epoch, UTC.
//
// All times in Palimpsest (recorded, effective, captured, published, updated) are Timestamps.
// Parsing rules: times without an offset are UTC; a date-only input means either
// the start or the end of that UTC day, chosen by the caller (`--as-of DATE` means the end).
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_TIMESTAMP_H_
#define PALIMPSEST_TIMESTAMP_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "palimpsest/status.h"

namespace palimpsest {

using Timestamp = int64_t;  // microseconds since 1970-01-01T00:00:00Z

// "No time": an absent optional time in events and projections.
inline constexpr Timestamp kNoTime = std::numeric_limits<int64_t>::min();

inline constexpr Timestamp kMicrosPerSecond = 1'000'000;
inline constexpr Timestamp kMicrosPerDay = 86'400 * kMicrosPerSecond;

enum class DateOnly { kStartOfDay, kEndOfDay };

// Parses RFC 3339 / ISO 8601 forms: "2023-07-20", "2023-07-20T12:00", "2023-07-20T12:00:00",
// "2023-07-20 12:00:00.25", with an optional "Z" or "+hh:mm"/"-hh:mm"/"+hhmm" offset. A
// date-only input resolves per `date_only` (kEndOfDay: the last microsecond of that day).
// Returns InvalidArgument with a one-line message naming the input on anything else.
Result<Timestamp> ParseTimestamp(std::string_view text, DateOnly date_only = DateOnly::kStartOfDay);

// Reads a time as people and publishing systems write it in article fields: everything
// ParseTimestamp reads (a date alone is the start of its UTC day), plus month names and their
// abbreviations ("September 8, 2020", "8 Sep 2020", "Sept. 8th, 2020 at 3:15 p.m. ET"),
// single-digit ISO parts ("2017-11-8"), RFC 2822 dates as in HTTP and RSS ("Tue, 08 Sep 2020
// 14:03:00 GMT", "... +0000"), US and common zone abbreviations (EST, EDT, PT with US daylight
// time, BST, CET, IST, JST, ...), 12-hour clocks, and parenthesized comments, which are
// ignored ("2016-08-08 (optional)"). A time without a zone is UTC. Numeric day/month orders
// ("11/08/2020"), two-digit years and any word it does not know are refused rather than
// guessed: InvalidArgument "unreadable time '<text>'".
Result<Timestamp> ParseLooseTimestamp(std::string_view text);

// Formats as RFC 3339 UTC: "2023-07-20T12:00:00Z", with ".ffffff" only when the microseconds
// are non-zero. kNoTime formats as "".
std::string FormatTimestamp(Timestamp t);

// Days since the epoch for a proleptic Gregorian civil date; month 1..12, day 1..31.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

// Splits a timestamp into its UTC civil date.
void CivilFromTimestamp(Timestamp t, int64_t* year, unsigned* month, unsigned* day);

// The current wall-clock time.
Timestamp Now();

}  // namespace palimpsest

#endif  // PALIMPSEST_TIMESTAMP_H_
