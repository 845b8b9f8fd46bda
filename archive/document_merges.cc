// When two documents are one: a redirect recorded in one document's stream that leads to an
// address another document owns joins them (event.h, MergedEvent). The archive records the
// merge itself, right after the redirect in the same transaction, so replay sees exactly the
// same log. The document the redirect leads to survives: it is the address the article lives
// at now, and the one new captures land in.

#include "archive/archive_impl.h"

namespace palimpsest {

Result<std::optional<Event>> ArchiveImpl::MergeAfter(lmdb::Txn& txn, const Event& redirect) {
  const auto& r = std::get<RedirectedEvent>(redirect.body);
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<std::string> owner, url_identity_.Owner(txn, r.target));
  if (!owner) return std::optional<Event>();
  PALIMPSEST_ASSIGN_OR_RETURN(const std::string survivor, articles_.Resolve(txn, *owner));
  if (survivor == redirect.doc_id) return std::optional<Event>();
  // Both must be articles: a stream of redirects alone has nothing to merge.
  for (const std::string* id : {&survivor, &redirect.doc_id}) {
    auto state = articles_.GetState(txn, *id);
    if (state.status().IsNotFound()) return std::optional<Event>();
    if (!state.ok()) return state.status();
  }
  Event merge;
  merge.id = DeriveEventId({"merged", EventIdToString(redirect.id)});
  merge.doc_id = survivor;
  merge.actor = redirect.actor;
  merge.correlation_id = redirect.correlation_id;
  merge.body = MergedEvent{redirect.doc_id, redirect.seq};
  return std::optional<Event>(std::move(merge));
}

}  // namespace palimpsest
