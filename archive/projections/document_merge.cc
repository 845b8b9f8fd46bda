// ArticleProjection and merges: two documents that turn out to be one article (a redirect
// recorded later joins their addresses, event.h MergedEvent) become one. The surviving
// document takes every revision of the merged-away one, interleaved in capture order
// (CaptureOrderTime, then log order), and each revision whose predecessor changed is derived
// again against its new one, as after a backfill. The merged-away id is kept in
// `document_aliases` (key = that id, value = the document it joined) and resolves from then on.
//
// A moved revision remembers the stream that introduced it (RevisionRecord.mergedFrom), so the
// search index, which names revisions per stream by recording ordinal, needs no rewrite: the
// postings of the merged-away id keep naming its revisions (archive/queries/search_query.cc).

#include <algorithm>

#include "archive/lmdb/keys.h"
#include "archive/projections/article_projection.h"

namespace palimpsest {

namespace {

// Merges are chains at most this long; a longer one is damage, not history.
constexpr int kMaxAliasHops = 64;

// The stream that introduced `info`: the document it is stored under, or the one a merge
// brought it from.
const std::string& StreamOf(const RevisionInfo& info, const std::string& doc_id) {
  return info.merged_from.empty() ? doc_id : info.merged_from;
}

// The revisions of a document and those of one joining it (from `from`, at `joined_at`) in
// capture order, then log order, numbered from 1; each whose predecessor changed is derived
// again against its new one, as after a backfill.
std::vector<StoredRevision> Interleave(std::vector<StoredRevision> revisions,
                                       std::vector<StoredRevision> joining, const std::string& from,
                                       Timestamp joined_at) {
  std::vector<std::pair<uint64_t, uint64_t>> followed;  // (seq, seq of its predecessor)
  for (const auto* list : {&revisions, &joining}) {
    for (size_t i = 0; i < list->size(); ++i) {
      followed.emplace_back((*list)[i].info.seq, i == 0 ? 0 : (*list)[i - 1].info.seq);
    }
  }
  std::sort(followed.begin(), followed.end());
  for (StoredRevision& r : joining) {
    if (r.info.merged_from.empty()) r.info.merged_from = from;
    r.info.joined_at = joined_at;
    revisions.push_back(std::move(r));
  }
  std::stable_sort(revisions.begin(), revisions.end(),
                   [](const StoredRevision& a, const StoredRevision& b) {
                     const Timestamp at = CaptureOrderTime(a.info), bt = CaptureOrderTime(b.info);
                     return at != bt ? at < bt : a.info.seq < b.info.seq;
                   });
  for (size_t i = 0; i < revisions.size(); ++i) {
    StoredRevision& r = revisions[i];
    const uint64_t before_seq = i == 0 ? 0 : revisions[i - 1].info.seq;
    auto was =
        std::lower_bound(followed.begin(), followed.end(), std::make_pair(r.info.seq, uint64_t{0}));
    if (was == followed.end() || was->first != r.info.seq || was->second != before_seq) {
      RederiveRevision(i == 0 ? nullptr : &revisions[i - 1], &r);
    }
    r.info.rev = static_cast<uint32_t>(i + 1);
  }
  return revisions;
}

}  // namespace

Result<std::string> ArticleProjection::Resolve(lmdb::Txn& txn, const std::string& doc_id) {
  std::string id = doc_id;
  if (!aliases_open_) return id;
  for (int hop = 0; hop < kMaxAliasHops; ++hop) {
    auto next = txn.Get(aliases_, id);
    if (next.status().IsNotFound()) return id;
    if (!next.ok()) return next.status();
    id = std::string(*next);
  }
  return Status::Corruption("document '" + doc_id + "' was merged more than " +
                            std::to_string(kMaxAliasHops) + " times over");
}

Status ArticleProjection::ApplyMerge(lmdb::Txn& txn, const Event& event,
                                     const MergedEvent& merged) {
  const std::string& into = event.doc_id;
  PALIMPSEST_ASSIGN_OR_RETURN(DocumentState state, GetState(txn, into));
  PALIMPSEST_ASSIGN_OR_RETURN(DocumentState from_state, GetState(txn, merged.from));
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> revisions, Revisions(txn, into));
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> joining, Revisions(txn, merged.from));
  if (revisions.empty() || joining.empty()) {
    return Status::Corruption("merge of '" + merged.from + "' into '" + into +
                              "': a document without revisions");
  }
  const bool joining_is_newer =
      CaptureOrderTime(joining.back().info) > CaptureOrderTime(revisions.back().info);
  revisions = Interleave(std::move(revisions), std::move(joining), merged.from, event.recorded_at);
  for (const std::string* id : {&into, &merged.from}) {
    PALIMPSEST_RETURN_IF_ERROR(lmdb::DeletePrefix(txn, revisions_, keys::DocPrefix(*id)));
    PALIMPSEST_RETURN_IF_ERROR(times_.DeleteDocument(txn, *id));
  }
  for (const StoredRevision& r : revisions) {
    PALIMPSEST_RETURN_IF_ERROR(PutRevision(txn, into, r.info.rev, r));
  }

  // The newest capture decides what the next one is compared with.
  if (joining_is_newer) {
    state.has_last_raw = from_state.has_last_raw;
    state.last_raw = from_state.last_raw;
    state.last_capture_hash = from_state.last_capture_hash;
  }
  if (state.source.empty()) state.source = from_state.source;
  if (state.url.empty()) state.url = from_state.url;
  const StoredRevision& newest = revisions.back();
  state.current_rev = newest.info.rev;
  state.version = event.version;
  state.title = newest.content.title;
  state.last_change = std::max(state.last_change, from_state.last_change);
  state.retracted = newest.retracted;
  state.backfilled = true;
  state.merges.push_back({merged.from, into, event.seq, event.recorded_at});
  for (DocumentMerge& m : from_state.merges) state.merges.push_back(std::move(m));
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(documents_, into, EncodeDocumentState(state)));
  PALIMPSEST_RETURN_IF_ERROR(txn.Del(documents_, merged.from));
  return txn.Put(aliases_, merged.from, into);
}

Result<uint32_t> ArticleProjection::RecordingOrdinal(lmdb::Txn& txn, const std::string& stream,
                                                     uint64_t seq) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::string doc_id, Resolve(txn, stream));
  auto state = GetState(txn, doc_id);
  if (state.status().IsNotFound()) return 0u;
  if (!state.ok()) return state.status();
  if (!state->backfilled) return RevisionIntroducedBy(txn, doc_id, seq);
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> times, RevisionTimes(txn, doc_id));
  bool introduced = false;
  uint32_t ordinal = 0;
  for (const StoredRevision& r : times) {
    if (StreamOf(r.info, doc_id) != stream) continue;
    if (r.info.seq <= seq) ++ordinal;
    if (r.info.seq == seq) introduced = true;
  }
  return introduced ? ordinal : 0u;
}

Result<std::vector<RecordedRevision>> ArticleProjection::RecordingOrdinals(
    lmdb::Txn& txn, const std::string& doc_id) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> times, RevisionTimes(txn, doc_id));
  std::vector<RecordedRevision> out;
  for (const StoredRevision& r : times) {
    const std::string& stream = StreamOf(r.info, doc_id);
    uint32_t ordinal = 0;
    for (const StoredRevision& other : times) {
      ordinal += StreamOf(other.info, doc_id) == stream && other.info.seq <= r.info.seq;
    }
    out.push_back({stream, ordinal});
  }
  return out;
}

}  // namespace palimpsest
