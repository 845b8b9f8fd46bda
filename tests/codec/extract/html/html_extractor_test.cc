// The HTML extractor, field by field, on the pages under tests/fixtures/html/, and the JSON-LD
// reader behind it.

#include "codec/extract/html/html_extractor.h"

#include <string>
#include <string_view>
#include <vector>

#include "codec/extract/extract_test_util.h"
#include "codec/extract/html/json_ld.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "palimpsest/article.h"
#include "test_util.h"

namespace palimpsest {
namespace {

using ::testing::ElementsAre;
using testing::Fixture;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::kCaptured;
using ::testing::Not;
using ::testing::SizeIs;
using testing::T;

struct Extracted {
  ArticleContent content;
  HtmlMetadata metadata;
  std::vector<std::string> paragraphs;
};

Extracted ExtractPage(std::string_view raw, std::string_view content_type = "text/html",
                      Timestamp captured_at = kCaptured) {
  Extracted e;
  Result<ArticleContent> r = ExtractHtml(raw, content_type, captured_at, &e.metadata);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (r.ok()) e.content = *r;
  e.paragraphs = SplitParagraphs(e.content.body);
  return e;
}

Extracted ExtractFixture(const std::string& name, std::string_view content_type = "text/html") {
  return ExtractPage(Fixture("html/" + name), content_type);
}

TEST(HtmlExtractorTest, NewsSiteWithChromeAndJsonLdGraph) {
  Extracted e = ExtractFixture("news_graph.html");
  const ArticleContent& a = e.content;
  EXPECT_EQ(a.title, "Harbor bridge reopens after two-year repair");
  EXPECT_EQ(a.byline, "Mar\u00EDa Ortega and Daniel Kwan");
  EXPECT_EQ(a.published_at, T("2023-07-18T13:30:00Z"));  // JSON-LD, -07:00
  EXPECT_EQ(a.updated_at, T("2023-07-18T21:05:00Z"));
  EXPECT_THAT(a.notes, IsEmpty());
  EXPECT_THAT(e.paragraphs,
              ElementsAre("The Harbor Bridge reopened to traffic on Tuesday morning, ending a "
                          "two-year closure that forced tens of thousands of commuters onto a "
                          "40-minute detour.",
                          "\u201CIt feels like getting an hour of my life back every day,\u201D "
                          "said Ana Ruiz, who drives from Westport to the hospital where she "
                          "works as a nurse.",
                          "Delays and costs",
                          "The $212 million project ran two months behind schedule after crews "
                          "found corroded cables inside the north tower & had to replace them.",
                          "\u201CWe would rather open late than open unsafe.\u201D",
                          "Transportation director Sam Whitfield said tolls would stay at $3 "
                          "through the end of the year."));
  for (const char* chrome :
       {"Subscribe", "Share on Facebook", "Advertisement", "Related", "Bridge closure",
        "morning briefing", "Contact", "Bridges", "Ferry", "Finally", "Most read", "Heat wave",
        "rights reserved", "Transportation\n", "Photo:", "Cars cross", "dataLayer"}) {
    EXPECT_THAT(a.body, Not(HasSubstr(chrome))) << chrome;
  }
  EXPECT_EQ(e.metadata.canonical_url,
            "https://www.coastalledger.example/news/2023/07/harbor-bridge-reopens");
  EXPECT_EQ(e.metadata.charset, "utf-8");
  EXPECT_EQ(e.metadata.outlet, "The Coastal Ledger");
  EXPECT_EQ(e.metadata.dek,
            "Commuters cheered as the span carried traffic again, two months later than planned.");
}

TEST(HtmlExtractorTest, Latin1DeclaredByMetaHttpEquiv) {
  std::string raw = Fixture("html/latin1_meta.html");
  ASSERT_NE(raw.find('\xE9'), std::string::npos);  // the fixture really is Latin-1
  Extracted e = ExtractPage(raw, "text/html");
  const ArticleContent& a = e.content;
  EXPECT_EQ(a.title, "Festival de cine premia a Jos\u00E9 Mart\u00EDnez");
  EXPECT_EQ(a.byline, "Zo\u00EB M\u00FCller");
  EXPECT_EQ(a.published_at, T("2016-03-07T00:00:00Z"));  // <time datetime="2016-03-07">
  EXPECT_EQ(a.updated_at, kNoTime);
  EXPECT_THAT(a.notes, IsEmpty());
  ASSERT_THAT(e.paragraphs, SizeIs(3));
  EXPECT_TRUE(
      e.paragraphs[0].starts_with("El director andaluz Jos\u00E9 Mart\u00EDnez recibi\u00F3"));
  EXPECT_TRUE(e.paragraphs[0].ends_with("agricultores en Ja\u00E9n."));
  // &nbsp; is collapsed to a plain space like any other whitespace.
  EXPECT_EQ(e.paragraphs[1],
            "\u00ABNo esperaba nada; ya era un regalo estar aqu\u00ED\u00BB, dijo Mart\u00EDnez "
            "al recoger el galard\u00F3n, que entreg\u00F3 la actriz Fran\u00E7oise Lef\u00E8vre.");
  EXPECT_TRUE(e.paragraphs[2].ends_with("Bego\u00F1a Ib\u00E1\u00F1ez."));
  EXPECT_THAT(a.body, Not(HasSubstr("Portada")));
  EXPECT_THAT(a.body, Not(HasSubstr("enviada especial")));
  EXPECT_THAT(a.body, Not(HasSubstr("marzo")));
  EXPECT_EQ(e.metadata.charset, "iso-8859-1");
  EXPECT_EQ(e.metadata.canonical_url,
            "http://www.diariodelvalle.example/cultura/2016/03/07/"
            "festival-cine-premia-jose-martinez.html");
  // No og:site_name: the outlet is what <title> adds after the article's headline.
  EXPECT_EQ(e.metadata.outlet, "Diario del Valle");
  EXPECT_EQ(e.metadata.dek,
            "El director de \u00ABLa \u00FAltima cosecha\u00BB recibi\u00F3 el premio del "
            "p\u00FAblico.");
}

TEST(HtmlExtractorTest, Windows1252DeclaredByContentType) {
  Extracted e = ExtractFixture("cp1252_quotes.html", "text/html; charset=windows-1252");
  const ArticleContent& a = e.content;
  EXPECT_EQ(a.title, "Council\u2019s \u201Cquiet\u201D budget vote draws scrutiny");
  EXPECT_EQ(a.byline, "Priya Natarajan");  // itemprop=author
  EXPECT_EQ(a.published_at, T("2024-02-12T09:00:00Z"));
  EXPECT_EQ(a.updated_at, kNoTime);
  EXPECT_THAT(a.notes, IsEmpty());
  EXPECT_THAT(e.paragraphs,
              ElementsAre("The council approved a \u20AC4.2 million budget amendment on Monday "
                          "\u2014 without the public hearing its own rules require.",
                          "\u201CWe followed the procedure we\u2019ve always followed,\u201D said "
                          "council president Ruth Gallagher\u2026 before adjourning.",
                          "Residents say they learned of the vote only afterwards."));
  EXPECT_EQ(e.metadata.charset, "windows-1252");
  EXPECT_EQ(e.metadata.outlet, "Northfield Gazette");
  EXPECT_EQ(e.metadata.canonical_url, "");
  EXPECT_EQ(e.metadata.dek, "");
}

TEST(HtmlExtractorTest, Windows1252WithoutDeclarationIsSniffed) {
  // Not valid UTF-8 and undeclared: windows-1252, the web's default.
  Extracted e = ExtractFixture("cp1252_quotes.html", "");
  EXPECT_EQ(e.metadata.charset, "windows-1252");
  EXPECT_EQ(e.content.title, "Council\u2019s \u201Cquiet\u201D budget vote draws scrutiny");
}

TEST(HtmlExtractorTest, CorrectionOnlyInJsonLd) {
  Extracted e = ExtractFixture("jsonld_correction.html");
  const ArticleContent& a = e.content;
  EXPECT_EQ(a.title, "Study links river warming to decline in trout populations");
  EXPECT_EQ(a.byline, "Helen Ashby and Jonah Reyes");  // JSON-LD authors, deduplicated
  EXPECT_EQ(a.published_at, T("2023-05-02T10:00:00Z"));
  EXPECT_EQ(a.updated_at, T("2023-05-04T16:20:00Z"));
  ASSERT_THAT(a.notes, SizeIs(2));
  EXPECT_EQ(a.notes[0].text,
            "An earlier version of this article misstated the number of sites studied. It was "
            "140, not 104.");
  EXPECT_EQ(a.notes[0].effective_at, T("2023-05-04T00:00:00Z"));  // CorrectionComment date
  EXPECT_EQ(a.notes[1].text,
            "A photo caption misidentified the Hollis River as the Hollins River.");
  EXPECT_EQ(a.notes[1].effective_at, kNoTime);
  ASSERT_THAT(e.paragraphs, SizeIs(3));
  EXPECT_TRUE(e.paragraphs[0].starts_with("Brook trout have disappeared"));
  EXPECT_EQ(e.paragraphs[2],
            "The authors say shade trees along stream banks could slow the warming.");
  EXPECT_THAT(a.body, Not(HasSubstr("earlier version")));
  EXPECT_THAT(a.body, Not(HasSubstr("Home")));
  EXPECT_EQ(e.metadata.canonical_url, "https://riverbendpost.example/science/trout-study");
  EXPECT_EQ(e.metadata.outlet, "Riverbend Post");  // publisher @id resolved in the array
  EXPECT_EQ(e.metadata.dek, "Researchers tracked water temperatures at 140 sites over 20 years.");
}

TEST(HtmlExtractorTest, EditorsNoteAtTheEndGoesToNotes) {
  Extracted e = ExtractFixture("editors_note.html");
  const ArticleContent& a = e.content;
  EXPECT_EQ(a.title, "Space Force Holds First-Ever Forum with Japan");
  EXPECT_EQ(a.byline, "Chris Gordon");  // the "By …" paragraph at the top
  EXPECT_EQ(a.published_at, T("2023-07-20T13:00:00Z"));
  EXPECT_EQ(a.updated_at, T("2023-07-24T18:30:00Z"));  // <span class="modified">Updated <time>
  ASSERT_THAT(a.notes, SizeIs(1));
  EXPECT_EQ(a.notes[0].text,
            "This story was updated July 24 to clarify additional talks that took place with "
            "Australia and South Korea.");
  EXPECT_EQ(a.notes[0].effective_at, T("2023-07-24T00:00:00Z"));
  EXPECT_THAT(e.paragraphs,
              ElementsAre("The U.S. and Japan held their first-ever Space Engagement Talks in "
                          "Tokyo last week. Officials from both countries discussed space domain "
                          "awareness, debris and launch cooperation.",  // <br> as a space
                          "The Space Force has previously held similar talks with Israel, Brazil, "
                          "Australia, and South Korea.",
                          "Space domain awareness", "Orbital debris", "Tracking"));
  EXPECT_THAT(a.body, Not(HasSubstr("Editor")));
  EXPECT_THAT(a.body, Not(HasSubstr("Share this")));
  EXPECT_THAT(a.body, Not(HasSubstr("logo")));
  EXPECT_EQ(e.metadata.outlet, "Orbit Weekly");
  EXPECT_EQ(e.metadata.dek, "The talks covered space domain awareness and debris.");
}

// "Updated July 24" names no year: it is the first July 24 on or after the article's
// publication (2023-07-20), however much later the page is captured — not the latest July 24
// before the capture.
TEST(HtmlExtractorTest, AYearlessNoteDateIsAnchoredOnThePublicationDate) {
  for (const char* captured : {"2023-07-25T12:00:00Z", "2026-12-04T09:00:00Z"}) {
    Extracted e = ExtractPage(Fixture("html/editors_note.html"), "text/html", T(captured));
    ASSERT_THAT(e.content.notes, SizeIs(1));
    EXPECT_EQ(e.content.notes[0].effective_at, T("2023-07-24T00:00:00Z")) << captured;
  }
  // Without a publication date the year rule stays: the latest July 24 not after the capture.
  Result<ArticleContent> r = ExtractHtml(
      "<article><h1>T</h1><p>The body of the story, long enough to be its text.</p>"
      "<p><em>Editor's Note: This story was updated July 24 to add a quote.</em></p></article>",
      "text/html", T("2026-12-04T09:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_THAT(r->notes, SizeIs(1));
  EXPECT_EQ(r->notes[0].effective_at, T("2026-07-24T00:00:00Z"));
}

TEST(HtmlExtractorTest, NoArticleElementUsesLargestParagraphCluster) {
  Extracted e = ExtractFixture("no_article.html");
  const ArticleContent& a = e.content;
  // <title> minus the suffix the story's <h2> shows; the site's <h1> is the logo.
  EXPECT_EQ(a.title, "Library extends weekend hours");
  EXPECT_EQ(a.byline, "Rosa Ellis");
  EXPECT_EQ(a.published_at, T("2024-03-03T00:00:00Z"));  // <time> without datetime
  EXPECT_EQ(a.updated_at, T("2024-03-04T00:00:00Z"));    // "Updated: March 4, 2024"
  EXPECT_THAT(a.notes, IsEmpty());
  // Known gap: the page's last line ("Millbrook Courier, 12 Main Street…"), a paragraph in an
  // unmarked <div> beside the layout, still comes along: nothing but its position says it is
  // the site's footer. At most that line follows the article.
  ASSERT_THAT(e.paragraphs.size(), ::testing::AllOf(::testing::Ge(3u), ::testing::Le(4u)));
  EXPECT_TRUE(e.paragraphs[0].starts_with("The Millbrook Public Library will stay open"));
  EXPECT_TRUE(e.paragraphs[1].starts_with("Director Alan Brooks said"));
  EXPECT_EQ(e.paragraphs[2],
            "The longer hours will cost about $48,000 a year, paid from a state grant.");
  for (const char* chrome : {"wonderful", "Sunday mornings", "Reader comments", "Weather",
                             "Classifieds", "Updated", "Local"}) {
    EXPECT_THAT(a.body, Not(HasSubstr(chrome))) << chrome;
  }
  EXPECT_EQ(e.metadata.outlet, "Millbrook Courier");
}

TEST(HtmlExtractorTest, TitleSuffixNamingTheOutletIsStripped) {
  Extracted e = ExtractFixture("title_suffix.html");
  const ArticleContent& a = e.content;
  EXPECT_EQ(a.title, "Drought forces water limits in three counties");
  EXPECT_EQ(a.byline, "Tribune Staff");  // <meta name=author>: nothing visible names anyone
  EXPECT_EQ(a.published_at, T("2022-08-09T15:45:00Z"));
  EXPECT_EQ(a.updated_at, T("2022-08-10T08:00:00Z"));
  EXPECT_THAT(a.notes, IsEmpty());
  EXPECT_THAT(e.paragraphs,
              ElementsAre("Residents of Adams, Burke and Clay counties may water lawns only two "
                          "days a week under emergency limits announced Tuesday.",
                          "The limits take effect Monday and last until the state lifts its "
                          "drought declaration.",
                          "Violators face fines starting at $100."));
  EXPECT_THAT(a.body, Not(HasSubstr("JavaScript")));
  EXPECT_THAT(a.body, Not(HasSubstr("Fair opens")));
  EXPECT_EQ(e.metadata.outlet, "The Prairie Tribune");
  EXPECT_EQ(e.metadata.dek, "Residents may water lawns only two days a week.");
}

TEST(HtmlExtractorTest, MalformedMarkupIsRepairedByTheParser) {
  Extracted e = ExtractFixture("malformed.html");
  const ArticleContent& a = e.content;
  EXPECT_EQ(a.title, "Fire destroys historic mill & bakery");
  EXPECT_EQ(a.byline, "Tom Hale");
  EXPECT_EQ(a.published_at, kNoTime);
  EXPECT_EQ(a.updated_at, kNoTime);
  EXPECT_THAT(a.notes, IsEmpty());
  EXPECT_THAT(e.paragraphs,
              ElementsAre("An overnight fire destroyed the 140-year-old Carver Mill and the "
                          "bakery that had operated inside it since 1987, fire officials said "
                          "Wednesday.",
                          "No one was hurt. Firefighters from four towns fought the blaze for six "
                          "hours.",
                          "The mill was built in 1883", "The bakery employed 12 people",
                          "Owner Lisa Carver said she hopes to rebuild. \u00A9 the family",
                          "The cause is under investigation."));
  EXPECT_EQ(e.metadata.charset, "utf-8");  // undeclared, valid UTF-8
  EXPECT_EQ(e.metadata.outlet, "");
  EXPECT_EQ(e.metadata.dek, "No one was hurt in the overnight blaze.");
}

TEST(HtmlExtractorTest, ByteOrderMarkWinsAndTextIsNfc) {
  // The BOM says UTF-8 whatever the header claims (WHATWG encoding sniffing).
  Extracted e = ExtractFixture("bom_nfc.html", "text/html; charset=iso-8859-1");
  const ArticleContent& a = e.content;
  EXPECT_EQ(e.metadata.charset, "utf-8");
  EXPECT_EQ(a.title, "Le caf\u00E9 de la gare ferme ses portes");  // e + U+0301 composed
  EXPECT_EQ(a.byline, "Zo\u00EB Bernard");
  EXPECT_EQ(a.published_at, T("2021-11-05T06:00:00Z"));
  EXPECT_EQ(a.updated_at, kNoTime);
  ASSERT_THAT(a.notes, SizeIs(1));  // <aside class="correction"> beside the articleBody
  EXPECT_TRUE(a.notes[0].text.starts_with("Une version pr\u00E9c\u00E9dente de cet article"));
  EXPECT_THAT(e.paragraphs,
              ElementsAre("Le caf\u00E9 de la gare, ouvert en 1959 par Ren\u00E9 Lef\u00E8vre, "
                          "servira son dernier expresso samedi.",
                          "Une institution", "\u00AB On venait ici avant chaque train. \u00BB",
                          "\u00AB C\u2019\u00E9tait notre deuxi\u00E8me maison. \u00BB",
                          "Ouvert en 1959", "Trois g\u00E9n\u00E9rations de la m\u00EAme famille",
                          "Le b\u00E2timent sera r\u00E9nov\u00E9 par la ville."));
  EXPECT_EQ(e.metadata.dek, "Apr\u00E8s 62 ans, la famille Lef\u00E8vre passe la main.");
  EXPECT_EQ(e.metadata.outlet, "Le Petit Lyonnais");
}

TEST(HtmlExtractorTest, EveryFixtureIsDeterministicAndNormalized) {
  for (const char* name : {"news_graph.html", "latin1_meta.html", "cp1252_quotes.html",
                           "jsonld_correction.html", "editors_note.html", "no_article.html",
                           "title_suffix.html", "malformed.html", "bom_nfc.html"}) {
    SCOPED_TRACE(name);
    std::string raw = Fixture(std::string("html/") + name);
    HtmlMetadata m1, m2;
    Result<ArticleContent> a = ExtractHtml(raw, "text/html", kCaptured, &m1);
    Result<ArticleContent> b = ExtractHtml(raw, "text/html", kCaptured, &m2);
    ASSERT_TRUE(a.ok()) << a.status().message();
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(m1, m2);
    EXPECT_EQ(ContentHash(*a), ContentHash(*b));
    EXPECT_FALSE(a->title.empty());
    for (const std::string& p : SplitParagraphs(a->body)) {
      EXPECT_EQ(p, CollapseWhitespace(p));
      Result<std::string> nfc = NormalizeNfc(p);
      ASSERT_TRUE(nfc.ok());
      EXPECT_EQ(*nfc, p);
    }
    // Without a metadata out-parameter the content is the same.
    Result<ArticleContent> c = ExtractHtml(raw, "text/html", kCaptured);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(*a, *c);
  }
}

TEST(HtmlExtractorTest, UnknownCharsetIsAnErrorNamingIt) {
  Result<ArticleContent> r = ExtractHtml("<p>hello</p>", "text/html; charset=x-klingon", kCaptured);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("x-klingon"));

  r = ExtractHtml("<meta charset=\"bogus-8\"><p>hello</p>", "text/html", kCaptured);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("bogus-8"));
}

// A page is recorded as a browser shows it: a byte invalid in the declared charset is U+FFFD,
// and the metadata says how many there were and where the first one is.
TEST(HtmlExtractorTest, BytesInvalidInTheDeclaredCharsetReadAsReplacementCharacters) {
  HtmlMetadata md;
  Result<ArticleContent> r =
      ExtractHtml("<h1>Caf\xE9</h1><p>text</p>", "text/html; charset=utf-8", kCaptured, &md);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->title, "Caf\uFFFD");
  EXPECT_EQ(r->body, "text");
  EXPECT_THAT(md.invalid_bytes, HasSubstr("1 byte sequence invalid in charset \"utf-8\""));
  EXPECT_THAT(md.invalid_bytes, HasSubstr("offset 7"));
  std::vector<std::string> warnings =
      *CaptureWarnings("<h1>Caf\xE9</h1><p>text</p>", "text/html; charset=utf-8");
  EXPECT_THAT(warnings, ElementsAre(md.invalid_bytes));
}

TEST(HtmlExtractorTest, PageWithoutArticleTextIsAnError) {
  Result<ArticleContent> r =
      ExtractHtml("<html><body><nav><p>Home</p></nav></body></html>", "text/html", kCaptured);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(ExtractHtml("", "text/html", kCaptured).ok());
}

TEST(HtmlExtractorTest, RelatedCardsAreNotTheArticle) {
  // Several <article>s: the one with the most paragraph text is the story.
  Extracted e = ExtractPage(
      "<html><body><article class='card'><h2>Other story</h2><p>Teaser.</p></article>"
      "<article><h1>Main story</h1><p>First paragraph of the main story, long enough to "
      "win.</p><p>Second paragraph.</p></article>"
      "<article class='card'><p>Another teaser.</p></article></body></html>");
  EXPECT_EQ(e.content.title, "Main story");
  EXPECT_THAT(e.paragraphs, ElementsAre("First paragraph of the main story, long enough to win.",
                                        "Second paragraph."));
}

TEST(HtmlExtractorTest, UpdatedEqualToPublishedIsNoUpdate) {
  Extracted e = ExtractPage(
      "<meta property='article:published_time' content='2023-01-02T03:04:05Z'>"
      "<meta property='article:modified_time' content='2023-01-02T03:04:05Z'>"
      "<article><h1>T</h1><p>Body.</p></article>");
  EXPECT_EQ(e.content.published_at, T("2023-01-02T03:04:05Z"));
  EXPECT_EQ(e.content.updated_at, kNoTime);
}

TEST(HtmlExtractorTest, OgTitleWinsAndLosesItsOutletSuffix) {
  Extracted e = ExtractPage(
      "<meta property='og:site_name' content='Daily Planet'>"
      "<meta property='og:title' content='Hero saves city - Daily Planet'>"
      "<title>ignored</title><article><h1>Hero Saves City!</h1><p>Body.</p></article>");
  EXPECT_EQ(e.content.title, "Hero saves city");
}

TEST(HtmlExtractorTest, NoteParagraphsAndCorrectionBoxes) {
  Extracted e = ExtractPage(
      "<article><h1>T</h1><p>Correction: An earlier version misspelled a name.</p>"
      "<p>Body text.</p><div class='editors-note'><strong>Editor's note</strong>"
      "<p>Names have been changed.</p></div>"
      "<p>Update: The council replied on July 21, 2023.</p></article>");
  EXPECT_THAT(e.paragraphs, ElementsAre("Body text."));
  ASSERT_THAT(e.content.notes, SizeIs(3));
  EXPECT_EQ(e.content.notes[0].text, "An earlier version misspelled a name.");
  EXPECT_EQ(e.content.notes[1].text, "Names have been changed.");
  EXPECT_EQ(e.content.notes[2].text, "The council replied on July 21, 2023.");
  EXPECT_EQ(e.content.notes[2].effective_at, T("2023-07-21T00:00:00Z"));
}

TEST(HtmlExtractorTest, ProseStartingWithByAndInlineLinksStayInTheBody) {
  Extracted e = ExtractPage(
      "<article><h1>T</h1><p>By the time crews arrived, the fire had spread.</p>"
      "<p>Mayor <a class='tag-link' href='/t/lee'>Ann Lee</a> said <span class=ad>so</span>."
      "</p></article>");
  EXPECT_EQ(e.content.byline, "");
  EXPECT_THAT(e.paragraphs, ElementsAre("By the time crews arrived, the fire had spread.",
                                        "Mayor Ann Lee said so."));
}

TEST(HtmlExtractorTest, TruncatedGarbledAndDeepPagesNeverCrash) {
  for (const char* name : {"news_graph.html", "latin1_meta.html", "jsonld_correction.html",
                           "malformed.html", "bom_nfc.html"}) {
    std::string raw = Fixture(std::string("html/") + name);
    for (size_t cut = 0; cut < raw.size(); cut += 131) {
      std::string prefix = raw.substr(0, cut);
      Result<ArticleContent> r = ExtractHtml(prefix, "", kCaptured);
      if (!r.ok()) {
        EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << name << cut;
      }
      // Flip a byte too: sniffed pages never fail on bytes, declared ones may.
      if (!prefix.empty()) prefix[cut / 2] = static_cast<char>(prefix[cut / 2] ^ 0xA5);
      r = ExtractHtml(prefix, "", kCaptured);
      if (!r.ok()) {
        EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << name << cut;
      }
    }
  }
  std::string deep = "<article><h1>Deep</h1>";
  for (int i = 0; i < 400; ++i) deep += "<div><blockquote><li>";  // 1,200 levels
  deep += "<p>too deep to matter</p>";
  Result<ArticleContent> r = ExtractHtml(deep, "text/html", kCaptured);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->title, "Deep");
}

