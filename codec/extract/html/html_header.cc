// Article header conventions (see html_header.h).

#include "codec/extract/html/html_header.h"

#include <string>
#include <string_view>
#include <vector>

#include "codec/extract/ascii_text.h"
#include "codec/extract/html/html_dom.h"
#include "palimpsest/article.h"

namespace palimpsest::html_internal {

namespace {

using text_internal::AsciiLowerCopy;
using text_internal::EndsWithIgnoreCase;
using text_internal::StartsWithIgnoreCase;

// What separates a headline from the outlet's name in <title>.
constexpr std::string_view kTitleSeparators[] = {" | ",  " - ",      " \u2013 ", " \u2014 ",
                                                 " :: ", " \u00B7 ", " \u2022 "};

}  // namespace

std::string CleanText(std::string_view text) {
  // Soft hyphens (U+00AD) only say where a line may break; a reader never sees them in running
  // text, and words must compare equal with or without them.
  std::string visible;
  if (text.find("\xC2\xAD") != std::string_view::npos) {
    visible.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xAD') {
        ++i;
      } else {
        visible.push_back(text[i]);
      }
    }
    text = visible;
  }
  Result<std::string> nfc = NormalizeNfc(CollapseWhitespace(text));
  return nfc.ok() ? std::move(nfc).value() : std::string();
}

std::string CleanByline(std::string_view raw) {
  std::string s = CleanText(raw);
  std::string_view v = s;
  if (StartsWithIgnoreCase(v, "by ") || StartsWithIgnoreCase(v, "by:")) v.remove_prefix(3);
  for (bool changed = true; changed && !v.empty();) {
    changed = false;
    while (!v.empty() && (v.front() == ' ' || v.front() == ':')) v.remove_prefix(1);
    for (std::string_view tail : {" ", "|", ",", ":", "-", "\u00B7", "\u2022", "\u2013", "\u2014",
                                  "Updated", "Published", "Posted", " on"}) {
      if (EndsWithIgnoreCase(v, tail)) {
        v.remove_suffix(tail.size());
        changed = true;
      }
    }
  }
  return std::string(v);
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

bool IsByParagraph(std::string_view text) {
  if (!(text.starts_with("By ") || text.starts_with("BY "))) return false;
  if (text.size() < 4 || !(text[3] >= 'A' && text[3] <= 'Z')) return false;
  return text_internal::WordCount(text) <= 12 && !text.ends_with('.') && !text.ends_with('?') &&
         !text.ends_with('!');
}

bool IsNoteLabelOnly(std::string_view text) {
  std::string l = AsciiLowerCopy(text);
  while (!l.empty() && (l.back() == ':' || l.back() == '.')) l.pop_back();
  for (std::string_view label : {"correction", "corrections", "clarification", "update",
                                 "editor's note", "editor\u2019s note", "editors' note",
                                 "editors\u2019 note", "editor note", "editors note"}) {
    if (l == label) return true;
  }
  return false;
}

std::string StripOutletSuffix(const std::string& title, std::string_view outlet) {
  if (outlet.empty()) return title;
  for (std::string_view sep : kTitleSeparators) {
    std::string suffix = std::string(sep) + std::string(outlet);
    if (title.size() > suffix.size() && EndsWithIgnoreCase(title, suffix)) {
      return CleanText(std::string_view(title).substr(0, title.size() - suffix.size()));
    }
  }
  return title;
}

std::string OutletAfterHeading(std::string_view title, std::string_view heading) {
  if (heading.empty() || heading.size() >= title.size() || !title.starts_with(heading)) {
    return "";
  }
  std::string_view rest = title.substr(heading.size());
  for (std::string_view sep : kTitleSeparators) {
    if (rest.starts_with(sep) && rest.size() > sep.size()) {
      return std::string(rest.substr(sep.size()));
    }
  }
  return "";
}

bool IsUpdatedTime(const GumboNode* time) {
  for (const GumboNode* n : {time, static_cast<const GumboNode*>(time->parent)}) {
    if (n == nullptr || !IsElement(n)) continue;
    if (ClassIdPropContains(n, "updat") || ClassIdPropContains(n, "modif")) return true;
  }
  const GumboNode* parent = time->parent;
  if (parent == nullptr || !IsElement(parent)) return false;
  // The text just before it: the few nearest siblings are enough for a label, and reading no
  // more keeps a parent of many <time>s linear.
  std::string before;
  for (unsigned i = time->index_within_parent, read = 0; i > 0 && read < 8 && before.size() < 256;
       --i, ++read) {
    const GumboNode* sib = static_cast<const GumboNode*>(parent->v.element.children.data[i - 1]);
    std::string text =
        sib->type == GUMBO_NODE_TEXT ? std::string(sib->v.text.text) : TextOf(sib, nullptr, 4096);
    if (sib->type != GUMBO_NODE_TEXT && text.size() > 4096) break;  // a block of text, no label
    before.insert(0, text);
  }
  std::string b = AsciiLowerCopy(CollapseWhitespace(before));
  for (std::string_view w : {"updated", "updated:", "updated on", "modified", "modified:"}) {
    if (b.ends_with(w)) return true;
  }
  return false;
}

Timestamp StartOfUtcDay(Timestamp t) {
  Timestamp day = t / kMicrosPerDay;
  if (t % kMicrosPerDay < 0) --day;
  return day * kMicrosPerDay;
}

}  // namespace palimpsest::html_internal
