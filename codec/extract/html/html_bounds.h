// The pre-scan that keeps every page within the HTML parser's limits (HtmlLimits in
// html_extractor.h) before gumbo sees it, so that parsing takes memory and time proportional
// to the page's size whatever its markup — deterministically: the same page always gives the
// same bounded page, so replay derives byte-identical projections.
//
// One linear pass over the page's tags (an HTML tokenizer's view: comments, raw text such as
// <script>, quoted attribute values) drives HtmlTreeModel, a conservative model of the tree
// builder. The rewrite, applied only where a limit is hit:
//  - only the first max_bytes bytes are read (cut at a character boundary);
//  - a start tag that would open an element nested deeper than max_depth is dropped (its text
//    stays; a dropped <script>/<style> drops its content too);
//  - a formatting start tag (b, i, a, font, …) is dropped while max_formatting of them are
//    active — re-opened by the parser after every block, they multiply nodes;
//  - attributes past the first max_attributes of a tag are dropped;
//  - the page is cut before the markup that would take the parse tree past max_nodes nodes.
// A page within the limits is returned unchanged.
//
// Internal to the codec layer. Thread safety: a pure function.

#ifndef PALIMPSEST_CODEC_EXTRACT_HTML_HTML_BOUNDS_H_
#define PALIMPSEST_CODEC_EXTRACT_HTML_HTML_BOUNDS_H_

#include <cstddef>
#include <string>

#include "codec/extract/html/html_extractor.h"

namespace palimpsest::html_internal {

// What BoundHtml left out.
struct HtmlBoundsReport {
  bool cut_at_bytes = false;       // longer than max_bytes
  size_t cut_at_node_byte = 0;     // non-zero: cut there, at the max_nodes budget
  size_t too_deep = 0;             // start tags dropped for nesting
  size_t too_much_formatting = 0;  // formatting start tags dropped
  size_t extra_attributes = 0;     // attributes dropped

  bool any() const {
    return cut_at_bytes || cut_at_node_byte != 0 || too_deep != 0 || too_much_formatting != 0 ||
           extra_attributes != 0;
  }
  // One line for a warning ("1200 start tags nested deeper than 256 ignored; …"); "" when none.
  std::string Describe(const HtmlLimits& limits) const;
};

// `utf8` (a page decoded to UTF-8) rewritten within `limits` (see the file comment); what was
// left out goes to *report.
std::string BoundHtml(std::string utf8, const HtmlLimits& limits, HtmlBoundsReport* report);

}  // namespace palimpsest::html_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_HTML_BOUNDS_H_
