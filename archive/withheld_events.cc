// What a redaction withholds beyond content: the redactable fields of the events that brought
// the redacted revision (schemas/README.md, "Withheld events").
//
// The log keeps every event's bytes, so the hash chain, verify and replay are unchanged; the
// `withheld_events` database (seq → the redaction's seq) tells the public read paths (ReadLog,
// ReadStream, and through them log, export, the HTTP log and the SSE stream) to hand out the
// withheld form instead. Like the withheld markers in `blobs`, it is written with the redaction
// and is not a projection: replay leaves it alone.

#include "archive/archive_impl.h"
#include "archive/lmdb/keys.h"

namespace palimpsest {

Result<std::vector<uint64_t>> ArchiveImpl::RedactionScope(lmdb::Txn& txn, const Event& redaction) {
  const auto& redacted = std::get<RedactedEvent>(redaction.body);
  PALIMPSEST_ASSIGN_OR_RETURN(Event target, ReadEvent(txn, redacted.target_seq));
  // The target may be in the stream of a document merged into this one since.
  PALIMPSEST_ASSIGN_OR_RETURN(const std::string target_doc, articles_.Resolve(txn, target.doc_id));
  if (target_doc != redaction.doc_id) {
    return Status::InvalidArgument("seq " + std::to_string(redacted.target_seq) +
                                   " is not an event of '" + redaction.doc_id + "'");
  }
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> revisions,
                              articles_.Revisions(txn, redaction.doc_id));
  uint64_t next_revision_seq = UINT64_MAX;
  for (const StoredRevision& r : revisions) {
    if (r.info.seq > redacted.target_seq)
      next_revision_seq = std::min(next_revision_seq, r.info.seq);
  }
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs,
                              stream_index_.Seqs(txn, target.doc_id, target.version));
  std::vector<uint64_t> scope;
  for (uint64_t seq : seqs) {
    if (seq >= next_revision_seq || seq >= redaction.seq) break;
    PALIMPSEST_ASSIGN_OR_RETURN(Event e, ReadEvent(txn, seq));
    if (std::holds_alternative<RedactedEvent>(e.body) ||
        std::holds_alternative<RetractedEvent>(e.body)) {
      continue;
    }
    if (seq != redacted.target_seq && std::holds_alternative<CorrectedEvent>(e.body)) break;
    scope.push_back(seq);
  }
  return scope;
}

Status ArchiveImpl::WithholdRevision(lmdb::Txn& txn, const Event& redaction) {
  const auto& redacted = std::get<RedactedEvent>(redaction.body);
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<uint64_t> scope, RedactionScope(txn, redaction));
  for (uint64_t seq : scope) {
    PALIMPSEST_ASSIGN_OR_RETURN(Event e, ReadEvent(txn, seq));
    for (const ContentRef& ref : ReferencedContent(e.body)) {
      PALIMPSEST_RETURN_IF_ERROR(contents_.Withhold(txn, ref.sha256, redacted.reason));
    }
    PALIMPSEST_RETURN_IF_ERROR(txn.Put(withheld_, keys::U64(seq), keys::U64(redaction.seq)));
  }
  return Status::OK();
}

Status ArchiveImpl::OpenWithheldEvents(lmdb::Txn& txn) {
  auto existing = txn.OpenDb(kWithheld, /*create=*/false);
  if (existing.ok()) {
    withheld_ = *existing;
    return Status::OK();
  }
  if (!existing.status().IsNotFound()) return existing.status();
  PALIMPSEST_ASSIGN_OR_RETURN(withheld_, txn.OpenDb(kWithheld, /*create=*/true));
  // Redactions recorded before this database existed withheld only content: record the events
  // they cover, too, so the log no longer shows those events' fields.
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, events_));
  std::vector<Event> redactions;
  for (bool ok = cursor.First(); ok; ok = cursor.Next()) {
    // Damage is verify's to report; a damaged archive must still open for replay.
    auto e = DecodeEvent(cursor.value());
    if (e.ok() && std::holds_alternative<RedactedEvent>(e->body)) redactions.push_back(*e);
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  for (const Event& redaction : redactions) {
    auto scope = RedactionScope(txn, redaction);
    if (!scope.ok()) continue;
    for (uint64_t seq : *scope) {
      PALIMPSEST_RETURN_IF_ERROR(txn.Put(withheld_, keys::U64(seq), keys::U64(redaction.seq)));
    }
  }
  return Status::OK();
}

Result<Event> ArchiveImpl::PublicEvent(lmdb::Txn& txn, uint64_t seq, std::string_view bytes) {
  auto event = DecodeEvent(bytes);
  if (!event.ok()) return event.status().WithContext("event " + std::to_string(seq));
  auto withheld = txn.Get(withheld_, keys::U64(seq));
  if (withheld.ok()) return WithheldForm(std::move(event).value(), EventHash(bytes));
  if (!withheld.status().IsNotFound()) return withheld.status();
  return event;
}

}  // namespace palimpsest
