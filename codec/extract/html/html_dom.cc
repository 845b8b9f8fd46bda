// Helpers over libgumbo's parse tree (see html_dom.h).

#include "codec/extract/html/html_dom.h"

#include <string>
#include <string_view>
#include <vector>

#include "codec/extract/ascii_text.h"

namespace palimpsest::html_internal {

using text_internal::AsciiLower;
using text_internal::AsciiLowerCopy;
using text_internal::EqualsIgnoreCase;

namespace {

// No parse errors are kept: gumbo copies the stack of open elements into each one, which is
// quadratic on broken markup (a gigabyte for 90 KB of unclosed tables), and none is read.
GumboOptions ParseOptions() {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  return options;
}

}  // namespace

ParsedHtml::ParsedHtml(std::string utf8) : text_(std::move(utf8)) {
  const GumboOptions options = ParseOptions();
  output_ = gumbo_parse_with_options(&options, text_.data(), text_.size());
}

ParsedHtml::~ParsedHtml() {
  if (output_ != nullptr) gumbo_destroy_output(&kGumboDefaultOptions, output_);
}

const GumboNode* ParsedHtml::root() const { return output_ == nullptr ? nullptr : output_->root; }

namespace {

const GumboAttribute* FindAttr(const GumboNode* node, const char* name) {
  if (!IsElement(node)) return nullptr;
  return gumbo_get_attribute(&node->v.element.attributes, name);
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Calls `fn` for each word of `value`, lower-cased; stops early when `fn` returns true.
template <typename Fn>
bool AnyWord(std::string_view value, Fn fn) {
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && !IsWordChar(value[i])) ++i;
    size_t begin = i;
    while (i < value.size() && IsWordChar(value[i])) ++i;
    if (i > begin && fn(AsciiLowerCopy(value.substr(begin, i - begin)))) return true;
  }
  return false;
}

void AppendText(const GumboNode* node, const std::function<bool(const GumboNode*)>& skip,
                size_t depth, size_t max_bytes, std::string* out) {
  switch (node->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_CDATA:
    case GUMBO_NODE_WHITESPACE:
      out->append(node->v.text.text);
      return;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      break;
    default:
      return;
  }
  GumboTag tag = node->v.element.tag;
  if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_NOSCRIPT ||
      tag == GUMBO_TAG_TEMPLATE || node->type == GUMBO_NODE_TEMPLATE) {
    return;
  }
  if (depth > kMaxHtmlDepth || (skip && skip(node))) return;
  bool inline_tag = IsInlineTag(tag);
  if (!inline_tag) out->push_back(' ');
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length && out->size() <= max_bytes; ++i) {
    AppendText(static_cast<const GumboNode*>(children.data[i]), skip, depth + 1, max_bytes, out);
  }
  if (!inline_tag) out->push_back(' ');
}

}  // namespace

std::string_view Attr(const GumboNode* node, const char* name) {
  const GumboAttribute* a = FindAttr(node, name);
  return a == nullptr ? std::string_view() : std::string_view(a->value);
}

bool HasAttr(const GumboNode* node, const char* name) { return FindAttr(node, name) != nullptr; }

bool HasToken(const GumboNode* node, const char* name, std::string_view token) {
  std::string_view value = Attr(node, name);
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t' || value[i] == '\n')) ++i;
    size_t begin = i;
    while (i < value.size() && value[i] != ' ' && value[i] != '\t' && value[i] != '\n') ++i;
    if (i > begin && EqualsIgnoreCase(value.substr(begin, i - begin), token)) return true;
  }
  return false;
}

bool ClassIdHasWord(const GumboNode* node, std::initializer_list<std::string_view> words,
                    std::initializer_list<std::string_view> prefixes) {
  auto matches = [&](const std::string& word) {
    for (std::string_view w : words) {
      if (word == w) return true;
    }
    for (std::string_view p : prefixes) {
      if (word.starts_with(p)) return true;
    }
    return false;
  };
  return AnyWord(Attr(node, "class"), matches) || AnyWord(Attr(node, "id"), matches);
}

bool ClassIdPropContains(const GumboNode* node, std::string_view needle) {
  for (const char* name : {"class", "id", "itemprop"}) {
    std::string_view value = Attr(node, name);
    if (value.size() < needle.size()) continue;
    if (AsciiLowerCopy(value).find(needle) != std::string::npos) return true;
  }
  return false;
}

bool IsInlineTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BDI:
    case GUMBO_TAG_BDO:
    case GUMBO_TAG_BIG:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_DATA:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_I:
    case GUMBO_TAG_INS:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_NOBR:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_RB:
    case GUMBO_TAG_RTC:
    case GUMBO_TAG_RUBY:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_U:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_WBR:
    case GUMBO_TAG_UNKNOWN:
      return true;
    default:
      return false;
  }
}

void VisitElements(const GumboNode* node, const std::function<bool(const GumboNode*)>& visit) {
  if (node == nullptr || !IsElement(node)) return;
  // An explicit stack: deeply nested pages must not exhaust the call stack.
  std::vector<std::pair<const GumboNode*, unsigned>> stack = {{node, 0}};
  while (!stack.empty()) {
    auto& [parent, next] = stack.back();
    const GumboVector& children = parent->v.element.children;
    if (next >= children.length) {
      stack.pop_back();
      continue;
    }
    const GumboNode* child = static_cast<const GumboNode*>(children.data[next++]);
    if (child->type == GUMBO_NODE_ELEMENT && stack.size() <= kMaxHtmlDepth && visit(child)) {
      stack.push_back({child, 0});
    }
  }
}

const GumboNode* FindFirst(const GumboNode* node, GumboTag tag,
                           const std::function<bool(const GumboNode*)>& enter) {
  const GumboNode* found = nullptr;
  VisitElements(node, [&](const GumboNode* e) {
    if (found != nullptr) return false;
    if (enter && !enter(e)) return false;
    if (e->v.element.tag == tag) {
      found = e;
      return false;
    }
    return true;
  });
  return found;
}

std::string TextOf(const GumboNode* node, const std::function<bool(const GumboNode*)>& skip,
                   size_t max_bytes) {
  std::string out;
  if (node == nullptr || !IsElement(node)) return out;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length && out.size() <= max_bytes; ++i) {
    AppendText(static_cast<const GumboNode*>(children.data[i]), skip, 1, max_bytes, &out);
  }
  return out;
}

bool HasAncestor(const GumboNode* node, GumboTag tag) {
  for (const GumboNode* p = node->parent; p != nullptr; p = p->parent) {
    if (IsTag(p, tag)) return true;
  }
  return false;
}

bool IsSectionRoot(GumboTag tag) {
  return tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_ASIDE || tag == GUMBO_TAG_MAIN ||
         tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_SECTION;
}

}  // namespace palimpsest::html_internal
