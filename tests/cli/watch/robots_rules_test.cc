// RobotsRules (RFC 9309): group selection, rule precedence, wildcards and "$", percent-encoding,
// crawl-delay, sitemaps, line ends and BOM, and bounded work on hostile input.

#include "cli/watch/robots_rules.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace palimpsest::cli {
namespace {

TEST(RobotsRulesTest, AllowAllAndDefaultAllowEverything) {
  EXPECT_TRUE(RobotsRules::AllowAll().Allows("/private/x"));
  EXPECT_TRUE(RobotsRules().Allows(""));
  EXPECT_FALSE(RobotsRules::AllowAll().crawl_delay_seconds().has_value());
}

TEST(RobotsRulesTest, DisallowAllStillAllowsRobotsTxt) {
  const RobotsRules rules = RobotsRules::DisallowAll();
  EXPECT_FALSE(rules.Allows("/"));
  EXPECT_FALSE(rules.Allows(""));
  EXPECT_FALSE(rules.Allows("/news/story?id=1"));
  EXPECT_TRUE(rules.Allows("/robots.txt"));
}

TEST(RobotsRulesTest, EmptyBodyAllowsEverything) {
  EXPECT_TRUE(RobotsRules::Parse("", "palimpsest").Allows("/a"));
}

TEST(RobotsRulesTest, OwnGroupBeatsStarGroup) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: *\nDisallow: /\n\nUser-agent: Palimpsest\nDisallow: /private\n", "palimpsest");
  EXPECT_TRUE(rules.Allows("/news"));
  EXPECT_FALSE(rules.Allows("/private/a"));
}

TEST(RobotsRulesTest, StarGroupWhenNoGroupNamesTheToken) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /tmp/\n", "palimpsest");
  EXPECT_TRUE(rules.Allows("/news"));
  EXPECT_FALSE(rules.Allows("/tmp/x"));
}

TEST(RobotsRulesTest, OwnGroupWithoutRulesAllowsEverything) {
  const RobotsRules rules =
      RobotsRules::Parse("User-agent: *\nDisallow: /\nUser-agent: palimpsest\n", "palimpsest");
  EXPECT_TRUE(rules.Allows("/anything"));
}

TEST(RobotsRulesTest, TokenMatchIgnoresCaseAndVersion) {
  const RobotsRules rules =
      RobotsRules::Parse("user-agent: PALIMPSEST/2.0\ndisallow: /x\n", "Palimpsest/1.0");
  EXPECT_FALSE(rules.Allows("/x"));
  const RobotsRules other =
      RobotsRules::Parse("User-agent: palimpsestbot\nDisallow: /\n", "palimpsest");
  EXPECT_TRUE(other.Allows("/x"));  // another crawler's token, not a prefix match
}

TEST(RobotsRulesTest, SeveralUserAgentsShareOneGroup) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: a\nUser-agent: palimpsest\n\nUser-agent: b\nDisallow: /shared\n", "palimpsest");
  EXPECT_FALSE(rules.Allows("/shared"));
}

TEST(RobotsRulesTest, UserAgentAfterRulesStartsANewGroup) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: palimpsest\nDisallow: /a\nUser-agent: other\nDisallow: /b\n", "palimpsest");
  EXPECT_FALSE(rules.Allows("/a"));
  EXPECT_TRUE(rules.Allows("/b"));
}

TEST(RobotsRulesTest, GroupsForTheSameAgentMerge) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: palimpsest\nDisallow: /a\nUser-agent: x\nDisallow: /c\n"
      "User-agent: palimpsest\nDisallow: /b\n",
      "palimpsest");
  EXPECT_FALSE(rules.Allows("/a"));
  EXPECT_FALSE(rules.Allows("/b"));
  EXPECT_TRUE(rules.Allows("/c"));
}

TEST(RobotsRulesTest, RulesBeforeAnyUserAgentAreIgnored) {
  const RobotsRules rules = RobotsRules::Parse("Disallow: /\nUser-agent: *\nAllow: /\n", "p");
  EXPECT_TRUE(rules.Allows("/x"));
}

