// Article container and paragraphs of an HTML page (see html_body.h).

#include "codec/extract/html/html_body.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "codec/extract/ascii_text.h"
#include "codec/extract/html/html_dom.h"

namespace palimpsest::html_internal {

namespace {

using text_internal::AsciiLowerCopy;

// Byline and dek elements this long are something else (an author bio, a teaser list).
constexpr size_t kMaxBylineOrDekBytes = 300;

bool IsChromeTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
      return true;
    default:
      return false;
  }
}

bool IsChromeRole(std::string_view role) {
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

bool IsHidden(const GumboNode* node) {
  if (HasAttr(node, "hidden") || Attr(node, "aria-hidden") == "true") return true;
  std::string style = AsciiLowerCopy(Attr(node, "style"));
  std::erase(style, ' ');
  return style.find("display:none") != std::string::npos ||
         style.find("visibility:hidden") != std::string::npos;
}

bool ShortText(const GumboNode* node) {
  return TextOf(node, nullptr, kMaxBylineOrDekBytes).size() <= kMaxBylineOrDekBytes;
}

bool IsParagraphTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE:
      return true;
    default:
      return false;
  }
}

size_t NonSpaceBytes(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f';
  return n;
}

// Total paragraph text in `node`: how much article there is.
size_t ParagraphBytes(const GumboNode* node) {
  size_t total = 0;
  for (const HtmlParagraph& p : CollectParagraphs(node)) total += NonSpaceBytes(p.text);
  return total;
}

// Tag-level chrome only: used while looking for candidates, where class names of wrappers are
// too unreliable to prune whole subtrees.
bool EnterForCandidates(const GumboNode* node) {
  return !IsChromeTag(node->v.element.tag) && !IsHidden(node) &&
         !IsChromeRole(AsciiLowerCopy(Attr(node, "role")));
}

const GumboNode* FindBody(const GumboNode* root) {
  const GumboNode* body = FindFirst(root, GUMBO_TAG_BODY);
  return body != nullptr ? body : root;
}

// The element with the most <p> text (parent full, grandparent half); null when none.
const GumboNode* LargestParagraphCluster(const GumboNode* body) {
  std::map<const GumboNode*, size_t> score;
  std::vector<const GumboNode*> order;  // first-scored order breaks ties deterministically
  auto add = [&](const GumboNode* n, size_t s) {
    if (n == nullptr || !IsElement(n)) return;
    auto [it, inserted] = score.emplace(n, 0);
    if (inserted) order.push_back(n);
    it->second += s;
  };
  VisitElements(body, [&](const GumboNode* e) {
    if (IsChromeElement(e)) return false;
    if (!IsTag(e, GUMBO_TAG_P)) return true;
    size_t bytes = NonSpaceBytes(TextOf(e, IsChromeElement));
    add(e->parent, bytes * 2);
    if (e->parent != nullptr && e->parent != body) add(e->parent->parent, bytes);
    return false;
  });
  const GumboNode* best = nullptr;
  size_t best_score = 0;
  for (const GumboNode* n : order) {
    if (score[n] > best_score) {
      best = n;
      best_score = score[n];
    }
  }
  return best;
}

// The nearest ancestor-or-self of `body` (at most three levels up, below <body>) that is an
// <article> or holds a headline (<h1>/<h2>) that is not chrome: the article's header is there.
const GumboNode* HeaderScope(const GumboNode* body) {
  auto headline = [](const GumboNode* scope) {
    for (GumboTag tag : {GUMBO_TAG_H1, GUMBO_TAG_H2}) {
      if (FindFirst(scope, tag, [](const GumboNode* e) { return !IsChromeElement(e); })) {
        return true;
      }
    }
    return false;
  };
  const GumboNode* scope = body;
  for (int up = 0; up <= 3 && scope != nullptr && IsElement(scope); ++up) {
    if (IsTag(scope, GUMBO_TAG_BODY) || IsTag(scope, GUMBO_TAG_HTML)) break;
    if (IsTag(scope, GUMBO_TAG_ARTICLE) || headline(scope)) return scope;
    scope = scope->parent;
  }
  return body;
}

