// Cutting a page into text blocks (see text_blocks.h).

#include "codec/extract/html/text_blocks.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "codec/extract/ascii_text.h"
#include "codec/extract/html/element_evidence.h"
#include "codec/extract/html/html_body.h"
#include "codec/extract/html/html_dom.h"
#include "codec/extract/html/html_tag_sets.h"

namespace palimpsest::html_internal {

namespace {

using text_internal::IsHtmlSpace;

// Byline and dek elements this long are something else (an author bio, a teaser list).
constexpr size_t kMaxFieldBytes = 300;

// Code points of `text` that are not ASCII white space (continuation bytes are not counted).
uint32_t VisibleChars(std::string_view text) {
  uint32_t n = 0;
  for (unsigned char c : text) n += !IsHtmlSpace(static_cast<char>(c)) && (c & 0xC0) != 0x80;
  return n;
}

class Segmenter {
 public:
  PageBlocks Run(const GumboNode* root) {
    Walk(root, -1, 0);
    Flush();
    UnmarkRepeatedFields();
    return std::move(page_);
  }

 private:
  // A dek or a byline is one element: three or more siblings that each look like one (every
  // paragraph of a body marked itemprop=description, say) are prose.
  void UnmarkRepeatedFields() {
    std::unordered_map<int, int> fields_under;
    for (const PageElement& e : page_.elements) {
      if (e.field) ++fields_under[e.parent];
    }
    for (PageElement& e : page_.elements) {
      if (e.field && fields_under[e.parent] >= 3) e.field = false;
    }
  }

  void Walk(const GumboNode* node, int parent, size_t depth) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
        node->type == GUMBO_NODE_WHITESPACE) {
      AddText(node->v.text.text, parent);
      return;
    }
    if (!IsElement(node) || depth > kMaxHtmlDepth || IsInvisible(node)) return;
    GumboTag tag = node->v.element.tag;
    if (tag == GUMBO_TAG_HR || (tag == GUMBO_TAG_BR && line_break_)) {
      Flush();  // <br><br> ends a paragraph
      return;
    }
    if (tag == GUMBO_TAG_BR) {
      line_break_ = true;  // a line break inside a paragraph
      buffer_.text.push_back(' ');
      return;
    }
    bool inline_tag = IsInlineTag(tag);
    int index = AddElement(node, parent);
    bool link = tag == GUMBO_TAG_A && HasAttr(node, "href");
    bool section = IsSectionRoot(tag);
    bool header = tag == GUMBO_TAG_HEADER && sections_ > 0;
    bool time = tag == GUMBO_TAG_TIME;
    if (inline_tag && page_.elements[index].field) buffer_.holds_field = true;
    if (!inline_tag) {
      Flush();
      paragraphs_.push_back(index);
    }
    links_ += link;
    times_ += time;
    sections_ += section;
    headers_ += header;
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      Walk(static_cast<const GumboNode*>(children.data[i]), index, depth + 1);
    }
    if (!inline_tag) {
      Flush();
      paragraphs_.pop_back();
    }
    links_ -= link;
    times_ -= time;
    sections_ -= section;
    headers_ -= header;
  }

  int AddElement(const GumboNode* node, int parent) {
    PageElement e;
    e.element = node;
    e.parent = parent;
    e.evidence = ElementEvidence(node, sections_ > 0);
    e.note = IsNoteElement(node);
    e.heading = IsHeading(node->v.element.tag);
    e.field = (IsBylineElement(node) || IsDekElement(node)) &&
              TextOf(node, nullptr, kMaxFieldBytes).size() <= kMaxFieldBytes;
    page_.elements.push_back(e);
    return static_cast<int>(page_.elements.size() - 1);
  }

  void AddText(std::string_view text, int owner) {
    uint32_t chars = VisibleChars(text);
    if (chars > 0) line_break_ = false;
    if (buffer_.chars == 0 && chars == 0) return;
    if (buffer_.owner < 0) {
      buffer_.owner = owner;
      buffer_.paragraph = paragraphs_.empty() ? owner : paragraphs_.back();
      buffer_.in_header = headers_ > 0;
    }
    buffer_.text.append(text);
    buffer_.chars += chars;
    if (links_ > 0) buffer_.link_chars += chars;
    if (times_ > 0) buffer_.time_chars += chars;
  }

  void Flush() {
    if (buffer_.chars > 0) page_.blocks.push_back(std::move(buffer_));
    buffer_ = TextBlock();
    line_break_ = false;
  }

  PageBlocks page_;
  TextBlock buffer_;
  std::vector<int> paragraphs_;  // open block-level elements
  bool line_break_ = false;      // a <br> since the last visible text
  int links_ = 0;                // open <a href> elements
  int times_ = 0;                // open <time> elements
  int sections_ = 0;             // open sectioning elements and <main> (see IsSectionRoot)
  int headers_ = 0;              // open <header> elements inside one of them
};

}  // namespace

PageBlocks SegmentPage(const GumboNode* root) { return Segmenter().Run(root); }

}  // namespace palimpsest::html_internal
