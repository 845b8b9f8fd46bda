// Finding the calendar dates printed in article text: "July 24", "Jul. 24, 2023",
// "24 July 2023", "2023-07-24", "2023-07-24T10:00:00Z", "7/24/2023", "12.02.2024".
//
// Shared by the note parser (which date does "updated July 24" name?) and the plain-text
// extractor (published/updated lines). Numeric dates are read month first (U.S. order), which
// is what the outlets in the corpus print; ISO dates are unambiguous.
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EXTRACT_DATE_FINDER_H_
#define PALIMPSEST_CODEC_EXTRACT_DATE_FINDER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "palimpsest/timestamp.h"

namespace palimpsest::text_internal {

struct DateMatch {
  size_t begin = 0;  // byte range of the date in the scanned text
  size_t end = 0;
  int64_t year = 0;  // 0 when the text names no year ("July 24")
  unsigned month = 0;
  unsigned day = 0;
  Timestamp exact = kNoTime;  // an ISO 8601 date with a time of day: that instant
};

// Finds the first date that starts at or after byte `from` of `text`.
bool FindDate(std::string_view text, size_t from, DateMatch* match);

// True when `text` is one date and nothing else, allowing a leading weekday ("Wednesday, ")
// and a trailing time of day ("01:28", "at 10:15 a.m. ET").
bool ParseDateOnly(std::string_view text, DateMatch* match);

// The start of the UTC day `match` names. A date without a year takes the latest such date not
// after `anchor` (the archive-wide year rule); with no anchor it cannot be placed and gives
// kNoTime.
Timestamp StartOfDay(const DateMatch& match, Timestamp anchor);

// The start of the UTC day `match` names, for a date in an article published at `published`
// and captured at `captured`: a date without a year is the first such date on or after the
// day of publication ("updated July 24" in an article of 2023-07-20 is 2023-07-24, whenever it
// is captured), unless that is after the capture; then, and without `published`, StartOfDay's
// year rule applies.
Timestamp StartOfDaySince(const DateMatch& match, Timestamp published, Timestamp captured);

// The instant for a published/updated time: `exact` when the text gave one, else StartOfDay.
Timestamp DateTimestamp(const DateMatch& match, Timestamp anchor);

}  // namespace palimpsest::text_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_DATE_FINDER_H_
