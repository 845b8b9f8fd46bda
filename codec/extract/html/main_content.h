// Where an HTML page keeps its article, and which of its text blocks are the article's body.
//
// The page is scored, not vetoed (the ideas of readability, boilerpipe and jusText; our own
// rules):
//  1. Its visible text is cut into blocks (text_blocks.h). A block is *content-like* when it is
//     long enough to be prose and mostly not link text, *link-like* when most of it is link
//     text; short blocks (headings, list items, table cells, lines) are neutral.
//  2. Every element is weighed by the blocks below it: content-like text counts for it,
//     discounted where chrome evidence sits above the block (element_evidence.h), and
//     link-like text counts against it. The container is the element with the best balance:
//     climbing from the article's paragraphs to a wrapper pays off while the wrapper adds more
//     prose (a body split over sections) than navigation, and stops where menus, footers and
//     teaser lists would come in.
//  3. Inside the container every block is kept in reading order — headings, list items, table
//     cells, short lines — except link-like blocks, the blocks of a descendant that evidence
//     marks as chrome and that holds little of the container's prose (a share bar, a related
//     list, a newsletter box, comments), short lines that only label link lists ("Related:",
//     "Tags") or trail after the last prose outside its paragraphs, short lines before the
//     first prose outside the body's core (the element holding most of its paragraphs) that are
//     not headings (dates, breadcrumbs), and the coda: whatever follows the core in elements
//     holding little prose (a call to subscribe, a disclaimer, an author's bio, tags,
//     credits). Prose of the article's header scope above the container (a lead) is kept too.
// Editor's notes and corrections are kept wherever they sit in the article's header scope,
// marked as notes; byline and dek elements are left to the field readers.
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EXTRACT_HTML_MAIN_CONTENT_H_
#define PALIMPSEST_CODEC_EXTRACT_HTML_MAIN_CONTENT_H_

#include <gumbo.h>

#include <vector>

#include "codec/extract/html/html_body.h"

namespace palimpsest::html_internal {

struct MainContent {
  const GumboNode* container = nullptr;   // the element holding the body; null: no text at all
  const GumboNode* header = nullptr;      // where title, byline and times are looked for
  std::vector<HtmlParagraph> paragraphs;  // body (and note) paragraphs in reading order
  // What the container holds, before selection: prose and link-like blocks, prose characters,
  // and the prose blocks with no prose next to them (between links or lines). A section front
  // or tag page is teasers: a headline link beside every bit of prose.
  size_t prose_blocks = 0;
  size_t lone_prose_blocks = 0;
  size_t link_blocks = 0;
  size_t prose_chars = 0;
};

// The main content of the page rooted at `root` (<html>).
MainContent FindMainContent(const GumboNode* root);

}  // namespace palimpsest::html_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_MAIN_CONTENT_H_
