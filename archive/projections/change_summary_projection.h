// The change-summary projection: for every revision after the first, what changed against its
// predecessor — which fields, how many paragraphs, sentences and notes, words added/removed.
// ASYNCHRONOUS: it follows the log with its own checkpoint (meta "checkpoint/change_summaries")
// and never slows an append; readers see a summary once the projection has caught up
// (Archive::CatchUp), or none yet.
//
// A backfill renumbers the revisions after the one it inserts: their summaries are derived
// again, under their new numbers, when this projection reaches the backfill's event.
//
// Database `change_summaries`: key = doc id, NUL, rev (u64 BE); value = the seqs of the events
// that introduced the two revisions compared (u64 BE each: the earlier, then this one), then a
// JSON object
//   {"fields":[names],"cosmetic":bool,"paragraphs":n,"moved":n,"sentences":n,"notes_added":n,
//    "notes_removed":n,"words_added":n,"words_removed":n}
// then a NUL and one zstd frame of the diff rendered as text (RenderArticleText without colour:
// what feeds and webhooks carry, computed once here rather than per request);
// or {"redacted":true} alone when either side is redacted. `cosmetic`: only punctuation changed
// inside sentences (format 2; format 1 had neither it nor the diff). Written by one deterministic
// serializer, so replay rebuilds identical bytes. The seqs tell a reader whether a summary stored
// under a number still compares the revisions that number and its predecessor name now: while this
// projection has not yet reached a backfill or merge, it does not, and the reader says "none
// yet" rather than tell the wrong change. (Values written before the seqs were added start
// with `{` and are read as they are.)

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_CHANGE_SUMMARY_PROJECTION_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_CHANGE_SUMMARY_PROJECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "archive/projections/article_projection.h"
#include "archive/projections/projection.h"

namespace palimpsest {

struct PreparedSummary;  // what Prepare makes (change_summary_projection.cc)

class ChangeSummaryProjection : public Projection {
 public:
  static constexpr const char* kDatabase = "change_summaries";

  // Reads revisions through `articles`, which must outlive this projection.
  explicit ChangeSummaryProjection(ArticleProjection* articles) : articles_(articles) {}

  const char* name() const override { return "change_summaries"; }
  // 2: the summary JSON has "cosmetic", and the rendered diff follows it.
  int format() const override { return 2; }
  std::vector<const char*> databases() const override { return {kDatabase}; }
  Status Open(lmdb::Txn& txn, bool create) override;
  Status Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) override;
  // Prepared ahead: the summary of the revision the event introduced.
  Result<std::unique_ptr<PreparedWork>> Prepare(lmdb::Txn& txn, const Event& event) override;
  Status ApplyPrepared(lmdb::Txn& txn, const Event& event, ContentStore& contents,
                       PreparedWork* prepared) override;

  // The summary of `after` against `before` (both with their bodies), as this projection
  // stores it.
  static std::string Summarize(const StoredRevision& before, const StoredRevision& after);

  // The stored diff of `rev` against the revision before it: RenderArticleText (diff.h) without
  // colour, computed once when the revision was summarized. "" when there is none yet, or
  // either revision is redacted.
  Result<std::string> DiffText(lmdb::Txn& txn, const std::string& doc_id, uint32_t rev,
                               uint64_t before_seq, uint64_t seq);

  // The stored summary of `rev` of `doc_id` (introduced by the event at `seq`) against the
  // revision before it (introduced at `before_seq`), or "" when there is none yet.
  Result<std::string> Summary(lmdb::Txn& txn, const std::string& doc_id, uint32_t rev,
                              uint64_t before_seq, uint64_t seq);

 private:
  // Stores `prepared` when the two revisions it compared still hold their numbers; false
  // (nothing written) when not.
  Result<bool> PutPreparedSummary(lmdb::Txn& txn, const std::string& doc_id,
                                  const PreparedSummary& prepared);
  // The stored value of `rev` after its seqs (JSON, then NUL and the diff), or "" when there
  // is none or it compares other revisions than the seqs name.
  Result<std::string_view> StoredRecord(lmdb::Txn& txn, const std::string& doc_id, uint32_t rev,
                                        uint64_t before_seq, uint64_t seq);
  // Stores the summary of `rev` (≥ 2) against the revision before it.
  Status PutSummary(lmdb::Txn& txn, const std::string& doc_id, uint32_t rev);

  ArticleProjection* articles_;
  MDB_dbi dbi_ = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_CHANGE_SUMMARY_PROJECTION_H_
