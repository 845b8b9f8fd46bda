// libFuzzer target: what the web watcher reads from servers it does not control — feeds and
// sitemaps (cli/watch/feed_links.cc, through expat) and robots.txt (cli/watch/robots_rules.cc).
//
// Properties: no crash, no UB, no hang; every link a feed yields is an absolute http(s) URL and
// no more are kept than asked for; robots rules always allow /robots.txt.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cli/watch/feed_links.h"
#include "cli/watch/robots_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto links = palimpsest::cli::ParseFeedLinks(text, "https://news.example/feeds/all.xml", 64);
  if (links.ok()) {
    if (links->entries.size() > 64) abort();
    for (const auto& e : links->entries) {
      if (e.url.rfind("http://", 0) != 0 && e.url.rfind("https://", 0) != 0) abort();
    }
  }
  const auto rules = palimpsest::cli::RobotsRules::Parse(text, "palimpsest");
  if (!rules.Allows("/robots.txt")) abort();
  (void)rules.Allows("/news/2026/12/06/story.html?id=1");
  (void)rules.crawl_delay_seconds();
  return 0;
}
