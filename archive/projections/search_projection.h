// The search projection: an inverted index over every revision of every document, stored as
// runs of revisions in compact blocks, so a correction that changes three words costs three
// posting changes, not a re-index of the article. ASYNCHRONOUS: it follows the log with its own
// checkpoint (meta "checkpoint/search") through Archive::CatchUp and never slows an append.
//
// Databases (byte layouts, also in schemas/README.md):
//   search_vocabulary key  = term (UTF-8, case-folded, no NUL)
//                     value = the term's number (u32 BE), dense from 1 in the order terms were
//                             first indexed
//   search_terms    key   = term number (u32 BE), first stream number of the block (u32 BE)
//                   value = a postings block (codec/search/postings_block.h): per stream, the
//                           runs of revisions holding the term.
//   search_docs     key   = doc id of the stream
//                   value = the stream's number (u32 BE), the ordinal (u32 BE) of its newest
//                           revision indexed, then that revision's distinct terms: their count
//                           (varint), then their numbers ascending, each a varint of the gap
//                           from the previous (from 0).
//   search_weights  key   = doc id of the stream
//                   value = per term of its search_docs record, in the same order, a varint
//                           weight: occurrences in that revision (title, byline, body, notes;
//                           at most 2^30) << 1 | 1 when the term is in the title. Queries rank
//                           current revisions with these. (Apart from search_docs so that
//                           neither value needs an overflow page.)
//   search_streams  key   = stream number (u32 BE), dense from 1 in the order streams were
//                           first indexed
//                   value = doc id of the stream.
// Postings are kept per stream: the document whose events introduced the revisions, which a
// merge may since have joined to another (the query resolves it). Revisions are named by their
// recording ordinal (ArticleProjection::RecordingOrdinals: the n-th revision the archive
// recorded for the stream), which equals the revision number until a backfill inserts a
// revision before earlier-recorded ones or a merge interleaves two streams; ordinals never
// change, so neither rewrites a posting.
// Terms are those of TermsOf (include/palimpsest/search.h) over the title, byline, body and
// notes of each revision.
//
// Writes: the posting changes of a batch of events are gathered (PostingsWriter) and merged into
// the blocks once, at Flush; the per-stream record is written at once.
//
// Redaction: the archive brings this projection up to date before it appends a redaction
// (ArchiveImpl::Append), so a revision is always indexed from its content as it was before
// being redacted, exactly as replay indexes it; queries never report a redacted revision.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_SEARCH_PROJECTION_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_SEARCH_PROJECTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/projections/article_projection.h"
#include "archive/projections/postings_writer.h"
#include "archive/projections/projection.h"
#include "codec/search/postings_block.h"
#include "codec/search/term_numbers.h"
#include "codec/search/term_set.h"

namespace palimpsest {

class SearchProjection : public Projection {
 public:
  static constexpr const char* kTerms = "search_terms";
  static constexpr const char* kDocs = "search_docs";
  static constexpr const char* kStreams = "search_streams";
  static constexpr const char* kVocabulary = "search_vocabulary";
  static constexpr const char* kWeights = "search_weights";

  // Reads revisions through `articles`, which must outlive this projection.
  explicit SearchProjection(ArticleProjection* articles) : articles_(articles) {}

  const char* name() const override { return "search"; }
  // 2: postings in blocks by stream number (1: one key per term and stream).
  int format() const override { return 2; }
  std::vector<const char*> databases() const override {
    return {kTerms, kDocs, kStreams, kVocabulary, kWeights};
  }
  Status Open(lmdb::Txn& txn, bool create) override;
  Status Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) override;
  // Prepared ahead: the terms of the revision the event introduced.
  Result<std::unique_ptr<PreparedWork>> Prepare(lmdb::Txn& txn, const Event& event) override;
  Status ApplyPrepared(lmdb::Txn& txn, const Event& event, ContentStore& contents,
                       PreparedWork* prepared) override;
  Status Flush(lmdb::Txn& txn) override { return postings_.Flush(txn, terms_); }
  void Discard() override;

  // Every stream holding `term` in some indexed revision, with the runs of revisions that do,
  // in stream number order.
  Result<std::vector<StreamPostings>> Postings(lmdb::Txn& txn, const std::string& term);
  // The number of `term`, 0 when no revision ever held it.
  Result<uint32_t> FindTermNumber(lmdb::Txn& txn, const std::string& term);
  // What the index holds of `stream`'s newest indexed revision: its recording ordinal (0: none)
  // and, for each of `terms` (term numbers), its occurrences there (0: absent) and whether it
  // is in the title.
  struct IndexedRevision {
    uint32_t ordinal = 0;
    std::vector<uint32_t> counts;
    std::vector<bool> in_title;
  };
  Result<IndexedRevision> NewestIndexed(lmdb::Txn& txn, const std::string& stream,
                                        const std::vector<uint32_t>& terms);
  // The doc id of stream number `stream`: NotFound when there is none.
  Result<std::string> StreamDocId(lmdb::Txn& txn, uint32_t stream);

 private:
  // Indexes revision `rev` (recording ordinal) of `stream`, whose terms are `now` (marked here).
  Status IndexRevision(lmdb::Txn& txn, const std::string& stream, uint32_t rev, TermSet& now);
  // The number of `term`, given one (recorded in search_vocabulary) if it has none.
  Result<uint32_t> TermNumber(lmdb::Txn& txn, std::string_view term);
  // A number for a stream indexed for the first time, recorded in search_streams.
  Result<uint32_t> NumberNewStream(lmdb::Txn& txn, const std::string& stream);

  ArticleProjection* articles_;
  MDB_dbi terms_ = 0;
  MDB_dbi docs_ = 0;
  MDB_dbi streams_ = 0;
  MDB_dbi vocabulary_db_ = 0;
  MDB_dbi weights_db_ = 0;
  PostingsWriter postings_;
  // Term numbers read or given in this transaction (Discard forgets them), and the next to give
  // (0: not read yet).
  TermNumbers vocabulary_;
  uint32_t next_term_ = 0;
};

// Adds the search terms of a revision's indexed fields to `terms`.
void CollectIndexedTerms(const ArticleContent& content, TermSet* terms);

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_SEARCH_PROJECTION_H_
