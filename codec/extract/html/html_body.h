// Where an HTML page keeps its article, and what of it is article text.
//
// The page is split into chrome (navigation, asides, footers, share/related/newsletter/comment
// and ad blocks, forms, scripts, figure captions, hidden elements) and content. The article's
// container is the first of: the <article> holding the most paragraph text, an element with
// itemprop=articleBody, <main>, or the element holding the most <p> text (a paragraph counts
// fully for its parent and half for its grandparent, so text split across per-paragraph
// wrappers still adds up). Paragraphs are the text of <p>, <h2>–<h4>, <li> and <blockquote>
// elements; a paragraph element holding other paragraph elements yields its inline runs and
// its children separately. Paragraphs of the article's own <header> are marked as such: they
// carry the kicker, byline and dates, not body text.
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

struct ArticleContainer {
  const GumboNode* body = nullptr;    // the paragraphs come from here
  const GumboNode* header = nullptr;  // title, byline and times are looked for here
};

// The article's container on the page rooted at `root` (<html>). `body` is null when the page
// has no paragraph text at all; `header` is then the <body> element.
ArticleContainer FindArticleContainer(const GumboNode* root);

struct HtmlParagraph {
  std::string text;     // as the page has it: not whitespace-collapsed
  bool note = false;    // inside an element marked as a note or correction
  bool header = false;  // inside the article's <header> (kicker, title, dek, byline, times)
};

// The paragraphs of `container`, in document order, without chrome, byline and dek elements.
std::vector<HtmlParagraph> CollectParagraphs(const GumboNode* container);

}  // namespace palimpsest::html_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_HTML_BODY_H_
