// The pre-scan (see html_bounds.h): an HTML tokenizer's view of the page — text, comments,
// start and end tags with their attributes, raw text — fed to HtmlTreeModel, copying the page
// to the output except where a limit drops or cuts something.
//
// Where this tokenizer can disagree with gumbo's it ends a construct no later than gumbo does
// (a comment at the first "-->" or "--!>", a bogus comment or CDATA section at the first ">",
// a script at the first "</script"), so markup the tree builder sees is never skipped here.

#include "codec/extract/html/html_bounds.h"

#include <string_view>

#include "codec/extract/ascii_text.h"
#include "codec/extract/html/html_tree_model.h"

namespace palimpsest::html_internal {

namespace {

using text_internal::AsciiLower;
using text_internal::IsAsciiAlpha;
using text_internal::IsHtmlSpace;
using text_internal::StartsWithIgnoreCase;

bool RawTextTag(GumboTag t) {
  return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_XMP ||
         t == GUMBO_TAG_IFRAME || t == GUMBO_TAG_NOEMBED || t == GUMBO_TAG_NOFRAMES ||
         t == GUMBO_TAG_TEXTAREA || t == GUMBO_TAG_TITLE;
}

struct ScannedTag {
  HtmlTag tag;
  size_t end = 0;         // just past its '>'
  size_t attributes = 0;  // how many it has
  size_t cut = 0;         // where its attribute number max_attributes ends
};

class Scanner {
 public:
  Scanner(std::string_view in, const HtmlLimits& limits, HtmlBoundsReport* report)
      : in_(in),
        limits_(limits),
        report_(report),
        model_(limits.max_depth, limits.max_formatting) {}

  // The bounded page.
  std::string Run() {
    size_t pos = 0;
    while (pos < in_.size() && !stopped_) {
      size_t lt = in_.find('<', pos);
      if (lt == std::string_view::npos) lt = in_.size();
      if (lt > pos) {
        model_.Text(&nodes_);
        if (OverBudget(pos)) break;
      }
      if (lt < in_.size())
        pos = Markup(lt);
      else
        pos = lt;
    }
    if (!stopped_) CopyTo(in_.size());
    return std::move(out_);
  }

 private:
  // Copies the input up to `pos` that was not copied or dropped yet.
  void CopyTo(size_t pos) {
    if (pos > kept_) out_.append(in_.substr(kept_, pos - kept_));
    kept_ = std::max(kept_, pos);
  }
  void Drop(size_t from, size_t to) {
    CopyTo(from);
    kept_ = to;
  }
  bool OverBudget(size_t at) {
    if (nodes_ <= limits_.max_nodes) return false;
    CopyTo(at);
    report_->cut_at_node_byte = at;
    stopped_ = true;
    return true;
  }

  // The construct starting with '<' at `lt`; returns where the next one starts.
  size_t Markup(size_t lt) {
    std::string_view rest = in_.substr(lt);
    if (rest.starts_with("<!--")) {
      ++nodes_;
      if (OverBudget(lt)) return in_.size();
      for (size_t p = rest.find("--", 2); p != std::string_view::npos; p = rest.find("--", p + 1)) {
        if (rest.substr(p + 2, 1) == ">") return lt + p + 3;   // "-->" (also "<!-->")
        if (rest.substr(p + 2, 2) == "!>") return lt + p + 4;  // "--!>"
      }
      return in_.size();
    }
    if (rest.starts_with("<!") || rest.starts_with("<?") ||
        (rest.starts_with("</") && rest.size() > 2 && !IsAsciiAlpha(rest[2]) && rest[2] != '>')) {
      ++nodes_;  // a doctype, a bogus comment (CDATA outside SVG too): to the first '>'
      return OverBudget(lt) ? in_.size() : ConstructEnd(lt, rest.find('>', 1), 1);
    }
    if (rest.starts_with("</>")) return lt + 3;
    const bool end_tag = rest.starts_with("</");
    const size_t name_at = lt + (end_tag ? 2 : 1);
    if (name_at >= in_.size() || !IsAsciiAlpha(in_[name_at])) {
      model_.Text(&nodes_);  // a '<' that opens nothing is text
      OverBudget(lt);
      return lt + 1;
    }
    ScannedTag t;
    if (!ReadTag(name_at, &t)) return in_.size();  // cut short by the end: the tokenizer drops it
    t.tag.end = end_tag;
    return end_tag ? EndTag(lt, t) : StartTag(lt, t);
  }

  size_t ConstructEnd(size_t lt, size_t found, size_t closer) const {
    return found == std::string_view::npos ? in_.size() : lt + found + closer;
  }

