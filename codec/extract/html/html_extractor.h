// The HTML article extractor: a captured web page (raw bytes in any declared charset) →
// ArticleContent, plus page metadata that is not part of a revision's content.
//
// What it reads, most reliable source first:
//  - charset: the Content-Type header's charset, else a byte order mark, else <meta charset> /
//    <meta http-equiv="Content-Type"> in the first 4 KB, else UTF-8 when the bytes are valid
//    UTF-8, else windows-1252. ISO-8859-1 and US-ASCII are read as windows-1252, as browsers do.
//  - title: og:title, else the first <h1> of the article, else JSON-LD headline, else <title>;
//    a " | Outlet" / " - Outlet" suffix naming the outlet is removed.
//  - dates: article:published_time / article:modified_time, itemprop datePublished /
//    dateModified, schema.org JSON-LD (NewsArticle and kin, also inside @graph), else the
//    article's <time datetime> elements. An updated time equal to the published time is no
//    update and is dropped.
//  - byline: the article's byline element (class/itemprop "byline"/"author", rel=author), else
//    a "By …" paragraph at the top of the article, else JSON-LD author names, else
//    <meta name=author>. Without the leading "By ".
//  - body: the text blocks of the main content, found by weighing the page's text against its
//    links and the chrome evidence of its elements (main_content.h): paragraphs, headings,
//    list items, table cells and <br>-separated lines in reading order, without navigation,
//    share bars, related lists, comments, captions and the like. Editor's notes and
//    corrections go to `notes`, together with JSON-LD `correction`s.
//  - dek: the article header's subtitle element only (descriptions are metadata.dek); outlet
//    and canonical_url as in HtmlMetadata, copied into the content; dateline: the place the
//    first paragraph opens with ("WASHINGTON — …"), as for plain text.
// Every string is whitespace-collapsed and in Unicode NFC, as ArticleContent requires.
//
// Thread safety: a pure function over values.

#ifndef PALIMPSEST_CODEC_EXTRACT_HTML_HTML_EXTRACTOR_H_
#define PALIMPSEST_CODEC_EXTRACT_HTML_HTML_EXTRACTOR_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/article.h"
#include "palimpsest/extractor.h"  // HtmlWarnings
#include "palimpsest/status.h"
#include "palimpsest/timestamp.h"

namespace palimpsest {

// The limits within which a page is parsed, so that every page takes memory and time
// proportional to its size (a browser's HTML parser builds, for 90 KB of unclosed
// <table><tr><td>, a tree of a gigabyte). Fixed, not settings: replay must derive exactly what
// was derived before. A page over a limit is still extracted, from the part within them:
// only the first `max_bytes` bytes (decoded to UTF-8) are read; start tags nested deeper than
// `max_depth` are ignored (their text is kept); formatting tags (b, i, a, font, …) are ignored
// while `max_formatting` of them are open at once; attributes past the first
// `max_attributes` of a tag are ignored; the page is cut where its parse tree would pass
// `max_nodes` nodes. Real pages stay far below them. HtmlMetadata::over_limits says what was
// left out.
struct HtmlLimits {
  size_t max_bytes = size_t{8} << 20;
  size_t max_nodes = 200'000;
  size_t max_depth = 256;
  size_t max_formatting = 8;
  size_t max_attributes = 64;
};
inline constexpr HtmlLimits kHtmlLimits{};

// Facts about the page that are not revision content (they are not hashed).
struct HtmlMetadata {
  std::string canonical_url;  // <link rel=canonical>, else og:url, else JSON-LD url; as
                              // PercentEncodeUrl (event_text.h) keeps it
  std::string charset;        // the charset the bytes were read in, lower case ("utf-8")
  std::string outlet;         // og:site_name, else JSON-LD publisher.name
  std::string dek;            // subtitle element, else og:description, else meta description
  std::string over_limits;    // "" within kHtmlLimits, else what of the page was left out
  std::string invalid_bytes;  // "" when every byte was valid in the charset, else how many
                              // were shown as U+FFFD and where the first one is

  bool operator==(const HtmlMetadata&) const = default;
};

// Extracts an article from an HTML capture. `content_type` is the capture's media type as
// received (e.g. "text/html; charset=ISO-8859-1"; may be empty). `captured_at` anchors dates
// that name no year (the latest such date not after it). When `metadata` is not null it receives
// the page facts. Deterministic: the same inputs give the same output. Bytes invalid in the page's
// charset are read as U+FFFD (HtmlMetadata::invalid_bytes). Errors: InvalidArgument when the
// declared charset is unknown (the message names it), or when the page holds no article text.
Result<ArticleContent> ExtractHtml(std::string_view raw, std::string_view content_type,
                                   Timestamp captured_at, HtmlMetadata* metadata = nullptr);

// CaptureWarnings (extractor.h) for an HTML page.
Result<std::vector<std::string>> HtmlWarnings(std::string_view raw, std::string_view content_type);

}  // namespace palimpsest

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_HTML_EXTRACTOR_H_
