// The main-content finder on small hand-written pages, one per signal and per failure mode of
// the class-name vetoes it replaced: the article's text is found by weighing, wherever the
// page's class names, forms and markup put it, and the page's chrome is left out.

#include <string>
#include <string_view>

#include "codec/extract/html/html_extractor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "palimpsest/article.h"

namespace palimpsest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Prose long enough to read as an article paragraph, distinct per `n`.
std::string Prose(int n) {
  return "Paragraph " + std::to_string(n) +
         " of the story tells the council's decision in full sentences, with the names, the "
         "numbers and the reasons that a reader needs to follow it.";
}

std::string Paragraphs(int from, int to) {
  std::string html;
  for (int n = from; n <= to; ++n) html += "<p>" + Prose(n) + "</p>";
  return html;
}

std::string Nav() {
  return "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
         "<li><a href='/sport'>Sport</a></li></ul></nav>";
}

std::string MainPage(const std::string& body, const std::string& head = "") {
  return "<html><head><title>Council votes - Gazette</title>" + head + "</head><body>" + Nav() +
         body +
         "<footer><p>Gazette, 1 Main Street. All rights reserved.</p></footer></body></html>";
}

ArticleContent ExtractMain(const std::string& html) {
  Result<ArticleContent> r = ExtractHtml(html, "text/html", 0);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : ArticleContent();
}

void ExpectStory(const ArticleContent& a, int from, int to) {
  for (int n = from; n <= to; ++n) EXPECT_THAT(a.body, HasSubstr(Prose(n))) << n;
  for (const char* chrome : {"Sport", "All rights reserved"}) {
    EXPECT_THAT(a.body, Not(HasSubstr(chrome))) << chrome;
  }
}

// Class words are evidence, never a veto: WordPress taxonomy classes, layout wrappers named
// after the sidebar beside them, Drupal field classes, a paywall wrapper.
TEST(MainContentTest, ClassNamesThatSoundLikeChromeDoNotHideTheArticle) {
  for (const char* wrapper :
       {"<article class='post tag-advert tag-promo category-sidebar'>",
        "<div class='layout has-sidebar right-rail-layout'>",
        "<div class='field field--name-body field-label-hidden url-breadcrumb'>",
        "<div class='modal-enabled'>", "<div class='paywall article-body'>"}) {
    std::string tag(wrapper);
    std::string close = tag.starts_with("<article") ? "</article>" : "</div>";
    ArticleContent a =
        ExtractMain(MainPage(tag + "<h1>Council votes</h1>" + Paragraphs(1, 4) + close +
                             "<aside><h3>Most read</h3><ul><li><a href='/a'>Other "
                             "story</a></li><li><a href='/b'>More</a></li></ul></aside>"));
    SCOPED_TRACE(wrapper);
    ExpectStory(a, 1, 4);
    EXPECT_THAT(a.body, Not(HasSubstr("Most read")));
  }
}

// ASP.NET pages wrap the whole page in one <form>.
TEST(MainContentTest, APageWrappedInAFormIsStillRead) {
  ArticleContent a =
      ExtractMain(MainPage("<form id='aspnetForm' method='post'><div id='main'>"
                           "<h1>Council votes</h1>" +
                           Paragraphs(1, 3) + "</div></form>"));
  ExpectStory(a, 1, 3);
}

// Text outside <p>: <br>-separated paragraphs, <div> and <span> paragraphs, table cells.
TEST(MainContentTest, TextOutsideParagraphElementsIsKept) {
  ArticleContent a = ExtractMain(MainPage("<div class='entry'>" + Prose(1) + "<br><br>" + Prose(2) +
                                          "<br>still paragraph two<br><br><div>" + Prose(3) +
                                          "</div><span>" + Prose(4) +
                                          "</span>"
                                          "<table><tr><td>Votes for</td><td>7</td></tr>"
                                          "<tr><td>Votes against</td><td>2</td></tr></table>"
                                          "</div>"));
  ExpectStory(a, 1, 4);
  EXPECT_THAT(a.body, HasSubstr(Prose(2) + " still paragraph two"));
  for (const char* cell : {"Votes for", "Votes against"}) EXPECT_THAT(a.body, HasSubstr(cell));
  EXPECT_THAT(SplitParagraphs(a.body).front(), Prose(1));
}

