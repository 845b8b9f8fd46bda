// How much an element's tag, ARIA role and class/id names say about what it holds: page chrome
// (navigation, share bars, related lists, comments, ads, consent banners) or article content.
//
// This is evidence, never a verdict: a class word is a hint a page's authors left for their
// own stylesheet, and real pages put "sidebar" on the column that holds the article, "tag-…"
// on the <article> itself and "paywall" around the body. The main-content finder
// (main_content.h) weighs it against what the element actually holds.
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EXTRACT_HTML_ELEMENT_EVIDENCE_H_
#define PALIMPSEST_CODEC_EXTRACT_HTML_ELEMENT_EVIDENCE_H_

#include <gumbo.h>

namespace palimpsest::html_internal {

// Strength of the evidence, by source:
//   kStrongChrome: the element's tag or role is for chrome (nav, aside, footer, a page-level
//     header, role=navigation/complementary/contentinfo/search/menu/banner/dialog);
//   one class/id word naming chrome counts -1, two or more -2;
//   one class/id word naming content (article, content, entry, post, story, text, body) +1;
//     itemprop=articleBody, <article> and <main> +2.
// The sum is clamped to [kStrongChrome, 2].
inline constexpr int kStrongChrome = -3;

// The evidence for `element` (an element node). `in_section`: a sectioning element or <main>
// is an ancestor (see IsSectionRoot: a <header> there heads that section, it is not the site's).
int ElementEvidence(const GumboNode* element, bool in_section);

// True for elements whose contents a reader never sees as text: script, style, templates,
// embedded media and form controls, and elements hidden with the hidden attribute,
// aria-hidden=true or an inline display:none / visibility:hidden style.
bool IsInvisible(const GumboNode* element);

}  // namespace palimpsest::html_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_ELEMENT_EVIDENCE_H_
