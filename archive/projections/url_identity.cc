#include "archive/projections/url_identity.h"

#include <algorithm>

#include "archive/lmdb/keys.h"
#include "palimpsest/doc_id.h"
#include "palimpsest/hash.h"

namespace palimpsest {

namespace {

constexpr size_t kHeaderBytes = 1 + 8 + 8;  // roles, first seen, last seen

// LMDB keys end at 511 bytes and a document_urls key also holds a doc id of up to 200: a longer
// address is keyed by its first 191 bytes, a 0x01 byte (never in a recorded URL, which is
// percent-encoded) and the SHA-256 hex of the whole, so a shortened key cannot equal a whole one.
constexpr size_t kMaxAddressKeyBytes = 256;
constexpr size_t kAddressPrefixBytes = kMaxAddressKeyBytes - 1 - 64;

std::string BoundedKey(std::string address) {
  if (address.size() <= kMaxAddressKeyBytes) return address;
  return address.substr(0, kAddressPrefixBytes) + '\x01' + ToHex(Sha256(address));
}

// The url_owners key of `url`: its canonical form, or "" when it has no host (not an address).
std::string OwnerKey(std::string_view url) {
  std::string address = CanonicalUrl(url);
  if (address.empty() || address[0] == '/') return "";
  return BoundedKey(std::move(address));
}

std::string EncodeEntry(uint8_t roles, Timestamp first_seen, Timestamp last_seen,
                        std::string_view url) {
  std::string value(1, static_cast<char>(roles));
  value += keys::I64(first_seen);
  value += keys::I64(last_seen);
  value += url;
  return value;
}

Result<DocumentUrl> DecodeEntry(std::string_view value) {
  if (value.size() < kHeaderBytes) return Status::Corruption("short document_urls record");
  const auto roles = static_cast<uint8_t>(value[0]);
  DocumentUrl url;
  url.captured = (roles & 1) != 0;
  url.canonical = (roles & 2) != 0;
  url.redirect = (roles & 4) != 0;
  url.redirect_target = (roles & 8) != 0;
  url.first_seen = keys::ReadI64(value.substr(1));
  url.last_seen = keys::ReadI64(value.substr(9));
  url.url = std::string(value.substr(kHeaderBytes));
  return url;
}

}  // namespace

Status UrlIdentity::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(owners_, txn.OpenDb(kOwners, create));
  PALIMPSEST_ASSIGN_OR_RETURN(document_urls_, txn.OpenDb(kDocumentUrls, create));
  return Status::OK();
}

Status UrlIdentity::Apply(lmdb::Txn& txn, const Event& event, ContentStore&) {
  auto seen = [&](Timestamp captured_at) {
    return captured_at != kNoTime ? captured_at : event.recorded_at;
  };
  if (const auto* c = std::get_if<CapturedEvent>(&event.body)) {
    PALIMPSEST_RETURN_IF_ERROR(Record(txn, event.doc_id, c->url, kCaptured, seen(c->captured_at)));
    return Record(txn, event.doc_id, articles_->DeclaredUrlOfLastCapture(), kCanonical,
                  seen(c->captured_at));
  }
  if (const auto* o = std::get_if<ObservedEvent>(&event.body)) {
    return Record(txn, event.doc_id, o->url, kCaptured, seen(o->captured_at));
  }
  if (const auto* r = std::get_if<RedirectedEvent>(&event.body)) {
    PALIMPSEST_RETURN_IF_ERROR(
        Record(txn, event.doc_id, r->url, kRedirectFrom, seen(r->captured_at)));
    return Record(txn, event.doc_id, r->target, kRedirectTo, seen(r->captured_at));
  }
  if (const auto* m = std::get_if<MergedEvent>(&event.body)) {
    return MoveUrls(txn, m->from, event.doc_id);
  }
  return Status::OK();
}

