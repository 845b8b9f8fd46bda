// The main content of an HTML page (see main_content.h).

#include "codec/extract/html/main_content.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "codec/extract/html/element_evidence.h"
#include "codec/extract/html/html_dom.h"
#include "codec/extract/html/text_blocks.h"

namespace palimpsest::html_internal {

namespace {

// A block is prose when it has at least this many visible characters and at most this share of
// them in links; link-like when more than kLinkLike of it is link text.
constexpr uint32_t kProseChars = 40;
constexpr double kProseLinkShare = 0.33;
constexpr double kLinkLike = 0.5;
// A line longer than this is not a byline or date line.
constexpr uint32_t kMaxHeaderLineChars = 160;
// How much link-like text counts against a container, per character, against its prose.
constexpr double kLinkCost = 0.5;
// Prose after the body's core (the element holding the most of its paragraphs), in an element
// holding less than this share of the core's prose, is a coda — a call to subscribe, a
// disclaimer, an author's bio, a teaser of the next article — not the article's.
constexpr double kTailShare = 0.1;

// How much of a block's prose counts for an element above it, by the strongest chrome evidence
// between them (the block's own elements up to, not including, that element): chrome evidence
// discounts, never removes, and nested wrappers of one component ("widget" in "widget") do not
// compound.
double Discount(int evidence) {
  if (evidence <= kStrongChrome) return 0.05;
  if (evidence == -2) return 0.15;
  if (evidence == -1) return 0.35;
  return 1.0;
}
// A descendant with chrome evidence is dropped from the container when it holds less than this
// share of the container's prose (strong evidence: kStrongShare).
constexpr double kChromeShare = 0.25;
constexpr double kStrongShare = 0.5;

// Prose below an element by the strongest chrome evidence on its way up: index 0 for none,
// 1, 2 and 3 for evidence -1, -2 and kStrongChrome.
constexpr int kLevels = 4;
int Level(int evidence) { return evidence >= 0 ? 0 : std::min(-evidence, kLevels - 1); }

struct Weight {
  double prose[kLevels] = {};  // prose below, by the chrome evidence on the way up
  double raw_prose = 0;        // prose below, undiscounted
  double links = 0;            // link-like text below
  int context = 0;             // strongest chrome evidence of the element and its ancestors