TEST(RobotsRulesTest, LongestMatchWinsAndAllowWinsTies) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: *\nDisallow: /news\nAllow: /news/public\nDisallow: /page\nAllow: /page\n",
      "palimpsest");
  EXPECT_FALSE(rules.Allows("/news/secret"));
  EXPECT_TRUE(rules.Allows("/news/public/1"));
  EXPECT_TRUE(rules.Allows("/page"));
  const RobotsRules reversed =
      RobotsRules::Parse("User-agent: *\nAllow: /news\nDisallow: /news/private\n", "palimpsest");
  EXPECT_TRUE(reversed.Allows("/news/x"));
  EXPECT_FALSE(reversed.Allows("/news/private/y"));
}

TEST(RobotsRulesTest, EmptyDisallowAllowsEverything) {
  const RobotsRules rules = RobotsRules::Parse("User-agent: *\nDisallow:\n", "palimpsest");
  EXPECT_TRUE(rules.Allows("/x"));
}

TEST(RobotsRulesTest, WildcardsAndEndAnchor) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: *\nDisallow: /*.pdf$\nDisallow: /*/print*/\nDisallow: /exact$\n"
      "Disallow: /search*q=\n",
      "palimpsest");
  EXPECT_FALSE(rules.Allows("/files/report.pdf"));
  EXPECT_TRUE(rules.Allows("/files/report.pdf?download=1"));
  EXPECT_TRUE(rules.Allows("/files/report.pdfx"));
  EXPECT_FALSE(rules.Allows("/2024/printable/x"));
  EXPECT_TRUE(rules.Allows("/2024/printable"));
  EXPECT_FALSE(rules.Allows("/exact"));
  EXPECT_TRUE(rules.Allows("/exact/more"));
  EXPECT_FALSE(rules.Allows("/search?lang=en&q=x"));
  EXPECT_TRUE(rules.Allows("/search?lang=en"));
}

TEST(RobotsRulesTest, AnchorAfterWildcardNeedsTheRunAtTheEnd) {
  const RobotsRules rules = RobotsRules::Parse("User-agent: *\nDisallow: /*ab$\n", "p");
  EXPECT_FALSE(rules.Allows("/ab"));
  EXPECT_FALSE(rules.Allows("/xabab"));
  EXPECT_TRUE(rules.Allows("/abx"));
}

TEST(RobotsRulesTest, PatternsWithoutSlashAreRootedAndQueryCounts) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: *\nDisallow: private\n"
      "Disallow: /*?sessionid\n",
      "p");
  EXPECT_FALSE(rules.Allows("/private"));
  EXPECT_FALSE(rules.Allows("/a?sessionid=1"));
  EXPECT_TRUE(rules.Allows("/a?id=1"));
}

TEST(RobotsRulesTest, PercentEncodingIsComparedNormalized) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: *\nDisallow: /%7Euser\nDisallow: /a%2fb\nDisallow: /caf\xC3\xA9\n", "p");
  EXPECT_FALSE(rules.Allows("/~user/page"));
  EXPECT_FALSE(rules.Allows("/%7euser"));
  EXPECT_FALSE(rules.Allows("/a%2Fb"));
  EXPECT_TRUE(rules.Allows("/a/b"));  // an escaped "/" is not a "/"
  EXPECT_FALSE(rules.Allows("/caf%c3%a9"));
}

TEST(RobotsRulesTest, RobotsTxtIsAlwaysAllowed) {
  const RobotsRules rules = RobotsRules::Parse("User-agent: *\nDisallow: /\n", "p");
  EXPECT_FALSE(rules.Allows("/"));
  EXPECT_FALSE(rules.Allows(""));
  EXPECT_TRUE(rules.Allows("/robots.txt"));
}

TEST(RobotsRulesTest, CommentsFieldCaseAndLinesWithoutColon) {
  const RobotsRules rules = RobotsRules::Parse(
      "# robots\nUSER-AGENT : palimpsest # us\nthis line has no colon\n"
      "DISALLOW:/hidden # secret\n",
      "palimpsest");
  EXPECT_FALSE(rules.Allows("/hidden"));
  EXPECT_TRUE(rules.Allows("/shown"));
}