// A teaser <article> in a sidebar does not beat the real body in a plain <div>.
TEST(MainContentTest, ATeaserArticleDoesNotWinOverTheBody) {
  ArticleContent a = ExtractMain(MainPage(
      "<div id='story'><h1>Council votes</h1>" + Paragraphs(1, 5) +
      "</div><div class='col'><article class='teaser'><h2><a href='/x'>Bridge reopens</a></h2>"
      "<p>The bridge reopened on Tuesday after two years of repairs to its cables.</p>"
      "</article></div>"));
  ExpectStory(a, 1, 5);
  EXPECT_THAT(a.body, Not(HasSubstr("bridge reopened")));
}

// A body split over sections, with an ad slot and a photo between them, is kept whole.
TEST(MainContentTest, ABodySplitOverSectionsIsKeptWhole) {
  ArticleContent a = ExtractMain(MainPage(
      "<main><h1>Council votes</h1><section class='part'>" + Paragraphs(1, 2) +
      "</section><div class='ad-slot'><p>Advertisement</p></div>"
      "<figure><img src='a.jpg'><figcaption>The council chamber. Photo: Lee Park</figcaption>"
      "</figure><section class='part'>" +
      Paragraphs(3, 4) + "</section><section class='part'>" + Paragraphs(5, 5) +
      "</section></main>"));
  ExpectStory(a, 1, 5);
  EXPECT_THAT(a.body, Not(HasSubstr("Advertisement")));
  EXPECT_THAT(a.body, Not(HasSubstr("Photo: Lee Park")));
}

// The first paragraph stays even when the page's meta description repeats it.
TEST(MainContentTest, AFirstParagraphEqualToTheDescriptionStays) {
  ArticleContent a =
      ExtractMain(MainPage("<article><h1>Council votes</h1>" + Paragraphs(1, 3) + "</article>",
                           "<meta name='description' content=\"" + Prose(1) + "\">"));
  EXPECT_EQ(SplitParagraphs(a.body).front(), Prose(1));
}

// Short subheadings and list items between paragraphs are the article's; promo lines,
// share bars, newsletter boxes, trending lists and comments are not.
TEST(MainContentTest, SubheadingsStayPromoLinesGo) {
  ArticleContent a = ExtractMain(MainPage(
      "<article><h1>Council votes</h1>" + Paragraphs(1, 2) + "<h2>What comes next</h2>" +
      "<ul><li>A second vote</li><li>A public hearing</li></ul>" + Paragraphs(3, 3) +
      "<p class='related'>Related: <a href='/r'>Council budget passes</a></p>" +
      "<p><strong>READ MORE:</strong> <a href='/m'>How the council works, explained at "
      "length</a></p>" +
      Paragraphs(4, 4) +
      "<div class='newsletter-signup'><h3>Get the morning briefing</h3><p>Sign up for our "
      "newsletter and get the day's most important stories in your inbox every morning.</p>"
      "</div>"
      "<div class='share-tools'><h4>Share This Story</h4><a href='/f'>Facebook</a> "
      "<a href='/t'>Twitter</a></div>"
      "<div class='trending'><h3>Trending</h3><ol><li><a href='/1'>Storm warning</a></li>"
      "<li><a href='/2'>School closures</a></li></ol></div>"
      "<section id='comments'><h3>12 comments</h3><div class='comment'><p>I think the "
      "council got this completely wrong and they will regret it at the next election, "
      "mark my words.</p></div></section></article>"));
  ExpectStory(a, 1, 4);
  for (const char* kept : {"What comes next", "A second vote", "A public hearing"}) {
    EXPECT_THAT(a.body, HasSubstr(kept)) << kept;
  }
  for (const char* chrome :
       {"Related:", "READ MORE", "morning briefing", "newsletter", "Share This Story", "Trending",
        "Storm warning", "12 comments", "regret it"}) {
    EXPECT_THAT(a.body, Not(HasSubstr(chrome))) << chrome;
  }
}

