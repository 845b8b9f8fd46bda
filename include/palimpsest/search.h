// Full-text search over current and past revisions: the query language, the terms both the
// index and the query use, and what a search returns.
//
// Terms: maximal runs of letters and digits after Unicode case folding and accent stripping
// (NFKC casefold, marks removed), so "São", "SAO" and "sao" are one term; an apostrophe inside
// a word joins it ("editor's" → "editors"). Terms longer than kMaxTermBytes are cut there.
//
// Query: words are ANDed; a "quoted phrase" also requires its terms to appear consecutively.
//
// Thread safety: pure functions over values.

#ifndef PALIMPSEST_SEARCH_H_
#define PALIMPSEST_SEARCH_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/status.h"
#include "palimpsest/timestamp.h"

namespace palimpsest {

inline constexpr size_t kMaxTermBytes = 64;

// One term of a text with where it came from (byte offsets into the searched text).
struct TermOccurrence {
  std::string term;
  size_t offset = 0;
  size_t length = 0;
};

// Every term of `text` in order. Invalid UTF-8 bytes separate terms.
std::vector<TermOccurrence> TermsOf(std::string_view text);

// Calls `visit` with each term of `text` in order, as TermsOf lists them, without collecting
// them: the occurrence passed is reused and valid only during the call.
void VisitTerms(std::string_view text, const std::function<void(const TermOccurrence&)>& visit);

// A parsed query: the distinct terms every hit must contain, and the phrases (term sequences
// of two or more) that must appear consecutively.
struct ParsedQuery {
  std::vector<std::string> terms;  // distinct, in first-appearance order
  std::vector<std::vector<std::string>> phrases;
};

// InvalidArgument when the query holds no term or more than 32.
Result<ParsedQuery> ParseSearchQuery(std::string_view query);

struct SearchRequest {
  std::string query;
  // Which revision of each document is searched: the current one (default), the one in
  // effect at `as_of`, or every revision (`all_revisions`).
  Timestamp as_of = kNoTime;
  bool all_revisions = false;
  size_t limit = 20;
};

struct SearchHit {
  std::string id;
  uint32_t rev = 0;            // the matching revision (the newest one with all_revisions)
  std::vector<uint32_t> revs;  // every matching revision (all_revisions), oldest first
  std::string title;
  std::string kind;
  Timestamp effective_at = kNoTime;
  std::string snippet;  // a window of the body around the first match
  // Byte ranges of matched terms inside `snippet`.
  std::vector<std::pair<size_t, size_t>> highlights;
  double score = 0;
};

struct SearchResults {
  std::vector<SearchHit> hits;  // best first; ties by id
  uint64_t total = 0;           // documents that matched before `limit`
  // The search index follows the log asynchronously: it reflects events up to indexed_seq.
  uint64_t indexed_seq = 0;
  uint64_t head_seq = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_SEARCH_H_