  double DiscountedProse() const {
    double sum = 0;
    for (int level = 0; level < kLevels; ++level) sum += prose[level] * Discount(-level);
    return sum;
  }
};

double LinkShare(const TextBlock& b) { return double(b.link_chars) / double(b.chars); }

bool IsProse(const TextBlock& b) {
  return b.chars >= kProseChars && LinkShare(b) <= kProseLinkShare;
}

std::vector<Weight> WeighElements(const PageBlocks& page) {
  std::vector<Weight> w(page.elements.size());
  for (const TextBlock& b : page.blocks) {
    Weight& owner = w[b.owner];
    if (IsProse(b)) {
      double prose = b.chars * (1 - LinkShare(b));
      owner.prose[0] += prose;
      owner.raw_prose += prose;
    } else if (LinkShare(b) > kLinkLike) {
      owner.links += b.chars;
    }
  }
  // Children come after their parents: a reverse pass adds every subtree before its parent.
  for (size_t i = page.elements.size(); i-- > 1;) {
    const PageElement& e = page.elements[i];
    Weight& parent = w[e.parent];
    int own = Level(e.evidence);
    for (int level = 0; level < kLevels; ++level) {
      parent.prose[std::max(level, own)] += w[i].prose[level];
    }
    parent.raw_prose += w[i].raw_prose;
    parent.links += w[i].links;
  }
  // A forward pass gives every element the strongest chrome evidence of its ancestors.
  for (size_t i = 0; i < page.elements.size(); ++i) {
    int own = Level(page.elements[i].evidence);
    int parent = page.elements[i].parent;
    w[i].context = std::max(own, parent < 0 ? 0 : w[parent].context);
  }
  return w;
}

// A candidate's prose, discounted by the chrome evidence below it, is weighed by the chrome
// evidence of the candidate itself and its ancestors (text in a cookie banner is the banner's),
// and a little by content evidence; link-like text counts against it.
double ContainerScore(const PageElement& e, const Weight& w) {
  double boost = e.evidence > 0 ? 1.0 + 0.1 * e.evidence : 1.0;
  return Discount(-w.context) * (w.DiscountedProse() * boost - kLinkCost * w.links);
}

// The element with the best ContainerScore; then, while one child of it scores nearly as well
// (kTighter), that child: what climbing higher adds is a few stray lines (a footer's address,
// a sidebar's teaser), not a part of the article.
constexpr double kTighter = 0.95;

int ChooseContainer(const PageBlocks& page, const std::vector<Weight>& w) {
  int best = -1;
  std::vector<double> score(page.elements.size());
  for (size_t i = 0; i < page.elements.size(); ++i) {
    score[i] = ContainerScore(page.elements[i], w[i]);
    if (w[i].raw_prose > 0 && (best < 0 || score[i] >= score[best])) {  // ties: the deeper
      best = static_cast<int>(i);
    }
  }
  if (best < 0) return best;
  for (bool tighter = true; tighter;) {
    tighter = false;
    int best_child = -1;
    for (size_t i = best + 1; i < page.elements.size(); ++i) {
      if (page.elements[i].parent != best) continue;
      if (best_child < 0 || score[i] > score[best_child]) best_child = static_cast<int>(i);
    }
    if (best_child < 0 || w[best_child].raw_prose <= 0) break;
    if (score[best_child] >= kTighter * score[best]) {
      best = best_child;
      tighter = true;
    }
  }
  return best;
}

// The nearest ancestor-or-self of `body` (at most three levels up, below <body>) that is an
// <article> or holds a headline (<h1>/<h2>): the article's header is there.
const GumboNode* HeaderScope(const GumboNode* body) {
  auto headline = [](const GumboNode* scope) {
    return FindFirst(scope, GUMBO_TAG_H1, [](const GumboNode* e) { return !IsChromeElement(e); }) ||
           FindFirst(scope, GUMBO_TAG_H2, [](const GumboNode* e) { return !IsChromeElement(e); });
  };
  const GumboNode* scope = body;
  for (int up = 0; up <= 3 && scope != nullptr && IsElement(scope); ++up) {
    if (IsTag(scope, GUMBO_TAG_BODY) || IsTag(scope, GUMBO_TAG_HTML)) break;
    if (IsTag(scope, GUMBO_TAG_ARTICLE) || headline(scope)) return scope;
    scope = scope->parent;
  }
  return body;
}

enum class Kind { kNone, kProse, kLinks, kShort, kNote };

Kind KindOf(const TextBlock& b) {
  if (IsProse(b)) return Kind::kProse;
  return LinkShare(b) > kLinkLike ? Kind::kLinks : Kind::kShort;
}

// A short block (a heading, a list item, a line) is the article's when prose is next to it;
// between link lists, or leading into one, it labels navigation ("Related:", "Tags:").
bool KeepShort(Kind before, Kind after) {
  if (after == Kind::kLinks && before != Kind::kProse) return false;
  if (before == Kind::kLinks && after != Kind::kProse) return false;
  if (after == Kind::kNone) return false;  // after the last prose: see SameParagraphRun
  return true;
}

// A short line holding the byline element, or nothing but a <time>: the article's header
// facts (read by the field readers), not body text.
bool IsHeaderLine(const TextBlock& b) {
  if (b.chars > kMaxHeaderLineChars) return false;
  return b.holds_field || (b.time_chars > 0 && b.time_chars == b.chars);
}

// What the chain of elements from a block up to the container says about the block.
struct BlockPlace {
  bool in_container = false;
  bool in_header_scope = false;
  bool dropped = false;   // below a chrome descendant of the container
  bool in_frame = false;  // below a landmark of the page's frame (nav, aside, footer, banner)
  bool note = false;
  bool field = false;
};

class BodySelector {
 public:
  BodySelector(const PageBlocks& page, const std::vector<Weight>& w, int container,
               const GumboNode* header_scope)
      : page_(page), w_(w), container_(container), header_scope_(header_scope) {}

  std::vector<HtmlParagraph> Run(MainContent* main) {
    Gather();
    FindNeighbours();
    for (size_t i = 0; i < candidates_.size(); ++i) {
      const Candidate& c = candidates_[i];
      if (c.kind == Kind::kProse) {
        ++main->prose_blocks;
        main->prose_chars += c.block->chars;
        main->lone_prose_blocks += before_[i] != Kind::kProse && after_[i] != Kind::kProse;
      }
      main->link_blocks += c.kind == Kind::kLinks;
    }
    FindCore();
    return Select();
  }

