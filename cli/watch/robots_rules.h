// robots.txt for the watch feature (RFC 9309): which paths of a site the crawler may fetch, and
// how long the site asks it to wait between fetches. Parsing is bounded: at most the first
// 500 KiB of a robots.txt is read, and checking a path is linear in the path and the rules.

#ifndef PALIMPSEST_CLI_WATCH_ROBOTS_RULES_H_
#define PALIMPSEST_CLI_WATCH_ROBOTS_RULES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace palimpsest::cli {

// The rules of one site's robots.txt for one crawler. A default-constructed RobotsRules allows
// everything. Immutable once made: a const RobotsRules may be used from many threads at once.
class RobotsRules {
 public:
  // The most of a robots.txt that Parse reads; a line cut by this limit is dropped.
  static constexpr size_t kMaxBodyBytes = 500 * 1024;
  // The largest crawl-delay kept, in seconds (24 hours); larger values are clamped to it.
  static constexpr double kMaxCrawlDelaySeconds = 24.0 * 60 * 60;

  RobotsRules() = default;

  // Rules that allow everything (no robots.txt, or a 4xx answer for it).
  static RobotsRules AllowAll();

  // Rules that disallow everything but "/robots.txt" (robots.txt answered 5xx or was
  // unreachable: RFC 9309 says to assume a complete disallow).
  static RobotsRules DisallowAll();

  // Parses `body`, a robots.txt, for the crawler whose product token is `product_token` (e.g.
  // "palimpsest"; anything after the token, like "/1.0", is ignored). The rules are those of
  // every group with a user-agent line naming the token (case-insensitively), or, when no group
  // names it, of every "*" group. Never fails: lines that are not records are skipped. Reads at
  // most kMaxBodyBytes; a UTF-8 BOM, comments and CR, LF or CRLF line ends are accepted.
  static RobotsRules Parse(std::string_view body, std::string_view product_token);

  // Whether `path` (the path and query of a URL, starting with "/"; "" means "/") may be
  // fetched. The longest matching rule wins and Allow wins a tie between Allow and Disallow;
  // no matching rule means allowed. Patterns support "*" (any run of characters) and a final
  // "$" (end of path). Percent-encoding is compared normalized: escapes of unreserved
  // characters are decoded (%7E is "~"), other escapes compared with upper-case hex digits,
  // and bytes that cannot appear in a URI are escaped. "/robots.txt" is always allowed.
  // Linear in the size of `path` times the number of rules, plus the size of the rules.
  bool Allows(std::string_view path) const;

  // The crawl-delay of the chosen groups in seconds (the first valid one), when given: a
  // non-standard but common record. Negative and NaN values are ignored; values above
  // kMaxCrawlDelaySeconds are clamped to it. nullopt when not given.
  std::optional<double> crawl_delay_seconds() const { return crawl_delay_; }

  // The values of the Sitemap records, in file order, whatever group they appear in (they
  // belong to no group). Not resolved or checked: they are meant to be absolute URLs.
  const std::vector<std::string>& sitemaps() const { return sitemaps_; }

 private:
  struct Rule {
    bool allow = false;
    std::string pattern;  // normalized; "*" is a wildcard and a final "$" an anchor
  };

  std::vector<Rule> rules_;  // longest pattern first; Allow first between equal lengths
  std::optional<double> crawl_delay_;
  std::vector<std::string> sitemaps_;
  bool disallow_all_ = false;
};

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_ROBOTS_RULES_H_