  // A tag from its name at `i` to its '>': false when the input ends first.
  bool ReadTag(size_t i, ScannedTag* t) {
    const size_t n = in_.size();
    size_t name_end = i;
    while (name_end < n && !IsHtmlSpace(in_[name_end]) && in_[name_end] != '/' &&
           in_[name_end] != '>')
      ++name_end;
    t->tag.name.reserve(name_end - i);
    for (size_t k = i; k < name_end; ++k) t->tag.name.push_back(AsciiLower(in_[k]));
    t->tag.tag = gumbo_tagn_enum(t->tag.name.c_str(), static_cast<unsigned>(t->tag.name.size()));
    i = name_end;
    for (;;) {
      while (i < n && (IsHtmlSpace(in_[i]) || in_[i] == '/')) {
        if (in_[i] == '/' && i + 1 < n && in_[i + 1] == '>') t->tag.self_closing = true;
        ++i;
      }
      if (i >= n) return false;
      if (in_[i] == '>') {
        t->end = i + 1;
        return true;
      }
      const size_t name_begin = i++;  // an attribute; its name may begin with '='
      while (i < n && !IsHtmlSpace(in_[i]) && in_[i] != '/' && in_[i] != '>' && in_[i] != '=') ++i;
      const std::string_view attr = in_.substr(name_begin, i - name_begin);
      if (t->tag.tag == GUMBO_TAG_FONT) {
        for (std::string_view a : {"color", "face", "size"}) {
          if (attr.size() == a.size() && StartsWithIgnoreCase(attr, a)) t->tag.font_breakout = true;
        }
      }
      size_t j = i;
      while (j < n && IsHtmlSpace(in_[j])) ++j;
      if (j < n && in_[j] == '=') {
        ++j;
        while (j < n && IsHtmlSpace(in_[j])) ++j;
        if (j >= n) return false;
        if (in_[j] == '"' || in_[j] == '\'') {
          const size_t quote = in_.find(in_[j], j + 1);
          if (quote == std::string_view::npos) return false;
          i = quote + 1;
        } else {
          while (j < n && !IsHtmlSpace(in_[j]) && in_[j] != '>') ++j;
          i = j;
        }
      }
      if (++t->attributes == limits_.max_attributes) t->cut = i;
    }
  }

  // Writes tag `t` without the attributes past the limit.
  void EmitTag(const ScannedTag& t) {
    if (t.attributes <= limits_.max_attributes) return;
    report_->extra_attributes += t.attributes - limits_.max_attributes;
    CopyTo(t.cut);
    out_ += t.tag.self_closing ? "/>" : ">";
    kept_ = t.end;
  }

  size_t EndTag(size_t lt, const ScannedTag& t) {
    ++nodes_;
    model_.EndTag(t.tag, &nodes_);
    if (OverBudget(lt)) return in_.size();
    EmitTag(t);
    return t.end;
  }

  size_t StartTag(size_t lt, const ScannedTag& t) {
    const StartTagFate fate = model_.StartTag(t.tag, &nodes_);
    if (OverBudget(lt)) return in_.size();
    if (fate != StartTagFate::kKeep) {
      ++(fate == StartTagFate::kTooDeep ? report_->too_deep : report_->too_much_formatting);
      if (!RawTextTag(t.tag.tag)) {
        Drop(lt, t.end);
        return t.end;
      }
      // A dropped <script> or <style> takes its content with it, up to its end tag.
      const size_t close = RawTextEnd(t.end, t.tag.name);
      Drop(lt, close);
      return close;
    }
    EmitTag(t);
    if (!model_.OpenedRawText(t.tag.tag)) return t.end;
    if (t.tag.tag == GUMBO_TAG_PLAINTEXT) return in_.size();  // the rest is text
    return RawTextEnd(t.end, t.tag.name);
  }

  // Where the end tag "</name" of a raw text element begins, searching from `from`; the end
  // of the input when there is none.
  size_t RawTextEnd(size_t from, const std::string& name) const {
    for (size_t p = in_.find("</", from); p != std::string_view::npos; p = in_.find("</", p + 2)) {
      const size_t after = p + 2 + name.size();
      if (after > in_.size() || !StartsWithIgnoreCase(in_.substr(p + 2), name)) continue;
      if (after == in_.size() || IsHtmlSpace(in_[after]) || in_[after] == '/' ||
          in_[after] == '>') {
        return p;
      }
    }
    return in_.size();
  }

  std::string_view in_;
  const HtmlLimits& limits_;
  HtmlBoundsReport* report_;
  HtmlTreeModel model_;
  std::string out_;
  size_t kept_ = 0;  // input before this is copied or dropped
  size_t nodes_ = 0;
  bool stopped_ = false;
};

// The longest prefix of `text` of at most `max` bytes that does not split a UTF-8 sequence.
size_t CharBoundary(std::string_view text, size_t max) {
  if (text.size() <= max) return text.size();
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

}  // namespace

std::string HtmlBoundsReport::Describe(const HtmlLimits& limits) const {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
  if (cut_at_bytes) add("only the first " + std::to_string(limits.max_bytes) + " bytes read");
  if (cut_at_node_byte != 0) {
    add("cut at byte " + std::to_string(cut_at_node_byte) + " (over " +
        std::to_string(limits.max_nodes) + " nodes)");
  }
  if (too_deep != 0) {
    add(std::to_string(too_deep) + " start tags nested deeper than " +
        std::to_string(limits.max_depth) + " ignored");
  }
  if (too_much_formatting != 0) {
    add(std::to_string(too_much_formatting) + " formatting tags beyond " +
        std::to_string(limits.max_formatting) + " open at once ignored");
  }
  if (extra_attributes != 0) {
    add(std::to_string(extra_attributes) + " attributes beyond " +
        std::to_string(limits.max_attributes) + " per tag ignored");
  }
  return out;
}

std::string BoundHtml(std::string utf8, const HtmlLimits& limits, HtmlBoundsReport* report) {
  *report = HtmlBoundsReport{};
  const size_t length = CharBoundary(utf8, limits.max_bytes);
  if (length < utf8.size()) {
    report->cut_at_bytes = true;
    utf8.resize(length);
  }
  std::string bounded = Scanner(utf8, limits, report).Run();
  return report->any() ? bounded : utf8;
}

}  // namespace palimpsest::html_internal
