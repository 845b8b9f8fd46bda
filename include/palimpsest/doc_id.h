// Document ids: printable, URL-safe strings — ASCII letters, digits and
// "-._~:@" — with no whitespace and no "/", at most 200 bytes.
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_DOC_ID_H_
#define PALIMPSEST_DOC_ID_H_

#include <string>
#include <string_view>

#include "palimpsest/status.h"

namespace palimpsest {

inline constexpr size_t kMaxDocIdBytes = 200;

// OK when `id` is a valid doc id; otherwise InvalidArgument saying what is wrong.
Status ValidateDocId(std::string_view id);

// The canonical form of a URL: lower-case host, no scheme, no fragment, no default port, no
// tracking parameters (utm_*, fbclid, gclid), no trailing "/".
// "https://Example.com/a/b/?utm_source=x#top" → "example.com/a/b".
std::string CanonicalUrl(std::string_view url);

// A doc id derived from a URL's canonical form: "/" and other characters a doc id cannot hold
// become "_"; when that loses information or the id would be too long, a hash suffix keeps it
// unique. Empty when the URL has no host.
std::string DocIdFromUrl(std::string_view url);

// A doc id from a file path: its base name without extension, invalid characters → "_".
std::string DocIdFromFileName(std::string_view path);

}  // namespace palimpsest

#endif  // PALIMPSEST_DOC_ID_H_