class ParagraphCollector {
 public:
  std::vector<HtmlParagraph> Run(const GumboNode* container) {
    const GumboVector& children = container->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      Walk(static_cast<const GumboNode*>(children.data[i]), 1);
    }
    Flush();
    return std::move(out_);
  }

 private:
  void Walk(const GumboNode* node, size_t level) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
        node->type == GUMBO_NODE_WHITESPACE) {
      if (depth_ > 0) buffer_.append(node->v.text.text);
      return;
    }
    if (!IsElement(node) || level > kMaxHtmlDepth) return;
    GumboTag tag = node->v.element.tag;
    bool note = IsNoteElement(node);
    if (!note && IsChromeElement(node)) {
      // A correction box in a chrome region (an <aside class="correction">'s child, an article
      // footer) is still the publisher's note.
      VisitElements(node, [&](const GumboNode* e) {
        if (!IsNoteElement(e)) return true;
        WalkNote(e, level);
        return false;
      });
      return;
    }
    if (note) {
      WalkNote(node, level);
      return;
    }
    if ((IsBylineElement(node) || IsDekElement(node)) && ShortText(node)) return;
    if (tag == GUMBO_TAG_BR) {
      buffer_.push_back(' ');
      return;
    }
    bool header = tag == GUMBO_TAG_HEADER && !in_header_;
    if (header) {
      Flush();
      in_header_ = true;
    }
    bool paragraph = IsParagraphTag(tag);
    if (paragraph && IsHeaderLine(node)) return;
    if (paragraph) {
      Flush();
      ++depth_;
    } else if (!IsInlineTag(tag)) {
      buffer_.push_back(' ');
    }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      Walk(static_cast<const GumboNode*>(children.data[i]), level + 1);
    }
    if (paragraph) {
      Flush();
      --depth_;
    } else if (!IsInlineTag(tag)) {
      buffer_.push_back(' ');
    }
    if (header) {
      Flush();
      in_header_ = false;
    }
  }

  // A short paragraph that holds the byline element ("Por <span class=author>…</span>,
  // enviada especial") or nothing but a <time>: header facts, read elsewhere.
  static bool IsHeaderLine(const GumboNode* node) {
    if (!ShortText(node)) return false;
    bool has_byline = false;
    VisitElements(node, [&](const GumboNode* e) {
      has_byline = has_byline || IsBylineElement(e);
      return !has_byline;
    });
    if (has_byline) return true;
    return FindFirst(node, GUMBO_TAG_TIME) != nullptr &&
           NonSpaceBytes(
               TextOf(node, [](const GumboNode* e) { return IsTag(e, GUMBO_TAG_TIME); })) == 0;
  }

  void WalkNote(const GumboNode* node, size_t level) {
    Flush();
    bool was_note = in_note_;
    int was_depth = depth_;
    in_note_ = true;
    depth_ = 1;  // a note box's loose text counts too
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      Walk(static_cast<const GumboNode*>(children.data[i]), level + 1);
    }
    Flush();
    in_note_ = was_note;
    depth_ = was_depth;
  }

  void Flush() {
    bool blank = true;
    for (char c : buffer_) blank = blank && (c == ' ' || c == '\n' || c == '\t' || c == '\r');
    if (!blank) out_.push_back(HtmlParagraph{std::move(buffer_), in_note_, in_header_});
    buffer_.clear();
  }

  std::vector<HtmlParagraph> out_;
  std::string buffer_;
  int depth_ = 0;  // open paragraph elements
  bool in_note_ = false;
  bool in_header_ = false;
};

}  // namespace

bool IsChromeElement(const GumboNode* node) {
  if (!IsElement(node)) return false;
  GumboTag tag = node->v.element.tag;
  if (IsChromeTag(tag) || IsHidden(node)) return true;
  std::string role = AsciiLowerCopy(Attr(node, "role"));
  if (IsChromeRole(role)) return true;
  if (tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_MAIN) return false;
  if ((tag == GUMBO_TAG_HEADER || role == "banner") && !HasAncestor(node, GUMBO_TAG_ARTICLE)) {
    return true;
  }
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

ArticleContainer FindArticleContainer(const GumboNode* root) {
  const GumboNode* page = FindBody(root);
  ArticleContainer c;
  // 1. The <article> with the most paragraph text (related-story cards are <article>s too).
  const GumboNode* best = nullptr;
  size_t best_bytes = 0;
  VisitElements(page, [&](const GumboNode* e) {
    if (!EnterForCandidates(e)) return false;
    if (!IsTag(e, GUMBO_TAG_ARTICLE)) return true;
    if (IsChromeByClass(e)) return false;
    size_t bytes = ParagraphBytes(e);
    if (bytes > best_bytes) {
      best = e;
      best_bytes = bytes;
    }
    return false;  // nested <article>s are comments or embeds of this one
  });
  if (best != nullptr) {
    c.header = best;
    c.body = best;
    VisitElements(best, [&](const GumboNode* e) {  // a narrower articleBody inside it
      if (c.body != best) return false;
      if (Attr(e, "itemprop") == "articleBody" && ParagraphBytes(e) > 0) c.body = e;
      return c.body == best;
    });
    return c;
  }
  // 2. itemprop=articleBody, 3. <main>.
  for (auto is_candidate :
       {+[](const GumboNode* e) { return Attr(e, "itemprop") == "articleBody"; },
        +[](const GumboNode* e) { return IsTag(e, GUMBO_TAG_MAIN); }}) {
    VisitElements(page, [&](const GumboNode* e) {
      if (best != nullptr || !EnterForCandidates(e)) return false;
      if (is_candidate(e) && ParagraphBytes(e) > 0) best = e;
      return best == nullptr;
    });
    if (best != nullptr) break;
  }
  // 4. The largest cluster of <p> text.
  if (best == nullptr) best = LargestParagraphCluster(page);
  c.body = best;
  c.header = best != nullptr ? HeaderScope(best) : page;
  return c;
}

std::vector<HtmlParagraph> CollectParagraphs(const GumboNode* container) {
  if (container == nullptr || !IsElement(container)) return {};
  return ParagraphCollector().Run(container);
}

}  // namespace palimpsest::html_internal
