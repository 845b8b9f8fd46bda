// Full-text search over the search projection (include/palimpsest/search.h).
//
// The index narrows the documents to those holding every query term in some revision; each
// candidate's chosen revision is then read and checked word by word (phrases, and revisions the
// index has not reached yet), scored, and given a snippet. Scoring: for each term,
// idf = ln(1 + documents / documents with the term), weighted by 1 + ln(occurrences), plus half
// an idf when the term is in the title.

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "archive/archive_impl.h"
#include "archive/lmdb/keys.h"

namespace palimpsest {

namespace {

constexpr size_t kMaxCandidates = 5000;
constexpr size_t kSnippetBefore = 80;
constexpr size_t kSnippetAfter = 160;

bool InRuns(const std::vector<RevisionRun>& runs, uint32_t rev) {
  return std::any_of(runs.begin(), runs.end(),
                     [rev](const RevisionRun& r) { return r.Contains(rev); });
}

// Index into `terms` of the first place `phrase` appears, or npos.
size_t FindPhrase(const std::vector<TermOccurrence>& terms,
                  const std::vector<std::string>& phrase) {
  if (phrase.empty()) return 0;
  for (size_t i = 0; i + phrase.size() <= terms.size(); ++i) {
    size_t k = 0;
    while (k < phrase.size() && terms[i + k].term == phrase[k]) ++k;
    if (k == phrase.size()) return i;
  }
  return std::string::npos;
}

bool HasPhrase(const std::vector<TermOccurrence>& terms, const std::vector<std::string>& phrase) {
  return FindPhrase(terms, phrase) != std::string::npos;
}

// Where a snippet of the body should look: the first phrase match, else the first occurrence
// of the rarest query term found in the body, else of any; npos when the body has none.
size_t SnippetAnchor(const std::vector<TermOccurrence>& body_terms, const ParsedQuery& query,
                     const std::vector<double>& idf) {
  for (const auto& phrase : query.phrases) {
    const size_t at = FindPhrase(body_terms, phrase);
    if (at != std::string::npos) return body_terms[at].offset;
  }
  size_t best = std::string::npos;
  double best_idf = -1;
  for (size_t i = 0; i < query.terms.size(); ++i) {
    if (idf[i] <= best_idf) continue;
    for (const TermOccurrence& t : body_terms) {
      if (t.term == query.terms[i]) {
        best = t.offset;
        best_idf = idf[i];
        break;
      }
    }
  }
  return best;
}

// A window of `body` around byte `first` (npos: its start), with the query terms highlighted.
void MakeSnippet(const std::string& body, const std::vector<TermOccurrence>& body_terms,
                 const std::set<std::string>& wanted, size_t first, SearchHit& hit) {
  size_t begin = 0, end = std::min(body.size(), kSnippetAfter + kSnippetBefore);
  if (first != std::string::npos) {
    begin = first > kSnippetBefore ? first - kSnippetBefore : 0;
    end = std::min(body.size(), first + kSnippetAfter);
  }
  // Cut at spaces so no word (or UTF-8 sequence) is split.
  if (begin > 0) {
    const size_t space = body.find_first_of(" \n", begin);
    begin = space == std::string::npos || space >= first ? begin : space + 1;
    while (begin > 0 && (static_cast<unsigned char>(body[begin]) & 0xC0) == 0x80) --begin;
  }
  if (end < body.size()) {
    const size_t space = body.find_last_of(" \n", end);
    if (space != std::string::npos && space > begin &&
        (first == std::string::npos || space > first)) {
      end = space;
    }
    while (end > begin && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) --end;
  }
  const std::string lead = begin > 0 ? "…" : "";
  hit.snippet = lead + body.substr(begin, end - begin) + (end < body.size() ? "…" : "");
  for (char& c : hit.snippet) {
    if (c == '\n') c = ' ';
  }
  for (const TermOccurrence& t : body_terms) {
    if (t.offset < begin || t.offset + t.length > end || !wanted.count(t.term)) continue;
    hit.highlights.emplace_back(lead.size() + t.offset - begin, t.length);
  }
}

// Two streams of one document (a merge joined them) both matched: one hit, told by its newest
// matching revision, listing the revisions of both.
void MergeHits(SearchHit other, SearchHit* hit) {
  std::vector<uint32_t> revs = std::move(hit->revs);
  revs.insert(revs.end(), other.revs.begin(), other.revs.end());
  std::sort(revs.begin(), revs.end());
  if (other.rev > hit->rev) *hit = std::move(other);
  hit->revs = std::move(revs);
}

// The hit of a document's current revision told by the index alone (its stored weights), when
// the index is at that revision in `stream`; nullopt when it is not (the revision must then be
// read and checked), and a hit with rev 0 when that revision is no match. Scores as the reading
// path does. The revision record (redacted? title, kind, time) is read only when
// `may_be_redacted`; otherwise those fields are left for the caller to fill in for the hits it
// returns. (A revision the index is at was indexed, so not redacted then; only a redaction
// event, which leaves a withheld_events entry, can have redacted it since.)
Result<std::optional<SearchHit>> HitFromIndex(lmdb::Txn& txn, ArticleProjection& articles,
                                              SearchProjection& search, const std::string& stream,
                                              const std::string& doc_id, const DocumentState& state,
                                              const std::vector<uint32_t>& term_numbers,
                                              const std::vector<double>& idf,
                                              bool may_be_redacted) {
  const uint32_t rev = state.current_rev;
  uint32_t ordinal = rev;
  if (state.backfilled) {
    PALIMPSEST_ASSIGN_OR_RETURN(std::vector<RecordedRevision> ordinals,
                                articles.RecordingOrdinals(txn, doc_id));
    if (rev - 1 < ordinals.size()) {
      if (ordinals[rev - 1].stream != stream) return std::optional<SearchHit>(SearchHit{});
      ordinal = ordinals[rev - 1].ordinal;
    }
  }
  PALIMPSEST_ASSIGN_OR_RETURN(SearchProjection::IndexedRevision indexed,
                              search.NewestIndexed(txn, stream, term_numbers));
  if (indexed.ordinal != ordinal) return std::optional<SearchHit>();
  SearchHit hit;
  for (uint32_t count : indexed.counts) {
    if (count == 0) return std::optional<SearchHit>(hit);
  }
  if (may_be_redacted) {
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision stored,
                                articles.ReadRevision(txn, doc_id, rev, false));
    if (stored.info.redacted) return std::optional<SearchHit>(hit);
    hit.title = stored.content.title;
    hit.kind = stored.info.kind;
    hit.effective_at = stored.info.effective_at;
  }
  hit.id = doc_id;
  hit.rev = rev;
  for (size_t i = 0; i < idf.size(); ++i) {
    hit.score += idf[i] * (1.0 + std::log(static_cast<double>(indexed.counts[i])));
    if (indexed.in_title[i]) hit.score += idf[i] / 2;
  }
  return std::optional<SearchHit>(std::move(hit));
}

}  // namespace

