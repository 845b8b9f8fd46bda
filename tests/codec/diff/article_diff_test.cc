// Tests for the article-aware diff and its renderers, on the correction fixture (fixture 001
// before and after its Editor's Note) and on hand-made edits.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "codec/diff/tokenize.h"
#include "palimpsest/diff.h"
#include "test_util.h"

namespace palimpsest {
namespace {

// The article as the extractor would give it, built by hand: title = first line, body = the other
// lines as paragraphs, and a trailing "Editor’s Note: …" line as a note.
ArticleContent ContentFromFixture(const std::string& name) {
  const std::string text = testing::Fixture(name);
  ArticleContent content;
  std::vector<std::string> paragraphs;
  for (std::string_view line : SplitLines(text)) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (content.title.empty()) {
      content.title = std::string(line);
    } else if (line.starts_with("Editor’s Note: ")) {
      content.notes.push_back(
          {std::string(line.substr(std::string_view("Editor’s Note: ").size())), kNoTime});
    } else {
      paragraphs.emplace_back(line);
    }
  }
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    if (i > 0) content.body += "\n\n";
    content.body += paragraphs[i];
  }
  return content;
}

std::vector<std::string> MarkTexts(const std::vector<WordMark>& marks, EditOp op) {
  std::vector<std::string> out;
  for (const WordMark& m : marks) {
    if (m.op == op) out.push_back(m.text);
  }
  return out;
}

class CorrectionDiffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    before_ = ContentFromFixture("001_c82fb13b72988b3d.before-correction.txt");
    after_ = ContentFromFixture("001_c82fb13b72988b3d.txt");
    diff_ = DiffArticles(before_, after_);
  }
  ArticleContent before_, after_;
  ArticleDiff diff_;
};

TEST_F(CorrectionDiffTest, OneEditedParagraphOneEditedSentence) {
  ASSERT_EQ(after_.notes.size(), 1u);
  EXPECT_TRUE(diff_.fields.empty());

  std::vector<const BodyHunk*> changed;
  for (const BodyHunk& h : diff_.body) {
    if (h.op != DiffOp::kEqual) changed.push_back(&h);
  }
  ASSERT_EQ(changed.size(), 1u);
  const BodyHunk& h = *changed[0];
  EXPECT_EQ(h.op, DiffOp::kReplace);
  EXPECT_EQ(h.before_index, 5u);
  EXPECT_EQ(h.after_index, 5u);
  const std::string old_sentence =
      "The Space Force has previously held SETs with Israel and Brazil.";
  const std::string new_sentence =
      "The Space Force has previously held SETs with Israel, Brazil, Australia, and South Korea.";
  EXPECT_EQ(before_.body.substr(h.before_span.offset, h.before_span.length), old_sentence);
  EXPECT_EQ(after_.body.substr(h.after_span.offset, h.after_span.length), new_sentence);

  ASSERT_EQ(h.sentences.size(), 1u);
  const SentenceChange& s = h.sentences[0];
  EXPECT_EQ(s.op, DiffOp::kReplace);
  EXPECT_EQ(s.before, old_sentence);
  EXPECT_EQ(s.after, new_sentence);
  // The minimal word script: two words out, five in, "with" and "and" kept.
  EXPECT_EQ(MarkTexts(s.words, EditOp::kDelete), (std::vector<std::string>{"Israel", "Brazil."}));
  EXPECT_EQ(MarkTexts(s.words, EditOp::kInsert),
            (std::vector<std::string>{"Israel, Brazil, Australia,", "South Korea."}));
  for (const WordMark& m : s.words) {
    const std::string& body = m.op == EditOp::kInsert ? after_.body : before_.body;
    EXPECT_EQ(body.substr(m.span.offset, m.span.length), m.text);
  }

  ASSERT_EQ(diff_.notes.size(), 1u);
  EXPECT_EQ(diff_.notes[0].op, DiffOp::kInsert);
  EXPECT_TRUE(diff_.notes[0].text.starts_with("This story was updated July 24"));

  const WordDiffStats stats = CountWordChanges(before_.body, after_.body);
  EXPECT_EQ(diff_.words_added, stats.words_added);
  EXPECT_EQ(diff_.words_removed, stats.words_removed);
  EXPECT_EQ(h.words_added, 5u);
  EXPECT_EQ(h.words_removed, 2u);
  EXPECT_EQ(stats.words_added, 5u);
  EXPECT_EQ(stats.words_removed, 2u);
}

