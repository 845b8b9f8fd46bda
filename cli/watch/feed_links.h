// Article links from web feeds and sitemaps, for the watch feature: RSS 2.0 (and 0.9x without
// a DOCTYPE), RSS 1.0 (RDF), Atom 1.0, XML sitemaps (with the Google News extension's title and
// publication date) and sitemap indexes. Parsed with expat, namespace-aware, so elements are
// recognised by namespace URI whatever their prefix. Links are resolved with Boost.URL.

#ifndef PALIMPSEST_CLI_WATCH_FEED_LINKS_H_
#define PALIMPSEST_CLI_WATCH_FEED_LINKS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/status.h"

namespace palimpsest::cli {

// One article page listed by a feed or sitemap.
struct FeedEntry {
  std::string url;        // absolute http(s) URL, resolved against the feed's URL and xml:base
  std::string title;      // trimmed text as given (entities decoded, markup kept); may be empty
  std::string published;  // the date text as given, trimmed; may be empty
};

// What a feed or sitemap lists.
struct FeedLinks {
  enum class Kind { kRss, kAtom, kSitemap, kSitemapIndex };
  Kind kind = Kind::kRss;
  std::vector<FeedEntry> entries;     // article pages, in document order, duplicates removed
  std::vector<std::string> sitemaps;  // for a sitemap index: the child sitemaps' URLs
  size_t skipped = 0;  // entries dropped: no link, not http(s), unresolvable, over the limit
};

// The largest document ParseFeedLinks accepts.
inline constexpr size_t kMaxFeedBytes = 32 * 1024 * 1024;
// ParseFeedLinks' default limit on the entries (or child sitemaps) kept.
inline constexpr size_t kDefaultMaxFeedEntries = 10000;

// Parses `xml`, a feed or sitemap fetched from `feed_url` (an absolute URL; when it is not one,
// only absolute links resolve). The kind is the root element's: <rss>, <rdf:RDF>, Atom <feed>,
// <urlset> or <sitemapindex> (sitemaps.org namespace, or none).
//
// Links: RSS item <link> text, else <guid> when isPermaLink is absent or "true" and it is an
// absolute URI, else (RSS 1.0) the item's rdf:about; Atom entry <link href> with rel
// "alternate" or none, preferring type text/html; sitemap <url><loc>; sitemap index
// <sitemap><loc>, into `sitemaps`. Dates: RSS pubDate, else dc:date; Atom published, else
// updated; sitemap news:publication_date, else lastmod. Only http and https URLs are kept;
// repeated URLs are dropped silently, and at most `max_entries` entries (or child sitemaps) are
// kept, the rest counted in `skipped`.
//
// Returns InvalidArgument (a one-line message with the parser's line number) for a document
// larger than kMaxFeedBytes, malformed XML, an encoding expat does not know (besides
// windows-1252, which is accepted), a root that is none of the kinds above, and any DOCTYPE
// (refused outright: no entity can be declared, so none can expand). Never throws but
// std::bad_alloc. Thread-safe: no shared state.
Result<FeedLinks> ParseFeedLinks(std::string_view xml, std::string_view feed_url,
                                 size_t max_entries = kDefaultMaxFeedEntries);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_FEED_LINKS_H_
