// The extractor: from a capture (raw bytes, media type, capture time, importer fields) to the
// article content a revision consists of. A deterministic function of its inputs, so replaying
// the log reproduces exactly what incremental processing produced.
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_EXTRACTOR_H_
#define PALIMPSEST_EXTRACTOR_H_

#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/article.h"
#include "palimpsest/event.h"

namespace palimpsest {

// Bumped whenever extraction output changes; `replay` re-derives every revision with it.
// The version the projections were built with is kept in `meta` (ArchiveStats).
//   1: title, byline, dates, body, notes.
//   2: dek, dateline, outlet, canonical URL, the removed chrome; chrome learned across
//      captures of the same source.
//   3: HTML pages over the parser's limits (kHtmlLimits in
//      codec/extract/html/html_extractor.h) are extracted from their bounded form; the
//      canonical URL percent-encoded as event URLs are (event_text.h).
//   4: HTML bodies found by weighing the page, not by vetoing class names
//      (codec/extract/html/main_content.h): text outside <p> (<br> lines, <div>s, tables)
//      is kept, short subheadings and list items too; bytes invalid in the page's charset
//      read as U+FFFD instead of failing the capture; soft hyphens removed.
//   5: plain-text pages read as a browser reads text/plain (codec/extract/text_charset.h):
//      in the charset their media type declares, else UTF-8, invalid bytes as U+FFFD, or
//      windows-1252 when the bytes are not mostly UTF-8 — recorded, not failed.
//   6: the language an HTML page declares is recorded (not hashed); ruby annotations (<rt>,
//      <rp>) left out of the sentence they annotate; paragraphs that all claim to be the
//      description (itemprop) read as the body.
//   7: a <header> inside <main> or a sectioning element heads it (not the site's banner), and
//      the prose in an article's header (its lead) is body text; photo credits and captions
//      named in a <span>'s or <em>'s class, and image legends, are left out.
inline constexpr int kExtractorVersion = 7;

// Extracts by media type — text/plain (or empty): ExtractPlainText; text/html,
// application/xhtml+xml: ExtractHtml (charset from the media type's parameter or the page);
// kBodyMediaType: the raw bytes are the body text — then the importer's fields override what
// was extracted: "title", "dek", "byline", "dateline", "outlet", "canonical_url", "language",
// "published_at", "updated_at" (RFC 3339), "note" (an editor's note printed with this capture;
// its date per ParseNote unless "note_effective_at" gives it); "http_status" 4xx or 5xx makes
// the capture an error page (NotAnArticle). InvalidArgument for other media
// types and for content that does not extract. (The archive extracts plain-text pages with
// chrome learned from other captures of the source: codec/extract/learned_chrome.h.)
Result<ArticleContent> ExtractCapture(const std::string& raw, const std::string& media_type,
                                      Timestamp captured_at, const std::vector<Field>& fields);

// Normalizes a body given as plain text (an explicit correction's new text): NFC, paragraphs
// split on blank lines, whitespace collapsed inside each.
Result<std::string> NormalizeBodyText(std::string_view text);

// Reads a capture's bytes as text, as extraction will, and says what a user should be told
// about that, one line each, none when it is read as it is. An HTML or plain-text page: bytes
// invalid in its charset, read as U+FFFD ("2 byte sequences invalid in charset "utf-8" (first
// at offset 21223) read as U+FFFD"); a plain-text page with no charset declared that is not
// UTF-8: the charset it was read in. An HTML page: also what extraction leaves out because
// the page is over the HTML parser's fixed limits (kHtmlLimits in
// codec/extract/html/html_extractor.h). InvalidArgument when the bytes cannot be read as text
// at all (binary data, an unknown charset): front ends refuse such input before they write.
// Empty for other media types. Linear in the page's size, no parse: whether the page is an
// article is decided by the one extraction, in the archive's append.
Result<std::vector<std::string>> CaptureWarnings(std::string_view raw, std::string_view media_type);

// True when `media_type` (possibly with parameters, "text/html; charset=…") has the essence
// `essence` (lower case), compared case-insensitively.
bool MediaTypeIs(std::string_view media_type, std::string_view essence);

}  // namespace palimpsest

#endif  // PALIMPSEST_EXTRACTOR_H_