// A long comment thread outweighs the article in text, but its names and shape say what it
// is; a cookie banner likewise.
TEST(MainContentTest, ALongCommentThreadAndACookieBannerAreNotTheArticle) {
  std::string comments;
  for (int n = 0; n < 12; ++n) {
    comments += "<li class='comment' id='comment-" + std::to_string(n) + "'><p>Reader " +
                std::to_string(n) +
                " writes at length about why the council's vote was right or wrong, with "
                "more words than most paragraphs of the story itself have.</p></li>";
  }
  ArticleContent a = ExtractMain(
      MainPage("<div id='cookie-consent' class='cookie-banner'><p>We use cookies to improve your "
               "experience on our site and to show you personalised advertising from partners.</p>"
               "</div><div id='content'><div class='post'><h1>Council votes</h1>" +
               Paragraphs(1, 3) + "</div><ol class='commentlist'>" + comments + "</ol></div>"));
  ExpectStory(a, 1, 3);
  EXPECT_THAT(a.body, Not(HasSubstr("Reader")));
  EXPECT_THAT(a.body, Not(HasSubstr("cookies")));
}

// Reading order and paragraph boundaries: headings, lists, blockquotes and the text between.
TEST(MainContentTest, ReadingOrderAndParagraphBoundaries) {
  ArticleContent a =
      ExtractMain(MainPage("<article><h1>Council votes</h1><p>" + Prose(1) + "</p><blockquote>" +
                           Prose(2) + "</blockquote><h3>Why</h3>" +
                           "<ol><li>Cost</li><li>Time</li></ol><p>" + Prose(3) + "</p></article>"));
  EXPECT_THAT(SplitParagraphs(a.body),
              ElementsAre(Prose(1), Prose(2), "Why", "Cost", "Time", Prose(3)));
}

// A section front, a tag page or search results: teasers, a headline link beside every short
// summary. Not an article, with the reason; an article with a related list still is one.
std::string Teasers(int n) {
  std::string html = "<main><h1>Local news</h1>";
  for (int i = 0; i < n; ++i) {
    html += "<div class='item'><h2><a href='/story/" + std::to_string(i) + "'>Headline number " +
            std::to_string(i) + " of the day</a></h2><span>May " + std::to_string(i + 1) +
            "</span><p>A short summary of story " + std::to_string(i) +
            ", in one sentence that makes a reader want to click.</p></div>";
  }
  return html + "</main>";
}

TEST(MainContentTest, ASectionFrontIsNotAnArticle) {
  Result<ArticleContent> r = ExtractHtml(MainPage(Teasers(8)), "text/html", 0);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotAnArticle());
  EXPECT_THAT(r.status().message(), HasSubstr("a list of links"));

  Result<ArticleContent> empty = ExtractHtml(MainPage("<div id='app'></div>"), "text/html", 0);
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(empty.status().IsNotAnArticle()) << empty.status().message();

  ArticleContent a =
      ExtractMain(MainPage("<article><h1>Council votes</h1>" + Paragraphs(1, 5) +
                           "</article><section class='more'>" + Teasers(6) + "</section>"));
  ExpectStory(a, 1, 5);
  EXPECT_THAT(a.body, Not(HasSubstr("Headline number")));
}

// A dek is one element: a body whose every paragraph is marked itemprop=description (a
// template's habit) is still the body, and a real dek still stays out of it.
TEST(MainContentTest, ParagraphsThatAllClaimToBeTheDescriptionAreTheBody) {
  std::string body;
  for (int n = 1; n <= 4; ++n) body += "<p itemprop='description'>" + Prose(n) + "</p>";
  ArticleContent a =
      ExtractMain(MainPage("<article><h1>Council votes</h1><div>" + body + "</div></article>"));
  ExpectStory(a, 1, 4);
  ArticleContent with_dek = ExtractMain(
      MainPage("<article><header><h1>Council votes</h1><p itemprop='description'>A short "
               "summary for the dek</p></header>" +
               Paragraphs(1, 3) + "</article>"));
  EXPECT_EQ(with_dek.dek, "A short summary for the dek");
  EXPECT_THAT(with_dek.body, Not(HasSubstr("A short summary")));
}

