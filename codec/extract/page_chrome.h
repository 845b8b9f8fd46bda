// Page chrome: the lines of a scraped page that are the site's furniture, not the article.
//
// Scraped text keeps everything the page showed: government-site banners, breadcrumbs,
// sign-in prompts, maintenance notices, social buttons, photo captions, related-story lists,
// metadata panels. These predicates recognize such lines by their general form, never by site,
// so a new outlet with the same kind of furniture is handled without new rules.
//
// Every function takes one line that is NFC and whitespace-collapsed.
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EXTRACT_PAGE_CHROME_H_
#define PALIMPSEST_CODEC_EXTRACT_PAGE_CHROME_H_

#include <string>
#include <string_view>

namespace palimpsest::text_internal {

// True for a line that is never article text: banners ("An official website of the United
// States government"), breadcrumbs ("Home : Media : News"), sign-in and maintenance prompts,
// social and sharing buttons, photo captions ("Photo By … | … read more"), logo lines.
bool IsChromeLine(std::string_view line);

enum class TrailerKind {
  kNone,
  kSoft,  // sharing or metadata furniture ("Follow Us", "NEWS INFO"): the article text has
          // ended, but the publisher's notes and metadata may still follow
  kHard,  // other articles begin ("Related Stories"): nothing after belongs to this one
};

// Whether `line` marks the end of the article text.
TrailerKind ClassifyTrailer(std::string_view line);

// True for a dated teaser of a related-story list: "March 15, 2024 - U.S. Space Forces …".
bool IsTeaserLine(std::string_view line);

// "Date Taken: 12.02.2024", "Story ID: 486775": the metadata panel some outlets print after
// the article. Sets `*key` to the lower-case key and `*value` to the text after the colon.
bool ParseMetadataLine(std::string_view line, std::string* key, std::string_view* value);

// True for the metadata keys that only a metadata panel uses ("story id", "web views"), as
// opposed to ones ("location") that could open an ordinary sentence.
bool IsPanelOnlyKey(std::string_view key);

}  // namespace palimpsest::text_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_PAGE_CHROME_H_
