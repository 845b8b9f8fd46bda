// URL identity queries: a document's addresses, and the document an address belongs to. An
// address that only redacted content named is withheld like the rest of that content.

#include <algorithm>
#include <iterator>

#include "archive/archive_impl.h"
#include "archive/lmdb/keys.h"
#include "palimpsest/doc_id.h"

namespace palimpsest {

namespace {

// Adds the addresses `event` names (CanonicalUrl form) to `out`.
void AddAddresses(const Event& event, std::set<std::string>* out) {
  if (const auto* c = std::get_if<CapturedEvent>(&event.body)) {
    out->insert(CanonicalUrl(c->url));
  } else if (const auto* o = std::get_if<ObservedEvent>(&event.body)) {
    out->insert(CanonicalUrl(o->url));
  } else if (const auto* r = std::get_if<RedirectedEvent>(&event.body)) {
    out->insert(CanonicalUrl(r->url));
    out->insert(CanonicalUrl(r->target));
  }
}

}  // namespace

Result<std::set<std::string>> ArchiveImpl::HiddenAddresses(lmdb::Txn& txn,
                                                           const std::string& doc_id) {
  // Redactions are rare: scan what they withheld, and look closer only at this document's.
  std::set<uint64_t> withheld;
  std::set<std::string> named_withheld, named_public;
  // The document's events are those of its own stream and of every document merged into it.
  std::set<std::string> streams = {doc_id};
  if (auto state = articles_.GetState(txn, doc_id); state.ok()) {
    for (const DocumentMerge& m : state->merges) streams.insert(m.from);
  } else if (!state.status().IsNotFound()) {
    return state.status();
  }
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, withheld_));
  for (bool ok = cursor.First(); ok; ok = cursor.Next()) {
    const uint64_t seq = keys::ReadU64(cursor.key());
    PALIMPSEST_ASSIGN_OR_RETURN(Event event, ReadEvent(txn, seq));
    if (streams.count(event.doc_id) == 0) continue;
    withheld.insert(seq);
    AddAddresses(event, &named_withheld);
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  if (withheld.empty()) return named_withheld;
  std::vector<uint64_t> seqs;
  for (const std::string& stream : streams) {
    PALIMPSEST_ASSIGN_OR_RETURN(std::vector<uint64_t> more, stream_index_.Seqs(txn, stream, 1));
    seqs.insert(seqs.end(), more.begin(), more.end());
  }
  for (uint64_t seq : seqs) {
    if (withheld.count(seq) != 0) continue;
    PALIMPSEST_ASSIGN_OR_RETURN(Event event, ReadEvent(txn, seq));
    AddAddresses(event, &named_public);
  }
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> revisions,
                              articles_.Revisions(txn, doc_id, /*with_bodies=*/false));
  for (const StoredRevision& r : revisions) {
    if (r.content.canonical_url.empty()) continue;
    (r.info.redacted ? named_withheld : named_public).insert(CanonicalUrl(r.content.canonical_url));
  }
  std::set<std::string> hidden;
  std::set_difference(named_withheld.begin(), named_withheld.end(), named_public.begin(),
                      named_public.end(), std::inserter(hidden, hidden.end()));
  return hidden;
}

Result<std::vector<DocumentUrl>> ArchiveImpl::DocumentUrls(const std::string& requested_id) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  PALIMPSEST_ASSIGN_OR_RETURN(const std::string doc_id, articles_.Resolve(r.txn, requested_id));
  PALIMPSEST_ASSIGN_OR_RETURN(uint64_t version, stream_index_.Version(r.txn, doc_id));
  if (version == 0) return Status::NotFound("no document '" + doc_id + "'");
  return PublicUrls(r.txn, doc_id);
}

Result<ResolvedDocument> ArchiveImpl::ResolveDocument(const std::string& doc_id) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  ResolvedDocument resolved;
  PALIMPSEST_ASSIGN_OR_RETURN(resolved.id, articles_.Resolve(r.txn, doc_id));
  auto state = articles_.GetState(r.txn, resolved.id);
  if (state.ok()) {
    resolved.merges = std::move(state->merges);
    return resolved;
  }
  if (!state.status().IsNotFound()) return state.status();
  // A stream of redirects alone is a document without revisions.
  PALIMPSEST_ASSIGN_OR_RETURN(uint64_t version, stream_index_.Version(r.txn, resolved.id));
  if (version == 0) return Status::NotFound("no document '" + doc_id + "'");
  return resolved;
}

Result<std::vector<DocumentUrl>> ArchiveImpl::PublicUrls(lmdb::Txn& txn,
                                                         const std::string& doc_id) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<DocumentUrl> urls, url_identity_.Urls(txn, doc_id));
  PALIMPSEST_ASSIGN_OR_RETURN(std::set<std::string> hidden, HiddenAddresses(txn, doc_id));
  std::erase_if(urls, [&](const DocumentUrl& u) { return hidden.count(CanonicalUrl(u.url)) != 0; });
  return urls;
}

Result<std::string> ArchiveImpl::FindDocumentByUrl(std::string_view url) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<std::string> owner, url_identity_.Owner(r.txn, url));
  if (owner) {
    PALIMPSEST_ASSIGN_OR_RETURN(owner, articles_.Resolve(r.txn, *owner));
    PALIMPSEST_ASSIGN_OR_RETURN(std::set<std::string> hidden, HiddenAddresses(r.txn, *owner));
    if (hidden.count(CanonicalUrl(url)) == 0) return *owner;
  }
  return Status::NotFound("no document was seen at " + std::string(url));
}

}  // namespace palimpsest
