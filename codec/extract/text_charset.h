// Deciding how the bytes of a plain-text capture read as text, as a browser reads a text/plain
// response: the charset its Content-Type declares; else UTF-8 when the bytes are UTF-8; else,
// when they are mostly UTF-8 (at least as many well-formed multi-byte sequences as ill-formed
// bytes: a UTF-8 file with a stray Latin-1 byte), UTF-8 with each ill-formed sequence read as
// U+FFFD; else windows-1252, the legacy encoding browsers fall back to for Western text. A declared
// charset no decoder knows is ignored (the bytes are still text worth reading).
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EXTRACT_TEXT_CHARSET_H_
#define PALIMPSEST_CODEC_EXTRACT_TEXT_CHARSET_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "palimpsest/status.h"

namespace palimpsest::text_internal {

struct DecodedText {
  std::string text;          // UTF-8 (a byte order mark, when there was one, kept)
  std::string charset;       // the decoder used, lower case ("utf-8", "windows-1252", …)
  bool guessed = false;      // no charset declared and the bytes were not UTF-8
  size_t invalid_bytes = 0;  // ill-formed sequences read as U+FFFD
  size_t first_invalid = 0;  // offset of the first in the input, when there is one
};

// `raw` decoded to UTF-8; `content_type` is the capture's media type ("text/plain;
// charset=…", or "" for none). Errors only from the transcoder itself (out of memory).
Result<DecodedText> DecodePlainText(std::string_view raw, std::string_view content_type);

// InvalidArgument when decoded text holds control characters (binary data, not a page).
Status RequireText(const DecodedText& decoded);

// One warning line about how `decoded` was read, or "" when it was read as it is.
std::string DescribeDecoding(const DecodedText& decoded);

}  // namespace palimpsest::text_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_TEXT_CHARSET_H_
