// Single-line judgments for the article fields beyond title, byline and dates that the
// plain-text extractor reads: the dateline a story opens with and the outlet a copyright line
// names. General forms only, never a site's.
//
// Every function takes text that is NFC and whitespace-collapsed.
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EXTRACT_ARTICLE_FIELDS_H_
#define PALIMPSEST_CODEC_EXTRACT_ARTICLE_FIELDS_H_

#include <string>
#include <string_view>

namespace palimpsest::text_internal {

// The dateline a paragraph opens with, "YOKOTA AIR BASE, Japan – The commander …" →
// "YOKOTA AIR BASE, Japan"; also "WASHINGTON (AP) — …" → "WASHINGTON". The place must open
// with a word in capitals and be followed by a spaced dash (–, — or --/-); empty when there
// is none.
std::string InlineDateline(std::string_view paragraph);

// A dateline printed as a header label of its own: a place in capitals with a comma,
// "YOKOTA AIR BASE, TOKYO, JAPAN".
bool IsDatelineLabel(std::string_view line);

// The outlet a copyright line names: "© 2024 Example News. All rights reserved." →
// "Example News"; empty for other lines.
std::string CopyrightOutlet(std::string_view line);

// A language tag as pages write it (`<html lang="de_DE">`, og:locale "en_US", "fr-fr, en")
// as a BCP 47 tag: the first of a list, '_' as '-', the language subtag lower case and a
// region subtag upper case ("de-DE"). "" when it is not a tag (empty, "unknown", stray
// characters, a language subtag that is not 2-3 letters).
std::string NormalizeLanguageTag(std::string_view declared);

}  // namespace palimpsest::text_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_ARTICLE_FIELDS_H_