 private:
  struct Candidate {
    const TextBlock* block;
    Kind kind;
    bool note;
  };

  // The blocks that may be body text: the container's (without chrome descendants and field
  // elements), the lead above it, and the notes of both. The lead is the prose above the
  // container in the header scope, or anywhere between the headline (<h1>) and the container
  // outside the page's frame: a standfirst class-named "teaser" or "intro" sits there.
  void Gather() {
    bool container_reached = false;
    bool after_headline = false;
    for (const TextBlock& b : page_.blocks) {
      BlockPlace place = Place(b);
      container_reached = container_reached || place.in_container;
      bool in_lead =
          !container_reached && !place.field && KindOf(b) == Kind::kProse &&
          ((place.in_header_scope && !place.dropped) || (after_headline && !place.in_frame));
      if (place.note && (place.in_container || place.in_header_scope)) {
        candidates_.push_back({&b, Kind::kNote, true});
      } else if (place.in_container && !place.dropped && !place.field) {
        candidates_.push_back({&b, KindOf(b), false});
      } else if (in_lead) {
        candidates_.push_back({&b, Kind::kProse, false});
      }
      after_headline = after_headline || (!container_reached && !place.in_frame &&
                                          IsTag(page_.elements[b.paragraph].element, GUMBO_TAG_H1));
    }
  }

  // The kind of the nearest prose or link-like candidate before and after each one.
  void FindNeighbours() {
    const size_t n = candidates_.size();
    before_.assign(n, Kind::kNone);
    after_.assign(n, Kind::kNone);
    auto decisive = [](Kind k) { return k == Kind::kProse || k == Kind::kLinks; };
    for (size_t i = 1; i < n; ++i) {
      Kind k = candidates_[i - 1].kind;
      before_[i] = decisive(k) ? k : before_[i - 1];
    }
    for (size_t i = n; i-- > 1;) {
      Kind k = candidates_[i].kind;
      after_[i - 1] = decisive(k) ? k : after_[i];
    }
  }

  // The core: the element holding the most prose paragraphs; core_end_ is the index of the
  // last candidate inside it.
  void FindCore() {
    for (const Candidate& c : candidates_) {
      int holder = DirectHolder(*c.block);
      ++paragraphs_in_[holder];
      if (int up = page_.elements[holder].parent; up >= 0) ++paragraphs_below_[up];
    }
    for (const Candidate& c : candidates_) {
      if (c.kind != Kind::kProse) continue;
      // A body whose paragraphs each sit in a wrapper of their own (<div class=para><p>) is
      // held by the wrappers' parent.
      holder_prose_[Holder(*c.block)] += c.block->chars;
    }
    for (const auto& [holder, prose] : holder_prose_) {
      if (core_ < 0 || prose > holder_prose_[core_]) core_ = holder;
    }
    for (size_t i = 0; i < candidates_.size(); ++i) {
      if (core_ >= 0 && Within(candidates_[i].block->paragraph, core_)) core_end_ = i;
    }
  }

  std::vector<HtmlParagraph> Select() {
    bool any_prose = !holder_prose_.empty();
    std::vector<HtmlParagraph> out;
    const TextBlock* last_prose = nullptr;
    for (size_t i = 0; i < candidates_.size(); ++i) {
      const Candidate& c = candidates_[i];
      if (c.kind == Kind::kLinks) continue;
      if (c.kind == Kind::kProse) last_prose = c.block;
      if (c.kind != Kind::kNote && (InCoda(i) || InLeadIn(i))) continue;
      if (c.kind == Kind::kShort && any_prose && !KeepShort(before_[i], after_[i]) &&
          !(after_[i] == Kind::kNone && SameParagraphRun(last_prose, c.block))) {
        continue;
      }
      out.push_back(
          HtmlParagraph{c.block->text, c.note,
                        (c.block->in_header && c.kind != Kind::kProse) || IsHeaderLine(*c.block)});
    }
    return out;
  }

  // After the body's core, outside it, in an element holding little prose: a call to
  // subscribe, a disclaimer, an author's bio, tags, credits, share lines.
  bool InCoda(size_t i) {
    const TextBlock& b = *candidates_[i].block;
    return core_ >= 0 && i > core_end_ && !Within(b.paragraph, core_) &&
           holder_prose_[Holder(b)] < kTailShare * holder_prose_[core_];
  }

