// Small helpers over libgumbo's parse tree: owning the tree, reading attributes, walking
// elements and reading an element's text the way a reader sees it.
//
// Gumbo implements the HTML5 tree-building algorithm, so malformed markup (unclosed <p>,
// stray end tags, misnested formatting) yields the same tree a browser builds. Text and
// attribute values come back with character references decoded.
//
// Internal to the codec layer. Thread safety: a ParsedHtml is immutable after construction;
// the functions are pure.

#ifndef PALIMPSEST_CODEC_EXTRACT_HTML_HTML_DOM_H_
#define PALIMPSEST_CODEC_EXTRACT_HTML_HTML_DOM_H_

#include <gumbo.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace palimpsest::html_internal {

// Owns the parse tree of one UTF-8 document. The text must outlive the tree (gumbo points
// into it), so ParsedHtml keeps its own copy.
class ParsedHtml {
 public:
  explicit ParsedHtml(std::string utf8);
  ~ParsedHtml();
  ParsedHtml(const ParsedHtml&) = delete;
  ParsedHtml& operator=(const ParsedHtml&) = delete;

  // The <html> element; null only when gumbo could not allocate.
  const GumboNode* root() const;

 private:
  std::string text_;
  GumboOutput* output_ = nullptr;
};

// Elements nested deeper than this below the node a walk starts from are ignored: it bounds
// recursion and keeps ancestor checks cheap on adversarial pages (20,000 unclosed <div>s).
// Real pages, even badly broken ones, stay far below it.
inline constexpr size_t kMaxHtmlDepth = 1000;

inline bool IsElement(const GumboNode* node) { return node->type == GUMBO_NODE_ELEMENT; }

inline bool IsTag(const GumboNode* node, GumboTag tag) {
  return IsElement(node) && node->v.element.tag == tag;
}

// The value of attribute `name` ("" when absent); HasAttr tells absent from empty.
std::string_view Attr(const GumboNode* node, const char* name);
bool HasAttr(const GumboNode* node, const char* name);

// True when the whitespace-separated attribute `name` holds `token` (ASCII case-insensitive):
// HasToken(link, "rel", "canonical").
bool HasToken(const GumboNode* node, const char* name, std::string_view token);

// True when one of the words of the element's class and id attributes (lower case, split at
// every character that is not a letter or digit) equals one of `words`, or starts with one of
// `prefixes`.
bool ClassIdHasWord(const GumboNode* node, std::initializer_list<std::string_view> words,
                    std::initializer_list<std::string_view> prefixes = {});

// True when the lower-cased class, id or itemprop attribute contains `needle`.
bool ClassIdPropContains(const GumboNode* node, std::string_view needle);

// Phrasing elements (a, em, span, time …): no word break before or after them.
bool IsInlineTag(GumboTag tag);

// Calls `visit` for every element below `node` in document order (`node` itself excluded,
// nothing deeper than kMaxHtmlDepth); when `visit` returns false the element's subtree is not
// entered.
void VisitElements(const GumboNode* node, const std::function<bool(const GumboNode*)>& visit);

// The first element below `node` with tag `tag` whose ancestors up to `node` all pass `enter`
// (null: all pass), or null.
const GumboNode* FindFirst(const GumboNode* node, GumboTag tag,
                           const std::function<bool(const GumboNode*)>& enter = nullptr);

// The text a reader sees in `node`: text nodes in order, <br> and block boundaries as spaces,
// without script, style, noscript and template contents, nor the subtrees `skip` accepts
// (null: none). Not whitespace-collapsed. Stops once the text is longer than `max_bytes` (so a
// caller that only needs to know whether it is short pays for no more than that).
std::string TextOf(const GumboNode* node,
                   const std::function<bool(const GumboNode*)>& skip = nullptr,
                   size_t max_bytes = SIZE_MAX);

// True when some ancestor of `node` has tag `tag`.
bool HasAncestor(const GumboNode* node, GumboTag tag);

// True for the elements a <header> inside heads rather than being the page's banner: the
// sectioning elements (<article>, <aside>, <nav>, <section>) and <main>, as the landmark
// rules of HTML-AAM have it.
bool IsSectionRoot(GumboTag tag);

}  // namespace palimpsest::html_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_HTML_DOM_H_
