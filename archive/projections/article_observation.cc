// Observations: a capture or revisit that showed content the document already has moves the
// `last_seen_at` of the revision holding that content — never of a revision the page did not
// show (after `correct --file`, the current revision's text is the person's, not the page's).
// A redirect observed at a document's address moves only its stream version.

#include "archive/lmdb/keys.h"
#include "archive/projections/article_projection.h"
#include "archive/projections/revision_records.h"

namespace palimpsest {

Status ArticleProjection::MarkSeen(lmdb::Txn& txn, const std::string& doc_id,
                                   const std::function<bool(const RevisionInfo&)>& matches,
                                   Timestamp seen_at) {
  uint32_t latest = 0;
  PALIMPSEST_RETURN_IF_ERROR(ScanRevisions(txn, doc_id, [&](std::string_view record) -> Status {
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision r, DecodeRevision(record));
    if (matches(r.info)) latest = r.info.rev;
    return Status::OK();
  }));
  if (latest == 0) return Status::OK();
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision seen, ReadRevision(txn, doc_id, latest));
  if (seen_at <= seen.info.last_seen_at) return Status::OK();
  seen.info.last_seen_at = seen_at;
  return PutRevision(txn, doc_id, latest, seen);
}

Status ArticleProjection::ApplyObservation(lmdb::Txn& txn, const Event& event,
                                           const ObservedEvent& observed) {
  PALIMPSEST_ASSIGN_OR_RETURN(DocumentState state, GetState(txn, event.doc_id));
  // A revisit names the bytes it saw again: the revision captured from them saw them; bytes of
  // the last capture that observed (rather than made) a revision showed that revision's content.
  const bool last_capture = state.has_last_raw && state.last_raw == observed.raw.sha256;
  PALIMPSEST_RETURN_IF_ERROR(MarkSeen(
      txn, event.doc_id,
      [&](const RevisionInfo& r) {
        return (r.has_raw && r.raw_hash == observed.raw.sha256) ||
               (last_capture && r.content_hash == state.last_capture_hash);
      },
      observed.captured_at));
  state.version = event.version;
  return txn.Put(documents_, event.doc_id, EncodeDocumentState(state));
}

Status ArticleProjection::ApplyRedirect(lmdb::Txn& txn, const Event& event) {
  auto state = GetState(txn, event.doc_id);
  if (state.status().IsNotFound()) return Status::OK();  // an address that only redirected
  if (!state.ok()) return state.status();
  state->version = event.version;
  return txn.Put(documents_, event.doc_id, EncodeDocumentState(*state));
}

}  // namespace palimpsest