  // A short line before any prose, outside the body's core, that is not a heading: a date, a
  // breadcrumb, a kicker (the field readers take dates and bylines from the header scope).
  bool InLeadIn(size_t i) const {
    const Candidate& c = candidates_[i];
    return c.kind == Kind::kShort && before_[i] == Kind::kNone && core_ >= 0 &&
           !Within(c.block->paragraph, core_) && !page_.elements[c.block->paragraph].heading;
  }

  // The element that holds the block's paragraph element (see SoleParagraphWrapper).
  int Holder(const TextBlock& b) const {
    int holder = DirectHolder(b);
    return SoleParagraphWrapper(holder) ? page_.elements[holder].parent : holder;
  }

  // The parent of the block's paragraph element; the paragraph element itself when it is the
  // page's root (text directly in <body>).
  int DirectHolder(const TextBlock& b) const {
    int parent = page_.elements[b.paragraph].parent;
    return parent >= 0 ? parent : b.paragraph;
  }

  // True when `element` holds exactly one candidate paragraph and its parent holds others
  // through other children: a per-paragraph wrapper.
  bool SoleParagraphWrapper(int element) const {
    auto count = [](const std::map<int, int>& m, int key) {
      auto it = m.find(key);
      return it == m.end() ? 0 : it->second;
    };
    int parent = page_.elements[element].parent;
    if (parent < 0 || count(paragraphs_in_, element) != 1) return false;
    return count(paragraphs_below_, parent) > 1;
  }

  // True when `b` sits in the element that holds the paragraph of `prose` (at any depth): the
  // article's closing lines, even in a table or a list, not the tags, credits and share lines
  // that follow an article in elements of their own.
  bool SameParagraphRun(const TextBlock* prose, const TextBlock* b) const {
    if (prose == nullptr) return false;
    int holder = page_.elements[prose->paragraph].parent;
    for (int i = b->paragraph; i >= 0; i = page_.elements[i].parent) {
      if (i == holder || i == prose->paragraph) return true;
    }
    return false;
  }

  bool Within(int element, int ancestor) const {
    for (int i = element; i >= 0; i = page_.elements[i].parent) {
      if (i == ancestor) return true;
    }
    return false;
  }

  BlockPlace Place(const TextBlock& b) const {
    BlockPlace place;
    double container_prose = w_[container_].DiscountedProse();
    for (int i = b.owner; i >= 0; i = page_.elements[i].parent) {
      const PageElement& e = page_.elements[i];
      if (i == container_) place.in_container = true;
      if (place.in_container || place.in_header_scope) continue;
      if (e.element == header_scope_) {
        place.in_header_scope = true;
        continue;
      }
      place.note = place.note || e.note;
      place.field = place.field || e.field;
      if (e.evidence < 0) {
        double share = e.evidence <= kStrongChrome ? kStrongShare : kChromeShare;
        // What the descendant adds to the container, as the container sees it.
        double seen = w_[i].DiscountedProse() * Discount(e.evidence);
        if (seen <= share * container_prose) place.dropped = true;
        if (e.evidence <= kStrongChrome) place.in_frame = true;
      }
    }
    return place;
  }

  const PageBlocks& page_;
  const std::vector<Weight>& w_;
  int container_;
  const GumboNode* header_scope_;
  std::vector<Candidate> candidates_;
  std::vector<Kind> before_, after_;
  std::map<int, double> holder_prose_;   // prose directly held, by holder element
  std::map<int, int> paragraphs_in_;     // candidates by the parent of their paragraph
  std::map<int, int> paragraphs_below_;  // candidates by the grandparent of their paragraph
  int core_ = -1;
  size_t core_end_ = 0;
};

const GumboNode* FindBody(const GumboNode* root) {
  const GumboNode* body = FindFirst(root, GUMBO_TAG_BODY);
  return body != nullptr ? body : root;
}

}  // namespace

MainContent FindMainContent(const GumboNode* root) {
  MainContent main;
  const GumboNode* body = FindBody(root);
  PageBlocks page = SegmentPage(body);
  std::vector<Weight> w = WeighElements(page);
  int container = ChooseContainer(page, w);
  if (container < 0 && !page.blocks.empty()) container = 0;  // no prose: all the page's text
  if (container < 0) {
    main.header = body;
    return main;
  }
  main.container = page.elements[container].element;
  main.header = HeaderScope(main.container);
  main.paragraphs = BodySelector(page, w, container, main.header).Run(&main);
  return main;
}

}  // namespace palimpsest::html_internal
