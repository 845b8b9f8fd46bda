#include "archive/content_dictionaries.h"

#include <algorithm>

namespace palimpsest {

namespace {

constexpr char kDictionaryPrefix = 'd';
constexpr char kSourcePrefix = 's';
constexpr char kSamplesPrefix = 'p';

// Sources are named by their hash: a key of LMDB holds at most 511 bytes.
std::string SourceKey(char prefix, std::string_view source) {
  return std::string(1, prefix) + std::string(AsBytes(Sha256(source)));
}

std::string DictionaryKey(const Digest& hash) {
  return std::string(1, kDictionaryPrefix) + std::string(AsBytes(hash));
}

}  // namespace

Status ContentDictionaries::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(dbi_, txn.OpenOptionalDb(kDatabase, create));
  return Status::OK();
}

Result<ContentDictionaries::SourceDictionary> ContentDictionaries::ForSource(
    lmdb::Txn& txn, std::string_view source) {
  SourceDictionary found;
  if (!dbi_) return found;  // read-only open of an archive older than dictionaries
  auto named = txn.Get(*dbi_, SourceKey(kSourcePrefix, source));
  if (named.status().IsNotFound()) {
    found.collecting = true;
    return found;
  }
  PALIMPSEST_RETURN_IF_ERROR(named.status());
  if (named->empty()) return found;  // trained, none kept
  if (named->size() != found.hash.size()) {
    return Status::Corruption("malformed dictionary name for source '" + std::string(source) + "'");
  }
  std::copy(named->begin(), named->end(), found.hash.begin());
  PALIMPSEST_ASSIGN_OR_RETURN(found.dictionary, Get(txn, found.hash));
  return found;
}

Result<std::shared_ptr<const ZstdDictionary>> ContentDictionaries::Get(lmdb::Txn& txn,
                                                                       const Digest& hash) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = loaded_.find(hash);
    if (it != loaded_.end()) return it->second;
  }
  const std::string name = DigestToString(hash);
  if (!dbi_) {
    // Opened read-only before a writer upgraded the archive to format 3 and compressed content
    // with a dictionary: this process has no handle on the database.
    return Status::IOError("content " + name +
                           " is compressed with a dictionary this process cannot read: the "
                           "archive was upgraded while it was open; open it again");
  }
  auto bytes = txn.Get(*dbi_, DictionaryKey(hash));
  if (bytes.status().IsNotFound()) {
    return Status::Corruption("content refers to missing dictionary " + name);
  }
  PALIMPSEST_RETURN_IF_ERROR(bytes.status());
  if (Sha256(*bytes) != hash) {
    return Status::Corruption("dictionary " + name + " does not match its hash");
  }
  PALIMPSEST_ASSIGN_OR_RETURN(std::shared_ptr<const ZstdDictionary> dictionary,
                              ZstdDictionary::Load(*bytes));
  std::lock_guard<std::mutex> lock(mu_);
  if (loaded_.size() >= kMaxLoaded) loaded_.erase(loaded_.begin());  // any one: cheap to reload
  loaded_.emplace(hash, dictionary);
  return dictionary;
}

Result<std::vector<Digest>> ContentDictionaries::AddSample(lmdb::Txn& txn, std::string_view source,
                                                           const Digest& hash) {
  if (!dbi_) return Status::IOError("the archive is open read-only");
  const std::string key = SourceKey(kSamplesPrefix, source);
  std::string samples;
  auto stored = txn.Get(*dbi_, key);
  if (stored.ok()) {
    samples.assign(*stored);
  } else if (!stored.status().IsNotFound()) {
    return stored.status();
  }
  samples.append(AsBytes(hash));
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(*dbi_, key, samples));
  std::vector<Digest> all(samples.size() / hash.size());
  for (size_t i = 0; i < all.size(); ++i) {
    std::copy_n(samples.begin() + static_cast<std::ptrdiff_t>(i * hash.size()), hash.size(),
                all[i].begin());
  }
  return all;
}

Result<Digest> ContentDictionaries::Record(lmdb::Txn& txn, std::string_view source,
                                           std::string_view dictionary) {
  if (!dbi_) return Status::IOError("the archive is open read-only");
  Digest hash{};
  std::string name;  // empty: none kept
  if (!dictionary.empty()) {
    hash = Sha256(dictionary);
    name.assign(AsBytes(hash));
    PALIMPSEST_RETURN_IF_ERROR(txn.Put(*dbi_, DictionaryKey(hash), dictionary));
  }
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(*dbi_, SourceKey(kSourcePrefix, source), name));
  PALIMPSEST_RETURN_IF_ERROR(txn.Del(*dbi_, SourceKey(kSamplesPrefix, source)));
  return hash;
}

}  // namespace palimpsest
