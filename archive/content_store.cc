#include "archive/content_store.h"

#include "palimpsest/compression.h"

namespace palimpsest {

namespace {
constexpr char kStored = 0;
constexpr char kZstd = 1;
constexpr char kRedacted = 2;
// Below this size compression rarely pays for its frame header.
constexpr size_t kMinCompressSize = 64;
}  // namespace

Status ContentStore::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(dbi_, txn.OpenDb(kDatabase, create));
  return Status::OK();
}

Result<ContentRef> ContentStore::Put(lmdb::Txn& txn, std::string_view bytes) {
  ContentRef ref{Sha256(bytes), bytes.size()};
  if (Contains(txn, ref.sha256)) return ref;
  std::string value;
  if (bytes.size() >= kMinCompressSize) {
    std::string frame = ZstdCompress(bytes);
    if (frame.size() < bytes.size()) value = kZstd + frame;
  }
  if (value.empty()) value = kStored + std::string(bytes);
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(dbi_, AsBytes(ref.sha256), value));
  return ref;
}

bool ContentStore::Contains(lmdb::Txn& txn, const Digest& hash) {
  return txn.Get(dbi_, AsBytes(hash)).ok();
}

Result<std::string> ContentStore::Get(lmdb::Txn& txn, const Digest& hash) {
  auto value = txn.Get(dbi_, AsBytes(hash));
  if (!value.ok()) {
    if (value.status().IsNotFound()) {
      return Status::NotFound("content " + DigestToString(hash) + " is missing");
    }
    return value.status();
  }
  std::string_view v = *value;
  if (v.empty()) return Status::Corruption("empty content record " + DigestToString(hash));
  std::string bytes;
  switch (v[0]) {
    case kStored:
      bytes.assign(v.substr(1));
      break;
    case kZstd: {
      PALIMPSEST_ASSIGN_OR_RETURN(bytes, ZstdDecompress(v.substr(1)));
      break;
    }
    case kRedacted:
      return Status::NotFound("redacted: " + std::string(v.substr(1)));
    default:
      return Status::Corruption("unknown content codec in " + DigestToString(hash));
  }
  if (Sha256(bytes) != hash) {
    return Status::Corruption("content " + DigestToString(hash) + " does not match its hash");
  }
  return bytes;
}

Status ContentStore::Redact(lmdb::Txn& txn, const Digest& hash, std::string_view reason) {
  return txn.Put(dbi_, AsBytes(hash), kRedacted + std::string(reason));
}

}  // namespace palimpsest