TEST_F(CorrectionDiffTest, GoldenTextRendering) {
  EXPECT_EQ(RenderArticleText(diff_, /*color=*/false), testing::Fixture("diff/001_correction.txt"));
  const std::string colored = RenderArticleText(diff_, /*color=*/true);
  EXPECT_NE(colored.find("\x1b[31mIsrael and Brazil.\x1b[m"), std::string::npos) << colored;
  EXPECT_NE(colored.find("\x1b[32mIsrael, Brazil, Australia, and South Korea.\x1b[m"),
            std::string::npos);
}

TEST_F(CorrectionDiffTest, WordDiffRendering) {
  const std::string rendered = RenderWordDiff(before_.body, after_.body);
  EXPECT_NE(rendered.find("SETs with [-Israel-]{+Israel, Brazil, Australia,+} and "
                          "[-Brazil.-]{+South Korea.+}\n\nThis most recent"),
            std::string::npos);
  EXPECT_TRUE(rendered.starts_with("The U.S. and Japan held"));
}

TEST(ArticleDiffTest, IdenticalArticlesAreEmpty) {
  ArticleContent a;
  a.title = "T";
  a.body = "One.\n\nTwo.";
  const ArticleDiff d = DiffArticles(a, a);
  EXPECT_TRUE(d.empty());
  ASSERT_EQ(d.body.size(), 1u);
  EXPECT_EQ(d.body[0].before_count, 2u);
  EXPECT_EQ(RenderArticleText(d, false), "");
}

TEST(ArticleDiffTest, FieldsAndNotes) {
  ArticleContent a, b;
  a.title = "Old title";
  b.title = "New title";
  a.byline = b.byline = "Jane Doe";
  b.published_at = 1689811200000000;  // 2023-07-20
  a.notes = {{"Kept.", kNoTime}, {"Dropped.", kNoTime}};
  b.notes = {{"Kept.", kNoTime}, {"Added.", kNoTime}};
  const ArticleDiff d = DiffArticles(a, b);
  ASSERT_EQ(d.fields.size(), 2u);
  EXPECT_EQ(d.fields[0].field, "title");
  EXPECT_EQ(d.fields[1].field, "published_at");
  EXPECT_EQ(d.fields[1].before, "");
  EXPECT_EQ(d.fields[1].after, "2023-07-20T00:00:00Z");
  ASSERT_EQ(d.notes.size(), 2u);
  EXPECT_EQ(d.notes[0].op, DiffOp::kDelete);
  EXPECT_EQ(d.notes[0].text, "Dropped.");
  EXPECT_EQ(d.notes[1].op, DiffOp::kInsert);
  EXPECT_EQ(RenderArticleText(d, false),
            "title: [-Old title-] → {+New title+}\n"
            "published_at: [-(none)-] → {+2023-07-20T00:00:00Z+}\n"
            "\n"
            "- note: Dropped.\n"
            "+ note: Added.\n");
}

TEST(ArticleDiffTest, MovedParagraph) {
  ArticleContent a, b;
  a.body = "Alpha one two.\n\nBravo three four.\n\nCharlie five six.\n\nDelta seven.";
  b.body = "Bravo three four.\n\nCharlie five six.\n\nAlpha one two.\n\nDelta seven.";
  const ArticleDiff d = DiffArticles(a, b);
  std::vector<const BodyHunk*> changed;
  for (const BodyHunk& h : d.body) {
    if (h.op != DiffOp::kEqual) changed.push_back(&h);
  }
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0]->op, DiffOp::kMove);
  EXPECT_EQ(changed[0]->before_index, 0u);
  EXPECT_EQ(changed[0]->after_index, 2u);
  EXPECT_EQ(changed[0]->before_span, (TextSpan{0, 14}));
  EXPECT_EQ(changed[0]->after_text, "Alpha one two.");
  EXPECT_EQ(changed[0]->words_added, 0u);
  // The totals are the revision list's (git-like) word counts.
  EXPECT_EQ(d.words_added, 3u);
  EXPECT_EQ(d.words_removed, 3u);
  EXPECT_EQ(RenderArticleText(d, false),
            "paragraph 3 (moved from 1):\n  Alpha one two.\n\nwords: +3 -3\n");
}

