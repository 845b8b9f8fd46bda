// ArticleProjection and capture order. Revisions are numbered in the order of what they show:
// by capture time, or for a revision a person entered by the time it took effect
// (CaptureOrderTime). A capture older than the document's newest revision (an old crawl
// imported after live captures began) is a backfill: it is inserted where it belongs, the later
// revisions are renumbered, and the revision after it is re-derived against its new
// predecessor (kind, note, stealth, effective time, word counts). The log order never changes,
// so replay derives the same numbering, and what the archive knew before the backfill is still
// told by recorded time (--known-at, archive/queries/document_queries.cc).

#include <algorithm>

#include "archive/lmdb/keys.h"
#include "archive/projections/article_projection.h"

namespace palimpsest {

namespace {

bool SameContent(const StoredRevision& shown, const std::string& hash,
                 const ArticleContent& content) {
  return shown.info.content_hash == hash ||
         (!shown.info.redacted && SameButChrome(shown.content, content));
}

}  // namespace

Status ArticleProjection::InsertCapture(lmdb::Txn& txn, const Event& event, DocumentState state,
                                        StoredRevision revision, const CaptureFacts& facts) {
  const std::string& doc_id = event.doc_id;
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> times, RevisionTimes(txn, doc_id));
  uint32_t at = static_cast<uint32_t>(times.size()) + 1;  // the number it takes
  while (at > 1 && CaptureOrderTime(times[at - 2].info) > facts.captured_at) --at;
  std::optional<StoredRevision> before;
  if (at > 1) {
    PALIMPSEST_ASSIGN_OR_RETURN(before, ReadRevision(txn, doc_id, at - 1));
  }
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision after, ReadRevision(txn, doc_id, at));
  const std::string hash = ContentHash(revision.content);
  state.version = event.version;
  if (before && SameContent(*before, hash, revision.content)) {
    // The content of the revision before, seen again before the next one was.
    before->info.last_seen_at = std::max(before->info.last_seen_at, facts.captured_at);
    PALIMPSEST_RETURN_IF_ERROR(PutRevision(txn, doc_id, at - 1, *before));
    return txn.Put(documents_, doc_id, EncodeDocumentState(state));
  }
  if (after.info.captured_at != kNoTime && SameContent(after, hash, revision.content)) {
    // The content of the revision after, on the page earlier than the archive knew.
    if (after.info.effective_at == after.info.captured_at) {
      after.info.effective_at = facts.captured_at;
    }
    after.info.captured_at = facts.captured_at;
    PALIMPSEST_RETURN_IF_ERROR(PutRevision(txn, doc_id, at, after));
    return txn.Put(documents_, doc_id, EncodeDocumentState(state));
  }

  RevisionInfo& info = revision.info;
  DeriveCaptureChange(before ? &before->content : nullptr, revision.content, facts, &info);
  info.rev = at;
  info.content_hash = hash;
  info.captured_at = facts.captured_at;
  info.last_seen_at = facts.captured_at;
  info.has_raw = true;
  info.raw_hash = std::get<CapturedEvent>(event.body).raw.sha256;
  info.recorded_at = event.recorded_at;
  info.seq = event.seq;
  info.version = event.version;
  revision.has_body = false;
  if (!revision.content.body.empty()) {
    const Digest* base = before && before->has_body ? &before->body_hash : nullptr;
    PALIMPSEST_ASSIGN_OR_RETURN(ContentRef body, texts_.Put(txn, revision.content.body, base));
    revision.has_body = true;
    revision.body_hash = body.sha256;
  }
  PALIMPSEST_RETURN_IF_ERROR(ShiftRevisions(txn, doc_id, at, state.current_rev));
  RederiveRevision(&revision, &after);
  after.info.rev = at + 1;
  PALIMPSEST_RETURN_IF_ERROR(PutRevision(txn, doc_id, at + 1, after));
  PALIMPSEST_RETURN_IF_ERROR(PutRevision(txn, doc_id, at, revision));
  state.current_rev += 1;
  state.backfilled = true;
  return txn.Put(documents_, doc_id, EncodeDocumentState(state));
}

Status ArticleProjection::ShiftRevisions(lmdb::Txn& txn, const std::string& doc_id, uint32_t from,
                                         uint32_t to) {
  for (uint32_t rev = to; rev >= from && rev > 0; --rev) {
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision r, ReadRevision(txn, doc_id, rev, false));
    r.info.rev = rev + 1;
    PALIMPSEST_RETURN_IF_ERROR(PutRevision(txn, doc_id, rev + 1, r));
  }
  return Status::OK();
}

}  // namespace palimpsest
