// The search projection: an inverted index over every revision of every document, stored as
// runs of revisions, so a correction that changes three words costs three index updates, not a
// re-index of the article. ASYNCHRONOUS: it follows the log with its own checkpoint (meta
// "checkpoint/search") through Archive::CatchUp and never slows an append.
//
// Databases (byte layouts, also in schemas/README.md):
//   search_terms  key   = term (UTF-8, no NUL), NUL, doc id of the stream
//                 value = runs of revisions holding the term, oldest first, each
//                         start (u32 BE), end (u32 BE): revisions start ≤ r < end hold it;
//                         end = 0 means "still in the newest revision indexed".
//   search_docs   key   = doc id of the stream
//                 value = ordinal (u32 BE) of the newest revision indexed, then that revision's
//                         distinct terms in byte order, each followed by NUL.
// Postings are kept per stream: the document whose events introduced the revisions, which a
// merge may since have joined to another (the query resolves it). Revisions are named by their
// recording ordinal (ArticleProjection::RecordingOrdinals: the n-th revision the archive
// recorded for the stream), which equals the revision number until a backfill inserts a
// revision before earlier-recorded ones or a merge interleaves two streams; ordinals never
// change, so neither rewrites a posting.
// Terms are those of TermsOf (include/palimpsest/search.h) over the title, byline, body and
// notes of each revision.
//
// Redaction: the archive brings this projection up to date before it appends a redaction
// (ArchiveImpl::Append), so a revision is always indexed from its content as it was before
// being redacted, exactly as replay indexes it; queries never report a redacted revision.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_SEARCH_PROJECTION_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_SEARCH_PROJECTION_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/projections/article_projection.h"
#include "archive/projections/projection.h"
#include "codec/search/term_set.h"

namespace palimpsest {

// Revisions [start, end) of a document hold a term; end 0: up to the newest indexed.
struct RevisionRun {
  uint32_t start = 0;
  uint32_t end = 0;
  bool Contains(uint32_t rev) const { return rev >= start && (end == 0 || rev < end); }
};

class SearchProjection : public Projection {
 public:
  static constexpr const char* kTerms = "search_terms";
  static constexpr const char* kDocs = "search_docs";

  // Reads revisions through `articles`, which must outlive this projection.
  explicit SearchProjection(ArticleProjection* articles) : articles_(articles) {}

  const char* name() const override { return "search"; }
  std::vector<const char*> databases() const override { return {kTerms, kDocs}; }
  Status Open(lmdb::Txn& txn, bool create) override;
  Status Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) override;
  // Prepared ahead: the terms of the revision the event introduced.
  Result<std::unique_ptr<PreparedWork>> Prepare(lmdb::Txn& txn, const Event& event) override;
  Status ApplyPrepared(lmdb::Txn& txn, const Event& event, ContentStore& contents,
                       PreparedWork* prepared) override;

  // Every document holding `term` in some indexed revision, with the runs of revisions that do.
  Result<std::map<std::string, std::vector<RevisionRun>>> Postings(lmdb::Txn& txn,
                                                                   const std::string& term);

 private:
  // Indexes revision `rev` (recording ordinal) of `stream`, whose terms are `now` (marked here).
  Status IndexRevision(lmdb::Txn& txn, const std::string& stream, uint32_t rev, TermSet& now);
  // Ends the open run of `term` in `stream` before `rev`.
  Status CloseRun(lmdb::Txn& txn, std::string_view term, const std::string& stream, uint32_t rev);
  // Opens a run of `term` in `stream` at `rev`; `may_exist`: the term may have earlier runs.
  Status OpenRun(lmdb::Txn& txn, std::string_view term, const std::string& stream, uint32_t rev,
                 bool may_exist);

  ArticleProjection* articles_;
  MDB_dbi terms_ = 0;
  MDB_dbi docs_ = 0;
};

// Adds the search terms of a revision's indexed fields to `terms`.
void CollectIndexedTerms(const ArticleContent& content, TermSet* terms);

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_SEARCH_PROJECTION_H_