Status UrlIdentity::MoveUrls(lmdb::Txn& txn, const std::string& from, const std::string& into) {
  std::vector<std::pair<std::string, std::string>> entries;  // key, value
  {
    PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, document_urls_));
    const std::string prefix = keys::DocPrefix(from);
    for (bool ok = cursor.Seek(prefix); ok && cursor.key().substr(0, prefix.size()) == prefix;
         ok = cursor.Next()) {
      entries.emplace_back(cursor.key(), cursor.value());
    }
    PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  }
  for (const auto& [key, value] : entries) {
    PALIMPSEST_ASSIGN_OR_RETURN(DocumentUrl url, DecodeEntry(value));
    const auto roles = static_cast<uint8_t>(value[0]);
    // The addresses the merged-away document owned are the surviving one's now.
    const std::string address = OwnerKey(url.url);
    if (!address.empty()) {
      auto owner = txn.Get(owners_, address);
      if (!owner.ok() && !owner.status().IsNotFound()) return owner.status();
      if (owner.ok() && *owner == from) PALIMPSEST_RETURN_IF_ERROR(txn.Put(owners_, address, into));
    }
    PALIMPSEST_RETURN_IF_ERROR(Merge(txn, into, url.url, roles, url.first_seen, url.last_seen));
    PALIMPSEST_RETURN_IF_ERROR(txn.Del(document_urls_, key));
  }
  return Status::OK();
}

Status UrlIdentity::Record(lmdb::Txn& txn, const std::string& doc_id, std::string_view url,
                           uint8_t role, Timestamp seen_at) {
  const std::string address = OwnerKey(url);
  if (address.empty()) return Status::OK();
  auto owner = txn.Get(owners_, address);
  if (owner.status().IsNotFound()) {
    PALIMPSEST_RETURN_IF_ERROR(txn.Put(owners_, address, doc_id));
  } else if (!owner.ok()) {
    return owner.status();
  }
  return Merge(txn, doc_id, url, role, seen_at, seen_at);
}

Status UrlIdentity::Merge(lmdb::Txn& txn, const std::string& doc_id, std::string_view url,
                          uint8_t roles_seen, Timestamp first_seen, Timestamp last_seen) {
  // Every spelling is kept: http and https, with and without tracking parameters.
  const std::string key = keys::DocPrefix(doc_id) + BoundedKey(std::string(url));
  auto existing = txn.Get(document_urls_, key);
  if (existing.status().IsNotFound()) {
    return txn.Put(document_urls_, key, EncodeEntry(roles_seen, first_seen, last_seen, url));
  }
  if (!existing.ok()) return existing.status();
  PALIMPSEST_ASSIGN_OR_RETURN(DocumentUrl known, DecodeEntry(*existing));
  const auto roles = static_cast<uint8_t>(static_cast<uint8_t>((*existing)[0]) | roles_seen);
  const Timestamp first = std::min(known.first_seen, first_seen);
  const Timestamp last = std::max(known.last_seen, last_seen);
  if (roles == static_cast<uint8_t>((*existing)[0]) && first == known.first_seen &&
      last == known.last_seen) {
    return Status::OK();  // a re-capture at a known address and time: nothing to write
  }
  return txn.Put(document_urls_, key, EncodeEntry(roles, first, last, known.url));
}

Result<std::optional<std::string>> UrlIdentity::Owner(lmdb::Txn& txn, std::string_view url) {
  const std::string address = OwnerKey(url);
  if (address.empty()) return std::optional<std::string>();
  auto owner = txn.Get(owners_, address);
  if (owner.status().IsNotFound()) return std::optional<std::string>();
  if (!owner.ok()) return owner.status();
  return std::optional<std::string>(std::string(*owner));
}

Result<std::vector<DocumentUrl>> UrlIdentity::Urls(lmdb::Txn& txn, const std::string& doc_id) {
  std::vector<DocumentUrl> urls;
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, document_urls_));
  const std::string prefix = keys::DocPrefix(doc_id);
  for (bool ok = cursor.Seek(prefix); ok && cursor.key().substr(0, prefix.size()) == prefix;
       ok = cursor.Next()) {
    PALIMPSEST_ASSIGN_OR_RETURN(DocumentUrl url, DecodeEntry(cursor.value()));
    urls.push_back(std::move(url));
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  std::stable_sort(urls.begin(), urls.end(), [](const DocumentUrl& a, const DocumentUrl& b) {
    return a.first_seen < b.first_seen;
  });
  return urls;
}

}  // namespace palimpsest
