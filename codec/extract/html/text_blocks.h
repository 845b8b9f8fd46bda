// A page's visible text cut into blocks, the way a reader sees paragraphs: a block is a run of
// text between block-level boundaries (the start or end of any element that is not phrasing
// content, and every <br>), so text in <p>, <div>, <span> runs, list items, table cells and
// <br>-separated lines all becomes blocks alike. Invisible elements (IsInvisible) give none.
//
// Alongside the blocks, a table of the elements that hold them — each with its parent, its
// chrome/content evidence and the roles the article's fields need — so that the main-content
// finder can weigh every element by the blocks below it without walking the tree again.
//
// Internal to the codec layer. Thread safety: pure functions over values.

#ifndef PALIMPSEST_CODEC_EXTRACT_HTML_TEXT_BLOCKS_H_
#define PALIMPSEST_CODEC_EXTRACT_HTML_TEXT_BLOCKS_H_

#include <gumbo.h>

#include <cstdint>
#include <string>
#include <vector>

namespace palimpsest::html_internal {

struct PageElement {
  const GumboNode* element = nullptr;
  int parent = -1;       // index in PageBlocks::elements; -1 for the walk's root
  int evidence = 0;      // ElementEvidence
  bool note = false;     // IsNoteElement: an editor's note or correction box
  bool field = false;    // a short byline or dek element: read as a field, not as body
  bool heading = false;  // h1–h6
};

struct TextBlock {
  std::string text;          // as the page has it (not whitespace-collapsed)
  int owner = -1;            // the innermost element holding it
  int paragraph = -1;        // the innermost block-level (not phrasing) element holding it
  uint32_t chars = 0;        // code points that are not white space
  uint32_t link_chars = 0;   // of them, inside <a href>
  bool in_header = false;    // inside an <article>'s <header> (kicker, byline, times)
  bool holds_field = false;  // a byline or dek element starts inside it ("Por <span
                             // class=author>…</span>, enviada especial")
  uint32_t time_chars = 0;   // of `chars`, inside <time> elements
};

struct PageBlocks {
  std::vector<PageElement> elements;  // parents before children (document order)
  std::vector<TextBlock> blocks;      // document order
};

// The blocks of the subtree rooted at `root` (usually <body>); `root` is elements[0].
PageBlocks SegmentPage(const GumboNode* root);

}  // namespace palimpsest::html_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_TEXT_BLOCKS_H_
