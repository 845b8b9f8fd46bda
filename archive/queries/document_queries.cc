// Document queries over the article projections: a revision by number, by effective time
// (--as-of), by recorded time (--known-at), or both.

#include <algorithm>
#include <optional>

#include "archive/archive_impl.h"
#include "archive/projections/capture_change.h"
#include "archive/queries/known_scope.h"

namespace palimpsest {

namespace {

// The revisions `scope` sees (all without --known-at).
std::vector<const StoredRevision*> KnownRevisions(const std::vector<StoredRevision>& all,
                                                  const KnownScope& scope) {
  std::vector<const StoredRevision*> known;
  for (const StoredRevision& r : all) {
    if (scope.Knows(r.info)) known.push_back(&r);
  }
  return known;
}

// The revision in effect at `as_of`: the greatest effective time not after it, the later
// revision on ties. Null when none.
const StoredRevision* InEffect(const std::vector<const StoredRevision*>& known, Timestamp as_of) {
  const StoredRevision* best = nullptr;
  for (const StoredRevision* r : known) {
    if (r->info.effective_at > as_of) continue;
    if (best == nullptr || r->info.effective_at >= best->info.effective_at) best = r;
  }
  return best;
}

// The revision a selector picks: its number now and, under --known-at, the number it had
// then and the number (now) of the revision before it then, 0 for none. A backfill recorded
// after that time makes them differ.
struct Chosen {
  uint32_t rev = 0;
  uint32_t known_rev = 0;
  uint32_t known_before = 0;
};

// Applies `selector` to the revisions `scope` sees; NotFound with a message naming what was
// asked for. Revision numbers in the selector are those of the revisions known then.
Result<Chosen> Select(const KnownScope& scope, const std::vector<StoredRevision>& all,
                      const RevisionSelector& selector) {
  const std::string& doc_id = scope.shown();
  const std::vector<const StoredRevision*> known = KnownRevisions(all, scope);
  const std::string known_text =
      selector.known_at == kNoTime ? "" : " known at " + FormatTimestamp(selector.known_at);
  if (known.empty()) {
    return Status::NotFound("document '" + doc_id + "' has no revision" + known_text);
  }
  const StoredRevision* picked = known.back();
  if (selector.rev) {
    if (*selector.rev == 0 || *selector.rev > known.size()) {
      return Status::NotFound("document '" + doc_id + "' has no revision " +
                              std::to_string(*selector.rev) + known_text + " (it has " +
                              std::to_string(known.size()) + ")");
    }
    picked = known[*selector.rev - 1];
  } else if (selector.seq) {
    auto it = std::find_if(known.begin(), known.end(),
                           [&](const StoredRevision* r) { return r->info.seq == *selector.seq; });
    if (it == known.end()) {
      return Status::NotFound("document '" + doc_id + "' has no revision introduced by seq " +
                              std::to_string(*selector.seq) + known_text);
    }
    picked = *it;
  } else if (selector.as_of != kNoTime) {
    picked = InEffect(known, selector.as_of);
    if (picked == nullptr) {
      return Status::NotFound("document '" + doc_id + "' had no revision in effect at " +
                              FormatTimestamp(selector.as_of) + known_text);
    }
  }
  const size_t at = std::find(known.begin(), known.end(), picked) - known.begin();
  return Chosen{picked->info.rev, static_cast<uint32_t>(at + 1),
                at == 0 ? 0u : known[at - 1]->info.rev};
}

// The revision `selector` picks. The current revision, or one by number, is known from the
// state alone (revisions are numbered 1..current_rev); a time needs every revision's times,
// not their records.
Result<Chosen> SelectRevision(lmdb::Txn& txn, ArticleProjection& articles,
                              const std::string& doc_id, const DocumentState& state,
                              const KnownScope& scope, const RevisionSelector& selector) {
  if (selector.as_of == kNoTime && selector.known_at == kNoTime && !selector.seq &&
      selector.rev.value_or(state.current_rev) - 1 < state.current_rev) {
    const uint32_t rev = selector.rev.value_or(state.current_rev);
    return Chosen{rev, rev, rev - 1};
  }
  // A time alone, with every revision in scope (no --known-at): the index answers.
  if (selector.as_of != kNoTime && selector.known_at == kNoTime && !selector.seq && !selector.rev) {
    PALIMPSEST_ASSIGN_OR_RETURN(std::optional<uint32_t> rev,
                                articles.RevisionInEffect(txn, doc_id, selector.as_of));
    if (rev && *rev == 0) {
      return Status::NotFound("document '" + scope.shown() + "' had no revision in effect at " +
                              FormatTimestamp(selector.as_of));
    }
    if (rev) return Chosen{*rev, *rev, *rev - 1};
  }
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> all, articles.RevisionTimes(txn, doc_id));
  return Select(scope, all, selector);
}

// The chosen revision as the archive knew it: numbered, and when a later backfill gave it
// another predecessor, derived against the one it had then.
Result<StoredRevision> ReadAsKnown(lmdb::Txn& txn, ArticleProjection& articles,
                                   const std::string& doc_id, const Chosen& chosen,
                                   bool with_body) {
  const bool rederive = chosen.known_before != chosen.rev - 1;
  PALIMPSEST_ASSIGN_OR_RETURN(
      StoredRevision revision,
      articles.ReadRevision(txn, doc_id, chosen.rev, with_body || rederive));
  if (rederive) {
    std::optional<StoredRevision> before;
    if (chosen.known_before != 0) {
      PALIMPSEST_ASSIGN_OR_RETURN(before, articles.ReadRevision(txn, doc_id, chosen.known_before));
    }
    RederiveRevision(before ? &*before : nullptr, &revision);
  }
  revision.info.rev = chosen.known_rev;
  return revision;
}

}  // namespace

