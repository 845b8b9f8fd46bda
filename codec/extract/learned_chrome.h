// Cross-capture chrome learning: the contract between plain-text extraction and the archive
// that remembers what earlier captures of a source printed. Internal to the engine: front ends
// extract without it (article.h, extractor.h), the article projection extracts with it.
//
// Thread safety: the extraction functions are pure given the answers of `learned`.

#ifndef PALIMPSEST_CODEC_EXTRACT_LEARNED_CHROME_H_
#define PALIMPSEST_CODEC_EXTRACT_LEARNED_CHROME_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/article.h"
#include "palimpsest/event.h"
#include "palimpsest/status.h"
#include "palimpsest/timestamp.h"

namespace palimpsest {

// Page chrome learned from earlier captures of the same source: lines that other documents'
// pages printed too (navigation, footers, sign-in prompts). The archive implements it over
// its projection state (archive/projections/chrome_lines.h); extraction only asks.
// Implementations must answer from captures before the one being extracted, never later
// ones, so that replay reproduces exactly what incremental import produced.
class LearnedChrome {
 public:
  virtual ~LearnedChrome() = default;
  // True when `line` (NFC, whitespace-collapsed, non-empty) is known chrome of the source.
  virtual bool IsChrome(std::string_view line) const = 0;
};

// What a plain-text extraction may consult and report besides the content.
struct TextExtractContext {
  const LearnedChrome* learned = nullptr;  // nullptr: nothing learned (no source, or none yet)
  // When not null, receives the page's learnable lines before its trailer (see
  // kMaxLearnedChromeBytes), each once, in page order, whether or not they were chrome this
  // time; at most kMaxLearnedLinesPerPage.
  std::vector<std::string>* page_lines = nullptr;
  // The capture's media type, for the charset it declares (text_charset.h); "" for none.
  std::string_view content_type;
};

// The lines cross-capture chrome learning considers: ordinary text lines (not date, byline,
// note or metadata lines, which keep their meaning however often they repeat) of at most this
// many bytes. Longer lines are paragraphs; a boilerplate paragraph is left to the predicates.
inline constexpr size_t kMaxLearnedChromeBytes = 240;
// At most this many lines of one page are offered for learning (the first ones), so one huge
// page cannot flood the table; every line is still checked against what was learned.
inline constexpr size_t kMaxLearnedLinesPerPage = 1000;

// ExtractPlainText (article.h) with learned chrome: text lines `context.learned` knows as
// chrome are removed like the chrome the line predicates recognize, and listed in `chrome`.
// Deterministic given the same answers from `context.learned`.
Result<ArticleContent> ExtractPlainText(std::string_view raw, Timestamp captured_at,
                                        const TextExtractContext& context);

// ExtractCapture (extractor.h) with learned chrome; `context` serves plain-text pages only.
Result<ArticleContent> ExtractCapture(const std::string& raw, const std::string& media_type,
                                      Timestamp captured_at, const std::vector<Field>& fields,
                                      const TextExtractContext& context);

}  // namespace palimpsest

#endif  // PALIMPSEST_CODEC_EXTRACT_LEARNED_CHROME_H_
