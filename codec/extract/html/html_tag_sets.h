// Categories of HTML elements as the HTML5 parsing algorithm names them, for the pre-scan's
// model of the tree builder (html_tree_model.h).
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EXTRACT_HTML_HTML_TAG_SETS_H_
#define PALIMPSEST_CODEC_EXTRACT_HTML_HTML_TAG_SETS_H_

#include <gumbo.h>

namespace palimpsest::html_internal {

// Void elements: never open (br, img, meta, …).
bool IsVoid(GumboTag t);
// Formatting elements: kept in the list of active formatting elements (a, b, font, …).
bool IsFormatting(GumboTag t);
// The "special" category (div, p, table, li, …; not phrasing or formatting elements).
bool IsSpecial(GumboTag t);
// Start tags that close an open <p> (in button scope) before they open.
bool ClosesP(GumboTag t);
inline bool IsHeading(GumboTag t) { return t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6; }
// Parts of a table that the parser ignores outside one (td, tr, tbody, caption, col, …).
bool IsTablePart(GumboTag t);
// Elements that put a marker on the list of active formatting elements.
bool IsMarkerElement(GumboTag t);
// Boundaries of "has an element in scope" (a superset of the default scope, with SVG and
// MathML roots and integration points), and of "in table scope".
bool DefaultScopeStop(GumboTag t);
bool TableScopeStop(GumboTag t);

}  // namespace palimpsest::html_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_HTML_TAG_SETS_H_
