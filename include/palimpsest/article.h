// Article content: the fields a revision of a document consists of, and the extractor that
// derives them from a capture's raw bytes.
//
// Two captures are the same revision exactly when their ArticleContent's ContentHash is equal.
// All strings are UTF-8 in Unicode NFC with whitespace normalized (single spaces inside a
// paragraph, no leading/trailing space), so hashing and comparing ignore layout noise.
//
// Thread safety: pure functions over values.

#ifndef PALIMPSEST_ARTICLE_H_
#define PALIMPSEST_ARTICLE_H_

#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/status.h"
#include "palimpsest/timestamp.h"

namespace palimpsest {

// Media type of a capture whose raw bytes are an article's body text (paragraphs separated by
// blank lines) sent by an importer together with its fields, rather than a page to extract.
inline constexpr const char* kBodyMediaType = "text/x-palimpsest-body";

// An editor's note or correction printed with the article.
struct ArticleNote {
  std::string text;                  // e.g. "This story was updated July 24 to clarify ..."
  Timestamp effective_at = kNoTime;  // the date the note names (start of that UTC day), if any

  bool operator==(const ArticleNote&) const = default;
};

// The fields a revision consists of. ContentHash covers the editorial text: title, dek,
// byline, dateline, dates, body and notes. It leaves out facts about the page that are not the
// article's text (outlet, canonical_url, language) and the chrome the extractor removed, so a
// capture that differs from the previous one only in those is an unchanged observation.
struct ArticleContent {
  std::string title;
  std::string dek;                   // subtitle / standfirst under the title, if any
  std::string byline;                // people and/or office, without the leading "By "
  std::string dateline;              // where the story was filed: "YOKOTA AIR BASE, Japan"
  Timestamp published_at = kNoTime;  // as printed in the capture
  Timestamp updated_at = kNoTime;
  std::string body;  // paragraphs separated by "\n\n"
  std::vector<ArticleNote> notes;
  // Not hashed (see above).
  std::string outlet;               // the publication as the page names it
  std::string canonical_url;        // the URL the page declares for itself (HTML)
  std::string language;             // the language the page declares, a BCP 47 tag ("de",
                                    // "en-US"); "" when it declares none
  std::vector<std::string> chrome;  // page lines removed as chrome, in page order, each once

  bool operator==(const ArticleContent&) const = default;
};

// "sha256:<64 hex>" over a canonical, unambiguous serialization of the hashed fields of
// `content` (all but outlet, canonical_url, language and chrome). Content without dek and dateline
// hashes as it did before they existed.
std::string ContentHash(const ArticleContent& content);

// Paragraphs of `body` (split on blank lines), each with its whitespace collapsed
// (CollapseWhitespace); paragraphs left empty are dropped.
std::vector<std::string> SplitParagraphs(std::string_view body);

// True when `body` is already in the archive's canonical body form: NFC, paragraphs joined by
// exactly "\n\n", single ASCII spaces inside them, no whitespace at either end. Then
// normalizing it (NFC, SplitParagraphs, re-joining) returns it unchanged, so callers may skip
// that work. May answer false for some canonical texts (rare scripts); never true otherwise.
bool IsCanonicalBody(std::string_view body);

// Returns `text` in Unicode NFC. Invalid UTF-8 → InvalidArgument.
Result<std::string> NormalizeNfc(std::string_view text);

// Collapses runs of whitespace (ASCII and Unicode spaces such as U+00A0) to one ASCII space and
// trims both ends.
std::string CollapseWhitespace(std::string_view text);

// True when `text` is valid UTF-8 without NUL or other control characters except \t \n \r \f.
bool LooksLikeText(std::string_view text);

// Extracts an article from a plain-text capture (a scraped page, chrome included).
// `captured_at` anchors note dates that name no year (the latest such date not after the
// capture). Deterministic: the same inputs give the same output. (The archive also
// removes chrome learned from other captures of the source: codec/extract/learned_chrome.h.)
// Errors: InvalidArgument when the bytes are not UTF-8 text or hold no article text.
Result<ArticleContent> ExtractPlainText(std::string_view raw, Timestamp captured_at);

// Splits a note-bearing line into the note text: "Editor's Note: This story ..." → "This story
// ...", and finds the date it names or kNoTime. A date without a year is the first such date
// on or after the day of `published_at` (when known and not after the capture), else the
// latest such date not after `captured_at`.
ArticleNote ParseNote(std::string_view line, Timestamp captured_at,
                      Timestamp published_at = kNoTime);

}  // namespace palimpsest

#endif  // PALIMPSEST_ARTICLE_H_
