// Event text: the rules every string of a new event obeys. Archive::Append applies them once,
// inside the write path, to every event before it is encoded, so every front end (ingest,
// import of text/HTML/JSON Lines/WARC, correct, retract, redact, the HTTP API) gets them and no
// event can be recorded that breaks them. Restore does not: it keeps old events byte for byte.
//
// - A URL (a capture's or an observation's `url`, the `canonical_url` field) is kept, as a URI:
//   every byte outside printable ASCII — C0 controls (NUL, CR, LF ...), space, DEL and every
//   byte from 0x80 up, UTF-8 or not — is percent-encoded (`%0D`, `%20`, `%C3%A9`, `%FF`); a `%`
//   already there is left alone. A URL is never rejected.
// - Every other string (doc id aside: ValidateDocId) must be valid UTF-8, else InvalidText;
//   C0 control characters other than tab and newline, DEL and the C1 controls U+0080..U+009F
//   are removed (a CR of a CR LF included).
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_EVENT_TEXT_H_
#define PALIMPSEST_EVENT_TEXT_H_

#include <string>
#include <string_view>

#include "palimpsest/event.h"
#include "palimpsest/status.h"

namespace palimpsest {

// `url` with every byte outside 0x21..0x7E percent-encoded (upper-case hex).
std::string PercentEncodeUrl(std::string_view url);

// `text` without control characters (all but tab and newline), DEL and C1 controls.
// InvalidText naming `what` and the offset of the first bad byte when `text` is not UTF-8.
Result<std::string> CleanEventText(std::string_view text, std::string_view what);

// Applies the rules above to every string of `event` (its header and body) in place.
// InvalidText naming the field when one is not UTF-8; `event` may then be partly cleaned.
Status NormalizeEventText(Event* event);

// `text` as valid UTF-8: each byte that does not start a valid sequence becomes U+FFFD. For
// writers of JSON, which must not emit invalid UTF-8 whatever an old event holds.
std::string ToValidUtf8(std::string_view text);

// `text` safe to print on a terminal: control characters other than tab and newline, DEL, C1
// controls and bytes that are not UTF-8 are written as `\xHH` (a C1 control as its two bytes);
// a backslash is kept as it is.
std::string EscapeForTerminal(std::string_view text);

}  // namespace palimpsest

#endif  // PALIMPSEST_EVENT_TEXT_H_
