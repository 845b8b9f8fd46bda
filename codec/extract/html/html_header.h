// The conventions of an article's header as pages print it: bylines ("By Jane Doe ·
// Updated"), "<title>" suffixes naming the outlet, note labels standing alone, and <time>
// elements marked as the updated time.
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EXTRACT_HTML_HTML_HEADER_H_
#define PALIMPSEST_CODEC_EXTRACT_HTML_HTML_HEADER_H_

#include <gumbo.h>

#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/timestamp.h"

namespace palimpsest::html_internal {

// Whitespace-collapsed and in NFC; "" for text that is not UTF-8 (gumbo's output always is).
std::string CleanText(std::string_view text);

// A byline without its "By " and trailing separators or time labels:
// "By Jane Doe, Staff Writer · Updated" → "Jane Doe, Staff Writer".
std::string CleanByline(std::string_view raw);

// "A", "A and B", "A, B and C".
std::string JoinNames(const std::vector<std::string>& names);

// True for a short "By Jane Doe" line (a capital after "By ", at most 12 words, no sentence
// end): "By the time we arrived, it was over." is prose.
bool IsByParagraph(std::string_view text);

// True for a note's label printed alone ("Correction", "Editor's Note:"), a heading of a note
// box rather than a note.
bool IsNoteLabelOnly(std::string_view text);

// `title` without a " | Outlet" suffix (any of the usual separators, ASCII case-insensitive)
// when it names `outlet`; unchanged otherwise.
std::string StripOutletSuffix(const std::string& title, std::string_view outlet);

// When `title` is `heading` followed by a separator and more text, that text (the outlet);
// "" otherwise.
std::string OutletAfterHeading(std::string_view title, std::string_view heading);

// True when a <time> element is marked as the updated time: by its own or its parent's
// class/id/itemprop ("updated", "dateModified"), or by the words just before it
// ("Updated <time>").
bool IsUpdatedTime(const GumboNode* time);

// The start of the UTC day holding `t`.
Timestamp StartOfUtcDay(Timestamp t);

}  // namespace palimpsest::html_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_HTML_HEADER_H_
