// Chrome and content evidence of an element (see element_evidence.h).
//
// Class and id values are split into words at every character that is not a letter or digit
// ("post-share_bar" → post, share, bar); camelCase names are compared by prefix
// ("sidebarLeft" starts with "sidebar"). Short words (ad, nav, tag) must match whole, so
// "header", "shadow", "badge" and "navy" name nothing.

#include "codec/extract/html/element_evidence.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "codec/extract/ascii_text.h"
#include "codec/extract/html/html_dom.h"

namespace palimpsest::html_internal {

namespace {

using text_internal::AsciiLowerCopy;

// Words that name chrome: whole words, then prefixes (stems of at least five letters).
constexpr std::string_view kChromeWords[] = {
    "ad",         "ads",        "adv",      "nav",      "menu",        "footer",     "sidebar",
    "rail",       "comment",    "comments", "share",    "social",      "tags",       "tagcloud",
    "banner",     "cookie",     "cookies",  "consent",  "gdpr",        "breadcrumb", "breadcrumbs",
    "pagination", "pager",      "popup",    "modal",    "overlay",     "login",      "signup",
    "subscribe",  "newsletter", "promo",    "sponsor",  "sponsored",   "outbrain",   "taboola",
    "disqus",     "trending",   "popular",  "related",  "recommended", "toolbar",    "masthead",
    "copyright",  "legend",     "skip",     "print",    "teaser",      "teasers",    "topbar",
    "navbar",     "offcanvas",  "caption",  "credit",   "credits",     "meta",       "postmeta",
    "entrymeta",  "bio",        "rating",   "feedback", "poll"};
constexpr std::string_view kChromePrefixes[] = {
    "navigation", "sidebar",    "comment", "share",   "social",     "breadcrumb", "related",
    "recommend",  "newsletter", "advert",  "sponsor", "cookie",     "consent",    "footer",
    "popular",    "trending",   "subscri", "shariff", "pagination", "dropdown",   "author"};
constexpr std::string_view kContentWords[] = {
    "article",  "articlebody", "content", "entry",    "post",      "story",    "text",     "body",
    "blogpost", "hentry",      "prose",   "richtext", "storybody", "postbody", "entrytext"};

bool IsWordChar(char c) { return text_internal::IsAsciiAlpha(c) || (c >= '0' && c <= '9'); }

bool IsChromeWord(const std::string& word) {
  // "commentary" is an opinion column, not the readers' comments.
  if (word.starts_with("commentary")) return false;
  if (std::find(std::begin(kChromeWords), std::end(kChromeWords), word) != std::end(kChromeWords)) {
    return true;
  }
  return std::any_of(std::begin(kChromePrefixes), std::end(kChromePrefixes),
                     [&](std::string_view p) { return word.starts_with(p); });
}

bool IsContentWord(const std::string& word) {
  return std::find(std::begin(kContentWords), std::end(kContentWords), word) !=
         std::end(kContentWords);
}

// Counts the chrome and content words of a class or id value.
void CountWords(std::string_view value, int* chrome, int* content) {
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && !IsWordChar(value[i])) ++i;
    size_t begin = i;
    while (i < value.size() && IsWordChar(value[i])) ++i;
    if (i == begin) continue;
    std::string word = AsciiLowerCopy(value.substr(begin, i - begin));
    if (IsChromeWord(word)) {
      ++*chrome;
    } else if (IsContentWord(word)) {
      ++*content;
    }
  }
}

// True when the class or id of `element` names a photo's caption, credit or copyright line.
bool NamesCaption(const GumboNode* element) {
  return ClassIdHasWord(element, {"caption", "credit", "credits", "copyright", "legend"});
}

// True when no text or phrasing element follows `element` in its parent: a credit or caption
// line closes its block ("A view of the pier. <span class=credit>Photo: …</span>"); a word of
// a sentence has the rest of the sentence after it.
bool EndsItsBlock(const GumboNode* element) {
  const GumboNode* parent = element->parent;
  if (parent == nullptr || parent->type != GUMBO_NODE_ELEMENT) return true;
  const GumboVector& children = parent->v.element.children;
  for (unsigned i = element->index_within_parent + 1; i < children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA) return false;
    if (child->type == GUMBO_NODE_ELEMENT && IsInlineTag(child->v.element.tag)) return false;
  }
  return true;
}

bool IsChromeRole(std::string_view role) {
  return role == "navigation" || role == "complementary" || role == "contentinfo" ||
         role == "search" || role == "dialog" || role == "menu" || role == "menubar" ||
         role == "banner" || role == "alertdialog";
}

}  // namespace

int ElementEvidence(const GumboNode* element, bool in_section) {
  GumboTag tag = element->v.element.tag;
  switch (tag) {
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_MENU:
      return kStrongChrome;
    case GUMBO_TAG_FIGCAPTION:
      return -1;  // a photo's caption and credit: kept only when it is most of the text
    case GUMBO_TAG_HEADER:
      if (!in_section) return kStrongChrome;
      break;
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_BODY:
      return 0;  // their classes describe the whole page
    default:
      break;
  }
  if (IsChromeRole(AsciiLowerCopy(Attr(element, "role")))) return kStrongChrome;
  // A link's class never removes words from a sentence; a photo's credit or caption printed
  // in a <span> or <em> is no part of one.
  if (IsInlineTag(tag)) return NamesCaption(element) && EndsItsBlock(element) ? -1 : 0;
  int chrome = 0, content = 0;
  CountWords(Attr(element, "class"), &chrome, &content);
  CountWords(Attr(element, "id"), &chrome, &content);
  // A chrome word is the specific one where both appear ("entry-meta", "post-share").
  int evidence = chrome > 0 ? -std::min(chrome, 2) : content > 0 ? 1 : 0;
  // A form is chrome when it is small (a search box, a comment or newsletter form) and the
  // page's frame when it wraps everything (ASP.NET pages): weak evidence, weighed by what it
  // holds.
  if (tag == GUMBO_TAG_FORM) evidence = -1;
  if (tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN ||
      HasToken(element, "itemprop", "articleBody")) {
    evidence += 2;
  }
  return std::clamp(evidence, kStrongChrome, 2);
}

bool IsInvisible(const GumboNode* element) {
  switch (element->v.element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    // Ruby annotations: the reading printed above the base text (furigana) and the fallback
    // parentheses around it are not words of the sentence.
    case GUMBO_TAG_RT:
    case GUMBO_TAG_RP:
      return true;
    default:
      break;
  }
  if (HasAttr(element, "hidden") || Attr(element, "aria-hidden") == "true") return true;
  std::string_view style = Attr(element, "style");
  if (style.empty()) return false;
  std::string compact = AsciiLowerCopy(style);
  std::erase(compact, ' ');
  return compact.find("display:none") != std::string::npos ||
         compact.find("visibility:hidden") != std::string::npos;
}

}  // namespace palimpsest::html_internal
