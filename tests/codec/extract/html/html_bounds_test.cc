// The HTML pre-scan (codec/extract/html/html_bounds.h) and the extractor over it (issue #12
// finding 2): real pages pass unchanged; hostile shapes — including ones aimed at where a
// pre-scan could disagree with the tree builder (scopes, the adoption agency, foreign content,
// raw text in a select or frameset) — give gumbo a tree whose depth and node count stay within
// a small multiple of the limits.

#include "codec/extract/html/html_bounds.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "codec/extract/html/html_dom.h"
#include "codec/extract/html/html_extractor.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace palimpsest {
namespace {

using html_internal::BoundHtml;
using html_internal::HtmlBoundsReport;

std::string Repeat(std::string_view unit, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += unit;
  return s;
}

// `unit` with "#" replaced by the repetition's number (distinct attributes defeat the
// parser's "Noah's Ark" merging of identical formatting elements).
std::string Numbered(std::string_view unit, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    std::string u(unit);
    for (size_t p = u.find('#'); p != std::string::npos; p = u.find('#')) {
      u.replace(p, 1, std::to_string(i));
    }
    s += u;
  }
  return s;
}

struct TreeSize {
  size_t depth = 0;
  size_t nodes = 0;
};

// Depth and node count of gumbo's tree, without recursion.
TreeSize Measure(const GumboNode* root) {
  TreeSize size;
  std::vector<std::pair<const GumboNode*, size_t>> stack = {{root, 1}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    ++size.nodes;
    size.depth = std::max(size.depth, depth);
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) continue;
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      stack.push_back({static_cast<const GumboNode*>(children.data[i]), depth + 1});
    }
  }
  return size;
}

TEST(HtmlBoundsTest, FixturePagesPassUnchanged) {
  const std::string dir = testing::FixturePath("html");
  size_t pages = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string page = testing::ReadFileOrDie(entry.path().string());
    HtmlBoundsReport report;
    EXPECT_EQ(BoundHtml(page, kHtmlLimits, &report), page) << entry.path();
    EXPECT_FALSE(report.any()) << entry.path() << ": " << report.Describe(kHtmlLimits);
    ++pages;
  }
  EXPECT_GT(pages, 5u);
}

TEST(HtmlBoundsTest, HostileShapesGiveABoundedTree) {
  const size_t n = 4000;
  const std::vector<std::pair<const char*, std::string>> shapes = {
      {"unclosed tables", Repeat("<table><tr><td>", n)},
      {"inline and tables", Repeat("<b><i><u><table><tr><td><a href=x><em><span>x", n)},
      {"nested divs", Repeat("<div>", 3 * n)},
      {"div closing across a cell", Repeat("<div><table><tr><td></div>", n)},
      {"span end over a div", Repeat("<span><div></span>", n)},
      {"form end keeps its content", Repeat("<form><div></form>", n)},
      {"adoption agency", Numbered("<b id=#><div></b>", n)},
      {"reconstructed formatting", Numbered("<p><b id=#>x</p>", n)},
      {"formatting off the stack", Numbered("<div><i id=#></div>", 32) + Repeat("<p>x</p>", n)},
      {"svg breakout", "<svg>" + Repeat("<div><x/>", n)},
      {"svg self-closing", "<svg>" + Repeat("<path/>", n) + "</svg>" + Repeat("<div>", n)},
      {"svg style", "<svg><style>" + Repeat("<g>", n) + "</style></svg>"},
      {"select style", "<select><style></select>" + Repeat("<div>", n) + "</style>"},
      {"frameset style", "<frameset><style>" + Repeat("<frameset>", n) + "</style>"},
      {"anchors", Numbered("<a id=#><div>", n)},
      {"cells outside tables", Repeat("<td><div></td>", n)},
      {"template cells", Repeat("<template><td><div></td>", n)},
      {"captions", Repeat("<table><caption><div>", n)},
      {"mathml", Repeat("<math><mi><div>", n)},
      {"lists", Repeat("<ul><li>", n)},
      {"objects", Repeat("<object><div>", n)},
      {"buttons", Repeat("<p><button><div></button>", n)},
      {"comments", Repeat("<!--><div>", n)},
      {"nobr", Numbered("<nobr id=#><div>", n)},
  };
  const size_t max_depth = 2 * kHtmlLimits.max_depth + kHtmlLimits.max_formatting + 8;
  for (const auto& [name, markup] : shapes) {
    HtmlBoundsReport report;
    html_internal::ParsedHtml page(BoundHtml("<body>" + markup, kHtmlLimits, &report));
    ASSERT_NE(page.root(), nullptr) << name;
    const TreeSize size = Measure(page.root());
    EXPECT_LE(size.depth, max_depth) << name;
    EXPECT_LE(size.nodes, 2 * kHtmlLimits.max_nodes) << name;
  }
}

