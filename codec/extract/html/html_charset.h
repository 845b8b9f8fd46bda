// Deciding which charset an HTML capture is written in, and transcoding it to UTF-8.
//
// The order follows the WHATWG encoding sniffing rules in the parts that matter for archived
// news pages: a byte order mark, then the transport's Content-Type charset, then a <meta>
// declaration found by a byte scan of the first 4 KB, then "UTF-8 if the bytes are valid
// UTF-8", then windows-1252. Labels map to decoders as browsers map them: ISO-8859-1, Latin-1
// and US-ASCII decode as windows-1252 (pages labelled Latin-1 routinely contain windows-1252
// curly quotes), and a <meta> claiming UTF-16 in an ASCII-compatible page means UTF-8.
//
// Transcoding uses glibc's iconv. Bytes invalid in the charset are decoded as a browser shows
// them, as U+FFFD (one per maximal ill-formed subsequence in UTF-8, one per byte elsewhere),
// and counted, so that the caller can warn: a page that declares UTF-8 and carries one stray
// Latin-1 byte is still a page. Only an unknown charset label is an error.
//
// Internal to the codec layer. Thread safety: pure functions (each call opens its own iconv
// descriptor).

#ifndef PALIMPSEST_CODEC_EXTRACT_HTML_HTML_CHARSET_H_
#define PALIMPSEST_CODEC_EXTRACT_HTML_HTML_CHARSET_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "palimpsest/status.h"

namespace palimpsest::html_internal {

// The charset parameter of a media type ("text/html; charset="ISO-8859-1"" → "iso-8859-1"),
// lower case, or "" when there is none.
std::string CharsetFromContentType(std::string_view content_type);

// The charset a <meta charset> or <meta http-equiv="Content-Type" content="…charset=…"> in
// the first 4 KB of `raw` declares, lower case, or "".
std::string CharsetFromMeta(std::string_view raw);

// Length of the longest prefix of `bytes` that is well-formed UTF-8 (no overlong forms,
// surrogates or values past U+10FFFF, no sequence cut short).
size_t ValidUtf8Prefix(std::string_view bytes);
bool IsValidUtf8(std::string_view bytes);

struct Transcoded {
  std::string text;          // UTF-8, without a byte order mark
  size_t invalid_bytes = 0;  // ill-formed sequences replaced by U+FFFD
  size_t first_invalid = 0;  // offset of the first in the input, when there is one
};

// `bytes` in charset `label` (a charset label as pages write it, any case) transcoded to UTF-8.
// Errors: InvalidArgument naming the label when it is unknown.
Result<Transcoded> TranscodeToUtf8(std::string_view bytes, std::string_view label);

struct DecodedHtml {
  std::string text;          // UTF-8, without a byte order mark
  std::string charset;       // the label used, lower case ("utf-8", "iso-8859-1", "windows-1252")
  size_t invalid_bytes = 0;  // as in Transcoded
  size_t first_invalid = 0;
};

// Decides the charset of an HTML capture (see the file comment) and transcodes it to UTF-8.
Result<DecodedHtml> DecodeHtml(std::string_view raw, std::string_view content_type);

}  // namespace palimpsest::html_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_HTML_CHARSET_H_
