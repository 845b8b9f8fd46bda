// A conservative model of the HTML tree builder's state — the stack of open elements and the
// list of active formatting elements — driven by the tags of a page in order, so that a linear
// pre-scan (html_bounds.h) can tell, before gumbo parses the page, how deep gumbo's tree would
// get and how many nodes it would build, and drop the start tags that would take it past the
// limits.
//
// "Conservative" means: wherever the model does not follow the HTML5 tree-building algorithm
// exactly, it errs towards a deeper stack and more nodes than gumbo builds — it closes an
// element implicitly only where the algorithm surely does (a <p> closed by a block, an <li> by
// the next <li>, a cell by the next cell, an end tag within its scope), it re-opens formatting
// elements (b, i, a, …) the way "reconstruct the active formatting elements" does, it treats
// implicit wrappers (<tbody>) as absent but counts them through the depth margin, and it
// never lets raw text (<script>, <style>, …) hide markup the tree builder would see. So a
// page the model keeps within its limits is parsed by gumbo within a small multiple of them.
//
// Internal to the codec layer. Thread safety: one model per scan.

#ifndef PALIMPSEST_CODEC_EXTRACT_HTML_HTML_TREE_MODEL_H_
#define PALIMPSEST_CODEC_EXTRACT_HTML_HTML_TREE_MODEL_H_

#include <gumbo.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace palimpsest::html_internal {

struct HtmlTag {
  GumboTag tag = GUMBO_TAG_UNKNOWN;  // from the name; GUMBO_TAG_UNKNOWN for other names
  std::string name;                  // lower case
  bool end = false;
  bool self_closing = false;
  bool font_breakout = false;  // a <font> with color, face or size: leaves SVG/MathML
};

// Why a start tag is not passed on.
enum class StartTagFate { kKeep, kTooDeep, kTooManyFormatting };

class HtmlTreeModel {
 public:
  // `max_depth`: start tags that would open an element deeper than this are dropped.
  // `max_formatting`: formatting start tags (b, i, a, font, …) are dropped while this many
  // formatting elements are active (since the last table cell, caption, object or template).
  HtmlTreeModel(size_t max_depth, size_t max_formatting);

  // Decides whether start tag `t` is kept; when kept, applies it. Adds the nodes the tree
  // builder creates for it (the element and the formatting elements it re-opens) to *nodes.
  StartTagFate StartTag(const HtmlTag& t, size_t* nodes);
  // Applies an end tag (never dropped: an end tag never deepens the tree); adds the nodes the
  // adoption agency may create to *nodes.
  void EndTag(const HtmlTag& t, size_t* nodes);
  // Applies character data; adds the formatting elements it re-opens to *nodes.
  void Text(size_t* nodes);

  // True when the start tag `tag` just kept switched the tokenizer to raw text (RCDATA,
  // PLAINTEXT) for sure: its content is text up to its end tag. Ask right after StartTag.
  bool OpenedRawText(GumboTag tag) const;

  size_t depth() const { return stack_.size(); }

 private:
  struct Open {
    GumboTag tag;
    std::string name;
    bool foreign;          // SVG or MathML namespace
    bool integration;      // foreignObject, desc, title in SVG; mi, mo, mn, ms, mtext in MathML
    bool marker = false;   // pushed a marker onto the formatting list
    long formatting = -1;  // id of its formatting entry
  };
  struct Formatting {
    long id;  // -1: a marker
    GumboTag tag;
    std::string name;
    bool on_stack;
  };

  bool InForeignContent() const;
  bool OnStack(GumboTag tag) const;
  // Index of the topmost element `tag` (name `name` for unknown tags) reached from the top
  // without passing one `stop` accepts, or -1.
  template <typename Stop>
  long FindInScope(GumboTag tag, const std::string& name, Stop stop) const;
  void PopTo(long index);  // pops stack_[index] and everything above it
  void Erase(long index);  // removes stack_[index] only
  void ApplyImplicitCloses(const HtmlTag& t);
  size_t ActiveFormatting() const;    // entries after the last marker
  size_t PendingReconstruct() const;  // entries Reconstruct would re-open
  void Reconstruct(size_t* nodes);
  void Push(const HtmlTag& t, bool html_context);
  bool FormattingEndTag(const HtmlTag& t, size_t* nodes);

  size_t max_depth_;
  size_t max_formatting_;
  std::vector<Open> stack_;
  std::vector<Formatting> formatting_;
  long next_id_ = 0;
};

}  // namespace palimpsest::html_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_HTML_TREE_MODEL_H_