// Ruby text reads as its base text: the reading printed above it (<rt>) and the fallback
// parentheses (<rp>) are not words of the sentence, and <ruby> does not split a paragraph.
TEST(MainContentTest, RubyAnnotationsAreLeftOutOfTheSentence) {
  std::string ruby =
      "<p><ruby>\xE5\xAD\x90<rp>(</rp><rt>\xE3\x81\x93</rt><rp>)</rp></ruby>\xE3\x81\xA9"
      "\xE3\x82\x82 and the rest of a sentence long enough to be the story's prose.</p>";
  ArticleContent a = ExtractMain(
      MainPage("<article><h1>Council votes</h1>" + ruby + Paragraphs(1, 3) + "</article>"));
  EXPECT_THAT(a.body, HasSubstr("\xE5\xAD\x90\xE3\x81\xA9\xE3\x82\x82 and the rest"));
  EXPECT_THAT(a.body, Not(HasSubstr("\xE3\x81\x93")));
  ExpectStory(a, 1, 3);
}

// A <header> inside <main> or a sectioning element heads that section: the article's title and
// lead, not the site's banner. Its prose (the lead) is the start of the body; its short lines
// (a date, a byline) are header facts. A <header> that heads nothing is the banner.
TEST(MainContentTest, TheLeadInAnArticlesHeaderIsKept) {
  const std::string lead =
      "The council agreed on Tuesday to rebuild the pier, ending a dispute that had run for "
      "three years.";
  for (const char* scope : {"main", "section", "article"}) {
    SCOPED_TRACE(scope);
    std::string open = std::string("<") + scope + ">", close = std::string("</") + scope + ">";
    ArticleContent a =
        ExtractMain(MainPage(open + "<div><header><h1>Council votes</h1><p class='lead'>" + lead +
                             "</p><p>May 4, 2024</p></header></div><div><div>" + Paragraphs(1, 4) +
                             "</div></div>" + close));
    EXPECT_THAT(a.body, ::testing::StartsWith(lead));
    EXPECT_THAT(a.body, Not(HasSubstr("May 4")));
    ExpectStory(a, 1, 4);
  }
  // Between the headline and a body nested deep below it, whatever the lead's class says.
  ArticleContent teaser =
      ExtractMain(MainPage("<div class='news'><h1>Council votes</h1><div "
                           "class='article-teaser'><p>" +
                           lead + "</p></div></div>" + "<div><div><div><div>" + Paragraphs(1, 4) +
                           "</div></div></div></div>"));
  EXPECT_THAT(teaser.body, ::testing::StartsWith(lead));
  ExpectStory(teaser, 1, 4);
  ArticleContent banner =
      ExtractMain(MainPage("<header><p>" + lead + "</p></header><div><h1>Council " + "votes</h1>" +
                           Paragraphs(1, 4) + "</div>"));
  EXPECT_THAT(banner.body, Not(HasSubstr("rebuild the pier")));
  ExpectStory(banner, 1, 4);
}

// A photo's credit or caption is left out however it is marked up: a <span> or <em> whose
// class names it, or a legend under an image.
TEST(MainContentTest, PhotoCreditsAndLegendsAreLeftOut) {
  for (const char* credit : {"<p><span class='credits'>Photo: Jane Roe / Agency</span></p>",
                             "<p><em class='copyright'>Photo: Jane Roe / Agency</em></p>",
                             "<div class='image-legend'>Photo: Jane Roe / Agency</div>"}) {
    SCOPED_TRACE(credit);
    ArticleContent a =
        ExtractMain(MainPage("<article><h1>Council votes</h1>" + Paragraphs(1, 2) +
                             "<img src='pier.jpg'>" + credit + Paragraphs(3, 5) + "</article>"));
    EXPECT_THAT(a.body, Not(HasSubstr("Jane Roe")));
    ExpectStory(a, 1, 5);
  }
  // A class on words of a sentence names those words, and they stay.
  for (const char* sentence :
       {"The pier was drawn by <span class='credit'>Jane Roe</span>, who has sketched it.",
        "<span class='credit'>Jane Roe</span> has sketched the town's coast and its pier."}) {
    SCOPED_TRACE(sentence);
    ArticleContent a = ExtractMain(MainPage(
        "<article><h1>Council votes</h1><p>" + std::string(sentence) +
        " She has done so for forty years and more.</p>" + Paragraphs(1, 3) + "</article>"));
    EXPECT_THAT(a.body, HasSubstr("Jane Roe"));
  }
}

}  // namespace
}  // namespace palimpsest
