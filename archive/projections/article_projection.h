// The article projections: per document its current state (`documents`) and its revision
// list with each revision's content (`revisions`). Synchronous: applied in the append
// transaction. The extractor runs here, so replay after an extractor change re-derives every
// revision from the stored raw captures. It also owns the chrome learned across captures of a
// source (chrome_lines.h): each plain-text capture is extracted with what earlier captures
// taught, then teaches its own lines, in the same transaction.
//
// Key and value layouts: schemas/projections.capnp and schemas/README.md.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_ARTICLE_PROJECTION_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_ARTICLE_PROJECTION_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/prepared_captures.h"
#include "archive/projections/capture_change.h"
#include "archive/projections/chrome_lines.h"
#include "archive/projections/projection.h"
#include "archive/projections/revision_records.h"
#include "archive/projections/revision_times.h"
#include "palimpsest/archive.h"
#include "palimpsest/documents.h"

namespace palimpsest {

// A revision's place in its stream's recording order (ArticleProjection::RecordingOrdinals).
struct RecordedRevision {
  std::string stream;
  uint32_t ordinal = 0;
};

class ArticleProjection : public Projection {
 public:
  static constexpr const char* kDocuments = "documents";
  static constexpr const char* kRevisions = "revisions";
  static constexpr const char* kTexts = "revision_texts";
  static constexpr const char* kAliases = "document_aliases";

  // `captures`: the log's content store, whose bytes revision_texts names instead of storing
  // them again when a body is exactly its raw capture; must outlive this projection.
  explicit ArticleProjection(ContentStore* captures) : texts_(kTexts, captures) {}

  const char* name() const override { return "articles"; }
  // 3: revision_times (revision_times.h); 2: revision_texts may name a body held in blobs
  // (content store codec 4).
  int format() const override { return 3; }
  std::vector<const char*> databases() const override {
    return {
        kDocuments, kRevisions, kTexts, ChromeLines::kDatabase, kAliases, RevisionTimeIndex::kDatabase};
  }
  Status Open(lmdb::Txn& txn, bool create) override;
  Status Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) override;
  // What was prepared before the transaction for the event Apply is called with next (its raw
  // bytes, its extraction: prepared_captures.h), or null. Not owned; the caller clears it
  // after that Apply. Requires the writer.
  void UsePrepared(const PreparedCapture* prepared) { prepared_ = prepared; }
  // The canonical URL the page of the capture Apply was last called with declares for itself
  // (ArticleContent::canonical_url); empty when that event was no capture or declared none.
  const std::string& DeclaredUrlOfLastCapture() const { return declared_url_; }

  // The document `doc_id` names now: itself, or when a merge joined it to another
  // (document_merge.cc), that one, following later merges. An unknown id is returned as it is.
  Result<std::string> Resolve(lmdb::Txn& txn, const std::string& doc_id);
  // NotFound when the document has no revision.
  Result<DocumentState> GetState(lmdb::Txn& txn, const std::string& doc_id);
  // All revisions of the document, oldest first (empty when unknown); without their bodies
  // (content.body empty) unless `with_bodies`, which costs a content-store read each.
  Result<std::vector<StoredRevision>> Revisions(lmdb::Txn& txn, const std::string& doc_id,
                                                bool with_bodies = true);
  // All revisions of the document, oldest first, with only the fields DecodeRevisionTimes sets:
  // enough to choose one by number, time or seq, then ReadRevision it.
  Result<std::vector<StoredRevision>> RevisionTimes(lmdb::Txn& txn, const std::string& doc_id);
  // The number of the revision the event at `seq` introduced into the document, or 0 when it
  // introduced none (or the document is unknown). Revisions are numbered in capture order;
  // until a backfill (DocumentState::backfilled) that is log order too, and a binary search
  // over their seqs finds it in O(log revisions) record reads; after one, a scan.
  Result<uint32_t> RevisionIntroducedBy(lmdb::Txn& txn, const std::string& doc_id, uint64_t seq);
  // Revisions counted per stream (the document whose event introduced them: the one they are
  // in, or one merged into it) in the order the archive recorded them, which neither a
  // backfill nor a merge changes: the ordinal of the revision the event at `seq` of `stream`
  // introduced (0 when none; `stream` may be merged away), and every revision's stream and
  // ordinal by number (element rev - 1). The search index names revisions by these, so
  // neither renumbers its postings (archive/projections/document_merge.cc).
  Result<uint32_t> RecordingOrdinal(lmdb::Txn& txn, const std::string& stream, uint64_t seq);
  Result<std::vector<RecordedRevision>> RecordingOrdinals(lmdb::Txn& txn,
                                                          const std::string& doc_id);
  // The number of the revision of `doc_id` in effect at `as_of` (the greatest effective time
  // not after it, the greatest number among equal times), 0 when none, in O(log revisions);
  // nullopt in an archive whose revision_times index is incomplete (built before it): the
  // caller then chooses from RevisionTimes.
  Result<std::optional<uint32_t>> RevisionInEffect(lmdb::Txn& txn, const std::string& doc_id,
                                                   Timestamp as_of) {
    return times_.InEffect(txn, doc_id, as_of);
  }
  // One revision, with its body unless `with_body` is false. NotFound when absent.
  Result<StoredRevision> ReadRevision(lmdb::Txn& txn, const std::string& doc_id, uint32_t rev,
                                      bool with_body = true);
  // The rules a new event must meet given the document's state, checked in the append's
  // transaction so no other writer can change that state in between (replay and restore take
  // the log as it is): a correction, retraction or redaction needs a document (NotFound), a
  // retraction one not already retracted (Conflict), a redaction a revision its event
  // introduced (InvalidArgument).
  Status CheckAppendable(lmdb::Txn& txn, const Event& event);
  // Fills result->outcome, rev, kind and stealth: what the event at `seq` of `doc_id`, already
  // applied, did to the document's revisions. `latest` says the event is the newest applied
  // one (a fresh append: only the current revision can be its own); otherwise every revision
  // is looked at (a duplicate's original). rev 0 when the document has no revision.
  Status DescribeAppend(lmdb::Txn& txn, const std::string& doc_id, uint64_t seq, bool latest,
                        AppendResult* result);
  // Calls `visit` with each document after `after_id` (all when empty), in id order, until it
  // returns false or an error (which is returned).
  Status ScanDocuments(
      lmdb::Txn& txn, const std::string& after_id,
      const std::function<Result<bool>(const std::string&, const DocumentState&)>& visit);