// --- JSON-LD -------------------------------------------------------------------------------

using html_internal::FindJsonLdArticle;
using html_internal::JsonLdArticle;

TEST(HtmlJsonLdTest, SingleObjectWithAuthorString) {
  JsonLdArticle a;
  ASSERT_TRUE(FindJsonLdArticle({R"({"@type":"NewsArticle","headline":"H",
      "author":"Jo Bloggs","datePublished":"2020-01-01","publisher":"Outlet",
      "correction":{"@type":"CorrectionComment","text":"Fixed.","datePublished":"2020-01-02"}})"},
                                &a));
  EXPECT_EQ(a.headline, "H");
  EXPECT_THAT(a.authors, ElementsAre("Jo Bloggs"));
  EXPECT_EQ(a.publisher, "Outlet");
  EXPECT_EQ(a.date_published, "2020-01-01");
  ASSERT_THAT(a.corrections, SizeIs(1));
  EXPECT_EQ(a.corrections[0].text, "Fixed.");
  EXPECT_EQ(a.corrections[0].date_published, "2020-01-02");
}

TEST(HtmlJsonLdTest, GraphReferencesAcrossScriptsAndMainEntity) {
  JsonLdArticle a;
  ASSERT_TRUE(FindJsonLdArticle(
      {R"({"@graph":[{"@type":"Person","@id":"#p1","name":"Ann Lee"}]})",
       R"(<!-- {"@type":"WebPage","mainEntity":{"@type":["CreativeWork","schema:Article"],
          "headline":"Inside","author":[{"@id":"#p1"},{"name":["Bo Chu"]}],}} -->)"},
      &a));
  EXPECT_EQ(a.headline, "Inside");
  EXPECT_THAT(a.authors, ElementsAre("Ann Lee", "Bo Chu"));
}