TEST(ArticleDiffTest, InsertDeleteAndEditedParagraphs) {
  ArticleContent a, b;
  a.body =
      "Intro stays.\n\nThis paragraph is removed entirely.\n\n"
      "First sentence stays. Second one is edited here. Third stays. Fourth stays too.";
  b.body =
      "Intro stays.\n\n"
      "First sentence stays. Second one was edited here. Third stays. Fourth stays too.\n\n"
      "A brand new closing paragraph.";
  const ArticleDiff d = DiffArticles(a, b);
  ASSERT_EQ(d.body.size(), 4u);
  EXPECT_EQ(d.body[0].op, DiffOp::kEqual);
  EXPECT_EQ(d.body[1].op, DiffOp::kDelete);
  EXPECT_EQ(d.body[1].before_index, 1u);
  EXPECT_EQ(d.body[1].after_index, 1u);
  EXPECT_EQ(d.body[2].op, DiffOp::kReplace);
  EXPECT_EQ(d.body[3].op, DiffOp::kInsert);
  EXPECT_EQ(d.body[3].before_index, 3u);
  EXPECT_EQ(d.body[3].after_span.offset, b.body.size() - 30);
  ASSERT_EQ(d.body[2].sentences.size(), 4u);
  EXPECT_EQ(d.body[2].sentences[1].op, DiffOp::kReplace);
  EXPECT_EQ(RenderArticleText(d, false),
            "paragraph 2 (removed):\n"
            "  [-This paragraph is removed entirely.-]\n"
            "\n"
            "paragraph 2 (edited, was 3):\n"
            "  First sentence stays. Second one [-is-]{+was+} edited here. Third stays. …\n"
            "\n"
            "paragraph 3 (added):\n"
            "  {+A brand new closing paragraph.+}\n"
            "\n"
            "words: +6 -6\n");
}

TEST(ArticleDiffTest, RewrittenParagraphIsDeleteAndInsert) {
  ArticleContent a, b;
  a.body = "Same.\n\nCompletely different words here.";
  b.body = "Same.\n\nNothing alike at all now.";
  const ArticleDiff d = DiffArticles(a, b);
  ASSERT_EQ(d.body.size(), 3u);
  EXPECT_EQ(d.body[1].op, DiffOp::kDelete);
  EXPECT_EQ(d.body[2].op, DiffOp::kInsert);
}

TEST(ArticleDiffTest, AppendedSentenceSitsAtParagraphEnd) {
  ArticleContent a, b;
  a.body = "One two three. Four five.\n\nLast paragraph here.";
  b.body = "One two three. Four five. Six seven.\n\nLast paragraph here.";
  const ArticleDiff d = DiffArticles(a, b);
  ASSERT_EQ(d.body.size(), 2u);
  ASSERT_EQ(d.body[0].op, DiffOp::kReplace);
  ASSERT_EQ(d.body[0].sentences.size(), 3u);
  const SentenceChange& s = d.body[0].sentences[2];
  EXPECT_EQ(s.op, DiffOp::kInsert);
  EXPECT_EQ(s.after, "Six seven.");
  EXPECT_EQ(s.before_span, (TextSpan{25, 0}));  // end of the first paragraph, not of the body
  EXPECT_EQ(s.after_span, (TextSpan{26, 10}));
}