 private:
  // Calls `visit` with each stored revision record of the document, oldest first; stops at the
  // first error and returns it.
  Status ScanRevisions(lmdb::Txn& txn, const std::string& doc_id,
                       const std::function<Status(std::string_view)>& visit);
  // `prepared`: the capture's extraction made before the transaction, or null.
  Status ApplyCapture(lmdb::Txn& txn, const Event& event, const std::string& raw,
                      const std::string& media_type, Timestamp captured_at,
                      const std::vector<Field>& fields, const Result<ArticleContent>* prepared);
  // A backfill: `revision` (content and capture_url set) was captured before the document's
  // newest revision. It is inserted after the last revision not later in capture order, the
  // later ones renumbered, and the one after it re-derived against it; or, showing the content
  // of a neighbour, it only widens when that content was seen
  // (archive/projections/revision_order.cc).
  Status InsertCapture(lmdb::Txn& txn, const Event& event, DocumentState state,
                       StoredRevision revision, const CaptureFacts& facts);
  // Gives the revision numbered from `from` on one number more, newest first.
  Status ShiftRevisions(lmdb::Txn& txn, const std::string& doc_id, uint32_t from, uint32_t to);
  Status ApplyUnavailableCapture(lmdb::Txn& txn, const Event& event, const Status& why);
  Status ApplyObservation(lmdb::Txn& txn, const Event& event, const ObservedEvent& observed);
  // Joins the document `merged.from` into the event's (archive/projections/document_merge.cc).
  Status ApplyMerge(lmdb::Txn& txn, const Event& event, const MergedEvent& merged);
  // A redirect changes no revision; a held document's stream version moves past it.
  Status ApplyRedirect(lmdb::Txn& txn, const Event& event);
  // Moves last_seen_at to `seen_at` on the latest revision for which `matches` holds, if any
  // (archive/projections/article_observation.cc).
  Status MarkSeen(lmdb::Txn& txn, const std::string& doc_id,
                  const std::function<bool(const RevisionInfo&)>& matches, Timestamp seen_at);
  Status ApplyCorrection(lmdb::Txn& txn, const Event& event, const CorrectedEvent& corrected,
                         ContentStore& contents);
  Status ApplyRetraction(lmdb::Txn& txn, const Event& event, const RetractedEvent& retracted);
  Status ApplyRedaction(lmdb::Txn& txn, const Event& event, const RedactedEvent& redacted);

  // Stores `revision` as the document's newest and updates its state.
  Status AppendRevision(lmdb::Txn& txn, const Event& event, DocumentState state,
                        StoredRevision revision);

  Status LoadBody(lmdb::Txn& txn, StoredRevision* revision);
  // Stores `revision` as number `rev` of `doc_id` (replacing the record there) and keeps
  // revision_times in step. Every write of a revision record goes through here.
  Status PutRevision(lmdb::Txn& txn, const std::string& doc_id, uint32_t rev,
                     const StoredRevision& revision);

  MDB_dbi documents_ = 0;
  MDB_dbi revisions_ = 0;
  MDB_dbi aliases_ = 0;
  bool aliases_open_ = false;  // an archive from before merges, opened read-only, has none
  ContentStore texts_;
  ChromeLines chrome_;
  RevisionTimeIndex times_;
  const PreparedCapture* prepared_ = nullptr;
  std::string declared_url_;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_ARTICLE_PROJECTION_H_
