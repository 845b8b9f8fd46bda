// Roles of HTML elements for the article's fields (see html_body.h).

#include "codec/extract/html/html_body.h"

#include <string>
#include <string_view>
#include <vector>

#include "codec/extract/ascii_text.h"
#include "codec/extract/html/element_evidence.h"
#include "codec/extract/html/html_dom.h"

namespace palimpsest::html_internal {

namespace {

using text_internal::AsciiLowerCopy;

// Tags of chrome the reader sees (invisible elements are IsInvisible's).
bool IsChromeTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_MENU:
      return true;
    default:
      return false;
  }
}

bool IsChromeLandmark(std::string_view role) {
  return role == "navigation" || role == "complementary" || role == "contentinfo" ||
         role == "search" || role == "dialog" || role == "menu" || role == "menubar";
}

// Class names of blocks only: a link or span inside a sentence keeps its text whatever its
// class says ("<a class=tag-link>"), or the sentence would lose words.
bool IsChromeByClass(const GumboNode* node) {
  if (IsInlineTag(node->v.element.tag) || Attr(node, "itemprop") == "articleBody") return false;
  return ClassIdHasWord(
      node, {"ad",          "ads",        "adslot",  "adunit",    "dfp",          "comment",
             "comments",    "tags",       "tag",     "subscribe", "subscription", "signup",
             "sidebar",     "rail",       "toolbar", "modal",     "popup",        "breadcrumb",
             "breadcrumbs", "caption",    "credit",  "credits",   "hidden",       "nav",
             "navbar",      "navigation", "menu",    "footer",    "masthead",     "paywall"},
      {"share", "sharing", "social", "related", "newsletter", "advert", "sponsor", "promo",
       "recommend", "outbrain", "taboola", "trending", "popular", "cookie", "disqus"});
}

// A <header> is the page's banner (the site's masthead) unless it heads a section (see
// IsSectionRoot): an article's header, with its title and lead.
bool IsPageBanner(const GumboNode* header) {
  for (const GumboNode* p = header->parent; p != nullptr; p = p->parent) {
    if (p->type == GUMBO_NODE_ELEMENT && IsSectionRoot(p->v.element.tag)) return false;
  }
  return true;
}

}  // namespace

bool IsChromeElement(const GumboNode* node) {
  if (!IsElement(node)) return false;
  GumboTag tag = node->v.element.tag;
  if (IsChromeTag(tag) || IsInvisible(node)) return true;
  std::string role = AsciiLowerCopy(Attr(node, "role"));
  if (IsChromeLandmark(role)) return true;
  if (tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_MAIN) return false;
  if (role == "banner" || (tag == GUMBO_TAG_HEADER && IsPageBanner(node))) return true;
  return IsChromeByClass(node);
}

bool IsBylineElement(const GumboNode* node) {
  return ClassIdHasWord(node, {"author", "authors", "authorname", "writer"}, {"byline"}) ||
         HasToken(node, "itemprop", "author") || HasToken(node, "rel", "author");
}

bool IsDekElement(const GumboNode* node) {
  std::string_view prop = Attr(node, "itemprop");
  return prop == "alternativeHeadline" || prop == "description" ||
         ClassIdHasWord(node, {"dek", "deck", "standfirst", "subheadline", "subhead", "strapline"},
                        {"subtitle"});
}

bool IsNoteElement(const GumboNode* node) {
  if (!IsElement(node)) return false;
  return ClassIdHasWord(
             node, {"correction", "corrections", "clarification", "editorsnote", "editornote"}) ||
         (ClassIdHasWord(node, {"editor", "editors"}) && ClassIdHasWord(node, {"note"}));
}

}  // namespace palimpsest::html_internal
