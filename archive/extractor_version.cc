// The extractor version the projections were built with, in meta "extractor_version" as ASCII
// decimal. Written when an archive is created and by Replay (which rebuilds every projection
// with the current extractor); appends leave it, so an archive built by an older extractor
// says so until it is replayed. Archives from before the key existed were built by version 1.

#include <charconv>

#include "archive/archive_impl.h"
#include "palimpsest/extractor.h"

namespace palimpsest {

namespace {

constexpr const char* kExtractorVersionKey = "extractor_version";

}  // namespace

Status ArchiveImpl::WriteExtractorVersion(lmdb::Txn& txn) {
  return txn.Put(meta_, kExtractorVersionKey, std::to_string(kExtractorVersion));
}

Result<int> ArchiveImpl::ReadExtractorVersion(lmdb::Txn& txn) {
  auto value = txn.Get(meta_, kExtractorVersionKey);
  if (!value.ok()) {
    if (value.status().IsNotFound()) return 1;
    return value.status();
  }
  int version = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), version);
  if (ec != std::errc() || end != value->data() + value->size() || version < 1) {
    return Status::Corruption("meta extractor_version is not a version number");
  }
  return version;
}

Result<int> ArchiveImpl::ProjectionExtractorVersion() {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  return ReadExtractorVersion(r.txn);
}

}  // namespace palimpsest