TEST(HtmlBoundsTest, EachLimitIsReported) {
  HtmlBoundsReport report;
  BoundHtml(Repeat("<div>", 300), kHtmlLimits, &report);
  EXPECT_EQ(report.too_deep, 300 - kHtmlLimits.max_depth);
  BoundHtml("<p" + Numbered(" a#", 70) + ">x</p>", kHtmlLimits, &report);
  EXPECT_EQ(report.extra_attributes, 70 - kHtmlLimits.max_attributes);
  BoundHtml(Numbered("<b id=#>", 10), kHtmlLimits, &report);
  EXPECT_EQ(report.too_much_formatting, 10 - kHtmlLimits.max_formatting);
  BoundHtml(Repeat("<p>x", kHtmlLimits.max_nodes), kHtmlLimits, &report);
  EXPECT_NE(report.cut_at_node_byte, 0u);
  HtmlLimits small;
  small.max_bytes = 7;  // inside the "é": cut before it
  EXPECT_EQ(BoundHtml("<p>caf\xC3\xA9 au lait</p>", small, &report), "<p>caf");
  EXPECT_TRUE(report.cut_at_bytes);
}

TEST(HtmlBoundsTest, ScriptsAndAttributesAreReadAsTheTokenizerReadsThem) {
  HtmlBoundsReport report;
  // Tags inside a script, a comment or a quoted attribute value open nothing.
  const std::string page = "<script>" + Repeat("<div>", 400) + "</script><!--" +
                           Repeat("<div>", 400) + "--><p title=\"" + Repeat("<div>", 400) +
                           "\">text</p>";
  EXPECT_EQ(BoundHtml(page, kHtmlLimits, &report), page);
  EXPECT_FALSE(report.any()) << report.Describe(kHtmlLimits);
  // Attributes past the limit go; the tag keeps its first ones and its text.
  const std::string bounded =
      BoundHtml("<p class=keep" + Numbered(" a#=\"v>\"", 80) + ">text</p>", kHtmlLimits, &report);
  EXPECT_EQ(bounded.find("a63="), std::string::npos);
  EXPECT_NE(bounded.find("class=keep a0=\"v>\""), std::string::npos);
  EXPECT_NE(bounded.find(">text</p>"), std::string::npos);
}

TEST(HtmlBoundsTest, ExtractionOverTheLimitsKeepsTheTextWithinThem) {
  const std::string page =
      "<html><head><title>Deep</title></head><body><article><h1>Deep page</h1>"
      "<p>First paragraph.</p>" +
      Repeat("<table><tr><td>", 6000) + "</article></body></html>";
  HtmlMetadata md;
  Result<ArticleContent> content = ExtractHtml(page, "text/html", 0, &md);
  ASSERT_TRUE(content.ok()) << content.status().message();
  EXPECT_EQ(content->title, "Deep page");
  EXPECT_EQ(content->body, "First paragraph.");
  EXPECT_NE(md.over_limits.find("nested deeper than 256"), std::string::npos) << md.over_limits;
  ASSERT_EQ(CaptureWarnings(page, "text/html")->size(), 1u);
  EXPECT_NE((*CaptureWarnings(page, "text/html"))[0].find(md.over_limits), std::string::npos);
  EXPECT_TRUE(CaptureWarnings("<p>fine</p>", "text/html")->empty());
}

}  // namespace
}  // namespace palimpsest