TEST(HtmlJsonLdTest, NoArticleOrInvalidJson) {
  JsonLdArticle a;
  EXPECT_FALSE(FindJsonLdArticle({R"({"@type":"Organization","name":"X"})"}, &a));
  EXPECT_FALSE(
      FindJsonLdArticle({"{not json", "", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]"}, &a));
  EXPECT_FALSE(FindJsonLdArticle({}, &a));
}

// The page facts that are kept with the content, and the dek only as the page prints it.
TEST(HtmlExtractorTest, ContentCarriesDekDatelineOutletAndCanonicalUrl) {
  Extracted e = ExtractPage(
      "<html><head><title>Pier Reopens | Harbor Gazette</title>"
      "<link rel=canonical href=\"https://harbor.example/news/pier\">"
      "<meta property=\"og:site_name\" content=\"Harbor Gazette\">"
      "<meta name=description content=\"For search engines.\"></head><body><article>"
      "<header><h1>Pier Reopens</h1><p class=\"dek\">Repairs end early</p></header>"
      "<p>PORT ELLEN, Scotland \u2014 The pier reopened on Monday after repairs.</p>"
      "<p>Ferries resume next week.</p></article></body></html>");
  EXPECT_EQ(e.content.dek, "Repairs end early");
  EXPECT_EQ(e.content.dateline, "PORT ELLEN, Scotland");
  EXPECT_EQ(e.content.outlet, "Harbor Gazette");
  EXPECT_EQ(e.content.canonical_url, "https://harbor.example/news/pier");
  Extracted no_dek = ExtractPage(
      "<html><head><meta name=description content=\"For search engines.\"></head><body>"
      "<article><h1>Pier Reopens</h1><p>The pier reopened on Monday after repairs.</p>"
      "</article></body></html>");
  EXPECT_EQ(no_dek.metadata.dek, "For search engines.");
  EXPECT_EQ(no_dek.content.dek, "") << "a description is not printed on the page";
  EXPECT_EQ(no_dek.content.dateline, "");
}

}  // namespace
}  // namespace palimpsest
