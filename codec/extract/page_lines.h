// The lines of a scraped page, each classified on its own: blank, chrome, trailer marker,
// teaser, byline, date line, note, metadata, or text. The plain-text extractor walks these to
// find the article's header, body and trailer; the predicates for headlines and header labels
// live here too because they are judgments about a single line.
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EXTRACT_PAGE_LINES_H_
#define PALIMPSEST_CODEC_EXTRACT_PAGE_LINES_H_

#include <string>
#include <string_view>
#include <vector>

#include "codec/extract/page_chrome.h"
#include "palimpsest/timestamp.h"

namespace palimpsest::text_internal {

enum class LineKind { kBlank, kChrome, kTrailer, kDate, kNote, kMetadata, kByline, kTeaser, kText };

struct PageLine {
  std::string text;  // NFC, whitespace-collapsed
  LineKind kind = LineKind::kText;
  TrailerKind trailer = TrailerKind::kNone;  // kTrailer
  Timestamp published = kNoTime;             // kDate, kByline ("By X | July 19, 2023")
  Timestamp updated = kNoTime;               // kDate, kByline
  std::string value;                         // kByline: the name; kMetadata: the value
  std::string key;                           // kMetadata: the lower-case key
};

// Splits NFC `text` into lines ("\n", "\r\n", "\r", form feed), collapses each line's
// whitespace and classifies it. `captured_at` places dates that name no year.
std::vector<PageLine> ClassifyPageLines(std::string_view text, Timestamp captured_at);

// A headline: a few words, not a sentence, not shouted in capitals (kickers and datelines are).
bool IsTitleLike(std::string_view s);

// A short label line of a page header: dateline ("YOKOTA AIR BASE, TOKYO, JAPAN"), kicker, unit.
bool IsHeaderLabel(std::string_view s);

// "U.S. Strategic Command Public Affairs": an office credited as the author on its own line.
bool IsOfficeByline(std::string_view line);

// Removes a picture credit that scraping glued onto a title: "… Cooperation (Image Credit: x)".
std::string StripTitleCredit(std::string_view title);

}  // namespace palimpsest::text_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_PAGE_LINES_H_