Result<SearchResults> ArchiveImpl::Search(const SearchRequest& request) {
  PALIMPSEST_ASSIGN_OR_RETURN(ParsedQuery query, ParseSearchQuery(request.query));
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  SearchResults results;
  PALIMPSEST_ASSIGN_OR_RETURN(ChainHead head, ReadHead(r.txn));
  results.head_seq = head.seq;
  auto checkpoint = r.txn.Get(meta_, std::string("checkpoint/") + search_.name());
  results.indexed_seq = checkpoint.ok() && checkpoint->size() == 8 ? keys::ReadU64(*checkpoint) : 0;

  std::vector<std::vector<StreamPostings>> postings;
  for (const std::string& term : query.terms) {
    PALIMPSEST_ASSIGN_OR_RETURN(auto p, search_.Postings(r.txn, term));
    if (p.empty()) return results;
    postings.push_back(std::move(p));
  }
  PALIMPSEST_ASSIGN_OR_RETURN(MDB_dbi documents, ProjectionDb(ArticleProjection::kDocuments));
  PALIMPSEST_ASSIGN_OR_RETURN(uint64_t document_count, r.txn.Count(documents));
  std::vector<double> idf;
  for (const auto& p : postings) {
    idf.push_back(
        std::log(1.0 + static_cast<double>(document_count) / static_cast<double>(p.size())));
  }
  size_t smallest = 0;
  for (size_t i = 1; i < postings.size(); ++i) {
    if (postings[i].size() < postings[smallest].size()) smallest = i;
  }
  const std::set<std::string> wanted(query.terms.begin(), query.terms.end());
  // Current revisions matched by plain words are ranked from the index's weights; only the
  // hits returned are read (for their snippets).
  const bool ranked_by_index =
      !request.all_revisions && request.as_of == kNoTime && query.phrases.empty();
  PALIMPSEST_ASSIGN_OR_RETURN(const uint64_t withheld_events, r.txn.Count(withheld_));
  std::vector<uint32_t> term_numbers;
  for (const std::string& term : query.terms) {
    PALIMPSEST_ASSIGN_OR_RETURN(term_numbers.emplace_back(), search_.FindTermNumber(r.txn, term));
  }

  std::map<std::string, size_t> hit_of;  // doc id → its hit in results.hits
  results.hits.reserve(std::min<size_t>(postings[smallest].size(), kMaxCandidates));
  auto add_hit = [&](const std::string& doc_id, SearchHit hit) {
    auto [known, added] = hit_of.try_emplace(doc_id, results.hits.size());
    if (added) {
      ++results.total;
      results.hits.push_back(std::move(hit));
    } else {
      MergeHits(std::move(hit), &results.hits[known->second]);
    }
  };
  for (const StreamPostings& candidate : postings[smallest]) {
    std::vector<const std::vector<RevisionRun>*> runs;
    for (const auto& p : postings) {
      auto it = std::lower_bound(
          p.begin(), p.end(), candidate.stream,
          [](const StreamPostings& sp, uint32_t stream) { return sp.stream < stream; });
      if (it == p.end() || it->stream != candidate.stream) break;
      runs.push_back(&it->runs);
    }
    if (runs.size() != postings.size()) continue;
    if (results.total >= kMaxCandidates) break;
    PALIMPSEST_ASSIGN_OR_RETURN(const std::string stream,
                                search_.StreamDocId(r.txn, candidate.stream));
    // Postings are kept per stream; a merge may have joined it to another document.
    PALIMPSEST_ASSIGN_OR_RETURN(const std::string doc_id, articles_.Resolve(r.txn, stream));
    PALIMPSEST_ASSIGN_OR_RETURN(DocumentState state, articles_.GetState(r.txn, doc_id));
    if (ranked_by_index) {
      PALIMPSEST_ASSIGN_OR_RETURN(std::optional<SearchHit> indexed,
                                  HitFromIndex(r.txn, articles_, search_, stream, doc_id, state,
                                               term_numbers, idf, withheld_events != 0));
      if (indexed) {
        if (indexed->rev != 0) add_hit(doc_id, std::move(*indexed));
        continue;
      }
    }
    // The revisions to check, newest first.
    std::vector<uint32_t> revs;
    if (request.all_revisions) {
      for (uint32_t rev = state.current_rev; rev >= 1; --rev) revs.push_back(rev);
    } else if (request.as_of != kNoTime) {
      uint32_t best = 0;
      Timestamp best_at = kNoTime;
      for (uint32_t rev = 1; rev <= state.current_rev; ++rev) {
        PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision info,
                                    articles_.ReadRevision(r.txn, doc_id, rev, false));
        if (info.info.effective_at <= request.as_of && info.info.effective_at >= best_at) {
          best = rev;
          best_at = info.info.effective_at;
        }
      }
      if (best != 0) revs.push_back(best);
    } else {
      revs.push_back(state.current_rev);
    }
    // The index names revisions by recording ordinal in their stream, which a backfill or a
    // merge makes differ from their numbers.
    std::vector<RecordedRevision> ordinals;
    if (state.backfilled) {
      PALIMPSEST_ASSIGN_OR_RETURN(ordinals, articles_.RecordingOrdinals(r.txn, doc_id));
    }
    SearchHit hit;
    for (uint32_t rev : revs) {
      if (rev - 1 < ordinals.size() && ordinals[rev - 1].stream != stream) continue;
      const uint32_t ordinal = rev - 1 < ordinals.size() ? ordinals[rev - 1].ordinal : rev;
      const bool indexed_all = std::all_of(
          runs.begin(), runs.end(), [ordinal](const auto* rs) { return InRuns(*rs, ordinal); });
      if (!indexed_all) continue;
      const bool first_match = hit.revs.empty();
      PALIMPSEST_ASSIGN_OR_RETURN(
          StoredRevision stored,
          articles_.ReadRevision(r.txn, doc_id, rev, first_match || !query.phrases.empty()));
      if (stored.info.redacted) continue;
      if (!first_match && query.phrases.empty()) {  // the index is exact for plain terms
        hit.revs.push_back(rev);
        continue;
      }
      const ArticleContent& c = stored.content;
      std::vector<TermOccurrence> title_terms = TermsOf(c.title);
      std::vector<TermOccurrence> body_terms = TermsOf(c.body);
      std::vector<TermOccurrence> all = title_terms;
      for (std::string_view extra : {std::string_view(c.byline)}) {
        for (TermOccurrence& t : TermsOf(extra)) all.push_back(std::move(t));
      }
      std::map<std::string, size_t> tf;
      for (const auto* list : {&all, &body_terms}) {
        for (const TermOccurrence& t : *list) {
          if (wanted.count(t.term)) ++tf[t.term];
        }
      }
      for (const ArticleNote& n : c.notes) {
        for (const TermOccurrence& t : TermsOf(n.text)) {
          if (wanted.count(t.term)) ++tf[t.term];
        }
      }
      if (tf.size() != wanted.size()) continue;  // the index ran ahead of or behind this rev
      bool phrases_ok = true;
      for (const auto& phrase : query.phrases) {
        bool found = HasPhrase(title_terms, phrase) || HasPhrase(body_terms, phrase);
        for (const ArticleNote& n : c.notes) found = found || HasPhrase(TermsOf(n.text), phrase);
        phrases_ok = phrases_ok && found;
      }
      if (!phrases_ok) continue;
      hit.revs.push_back(rev);
      if (!first_match) continue;
      hit.id = doc_id;
      hit.rev = rev;
      hit.title = c.title;
      hit.kind = stored.info.kind;
      hit.effective_at = stored.info.effective_at;
      for (size_t i = 0; i < query.terms.size(); ++i) {
        hit.score += idf[i] * (1.0 + std::log(static_cast<double>(tf[query.terms[i]])));
        const bool in_title =
            std::any_of(title_terms.begin(), title_terms.end(),
                        [&](const TermOccurrence& t) { return t.term == query.terms[i]; });
        if (in_title) hit.score += idf[i] / 2;
      }
      MakeSnippet(c.body, body_terms, wanted, SnippetAnchor(body_terms, query, idf), hit);
    }
    if (hit.revs.empty()) continue;
    std::reverse(hit.revs.begin(), hit.revs.end());
    if (!request.all_revisions) hit.revs.clear();
    add_hit(doc_id, std::move(hit));
  }
  std::sort(results.hits.begin(), results.hits.end(), [](const SearchHit& a, const SearchHit& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  if (request.limit != 0 && results.hits.size() > request.limit) results.hits.resize(request.limit);
  // Snippets (and titles, kinds, times) of the hits ranked from the index.
  for (SearchHit& hit : results.hits) {
    if (!hit.snippet.empty()) continue;
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision stored,
                                articles_.ReadRevision(r.txn, hit.id, hit.rev, true));
    hit.title = stored.content.title;
    hit.kind = stored.info.kind;
    hit.effective_at = stored.info.effective_at;
    const std::vector<TermOccurrence> body_terms = TermsOf(stored.content.body);
    MakeSnippet(stored.content.body, body_terms, wanted, SnippetAnchor(body_terms, query, idf),
                hit);
  }
  return results;
}

}  // namespace palimpsest