// Random paragraph-level edits: every paragraph of both bodies is covered exactly once, and
// every span and text agree with the bodies.
TEST(ArticleDiffTest, RandomEditsCoverBothBodies) {
  std::mt19937 rng(99);
  const std::vector<std::string> sentences = {"Alpha beta gamma.",    "Delta epsilon.",
                                              "Zeta eta theta iota.", "Kappa lambda mu.",
                                              "Nu xi omicron pi.",    "Rho sigma."};
  auto random_paragraph = [&] {
    std::string p;
    for (size_t n = 1 + rng() % 3; n > 0; --n) {
      p += (p.empty() ? "" : " ") + sentences[rng() % sentences.size()];
    }
    return p;
  };
  int op_counts[5] = {};
  for (int iter = 0; iter < 500; ++iter) {
    std::vector<std::string> pa(rng() % 8), pb;
    for (std::string& p : pa) p = random_paragraph();
    pb = pa;
    for (int e = 1 + static_cast<int>(rng() % 4); e > 0; --e) {
      const size_t pos = pb.empty() ? 0 : rng() % pb.size();
      switch (rng() % 4) {
        case 0:
          if (!pb.empty()) pb.erase(pb.begin() + pos);
          break;
        case 1:
          pb.insert(pb.begin() + pos, random_paragraph());
          break;
        case 2:
          if (!pb.empty()) pb[pos] += " " + sentences[rng() % sentences.size()];
          break;
        default:
          if (pb.size() > 1) std::swap(pb[pos], pb[rng() % pb.size()]);
          break;
      }
    }
    ArticleContent a, b;
    for (const auto& p : pa) a.body += (a.body.empty() ? "" : "\n\n") + p;
    for (const auto& p : pb) b.body += (b.body.empty() ? "" : "\n\n") + p;
    const ArticleDiff d = DiffArticles(a, b);
    const auto bp = SplitParagraphViews(a.body), ap = SplitParagraphViews(b.body);
    std::vector<int> seen_b(bp.size(), 0), seen_a(ap.size(), 0);
    for (const BodyHunk& h : d.body) {
      for (size_t k = 0; k < h.before_count; ++k) ++seen_b.at(h.before_index + k);
      for (size_t k = 0; k < h.after_count; ++k) ++seen_a.at(h.after_index + k);
      ASSERT_LE(h.before_span.offset + h.before_span.length, a.body.size());
      ASSERT_LE(h.after_span.offset + h.after_span.length, b.body.size());
      if (h.op == DiffOp::kEqual) continue;
      EXPECT_EQ(h.before_text, a.body.substr(h.before_span.offset, h.before_span.length));
      EXPECT_EQ(h.after_text, b.body.substr(h.after_span.offset, h.after_span.length));
      ++op_counts[static_cast<int>(h.op)];
      if (h.op == DiffOp::kMove) {
        EXPECT_EQ(h.before_text, h.after_text);
      }
      if (h.op != DiffOp::kReplace) continue;
      std::string rebuilt_b, rebuilt_a;
      for (const SentenceChange& s : h.sentences) {
        if (s.op != DiffOp::kInsert) rebuilt_b += (rebuilt_b.empty() ? "" : " ") + s.before;
        if (s.op != DiffOp::kDelete) rebuilt_a += (rebuilt_a.empty() ? "" : " ") + s.after;
      }
      EXPECT_EQ(rebuilt_b, h.before_text);
      EXPECT_EQ(rebuilt_a, h.after_text);
    }
    EXPECT_EQ(seen_b, std::vector<int>(bp.size(), 1)) << a.body << "\n--\n" << b.body;
    EXPECT_EQ(seen_a, std::vector<int>(ap.size(), 1)) << a.body << "\n--\n" << b.body;
    EXPECT_FALSE(RenderArticleText(d, true).empty() && !d.empty());
  }
  // Every kind of change occurred (the test is not vacuous).
  for (int op : {1, 2, 3, 4}) EXPECT_GT(op_counts[op], 0) << DiffOpName(static_cast<DiffOp>(op));
}

TEST(WordDiffRenderTest, EdgesOfText) {
  EXPECT_EQ(RenderWordDiff("a b c", "a b c"), "a b c");
  EXPECT_EQ(RenderWordDiff("x a b", "a b"), "[-x-] a b");
  EXPECT_EQ(RenderWordDiff("a b x", "a b"), "a b [-x-]");
  EXPECT_EQ(RenderWordDiff("a b", "a y b\n"), "a {+y+} b\n");
  EXPECT_EQ(RenderWordDiff("a old b", "a new b"), "a [-old-]{+new+} b");
  EXPECT_EQ(RenderWordDiff("", "new"), "{+new+}");
}

TEST(UnifiedRenderTest, HeadersAndNoNewline) {
  EXPECT_EQ(RenderUnified("same\n", "same\n"), "");
  UnifiedOptions options;
  options.before_label = "before.txt";
  options.after_label = "after.txt";
  EXPECT_EQ(RenderUnified("a\nb\nc", "a\nB\nc", options),
            "--- before.txt\n+++ after.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
            "\\ No newline at end of file\n");
  EXPECT_EQ(RenderUnified("", "x\n"), "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n");
}

}  // namespace
}  // namespace palimpsest
