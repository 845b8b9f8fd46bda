// Reading the schema.org article description a page embeds as JSON-LD
// (<script type="application/ld+json">).
//
// Publishers write it in several shapes: one object, an array of objects, or an "@graph"
// whose nodes refer to each other by "@id" (the article's publisher and authors are often
// separate Organization/Person nodes). The reader finds the first node whose @type is an
// article type (NewsArticle, Article, ReportageNewsArticle, BlogPosting and the other
// *Article types), in document order, also inside a WebPage's "mainEntity", and resolves
// "@id" references against every node of every script on the page.
//
// Only strings are taken; dates stay text for the caller to parse. Scripts that are not valid
// JSON are skipped (comments and trailing commas are tolerated, as browsers' consumers do).
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EXTRACT_HTML_JSON_LD_H_
#define PALIMPSEST_CODEC_EXTRACT_HTML_JSON_LD_H_

#include <string>
#include <string_view>
#include <vector>

namespace palimpsest::html_internal {

struct JsonLdCorrection {
  std::string text;            // "correction": a string, or a CorrectionComment's "text"
  std::string date_published;  // a CorrectionComment's "datePublished", if any
};

struct JsonLdArticle {
  std::string headline;
  std::string date_published;
  std::string date_modified;
  std::vector<std::string> authors;  // names, in order, without duplicates
  std::string publisher;             // publisher.name
  std::string description;
  std::string url;
  std::string in_language;  // inLanguage: a tag, or a Language's alternateName
  std::vector<JsonLdCorrection> corrections;
};

// The article described by the JSON-LD `scripts` of one page (each element one script's
// text), or false when none describes an article.
bool FindJsonLdArticle(const std::vector<std::string_view>& scripts, JsonLdArticle* article);

}  // namespace palimpsest::html_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_HTML_JSON_LD_H_
