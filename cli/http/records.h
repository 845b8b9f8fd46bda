// From HTTP request bodies to AppendRequests: a capture given as a JSON record (the JSON Lines
// import schema, README) or as a raw page, and an explicit correction. Event ids are derived as
// the CLI derives them (so the same capture over HTTP and by import is one event); the caller
// replaces the id when the request carries an Idempotency-Key, and sets actor and correlation.

#ifndef PALIMPSEST_CLI_HTTP_RECORDS_H_
#define PALIMPSEST_CLI_HTTP_RECORDS_H_

#include <boost/json.hpp>
#include <string>
#include <vector>
#include <string_view>

#include "palimpsest/archive.h"

namespace palimpsest::cli::http {

inline constexpr unsigned kMaxJsonDepth = 32;

// Parses a request body as JSON, nesting at most kMaxJsonDepth deep. InvalidArgument otherwise.
Result<boost::json::value> ParseJsonBody(std::string_view body);

struct PreparedWrite {
  AppendRequest request;
  // The capture time was not given and defaulted to now (an idempotent retry then adopts the
  // original event's time).
  bool time_defaulted = false;
  // What the record carried but was left out (an unreadable published_at, …), one line each;
  // the write still happens and the response lists them.
  std::vector<std::string> warnings;
};

// A JSON capture record ({id or url, body | raw + media_type, title, byline, published_at,
// updated_at, captured_at, effective_at, note, kind, source}).
Result<PreparedWrite> CaptureFromJson(std::string_view body);

// A raw page: `media_type` text/plain or text/html, `url` from X-Palimpsest-Url, `id` from
// ?id= (else derived from the url); `captured_at` from ?captured_at= ("" → now).
Result<PreparedWrite> CaptureFromRaw(std::string raw, const std::string& media_type,
                                     const std::string& url, const std::string& id,
                                     const std::string& captured_at, const std::string& source);

// An explicit correction of `doc`: {note, text?, kind?, effective_at?}.
Result<PreparedWrite> CorrectionFromJson(const std::string& doc, std::string_view body);

}  // namespace palimpsest::cli::http

#endif  // PALIMPSEST_CLI_HTTP_RECORDS_H_
