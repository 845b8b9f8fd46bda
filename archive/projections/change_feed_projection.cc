#include "archive/projections/change_feed_projection.h"

#include "archive/lmdb/keys.h"

namespace palimpsest {

namespace {

std::string FeedValue(const std::string& doc_id, uint32_t rev, Timestamp effective_at) {
  std::string v = keys::DocPrefix(doc_id);
  for (int shift = 24; shift >= 0; shift -= 8)
    v.push_back(static_cast<char>((rev >> shift) & 0xff));
  return v + keys::I64(effective_at);
}

struct FeedValueParts {
  std::string doc_id;
  uint32_t rev = 0;
  Timestamp effective_at = kNoTime;  // the key's; kNoTime when the value predates it
};

Result<FeedValueParts> DecodeFeedValue(std::string_view v) {
  const size_t nul = v.find('\0');
  if (nul == std::string_view::npos || (v.size() != nul + 5 && v.size() != nul + 13)) {
    return Status::Corruption("change feed: malformed entry");
  }
  FeedValueParts parts;
  parts.doc_id = std::string(v.substr(0, nul));
  for (size_t i = nul + 1; i < nul + 5; ++i) {
    parts.rev = (parts.rev << 8) | static_cast<unsigned char>(v[i]);
  }
  if (v.size() == nul + 13) parts.effective_at = keys::ReadI64(v.substr(nul + 5));
  return parts;
}

}  // namespace

Status ChangeFeedProjection::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(recorded_, txn.OpenDb(kRecorded, create));
  PALIMPSEST_ASSIGN_OR_RETURN(effective_, txn.OpenDb(kEffective, create));
  return Status::OK();
}

Status ChangeFeedProjection::Apply(lmdb::Txn& txn, const Event& event, ContentStore&) {
  auto state = articles_->GetState(txn, event.doc_id);
  if (!state.ok()) return state.status().IsNotFound() ? Status::OK() : state.status();
  if (state->current_rev == 0) return Status::OK();
  // Applied right after the article projection: a new revision is the newest one, unless the
  // event was a backfill.
  uint32_t rev = state->current_rev;
  if (state->backfilled) {
    PALIMPSEST_ASSIGN_OR_RETURN(rev, articles_->RevisionIntroducedBy(txn, event.doc_id, event.seq));
    const bool rederives =
        std::holds_alternative<MergedEvent>(event.body) ||
        (std::holds_alternative<CapturedEvent>(event.body) && rev != state->current_rev);
    if (rederives) PALIMPSEST_RETURN_IF_ERROR(FollowRederived(txn, event.doc_id));
    if (rev == 0) return Status::OK();
  }
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision added,
                              articles_->ReadRevision(txn, event.doc_id, rev, false));
  if (added.info.seq != event.seq) return Status::OK();
  const std::string value = FeedValue(event.doc_id, added.info.rev, added.info.effective_at);
  PALIMPSEST_RETURN_IF_ERROR(
      txn.Put(recorded_, keys::I64(added.info.recorded_at) + keys::U64(event.seq), value));
  return txn.Put(effective_, keys::I64(added.info.effective_at) + keys::U64(event.seq), value);
}

Status ChangeFeedProjection::FollowRederived(lmdb::Txn& txn, const std::string& doc_id) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> times,
                              articles_->RevisionTimes(txn, doc_id));
  for (const StoredRevision& r : times) {
    const std::string recorded_key = keys::I64(r.info.recorded_at) + keys::U64(r.info.seq);
    auto value = txn.Get(recorded_, recorded_key);
    if (value.status().IsNotFound()) continue;  // this event is applied after this call
    if (!value.ok()) return value.status();
    PALIMPSEST_ASSIGN_OR_RETURN(FeedValueParts parts, DecodeFeedValue(*value));
    if (parts.effective_at == kNoTime || parts.effective_at == r.info.effective_at) continue;
    const std::string moved = FeedValue(parts.doc_id, parts.rev, r.info.effective_at);
    PALIMPSEST_RETURN_IF_ERROR(
        txn.Del(effective_, keys::I64(parts.effective_at) + keys::U64(r.info.seq)));
    PALIMPSEST_RETURN_IF_ERROR(
        txn.Put(effective_, keys::I64(r.info.effective_at) + keys::U64(r.info.seq), moved));
    PALIMPSEST_RETURN_IF_ERROR(txn.Put(recorded_, recorded_key, moved));
  }
  return Status::OK();
}

