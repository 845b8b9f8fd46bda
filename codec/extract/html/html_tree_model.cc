// The conservative tree-builder model (see html_tree_model.h). The rules follow the HTML5
// tree-construction algorithm ("in body" and the table modes) as far as the stack depth and the
// formatting list are concerned; each departure is towards a deeper stack.

#include "codec/extract/html/html_tree_model.h"

#include "codec/extract/html/html_tag_sets.h"

namespace palimpsest::html_internal {

namespace {

// Elements a start tag leaves SVG or MathML content for (the "breakout" list).
bool BreaksOutOfForeign(const HtmlTag& t) {
  switch (t.tag) {
    case GUMBO_TAG_B:
    case GUMBO_TAG_BIG:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_I:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_META:
    case GUMBO_TAG_NOBR:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_RUBY:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_U:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_VAR:
      return true;
    case GUMBO_TAG_FONT:
      return t.font_breakout;
    default:
      return false;
  }
}

bool SameElement(GumboTag tag, const std::string& name, GumboTag other,
                 const std::string& other_name) {
  return tag == other && (tag != GUMBO_TAG_UNKNOWN || name == other_name);
}

}  // namespace

HtmlTreeModel::HtmlTreeModel(size_t max_depth, size_t max_formatting)
    : max_depth_(max_depth), max_formatting_(max_formatting) {}

bool HtmlTreeModel::InForeignContent() const {
  return !stack_.empty() && stack_.back().foreign && !stack_.back().integration;
}

bool HtmlTreeModel::OnStack(GumboTag tag) const {
  for (const Open& e : stack_) {
    if (e.tag == tag && !e.foreign) return true;
  }
  return false;
}

template <typename Stop>
long HtmlTreeModel::FindInScope(GumboTag tag, const std::string& name, Stop stop) const {
  for (long i = static_cast<long>(stack_.size()) - 1; i >= 0; --i) {
    const Open& e = stack_[static_cast<size_t>(i)];
    if (!e.foreign && SameElement(e.tag, e.name, tag, name)) return i;
    if (stop(e)) return -1;
  }
  return -1;
}

void HtmlTreeModel::Erase(long index) {
  const Open& e = stack_[static_cast<size_t>(index)];
  if (e.formatting >= 0) {
    for (Formatting& f : formatting_) {
      if (f.id == e.formatting) f.on_stack = false;
    }
  }
  if (e.marker) {
    while (!formatting_.empty()) {
      const bool marker = formatting_.back().id < 0;
      formatting_.pop_back();
      if (marker) break;
    }
  }
  stack_.erase(stack_.begin() + index);
}

void HtmlTreeModel::PopTo(long index) {
  while (static_cast<long>(stack_.size()) > index) Erase(static_cast<long>(stack_.size()) - 1);
}

size_t HtmlTreeModel::ActiveFormatting() const {
  size_t n = 0;
  for (auto it = formatting_.rbegin(); it != formatting_.rend() && it->id >= 0; ++it) ++n;
  return n;
}

void HtmlTreeModel::Reconstruct(size_t* nodes) {
  size_t first = formatting_.size();
  while (first > 0 && formatting_[first - 1].id >= 0 && !formatting_[first - 1].on_stack) --first;
  for (size_t i = first; i < formatting_.size(); ++i) {
    Formatting& f = formatting_[i];
    f.on_stack = true;
    stack_.push_back(Open{f.tag, f.name, false, false, false, f.id});
    ++*nodes;
  }
}

void HtmlTreeModel::ApplyImplicitCloses(const HtmlTag& t) {
  const GumboTag tag = t.tag;
  auto default_stop = [](const Open& e) { return e.foreign || DefaultScopeStop(e.tag); };
  auto table_stop = [](const Open& e) { return e.foreign || TableScopeStop(e.tag); };
  const std::string none;
  if (ClosesP(tag)) {
    long p = FindInScope(GUMBO_TAG_P, none, [&](const Open& e) {
      return default_stop(e) || e.tag == GUMBO_TAG_BUTTON;
    });
    if (p >= 0) PopTo(p);
  }
  if (IsHeading(tag) && !stack_.empty() && !stack_.back().foreign && IsHeading(stack_.back().tag)) {
    PopTo(static_cast<long>(stack_.size()) - 1);
  }
  auto close_item = [&](auto matches) {  // <li>, <dd>, <dt>: the previous item
    for (long i = static_cast<long>(stack_.size()) - 1; i >= 0; --i) {
      const Open& e = stack_[static_cast<size_t>(i)];
      if (e.foreign) return;
      if (matches(e.tag)) return PopTo(i);
      if (IsSpecial(e.tag) && e.tag != GUMBO_TAG_ADDRESS && e.tag != GUMBO_TAG_DIV &&
          e.tag != GUMBO_TAG_P) {
        return;
      }
    }
  };
  auto within_table = [&](auto matches, auto stop) {
    for (long i = static_cast<long>(stack_.size()) - 1; i >= 0; --i) {
      const Open& e = stack_[static_cast<size_t>(i)];
      if (!e.foreign && matches(e.tag)) return PopTo(i);
      if (table_stop(e) || stop(e.tag)) return;
    }
  };
  auto never = [](GumboTag) { return false; };
  switch (tag) {
    case GUMBO_TAG_LI:
      close_item([](GumboTag x) { return x == GUMBO_TAG_LI; });
      break;
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
      close_item([](GumboTag x) { return x == GUMBO_TAG_DD || x == GUMBO_TAG_DT; });
      break;
    case GUMBO_TAG_BUTTON: {
      long b = FindInScope(GUMBO_TAG_BUTTON, none, default_stop);
      if (b >= 0) PopTo(b);
      break;
    }
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
      within_table([](GumboTag x) { return x == GUMBO_TAG_TD || x == GUMBO_TAG_TH; }, never);
      break;
    case GUMBO_TAG_TR:
      within_table([](GumboTag x) { return x == GUMBO_TAG_TR; }, never);
      break;
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
      within_table(
          [](GumboTag x) {
            return x == GUMBO_TAG_TBODY || x == GUMBO_TAG_THEAD || x == GUMBO_TAG_TFOOT;
          },
          never);
      break;
    case GUMBO_TAG_TABLE:  // a table opened in a table (not in a cell) closes it
      within_table([](GumboTag x) { return x == GUMBO_TAG_TABLE; },
                   [](GumboTag x) {
                     return x == GUMBO_TAG_TD || x == GUMBO_TAG_TH || x == GUMBO_TAG_CAPTION;
                   });
      break;
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP:
      if (!stack_.empty() && stack_.back().tag == GUMBO_TAG_OPTION) {
        PopTo(static_cast<long>(stack_.size()) - 1);
      }
      if (tag == GUMBO_TAG_OPTGROUP && !stack_.empty() && stack_.back().tag == GUMBO_TAG_OPTGROUP) {
        PopTo(static_cast<long>(stack_.size()) - 1);
      }
      break;
    case GUMBO_TAG_A:
    case GUMBO_TAG_NOBR:  // the adoption agency takes the open one out of the list and stack
      for (size_t i = formatting_.size(); i > 0 && formatting_[i - 1].id >= 0; --i) {
        if (formatting_[i - 1].tag != tag) continue;
        const long id = formatting_[i - 1].id;
        formatting_.erase(formatting_.begin() + static_cast<long>(i - 1));
        for (long j = static_cast<long>(stack_.size()) - 1; j >= 0; --j) {
          if (stack_[static_cast<size_t>(j)].formatting == id) {
            stack_[static_cast<size_t>(j)].formatting = -1;
            Erase(j);
            break;
          }
        }
        break;
      }
      break;
    default:
      break;
  }
}

size_t HtmlTreeModel::PendingReconstruct() const {
  size_t n = 0;
  for (auto it = formatting_.rbegin(); it != formatting_.rend() && it->id >= 0 && !it->on_stack;
       ++it) {
    ++n;
  }
  return n;
}

void HtmlTreeModel::Push(const HtmlTag& t, bool html_context) {
  Open e{t.tag, t.tag == GUMBO_TAG_UNKNOWN ? t.name : std::string(), false, false};
  e.foreign = !html_context || t.tag == GUMBO_TAG_SVG || t.tag == GUMBO_TAG_MATH;
  e.integration =
      e.foreign && (t.tag == GUMBO_TAG_FOREIGNOBJECT || t.tag == GUMBO_TAG_DESC ||
                    t.tag == GUMBO_TAG_TITLE || t.tag == GUMBO_TAG_MI || t.tag == GUMBO_TAG_MO ||
                    t.tag == GUMBO_TAG_MN || t.tag == GUMBO_TAG_MS || t.tag == GUMBO_TAG_MTEXT);
  if (!e.foreign && IsMarkerElement(t.tag)) {
    e.marker = true;
    formatting_.push_back(Formatting{-1, t.tag, std::string(), false});
  } else if (!e.foreign && IsFormatting(t.tag)) {
    e.formatting = next_id_++;
    formatting_.push_back(Formatting{e.formatting, t.tag, std::string(), true});
  }
  stack_.push_back(std::move(e));
}

StartTagFate HtmlTreeModel::StartTag(const HtmlTag& t, size_t* nodes) {
  const bool html_context = !InForeignContent() || BreaksOutOfForeign(t);
  if (html_context) {
    // Merged into the elements the parser always has; table parts outside a table are ignored.
    if (t.tag == GUMBO_TAG_HTML || t.tag == GUMBO_TAG_BODY || t.tag == GUMBO_TAG_HEAD) {
      return StartTagFate::kKeep;
    }
    if (IsTablePart(t.tag) && !OnStack(GUMBO_TAG_TABLE)) return StartTagFate::kKeep;
  }
  const bool keeps_self_closed =
      !html_context && t.self_closing && stack_.back().tag != GUMBO_TAG_ANNOTATION_XML;
  const bool pushes = !IsVoid(t.tag) && !keeps_self_closed;
  const size_t pending = html_context ? PendingReconstruct() : 0;
  if (stack_.size() + pending + (pushes ? 1 : 0) > max_depth_) return StartTagFate::kTooDeep;
  if (html_context && IsFormatting(t.tag) && ActiveFormatting() >= max_formatting_) {
    return StartTagFate::kTooManyFormatting;
  }
  if (html_context) {
    while (InForeignContent()) PopTo(static_cast<long>(stack_.size()) - 1);
    ApplyImplicitCloses(t);
    Reconstruct(nodes);
  }
  *nodes += t.tag == GUMBO_TAG_ISINDEX ? 6 : 1;  // <isindex> becomes a small form
  if (pushes) Push(t, html_context);
  return StartTagFate::kKeep;
}

bool HtmlTreeModel::FormattingEndTag(const HtmlTag& t, size_t* nodes) {
  size_t k = formatting_.size();
  while (k > 0 && formatting_[k - 1].id >= 0 && formatting_[k - 1].tag != t.tag) --k;
  if (k == 0 || formatting_[k - 1].id < 0) return false;  // none active: "any other end tag"
  const long id = formatting_[k - 1].id;
  long index = static_cast<long>(stack_.size()) - 1;
  while (index >= 0 && stack_[static_cast<size_t>(index)].formatting != id) --index;
  if (index < 0) {  // no longer open: only taken out of the list
    formatting_.erase(formatting_.begin() + static_cast<long>(k - 1));
    return true;
  }
  bool furthest_block = false;
  for (size_t j = static_cast<size_t>(index) + 1; j < stack_.size(); ++j) {
    if (stack_[j].foreign || DefaultScopeStop(stack_[j].tag)) return true;  // not in scope
    furthest_block = furthest_block || IsSpecial(stack_[j].tag);
  }
  if (furthest_block) {
    // The adoption agency re-parents (at most 8 rounds of 4 new elements) and keeps the
    // stack's depth and the list's length.
    *nodes += 32;
    return true;
  }
  formatting_.erase(formatting_.begin() + static_cast<long>(k - 1));
  stack_[static_cast<size_t>(index)].formatting = -1;
  PopTo(index);
  return true;
}

void HtmlTreeModel::EndTag(const HtmlTag& t, size_t* nodes) {
  // In SVG/MathML: the nearest foreign element of that name, until an HTML one is reached.
  for (long i = static_cast<long>(stack_.size()) - 1;
       i >= 0 && stack_[static_cast<size_t>(i)].foreign; --i) {
    const Open& e = stack_[static_cast<size_t>(i)];
    if (SameElement(e.tag, e.name, t.tag, t.name)) return PopTo(i);
  }
  auto default_stop = [](const Open& e) { return e.foreign || DefaultScopeStop(e.tag); };
  long i = -1;
  switch (t.tag) {
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_BR:
      return;
    case GUMBO_TAG_FORM:  // what the form holds stays open (the form itself may too)
      return;
    case GUMBO_TAG_P:
      i = FindInScope(t.tag, t.name,
                      [&](const Open& e) { return default_stop(e) || e.tag == GUMBO_TAG_BUTTON; });
      break;
    case GUMBO_TAG_LI:
      i = FindInScope(t.tag, t.name, [&](const Open& e) {
        return default_stop(e) || e.tag == GUMBO_TAG_OL || e.tag == GUMBO_TAG_UL;
      });
      break;
    default:
      if (IsTablePart(t.tag) || t.tag == GUMBO_TAG_TABLE) {
        if (!OnStack(GUMBO_TAG_TABLE)) return;
        const bool table = t.tag == GUMBO_TAG_TABLE;
        i = FindInScope(t.tag, t.name, [table](const Open& e) {
          return e.foreign || e.tag == GUMBO_TAG_HTML || e.tag == GUMBO_TAG_TEMPLATE ||
                 (!table && e.tag == GUMBO_TAG_TABLE);
        });
      } else if (IsFormatting(t.tag) && FormattingEndTag(t, nodes)) {
        return;
      } else if (IsSpecial(t.tag)) {
        i = FindInScope(t.tag, t.name, default_stop);
      } else {  // any other end tag: the nearest such element above every special one
        i = FindInScope(t.tag, t.name, [](const Open& e) { return IsSpecial(e.tag); });
      }
  }
  if (i >= 0) PopTo(i);
}

void HtmlTreeModel::Text(size_t* nodes) {
  if (!InForeignContent()) Reconstruct(nodes);
  ++*nodes;
}

bool HtmlTreeModel::OpenedRawText(GumboTag tag) const {
  if (stack_.empty() || stack_.back().tag != tag || stack_.back().foreign) return false;
  if (OnStack(GUMBO_TAG_FRAMESET)) return false;  // a frameset ignores these tags
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
      return true;
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_PLAINTEXT:
      return !OnStack(GUMBO_TAG_SELECT);  // a select ignores them
    default:
      return false;
  }
}

}  // namespace palimpsest::html_internal
