// URL identity: every address a document has been seen at, and which document an address
// belongs to. Synchronous (applied in the append transaction, after the article projection).
//
// A document's addresses are the URLs its captures and re-captures were made at, the canonical
// URL a captured page declares for itself (which is how an AMP or mobile copy points back to its
// article), and both ends of a redirect recorded in its stream. The append path asks Owner()
// where a capture belongs before it is written (ArchiveImpl::LandingDocument); the projection
// only records what the log says, so replay derives the same bytes.
//
// Databases (byte layouts, also in schemas/README.md):
//   url_owners     key = CanonicalUrl(url) (doc_id.h: no scheme, no tracking parameters, ...)
//                  value = the doc id of the first document seen at that address
//   document_urls  key = doc id, NUL, the URL as recorded (every spelling is its own entry)
//                  value = u8 roles (1 captured, 2 declared canonical, 4 redirected from,
//                          8 redirected to), first seen (i64 BE, sign bit flipped), last seen
//                          (same), then the URL as first seen (percent-encoded, event_text.h)
// A URL or canonical form longer than 256 bytes is keyed by its first 191 bytes, 0x01 and the
// SHA-256 hex of the whole. Times are the capture times the events carry. An address keeps its
// first owner: a later document seen at it lists it too, but captures there keep landing in the
// first. A merge (event.h, MergedEvent) moves the merged-away document's addresses, and the
// ownership of those it owned, to the surviving document.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_URL_IDENTITY_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_URL_IDENTITY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/projections/article_projection.h"
#include "archive/projections/projection.h"
#include "palimpsest/documents.h"

namespace palimpsest {

class UrlIdentity : public Projection {
 public:
  static constexpr const char* kOwners = "url_owners";
  static constexpr const char* kDocumentUrls = "document_urls";

  // Learns the canonical URL each capture declared from `articles`, which must outlive this
  // projection and be applied before it.
  explicit UrlIdentity(const ArticleProjection* articles) : articles_(articles) {}

  const char* name() const override { return "url_identity"; }
  std::vector<const char*> databases() const override { return {kOwners, kDocumentUrls}; }
  Status Open(lmdb::Txn& txn, bool create) override;
  Status Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) override;

  // The document first seen at `url` (in any of its forms), or nullopt.
  Result<std::optional<std::string>> Owner(lmdb::Txn& txn, std::string_view url);
  // The document's addresses in order of first sighting (then URL); empty when none.
  Result<std::vector<DocumentUrl>> Urls(lmdb::Txn& txn, const std::string& doc_id);

 private:
  enum Role : uint8_t { kCaptured = 1, kCanonical = 2, kRedirectFrom = 4, kRedirectTo = 8 };
  // Records that `doc_id` was seen at `url` in `role` at `seen_at`.
  Status Record(lmdb::Txn& txn, const std::string& doc_id, std::string_view url, uint8_t role,
                Timestamp seen_at);
  // Adds `roles` and the span [first_seen, last_seen] to the document's entry for `url`.
  Status Merge(lmdb::Txn& txn, const std::string& doc_id, std::string_view url, uint8_t roles,
               Timestamp first_seen, Timestamp last_seen);
  // A merge: the addresses of `from` become `into`'s, and so do the ones `from` owned.
  Status MoveUrls(lmdb::Txn& txn, const std::string& from, const std::string& into);

  const ArticleProjection* articles_;
  MDB_dbi owners_ = 0;
  MDB_dbi document_urls_ = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_URL_IDENTITY_H_