Result<std::optional<ChangeEntry>> ChangeFeedProjection::Entry(lmdb::Txn& txn,
                                                               const ChangeFilter& filter,
                                                               std::string_view key,
                                                               std::string_view value) {
  ChangeEntry e;
  PALIMPSEST_ASSIGN_OR_RETURN(FeedValueParts parts, DecodeFeedValue(value));
  e.id = std::move(parts.doc_id);
  e.rev = parts.rev;
  // An entry of a document merged since names the one it joined (backfilled, below).
  PALIMPSEST_ASSIGN_OR_RETURN(e.id, articles_->Resolve(txn, e.id));
  if (!filter.doc_id.empty() && e.id != filter.doc_id) return std::optional<ChangeEntry>();
  PALIMPSEST_ASSIGN_OR_RETURN(DocumentState state, articles_->GetState(txn, e.id));
  if (!filter.source.empty() && state.source != filter.source) return std::optional<ChangeEntry>();
  if (state.backfilled) {
    // The stored number is the one the revision had when recorded; a backfill since may
    // have renumbered it. Its event's seq (the key) still names it.
    PALIMPSEST_ASSIGN_OR_RETURN(
        e.rev, articles_->RevisionIntroducedBy(txn, e.id, keys::ReadU64(key.substr(8))));
    if (e.rev == 0) return Status::Corruption("change feed: an entry names no revision");
  }
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision r, articles_->ReadRevision(txn, e.id, e.rev, false));
  e.kind = r.info.kind;
  e.note = r.info.note;
  e.stealth = r.info.stealth;
  e.redacted = r.info.redacted;
  e.effective_at = r.info.effective_at;
  e.recorded_at = r.info.recorded_at;
  if (!r.info.redacted) e.title = r.content.title;
  e.source = state.source;
  e.seq = keys::ReadU64(key.substr(8));
  return std::optional<ChangeEntry>(std::move(e));
}

Result<std::vector<ChangeEntry>> ChangeFeedProjection::Changes(lmdb::Txn& txn,
                                                               const ChangeFilter& filter) {
  const MDB_dbi dbi = filter.axis == TimeAxis::kRecorded ? recorded_ : effective_;
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, dbi));
  std::vector<ChangeEntry> out;
  bool ok;
  if (filter.newest_first) {
    ok = filter.until == kNoTime
             ? cursor.Last()
             : (cursor.Seek(keys::I64(filter.until)) ? cursor.Prev() : cursor.Last());
  } else {
    ok = filter.since == kNoTime ? cursor.First() : cursor.Seek(keys::I64(filter.since));
  }
  for (; ok; ok = filter.newest_first ? cursor.Prev() : cursor.Next()) {
    const std::string_view key = cursor.key();
    if (key.size() != 16) return Status::Corruption("change feed: malformed key");
    const Timestamp at = keys::ReadI64(key);
    if (filter.until != kNoTime && at >= filter.until) {
      if (filter.newest_first) continue;
      break;
    }
    if (filter.since != kNoTime && at < filter.since) break;  // newest first: past the window
    PALIMPSEST_ASSIGN_OR_RETURN(std::optional<ChangeEntry> e,
                                Entry(txn, filter, key, cursor.value()));
    if (!e) continue;
    out.push_back(std::move(*e));
    if (filter.limit != 0 && out.size() == filter.limit) break;
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  return out;
}

}  // namespace palimpsest
