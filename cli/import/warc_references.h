// What a WARC record points at beyond itself: the target of a redirect response, and the
// stored capture a `revisit` record saw again.
//
// Thread safety: pure functions, or reads through the Archive (itself thread-safe).

#ifndef PALIMPSEST_CLI_IMPORT_WARC_REFERENCES_H_
#define PALIMPSEST_CLI_IMPORT_WARC_REFERENCES_H_

#include <optional>
#include <string>
#include <string_view>

#include "palimpsest/archive.h"

namespace palimpsest::cli {

// The absolute URL a redirect's Location names, resolved against the URL that answered
// (RFC 3986 section 5: "/new", "../new" and "//host/new" are relative); "" when either is not
// a URL or the result is not http(s).
std::string ResolveRedirectTarget(std::string_view from_url, std::string_view location);

// The capture of `doc_id` stored in `archive` whose raw bytes the revisit's
// WARC-Payload-Digest names (newest revision first), or nullopt when there is none — the
// document unknown, the digest of another algorithm or of other bytes. Reads at most
// `max_candidates` stored captures.
Result<std::optional<ContentRef>> FindRevisitedCapture(Archive& archive, const std::string& doc_id,
                                                       std::string_view payload_digest,
                                                       size_t max_candidates = 8);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_IMPORT_WARC_REFERENCES_H_
