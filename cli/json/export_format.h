// The export format: JSON Lines. Line 1 is a header
//   {"format":"palimpsest-export","version":1,"events":N,"head_seq":N,"head_hash":"sha256:…"}
// then one line per event, in seq order, with every envelope and body field (times as integer
// microseconds in *_us fields, beside RFC 3339 copies for people) and the content the event
// refers to as base64. A string field whose bytes are not UTF-8 (an event stored before text
// was checked) is written as {"base64": "…"} instead of a JSON string, so the line stays valid
// JSON and loses nothing. Restoring re-encodes each event to exactly the bytes that were
// exported, so the chain head ends identical.

#ifndef PALIMPSEST_CLI_JSON_EXPORT_FORMAT_H_
#define PALIMPSEST_CLI_JSON_EXPORT_FORMAT_H_

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "palimpsest/archive.h"

namespace palimpsest::cli {

inline constexpr const char* kExportFormat = "palimpsest-export";
inline constexpr int kExportVersion = 1;

// `contents` holds the bytes of ReferencedContent(event.body) that may be served, in that
// order; `withheld` the hashes and reasons of redacted ones, which the export leaves out.
boost::json::object ExportRecord(const Event& event, const std::vector<std::string>& contents,
                                 const std::vector<std::pair<Digest, std::string>>& withheld);

// Parses one event line back. InvalidArgument naming the first bad field.
Result<AppendRequest> ParseExportRecord(const boost::json::value& line);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_JSON_EXPORT_FORMAT_H_