Result<DocumentView> ArchiveImpl::GetDocument(const std::string& requested_id,
                                              const RevisionSelector& selector) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  // A merged-away id names the document it joined.
  PALIMPSEST_ASSIGN_OR_RETURN(const std::string doc_id, articles_.Resolve(r.txn, requested_id));
  PALIMPSEST_ASSIGN_OR_RETURN(DocumentState state, articles_.GetState(r.txn, doc_id));
  const KnownScope scope(requested_id, doc_id, state.merges, selector.known_at);
  PALIMPSEST_ASSIGN_OR_RETURN(Chosen which,
                              SelectRevision(r.txn, articles_, doc_id, state, scope, selector));
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision chosen,
                              ReadAsKnown(r.txn, articles_, doc_id, which, /*with_body=*/true));
  DocumentView view;
  view.id = scope.shown();
  view.version = state.version;
  view.source = std::move(state.source);
  view.url = std::move(state.url);
  view.retracted = chosen.retracted;
  view.revision = std::move(chosen.info);
  view.content = std::move(chosen.content);
  view.merges = std::move(state.merges);
  PALIMPSEST_ASSIGN_OR_RETURN(view.urls, PublicUrls(r.txn, doc_id));
  return view;
}

Result<std::vector<RevisionInfo>> ArchiveImpl::History(const std::string& doc_id) {
  return HistoryKnownAt(doc_id, kNoTime);
}

Result<std::vector<RevisionInfo>> ArchiveImpl::HistoryKnownAt(const std::string& requested_id,
                                                              Timestamp known_at) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  PALIMPSEST_ASSIGN_OR_RETURN(const std::string doc_id, articles_.Resolve(r.txn, requested_id));
  PALIMPSEST_ASSIGN_OR_RETURN(DocumentState state, articles_.GetState(r.txn, doc_id));
  const KnownScope scope(requested_id, doc_id, state.merges, known_at);
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> all,
                              articles_.Revisions(r.txn, doc_id, /*with_bodies=*/false));
  std::vector<RevisionInfo> history;
  uint32_t known_before = 0;  // the number now of the revision known before this one
  for (StoredRevision& rev : all) {
    if (!scope.Knows(rev.info)) continue;
    const Chosen chosen{rev.info.rev, static_cast<uint32_t>(history.size() + 1), known_before};
    known_before = rev.info.rev;
    if (chosen.known_before == chosen.rev - 1) {  // the neighbour it has now
      const uint64_t before_seq = rev.info.rev >= 2 ? all[rev.info.rev - 2].info.seq : 0;
      PALIMPSEST_ASSIGN_OR_RETURN(
          rev.info.change_summary,
          change_summaries_.Summary(r.txn, doc_id, rev.info.rev, before_seq, rev.info.seq));
      rev.info.rev = chosen.known_rev;
      history.push_back(std::move(rev.info));
      continue;
    }
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision then,
                                ReadAsKnown(r.txn, articles_, doc_id, chosen, /*with_body=*/true));
    if (chosen.known_before != 0) {
      PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision before,
                                  articles_.ReadRevision(r.txn, doc_id, chosen.known_before));
      then.info.change_summary = ChangeSummaryProjection::Summarize(before, then);
    }
    history.push_back(std::move(then.info));
  }
  if (history.empty() && known_at != kNoTime) {
    return Status::NotFound("document '" + requested_id + "' has no revision known at " +
                            FormatTimestamp(known_at));
  }
  return history;
}

Result<std::vector<DocumentSummary>> ArchiveImpl::ListDocuments(const ListFilter& filter) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  RevisionSelector selector;
  selector.as_of = filter.as_of;
  selector.known_at = filter.known_at;
  std::vector<DocumentSummary> out;
  auto visit = [&](const std::string& id, const DocumentState& state) -> Result<bool> {
    if (out.size() >= filter.limit) return false;
    if (!filter.source.empty() && state.source != filter.source) return true;
    auto chosen = SelectRevision(r.txn, articles_, id, state,
                                 KnownScope(id, id, state.merges, filter.known_at), selector);
    if (!chosen.ok()) {
      if (chosen.status().IsNotFound()) return true;  // Not in the archive at that time.
      return chosen.status();
    }
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision rev,
                                ReadAsKnown(r.txn, articles_, id, *chosen, /*with_body=*/false));
    if (filter.changed_since != kNoTime && rev.info.recorded_at < filter.changed_since) {
      return true;
    }
    DocumentSummary s;
    s.id = id;
    s.title = rev.content.title;
    s.source = state.source;
    s.url = state.url;
    s.rev = rev.info.rev;
    s.kind = rev.info.kind;
    s.last_change = rev.info.recorded_at;
    s.effective_at = rev.info.effective_at;
    s.retracted = rev.retracted;
    out.push_back(std::move(s));
    return true;
  };
  PALIMPSEST_RETURN_IF_ERROR(articles_.ScanDocuments(r.txn, filter.after_id, visit));
  return out;
}

}  // namespace palimpsest