TEST(RobotsRulesTest, CrLfCrAndBom) {
  const RobotsRules crlf =
      RobotsRules::Parse("\xEF\xBB\xBFUser-agent: *\r\nDisallow: /a\r\nDisallow: /b\r\n", "p");
  EXPECT_FALSE(crlf.Allows("/a"));
  EXPECT_FALSE(crlf.Allows("/b"));
  EXPECT_TRUE(crlf.Allows("/c"));
  const RobotsRules cr = RobotsRules::Parse("User-agent: *\rDisallow: /a\rAllow: /a/b\r", "p");
  EXPECT_FALSE(cr.Allows("/a"));
  EXPECT_TRUE(cr.Allows("/a/b"));
}

TEST(RobotsRulesTest, CrawlDelayOfTheChosenGroup) {
  const RobotsRules rules = RobotsRules::Parse(
      "User-agent: *\nCrawl-delay: 30\n\nUser-agent: palimpsest\nCrawl-delay: 2.5\n", "palimpsest");
  ASSERT_TRUE(rules.crawl_delay_seconds().has_value());
  EXPECT_DOUBLE_EQ(*rules.crawl_delay_seconds(), 2.5);
  const RobotsRules star = RobotsRules::Parse("User-agent: *\nCrawl-delay: 30\n", "palimpsest");
  EXPECT_DOUBLE_EQ(star.crawl_delay_seconds().value_or(0), 30);
}

TEST(RobotsRulesTest, AbsurdCrawlDelaysAreIgnoredOrClamped) {
  EXPECT_FALSE(RobotsRules::Parse("User-agent: *\nCrawl-delay: -5\n", "p")
                   .crawl_delay_seconds()
                   .has_value());
  EXPECT_FALSE(RobotsRules::Parse("User-agent: *\nCrawl-delay: soon\n", "p")
                   .crawl_delay_seconds()
                   .has_value());
  EXPECT_FALSE(RobotsRules::Parse("User-agent: *\nCrawl-delay: nan\n", "p")
                   .crawl_delay_seconds()
                   .has_value());
  EXPECT_DOUBLE_EQ(RobotsRules::Parse("User-agent: *\nCrawl-delay: 1e12\n", "p")
                       .crawl_delay_seconds()
                       .value_or(0),
                   RobotsRules::kMaxCrawlDelaySeconds);
}

TEST(RobotsRulesTest, SitemapsAreCollectedAndDoNotSplitGroups) {
  const RobotsRules rules = RobotsRules::Parse(
      "Sitemap: https://example.com/s1.xml\nUser-agent: *\nSitemap: https://example.com/s2.xml\n"
      "Disallow: /x\n",
      "p");
  EXPECT_FALSE(rules.Allows("/x"));
  ASSERT_EQ(rules.sitemaps().size(), 2u);
  EXPECT_EQ(rules.sitemaps()[0], "https://example.com/s1.xml");
  EXPECT_EQ(rules.sitemaps()[1], "https://example.com/s2.xml");
}

TEST(RobotsRulesTest, OnlyTheFirst500KiBAreRead) {
  std::string body = "User-agent: *\n";
  while (body.size() < RobotsRules::kMaxBodyBytes - 20) body += "# padding\n";
  body += "Disallow: /cut-in-the-middle-of-this-rule\nDisallow: /late\n";
  const RobotsRules rules = RobotsRules::Parse(body, "p");
  EXPECT_TRUE(rules.Allows("/late"));
  EXPECT_TRUE(rules.Allows("/cut"));  // the partial line is dropped, not read as "/cut"
}

TEST(RobotsRulesTest, HostilePatternsStayFast) {
  std::string body = "User-agent: *\n";
  body += "Disallow: /" + std::string(20000, '*') + "a*a*a*a*a*a*a*a*a*a*b$\n";
  for (int i = 0; i < 2000; ++i)
    body += "Disallow: /*a*a*a*a*a*a*a*a*a*" + std::to_string(i) + "\n";
  body += "Allow: /" + std::string(100000, 'a') + "\n";
  const RobotsRules rules = RobotsRules::Parse(body, "p");
  const std::string path = "/" + std::string(4000, 'a');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(rules.Allows(path));
  EXPECT_FALSE(rules.Allows(path + "b"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

}  // namespace
}  // namespace palimpsest::cli
