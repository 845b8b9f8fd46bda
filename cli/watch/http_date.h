// HTTP-date parsing (RFC 9110 section 5.6.7), for Retry-After and, later, Last-Modified.
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_CLI_WATCH_HTTP_DATE_H_
#define PALIMPSEST_CLI_WATCH_HTTP_DATE_H_

#include <optional>
#include <string_view>

#include "palimpsest/timestamp.h"

namespace palimpsest::cli {

// Parses an HTTP-date in any of the three forms recipients must accept: IMF-fixdate
// ("Sun, 06 Nov 1994 08:49:37 GMT"), the obsolete RFC 850 form ("Sunday, 06-Nov-94 08:49:37
// GMT") and asctime ("Sun Nov  6 08:49:37 1994"). Names are matched case-insensitively; the
// weekday is not checked against the date. A two-digit RFC 850 year is the latest year ending
// in those digits that is not more than 50 years after `now`. Returns the time, or nullopt for
// anything else (another zone than GMT, an impossible date such as 31 Feb, leading or trailing
// junk).
std::optional<Timestamp> ParseHttpDate(std::string_view text, Timestamp now);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_HTTP_DATE_H_
