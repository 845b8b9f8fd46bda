#include <string>

#include "gtest/gtest.h"
#include "palimpsest/article.h"

namespace palimpsest {
namespace {

ArticleContent Sample() {
  ArticleContent c;
  c.title = "Title";
  c.byline = "Jane Doe";
  c.published_at = 1'700'000'000 * kMicrosPerSecond;
  c.updated_at = kNoTime;
  c.body = "First paragraph.\n\nSecond paragraph.";
  c.notes.push_back(ArticleNote{"This story was updated.", 1'700'086'400 * kMicrosPerSecond});
  return c;
}

TEST(ContentHashTest, HasTextForm) {
  const std::string h = ContentHash(Sample());
  ASSERT_EQ(h.size(), 7u + 64u);
  EXPECT_EQ(h.substr(0, 7), "sha256:");
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef", 7), std::string::npos);
  EXPECT_EQ(ContentHash(Sample()), h);  // deterministic
}

TEST(ContentHashTest, EveryFieldOfTheTextCounts) {
  const std::string base = ContentHash(Sample());
  auto changed = [&](auto mutate) {
    ArticleContent c = Sample();
    mutate(c);
    return ContentHash(c);
  };
  EXPECT_NE(changed([](ArticleContent& c) { c.title = "Title 2"; }), base);
  EXPECT_NE(changed([](ArticleContent& c) { c.byline = ""; }), base);
  EXPECT_NE(changed([](ArticleContent& c) { c.published_at += 1; }), base);
  // A re-stamped "updated" time with the same text is the same revision, seen again.
  EXPECT_EQ(changed([](ArticleContent& c) { c.updated_at = 0; }), base);
  EXPECT_NE(changed([](ArticleContent& c) { c.body += "\n\nThird."; }), base);
  EXPECT_NE(changed([](ArticleContent& c) { c.notes.clear(); }), base);
  EXPECT_NE(changed([](ArticleContent& c) { c.notes[0].text = "Other."; }), base);
  EXPECT_NE(changed([](ArticleContent& c) { c.notes[0].effective_at = kNoTime; }), base);
  EXPECT_NE(changed([](ArticleContent& c) { c.notes.push_back(c.notes[0]); }), base);
}

TEST(ContentHashTest, FieldBoundariesAreUnambiguous) {
  ArticleContent a, b;
  a.title = "ab";
  b.title = "a";
  b.byline = "b";
  EXPECT_NE(ContentHash(a), ContentHash(b));

  // A note's text moved into the body is a different revision.
  ArticleContent c, d;
  c.body = "x";
  c.notes.push_back(ArticleNote{"y", kNoTime});
  d.body = "x\n\ny";
  EXPECT_NE(ContentHash(c), ContentHash(d));
}

TEST(ContentHashTest, ParagraphBoundariesCount) {
  ArticleContent a = Sample(), b = Sample();
  b.body = "First paragraph. Second paragraph.";
  EXPECT_NE(ContentHash(a), ContentHash(b));
}

TEST(ContentHashTest, IgnoresNormalizationAndLayoutNoise) {
  ArticleContent a = Sample(), b = Sample();
  a.title = "Caf\u00E9 talks";
  b.title = "  Cafe\u0301\u00A0 talks ";
  b.byline = "Jane\tDoe";
  b.body = "\n First  paragraph.\n\n\n\nSecond\u00A0paragraph.  \n";
  b.notes[0].text = "This story was\nupdated.";
  EXPECT_EQ(ContentHash(a), ContentHash(b));
}

}  // namespace
}  // namespace palimpsest
