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

struct ArticleContent {
  std::string title;
  std::string byline;                // people and/or office, without the leading "By "
  Timestamp published_at = kNoTime;  // as printed in the capture
  Timestamp updated_at = kNoTime;
  std::string body;  // paragraphs separated by "\n\n"
  std::vector<ArticleNote> notes;

  bool operator==(const ArticleContent&) const = default;
};

// "sha256:<64 hex>" over a canonical, unambiguous serialization of every field of `content`.
std::string ContentHash(const ArticleContent& content);

// Paragraphs of `body` (split on blank lines).
std::vector<std::string> SplitParagraphs(std::string_view body);

// Returns `text` in Unicode NFC. Invalid UTF-8 → InvalidArgument.
Result<std::string> NormalizeNfc(std::string_view text);

// Collapses runs of whitespace (ASCII and Unicode spaces such as U+00A0) to one ASCII space and
// trims both ends.
std::string CollapseWhitespace(std::string_view text);

// True when `text` is valid UTF-8 without NUL or other control characters except \t \n \r \f.
bool LooksLikeText(std::string_view text);

// Extracts an article from a plain-text capture (a scraped page, chrome included).
// `captured_at` anchors note dates that name no year (DESIGN.md §1: the latest such date not
// after the capture). Deterministic: the same inputs give the same output.
// Errors: InvalidArgument when the bytes are not UTF-8 text or hold no article text.
Result<ArticleContent> ExtractPlainText(std::string_view raw, Timestamp captured_at);

// Splits a note-bearing line into the note text: "Editor's Note: This story ..." → "This story
// ...", and finds the date it names (per the year rule above) or kNoTime.
ArticleNote ParseNote(std::string_view line, Timestamp captured_at);

}  // namespace palimpsest

#endif  // PALIMPSEST_ARTICLE_H_
