// Roles of HTML elements that the article's field readers need: chrome to step over while
// looking for the title, byline, dek and times, and the byline, dek and note elements
// themselves. (Which text is the article's body is decided by weighing, in main_content.h.)
//
// Class and id names are matched by word ("ad-slot" is an ad, "header" and "shadow" are not),
// and never on <html>, <body> or <main>, whose classes describe the whole page.
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EXTRACT_HTML_HTML_BODY_H_
#define PALIMPSEST_CODEC_EXTRACT_HTML_HTML_BODY_H_

#include <gumbo.h>

#include <string>
#include <vector>

namespace palimpsest::html_internal {

// True when `node` and everything in it is page chrome.
bool IsChromeElement(const GumboNode* node);

// True for an element that holds the byline: a class/id word "author"/"authors"/"writer" or
// starting with "byline", itemprop=author, or rel=author.
bool IsBylineElement(const GumboNode* node);

// True for an element that holds the dek (subtitle): class words dek/deck/subtitle/standfirst/
// subheadline, or itemprop alternativeHeadline/description.
bool IsDekElement(const GumboNode* node);

// True for an element set apart as an editor's note or correction (class words
// correction(s), clarification, or editor(s) + note).
bool IsNoteElement(const GumboNode* node);

struct HtmlParagraph {
  std::string text;     // as the page has it: not whitespace-collapsed
  bool note = false;    // inside an element marked as a note or correction
  bool header = false;  // inside the article's <header> (kicker, title, dek, byline, times)
};

}  // namespace palimpsest::html_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_HTML_BODY_H_
