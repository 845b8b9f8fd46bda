// ParseFeedLinks: RSS 2.0, RSS 1.0, Atom, sitemaps and sitemap indexes; relative links and
// xml:base, CDATA, duplicates, links that are not http(s), the entry limit, and refusals
// (DOCTYPE, malformed XML, unknown roots, oversized input).

#include "cli/watch/feed_links.h"

#include <gtest/gtest.h>

#include <string>

namespace palimpsest::cli {
namespace {

constexpr std::string_view kFeedUrl = "https://news.example.com/feeds/main.xml";

FeedLinks ParseOk(std::string_view xml, size_t max_entries = kDefaultMaxFeedEntries) {
  Result<FeedLinks> links = ParseFeedLinks(xml, kFeedUrl, max_entries);
  EXPECT_TRUE(links.ok()) << links.status().message();
  return links.ok() ? std::move(links).value() : FeedLinks();
}

void ExpectRefused(std::string_view xml) {
  Result<FeedLinks> links = ParseFeedLinks(xml, kFeedUrl);
  ASSERT_FALSE(links.ok());
  EXPECT_EQ(links.status().code(), StatusCode::kInvalidArgument);
}

TEST(FeedLinksTest, ASchemeInMixedCaseIsKeptLowerCase) {
  // Found by feed_links_fuzzer: "httP" is http, and a link keeps the lower-case form.
  const FeedLinks links = ParseOk(R"(<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>httPs://news.example.com/e</loc></url></urlset>)");
  ASSERT_EQ(links.entries.size(), 1u);
  EXPECT_EQ(links.entries[0].url, "https://news.example.com/e");
}

TEST(FeedLinksTest, Rss2Items) {
  const FeedLinks links = ParseOk(R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
  <title>News</title><link>https://news.example.com/</link>
  <item><title> First &amp; foremost </title>
    <link>
      https://news.example.com/2024/first
    </link><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate></item>
  <item><title><![CDATA[Second <b>story</b>]]></title><link>/2024/second</link>
    <dc:date>2024-01-02T00:00:00Z</dc:date></item>
  <item><title>Third</title><link>../other/third?a=1&amp;b=2</link></item>
</channel></rss>)");
  EXPECT_EQ(links.kind, FeedLinks::Kind::kRss);
  ASSERT_EQ(links.entries.size(), 3u);
  EXPECT_EQ(links.entries[0].url, "https://news.example.com/2024/first");
  EXPECT_EQ(links.entries[0].title, "First & foremost");
  EXPECT_EQ(links.entries[0].published, "Mon, 01 Jan 2024 10:00:00 GMT");
  EXPECT_EQ(links.entries[1].url, "https://news.example.com/2024/second");
  EXPECT_EQ(links.entries[1].title, "Second <b>story</b>");
  EXPECT_EQ(links.entries[1].published, "2024-01-02T00:00:00Z");
  EXPECT_EQ(links.entries[2].url, "https://news.example.com/other/third?a=1&b=2");
  EXPECT_EQ(links.skipped, 0u);
}

TEST(FeedLinksTest, RssGuidIsTheLinkOnlyWhenAPermalinkUrl) {
  const FeedLinks links = ParseOk(R"(<rss><channel>
  <item><guid>https://news.example.com/a</guid></item>
  <item><guid isPermaLink="true">https://news.example.com/b</guid></item>
  <item><guid isPermaLink="false">https://news.example.com/c</guid></item>
  <item><guid>12345</guid></item>
  <item><title>no link at all</title></item>
  <item><link>javascript:alert(1)</link><guid>https://news.example.com/d</guid></item>
</channel></rss>)");
  ASSERT_EQ(links.entries.size(), 3u);
  EXPECT_EQ(links.entries[0].url, "https://news.example.com/a");
  EXPECT_EQ(links.entries[1].url, "https://news.example.com/b");
  EXPECT_EQ(links.entries[2].url, "https://news.example.com/d");
  EXPECT_EQ(links.skipped, 3u);
}

TEST(FeedLinksTest, NonHttpLinksAndDuplicatesAreDropped) {
  const FeedLinks links = ParseOk(R"(<rss><channel>
  <item><link>https://news.example.com/x</link></item>
  <item><link>mailto:editor@example.com</link></item>
  <item><link>ftp://news.example.com/file</link></item>
  <item><link>https://news.example.com/x</link></item>
  <item><link>http://[bad</link></item>
  <item><link>http://other.example.org/y z</link></item>
</channel></rss>)");
  ASSERT_EQ(links.entries.size(), 2u);
  EXPECT_EQ(links.entries[0].url, "https://news.example.com/x");
  EXPECT_EQ(links.entries[1].url, "http://other.example.org/y%20z");
  EXPECT_EQ(links.skipped, 3u);
}

TEST(FeedLinksTest, Rss1Rdf) {
  const FeedLinks links = ParseOk(R"(<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example.com/"><title>News</title></channel>
  <item rdf:about="https://news.example.com/one"><title>One</title>
    <link>https://news.example.com/one</link><dc:date>2024-03-01</dc:date></item>
  <item rdf:about="https://news.example.com/two"><title>Two</title></item>
</rdf:RDF>)");
  EXPECT_EQ(links.kind, FeedLinks::Kind::kRss);
  ASSERT_EQ(links.entries.size(), 2u);
  EXPECT_EQ(links.entries[0].url, "https://news.example.com/one");
  EXPECT_EQ(links.entries[0].title, "One");
  EXPECT_EQ(links.entries[0].published, "2024-03-01");
  EXPECT_EQ(links.entries[1].url, "https://news.example.com/two");
}

TEST(FeedLinksTest, AtomWithXmlBaseAndLinkChoice) {
  const FeedLinks links = ParseOk(R"(<?xml version="1.0" encoding="utf-8"?>
<a:feed xmlns:a="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/base/">
  <a:link rel="self" href="https://blog.example.org/feed"/>
  <a:entry><a:title type="html">First</a:title>
    <a:link rel="self" href="/api/1"/>
    <a:link rel="alternate" type="application/pdf" href="one.pdf"/>
    <a:link rel="alternate" type="text/html" href="one.html"/>
    <a:published>2024-01-01T00:00:00Z</a:published><a:updated>2024-02-01T00:00:00Z</a:updated>
  </a:entry>
  <a:entry xml:base="/section/"><a:title>Second</a:title><a:link href="two"/>
    <a:updated>2024-02-02T00:00:00Z</a:updated>
    <a:source><a:link href="https://elsewhere.example/"/></a:source></a:entry>
  <a:entry><a:title>Only edit</a:title><a:link rel="edit" href="/edit/3"/></a:entry>
  <a:entry><a:link rel="enclosure" href="/audio.mp3"/><a:link href="four"/></a:entry>
</a:feed>)");
  EXPECT_EQ(links.kind, FeedLinks::Kind::kAtom);
  ASSERT_EQ(links.entries.size(), 3u);
  EXPECT_EQ(links.entries[0].url, "https://blog.example.org/base/one.html");
  EXPECT_EQ(links.entries[0].title, "First");
  EXPECT_EQ(links.entries[0].published, "2024-01-01T00:00:00Z");
  EXPECT_EQ(links.entries[1].url, "https://blog.example.org/section/two");
  EXPECT_EQ(links.entries[1].published, "2024-02-02T00:00:00Z");
  EXPECT_EQ(links.entries[2].url, "https://blog.example.org/base/four");
  EXPECT_EQ(links.skipped, 1u);
}

TEST(FeedLinksTest, AtomIsRecognisedByNamespaceNotPrefix) {
  ExpectRefused(R"(<feed xmlns="http://example.com/not-atom"><entry/></feed>)");
  const FeedLinks links = ParseOk(
      R"(<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/x"/></entry></feed>)");
  ASSERT_EQ(links.entries.size(), 1u);
  EXPECT_EQ(links.entries[0].url, "https://news.example.com/x");
}

TEST(FeedLinksTest, AtomXhtmlTitleGivesItsText) {
  const FeedLinks links = ParseOk(R"(<feed xmlns="http://www.w3.org/2005/Atom"><entry>
  <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Hi <b>there</b></div></title>
  <link href="https://news.example.com/hi"/></entry></feed>)");
  ASSERT_EQ(links.entries.size(), 1u);
  EXPECT_EQ(links.entries[0].title, "Hi there");
}

TEST(FeedLinksTest, SitemapWithoutNamespaceAndEmptyLoc) {
  const FeedLinks links = ParseOk(
      "<urlset><url><loc>https://news.example.com/a</loc></url><url><loc> </loc></url></urlset>");
  EXPECT_EQ(links.kind, FeedLinks::Kind::kSitemap);
  ASSERT_EQ(links.entries.size(), 1u);
  EXPECT_EQ(links.skipped, 1u);
}

TEST(FeedLinksTest, Sitemap) {
  const FeedLinks links = ParseOk(R"(<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example.com/a</loc><lastmod>2024-05-01</lastmod></url>
  <url><loc> /b </loc></url>
  <url><loc>https://news.example.com/c</loc><lastmod>2024-05-03</lastmod>
    <news:news><news:publication><news:name>N</news:name></news:publication>
      <news:publication_date>2024-05-02T08:00:00Z</news:publication_date>
      <news:title>Story C</news:title></news:news></url>
  <url><lastmod>2024-05-04</lastmod></url>
</urlset>)");
  EXPECT_EQ(links.kind, FeedLinks::Kind::kSitemap);
  ASSERT_EQ(links.entries.size(), 3u);
  EXPECT_EQ(links.entries[0].url, "https://news.example.com/a");
  EXPECT_EQ(links.entries[0].published, "2024-05-01");
  EXPECT_EQ(links.entries[1].url, "https://news.example.com/b");
  EXPECT_EQ(links.entries[2].title, "Story C");
  EXPECT_EQ(links.entries[2].published, "2024-05-02T08:00:00Z");
  EXPECT_EQ(links.skipped, 1u);
  EXPECT_TRUE(links.sitemaps.empty());
}

TEST(FeedLinksTest, SitemapIndex) {
  const FeedLinks links = ParseOk(R"(<sitemapindex
    xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example.com/sitemap-1.xml</loc></sitemap>
  <sitemap><loc>sitemap-2.xml</loc><lastmod>2024-01-01</lastmod></sitemap>
  <sitemap><loc>sitemap-2.xml</loc></sitemap>
  <sitemap><loc>file:///etc/passwd</loc></sitemap>
</sitemapindex>)");
  EXPECT_EQ(links.kind, FeedLinks::Kind::kSitemapIndex);
  EXPECT_TRUE(links.entries.empty());
  ASSERT_EQ(links.sitemaps.size(), 2u);
  EXPECT_EQ(links.sitemaps[0], "https://news.example.com/sitemap-1.xml");
  EXPECT_EQ(links.sitemaps[1], "https://news.example.com/feeds/sitemap-2.xml");
  EXPECT_EQ(links.skipped, 1u);
}

TEST(FeedLinksTest, TextSplitAcrossEntitiesAndCdataIsJoined) {
  const FeedLinks links = ParseOk(
      "<rss><channel><item><link>https://news.example.com/a&#47;b<![CDATA[/c]]>?x=1&amp;y=2"
      "</link><title>A &lt;tag&gt; <![CDATA[&]]> more</title></item></channel></rss>");
  ASSERT_EQ(links.entries.size(), 1u);
  EXPECT_EQ(links.entries[0].url, "https://news.example.com/a/b/c?x=1&y=2");
  EXPECT_EQ(links.entries[0].title, "A <tag> & more");
}

TEST(FeedLinksTest, MaxEntriesKeepsTheFirstAndCountsTheRest) {
  std::string xml = "<rss><channel>";
  for (int i = 0; i < 10; ++i) {
    xml += "<item><link>/story/" + std::to_string(i) + "</link></item>";
  }
  xml += "</channel></rss>";
  const FeedLinks links = ParseOk(xml, 4);
  ASSERT_EQ(links.entries.size(), 4u);
  EXPECT_EQ(links.entries[3].url, "https://news.example.com/story/3");
  EXPECT_EQ(links.skipped, 6u);
}

TEST(FeedLinksTest, Windows1252IsAccepted) {
  const FeedLinks links = ParseOk(
      "<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss><channel><item>"
      "<title>\x93quoted\x94 caf\xE9</title><link>/q</link></item></channel></rss>");
  ASSERT_EQ(links.entries.size(), 1u);
  EXPECT_EQ(links.entries[0].title, "\xE2\x80\x9Cquoted\xE2\x80\x9D caf\xC3\xA9");
}

TEST(FeedLinksTest, DoctypeIsRefused) {
  ExpectRefused(R"(<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss><channel><item><title>&b;</title><link>/x</link></item></channel></rss>)");
  ExpectRefused(R"(<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss><channel/></rss>)");
}

TEST(FeedLinksTest, MalformedXmlIsRefused) {
  ExpectRefused("");
  ExpectRefused("not xml at all");
  ExpectRefused("<rss><channel><item><link>/x</link></channel></rss>");
  ExpectRefused("<rss><channel><item><link>/x</item></channel></rss>");
  ExpectRefused("<rss><channel>&undefined;</channel></rss>");
  ExpectRefused(std::string("<rss><channel>\0</channel></rss>", 31));
  ExpectRefused("<?xml version=\"1.0\" encoding=\"x-unknown\"?><rss/>");
}

TEST(FeedLinksTest, OtherDocumentsAreRefused) {
  ExpectRefused("<html><body><a href='/x'>x</a></body></html>");
  ExpectRefused(R"(<urlset xmlns="http://example.com/other"><url><loc>/a</loc></url></urlset>)");
}

TEST(FeedLinksTest, OversizedInputIsRefused) {
  std::string xml = "<rss><channel>";
  xml.append(kMaxFeedBytes, ' ');
  xml += "</channel></rss>";
  ExpectRefused(xml);
}

TEST(FeedLinksTest, RelativeLinksNeedAnAbsoluteFeedUrl) {
  Result<FeedLinks> links = ParseFeedLinks(
      "<rss><channel><item><link>/rel</link></item>"
      "<item><link>https://news.example.com/abs</link></item></channel></rss>",
      "not a url");
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->entries.size(), 1u);
  EXPECT_EQ(links->entries[0].url, "https://news.example.com/abs");
  EXPECT_EQ(links->skipped, 1u);
}

}  // namespace
}  // namespace palimpsest::cli
