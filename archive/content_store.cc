#include "archive/content_store.h"

#include <algorithm>

#include "codec/compression.h"

namespace palimpsest {

namespace {
constexpr char kStored = 0;
constexpr char kZstd = 1;
constexpr char kWithheld = 2;
constexpr char kDelta = 3;
constexpr char kShared = 4;
constexpr char kDerived = 5;
constexpr char kDictionary = 6;
constexpr size_t kDerivedHeader = 1 + 32;
constexpr size_t kDictionaryHeader = 1 + 32;
// Bounds of a trained dictionary's size: a tenth of its samples' bytes, within these.
constexpr size_t kMinDictionaryBytes = 4 << 10;
constexpr size_t kMaxDictionaryBytes = 64 << 10;
// Training reads at most this much of each sample: a template shows in any page's first part,
// and training time grows with its input (about 0.25 s for 4 MB here).
constexpr size_t kMaxTrainingBytesPerSample = 128 << 10;
constexpr size_t kDeltaHeader = 1 + 1 + 32;
// Below this size compression rarely pays for its frame header.
constexpr size_t kMinCompressSize = 64;
// A delta under 1/8 of the raw size is kept without trying a standalone frame.
constexpr size_t kDeltaClearlySmaller = 8;
// A delta against a chain's anchor under 1/16 of the raw size is kept; a larger one means the
// changes since the anchor have piled up. Measured on the bench workload (sentence-level
// corrections of ~6 KB articles, up to a thousand per document): 1/12 to 1/16 stores the
// fewest bytes, fewer than chains of deltas against the previous capture; 1/3 stores 40% more.
constexpr size_t kAnchorDeltaFraction = 16;
// Levels of a chain this store writes: any revision it stores decodes in at most this many
// delta steps from a standalone value. (Archives written before kept up to kMaxDeltaDepth.)
constexpr int kChainLevels = 2;

// Splits a withheld value into its reason and inner value; false when malformed.
bool SplitWithheld(std::string_view value, std::string_view* reason, std::string_view* inner) {
  if (value.size() < 3) return false;
  const size_t n =
      (static_cast<unsigned char>(value[1]) << 8) | static_cast<unsigned char>(value[2]);
  if (value.size() < 3 + n) return false;
  *reason = value.substr(3, n);
  *inner = value.substr(3 + n);
  return true;
}

// The value a withheld marker wraps, or `value` itself.
std::string_view Unwrapped(std::string_view value) {
  std::string_view reason, inner;
  if (!value.empty() && value[0] == kWithheld && SplitWithheld(value, &reason, &inner)) {
    return inner;
  }
  return value;
}

// The content a delta value was compressed against; nullopt for any other value.
std::optional<Digest> DeltaReference(std::string_view value) {
  value = Unwrapped(value);
  if (value.size() < kDeltaHeader || value[0] != kDelta) return std::nullopt;
  Digest hash;
  std::copy(value.begin() + 2, value.begin() + kDeltaHeader, hash.begin());
  return hash;
}
}  // namespace

std::optional<DecodedContentCache::Entry> DecodedContentCache::Find(const Digest& hash) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(hash);
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void DecodedContentCache::Insert(const Digest& hash, SharedBytes bytes, bool verified) {
  if (bytes->size() > max_bytes_) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(hash);
  if (it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    Entry& entry = it->second->second;
    if (verified && !entry.verified) {
      // The checked bytes replace the unchecked ones (which another thread may have put there
      // since this caller checked what it found).
      bytes_ = bytes_ - entry.bytes->size() + bytes->size();
      entry = Entry{std::move(bytes), true};
    }
    return;
  }
  bytes_ += bytes->size();
  lru_.emplace_front(hash, Entry{std::move(bytes), verified});
  index_.emplace(hash, lru_.begin());
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    bytes_ -= lru_.back().second.bytes->size();
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

void DecodedContentCache::Erase(const Digest& hash) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(hash);
  if (it == index_.end()) return;
  bytes_ -= it->second->second.bytes->size();
  lru_.erase(it->second);
  index_.erase(it);
}

Status ContentStore::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(dbi_, txn.OpenDb(database_, create));
  if (dictionaries_ != nullptr) PALIMPSEST_RETURN_IF_ERROR(dictionaries_->Open(txn, create));
  return Status::OK();
}

int ContentStore::Depth(std::string_view value) {
  value = Unwrapped(value);
  if (value.size() >= 2 && value[0] == kDelta) return static_cast<unsigned char>(value[1]);
  return 0;
}

std::string ContentStore::DeltaAgainst(lmdb::Txn& txn, std::string_view bytes,
                                       const Digest& base_hash, const Digest& self) {
  if (base_hash == self) return {};
  auto base_value = txn.Get(dbi_, AsBytes(base_hash));
  if (!base_value.ok()) return {};
  const int depth = Depth(*base_value) + 1;
  if (depth > kChainLevels) return {};
  auto base = Base(txn, base_hash, *base_value, 0, /*verify=*/true);
  if (!base.ok()) return {};
  return std::string(1, kDelta) + static_cast<char>(depth) + std::string(AsBytes(base_hash)) +
         ZstdCompress(bytes, **base);
}

std::string ContentStore::ChainedValue(lmdb::Txn& txn, std::string_view bytes,
                                       const Digest& previous, const Digest& self) {
  auto previous_value = txn.Get(dbi_, AsBytes(previous));
  if (!previous_value.ok()) return {};
  // Against the previous capture's own base (its anchor) first: the chain then stays as deep
  // as it is, so a revision reads in as many steps as its anchor plus one.
  std::string value;
  if (std::optional<Digest> anchor = DeltaReference(*previous_value)) {
    value = DeltaAgainst(txn, bytes, *anchor, self);
    if (!value.empty() && value.size() * kAnchorDeltaFraction <= bytes.size()) return value;
  }
  // The changes since the anchor have grown: the previous capture becomes the anchor of the
  // next ones, one level deeper; at the deepest level the chain restarts (no delta).
  return DeltaAgainst(txn, bytes, previous, self);
}

Result<ContentRef> ContentStore::Put(lmdb::Txn& txn, std::string_view bytes,
                                     const Digest* reference, const ContentRef* capture,
                                     const std::string* source) {
  ContentRef ref{Sha256(bytes), bytes.size()};
  if (Contains(txn, ref.sha256)) return ref;
  std::string value;
  if (shared_ != nullptr && shared_->Contains(txn, ref.sha256)) {
    PALIMPSEST_RETURN_IF_ERROR(txn.Put(dbi_, AsBytes(ref.sha256), std::string(1, kShared)));
    bases_->Insert(ref.sha256, std::make_shared<const std::string>(bytes), /*verified=*/true);
    return ref;
  }
  if (reference != nullptr && bytes.size() >= kMinCompressSize) {
    value = ChainedValue(txn, bytes, *reference, ref.sha256);
  }
  // A delta this small beats any standalone frame of prose (zstd reaches about a third), so
  // the second compression is skipped: it was half the cost of storing a correction.
  if (value.empty() || value.size() * kDeltaClearlySmaller > bytes.size()) {
    std::string standalone;
    if (bytes.size() >= kMinCompressSize) {
      std::string frame = ZstdCompress(bytes);
      if (frame.size() < bytes.size()) standalone = kZstd + frame;
    }
    if (standalone.empty()) standalone = kStored + std::string(bytes);
    if (value.empty() || standalone.size() <= value.size()) value = std::move(standalone);
  }
  // A capture that is little more than the text (plain text, not a page of markup) is cheap to
  // read back, so the text may be stored as a delta against it.
  if (shared_ != nullptr && capture != nullptr && bytes.size() >= kMinCompressSize &&
      capture->size <= bytes.size() + bytes.size() / 4 + 1024) {
    auto raw = shared_->Get(txn, capture->sha256, Access::kInternal);
    if (raw.ok()) {
      std::string derived = std::string(1, kDerived) + std::string(AsBytes(capture->sha256)) +
                            ZstdCompress(bytes, *raw);
      if (derived.size() < value.size()) value = std::move(derived);
    }
  }
  bool sample = false;
  if (source != nullptr && dictionaries_ != nullptr && (value[0] == kZstd || value[0] == kStored) &&
      bytes.size() >= kMinCompressSize) {
    PALIMPSEST_ASSIGN_OR_RETURN(
        value, WithSourceDictionary(txn, *source, bytes, std::move(value), &sample));
  }
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(dbi_, AsBytes(ref.sha256), value));
  // The next capture of the document is compressed against this one.
  bases_->Insert(ref.sha256, std::make_shared<const std::string>(bytes), /*verified=*/true);
  if (sample) {
    PALIMPSEST_ASSIGN_OR_RETURN(std::vector<Digest> samples,
                                dictionaries_->AddSample(txn, *source, ref.sha256));
    if (samples.size() >= ContentDictionaries::kTrainingSamples) {
      PALIMPSEST_RETURN_IF_ERROR(TrainDictionary(txn, *source, samples));
    }
  }
  return ref;
}

Result<std::string> ContentStore::WithSourceDictionary(lmdb::Txn& txn, const std::string& source,
                                                       std::string_view bytes, std::string value,
                                                       bool* sample) {
  PALIMPSEST_ASSIGN_OR_RETURN(ContentDictionaries::SourceDictionary found,
                              dictionaries_->ForSource(txn, source));
  *sample = found.collecting;
  if (found.dictionary == nullptr) return value;
  std::string compressed = std::string(1, kDictionary) + std::string(AsBytes(found.hash)) +
                           found.dictionary->Compress(bytes);
  return compressed.size() < value.size() ? compressed : value;
}

Status ContentStore::TrainDictionary(lmdb::Txn& txn, const std::string& source,
                                     const std::vector<Digest>& samples) {
  std::vector<std::string> texts, heads;  // each sample, and what training reads of it
  std::vector<Digest> names;
  std::vector<size_t> stored_sizes;
  size_t head_bytes = 0;
  for (const Digest& hash : samples) {
    auto value = txn.Get(dbi_, AsBytes(hash));
    // Redacted since (or damaged): not trained on.
    if (!value.ok() || value->empty() || (*value)[0] == kWithheld) continue;
    const size_t stored = value->size();
    auto text = Decode(txn, hash, *value, Access::kServe, 0, /*verify=*/true);
    if (!text.ok()) continue;
    heads.push_back(text->substr(0, kMaxTrainingBytesPerSample));
    head_bytes += heads.back().size();
    stored_sizes.push_back(stored);
    names.push_back(hash);
    texts.push_back(std::move(*text));
  }
  std::string dictionary = TrainZstdDictionary(
      heads, std::clamp(head_bytes / 10, kMinDictionaryBytes, kMaxDictionaryBytes));
  std::vector<std::string> frames;
  if (!dictionary.empty()) {
    auto loaded = ZstdDictionary::Load(dictionary);
    size_t before = 0, after = 0;
    for (size_t i = 0; loaded.ok() && i < texts.size(); ++i) {
      frames.push_back((*loaded)->Compress(texts[i]));
      before += stored_sizes[i];
      after += std::min(stored_sizes[i], kDictionaryHeader + frames.back().size());
    }
    if (!loaded.ok() || after * 10 > before * 9) dictionary.clear();
  }
  PALIMPSEST_ASSIGN_OR_RETURN(Digest name, dictionaries_->Record(txn, source, dictionary));
  if (dictionary.empty()) return Status::OK();
  // The samples themselves are stored again with it, where that is smaller.
  for (size_t i = 0; i < names.size(); ++i) {
    if (kDictionaryHeader + frames[i].size() >= stored_sizes[i]) continue;
    const std::string value = std::string(1, kDictionary) + std::string(AsBytes(name)) + frames[i];
    PALIMPSEST_RETURN_IF_ERROR(txn.Put(dbi_, AsBytes(names[i]), value));
  }
  return Status::OK();
}

Result<SharedBytes> ContentStore::Base(lmdb::Txn& txn, const Digest& hash, std::string_view value,
                                       int depth, bool verify) {
  // A withheld record without bytes has nothing to decode, whatever was cached before.
  std::string_view reason, inner;
  const bool gone = !value.empty() && value[0] == kWithheld &&
                    SplitWithheld(value, &reason, &inner) && inner.empty();
  if (!gone) {
    if (std::optional<DecodedContentCache::Entry> cached = bases_->Find(hash)) {
      if (cached->verified || !verify) return std::move(cached->bytes);
      if (Sha256(*cached->bytes) == hash) {
        bases_->Insert(hash, cached->bytes, /*verified=*/true);
        return std::move(cached->bytes);
      }
      bases_->Erase(hash);  // decoded from a damaged base: decode it again, checked
    }
  }
  PALIMPSEST_ASSIGN_OR_RETURN(std::string bytes,
                              Decode(txn, hash, value, Access::kInternal, depth, verify));
  auto shared = std::make_shared<const std::string>(std::move(bytes));
  bases_->Insert(hash, shared, verify);
  return shared;
}

bool ContentStore::Contains(lmdb::Txn& txn, const Digest& hash) {
  return txn.Get(dbi_, AsBytes(hash)).ok();
}

Result<std::string> ContentStore::Get(lmdb::Txn& txn, const Digest& hash, Access access) {
  auto value = txn.Get(dbi_, AsBytes(hash));
  if (!value.ok()) {
    // Every hash asked for came from the log or a projection record (a redacted one keeps a
    // withheld marker): a missing record is damage, not an unknown name.
    if (value.status().IsNotFound()) {
      return Status::Corruption("content " + DigestToString(hash) +
                                " is missing (`palimpsest verify` reports the damage)");
    }
    return value.status();
  }
  // A projection's own reads of its derived texts may come from the cache (the record exists
  // in this transaction, checked above); Base() also refuses withheld records without bytes.
  if (cache_reads_ && access == Access::kInternal) {
    PALIMPSEST_ASSIGN_OR_RETURN(SharedBytes bytes, Base(txn, hash, *value, 0, /*verify=*/true));
    return std::string(*bytes);
  }
  // The value view dies with the next write; decode from a copy only when recursion may write
  // nothing (reads only), so the view stays valid.
  return Decode(txn, hash, *value, access, 0, /*verify=*/true);
}

Result<std::string> ContentStore::Decode(lmdb::Txn& txn, const Digest& hash, std::string_view v,
                                         Access access, int depth, bool verify) {
  std::optional<Digest> unchecked_base;
  auto bytes = DecodeValue(txn, hash, v, access, depth, /*verify_bases=*/false, &unchecked_base);
  const bool damaged =
      bytes.ok() ? verify && Sha256(*bytes) != hash : bytes.status().IsCorruption();
  if (!damaged) return bytes;
  if (unchecked_base) {
    // This record or a base under it is damaged (against a wrong base a delta frame fails its
    // own checksum, or the result its hash): decode again checking every link, which names the
    // damaged record and keeps no unchecked copy of it cached.
    bases_->Erase(*unchecked_base);
    bytes = DecodeValue(txn, hash, v, access, depth, /*verify_bases=*/true, &unchecked_base);
    if (!bytes.ok() || !verify || Sha256(*bytes) == hash) return bytes;
  }
  if (!bytes.ok()) return bytes.status();
  return Status::Corruption("content " + DigestToString(hash) + " does not match its hash");
}

Result<std::string> ContentStore::DecodeDelta(lmdb::Txn& txn, const Digest& hash,
                                              std::string_view v, int depth, bool verify_bases,
                                              std::optional<Digest>* unchecked_base) {
  if (v.size() < kDeltaHeader || depth > kMaxDeltaDepth) {
    return Status::Corruption("malformed delta record " + DigestToString(hash));
  }
  Digest base_hash;
  std::copy(v.begin() + 2, v.begin() + kDeltaHeader, base_hash.begin());
  auto base_value = txn.Get(dbi_, AsBytes(base_hash));
  if (!base_value.ok()) {
    return Status::Corruption("content " + DigestToString(hash) + " refers to missing " +
                              DigestToString(base_hash));
  }
  PALIMPSEST_ASSIGN_OR_RETURN(SharedBytes base,
                              Base(txn, base_hash, *base_value, depth + 1, verify_bases));
  if (!verify_bases) *unchecked_base = base_hash;
  return ZstdDecompress(v.substr(kDeltaHeader), *base);
}

Result<std::string> ContentStore::DecodeValue(lmdb::Txn& txn, const Digest& hash,
                                              std::string_view v, Access access, int depth,
                                              bool verify_bases,
                                              std::optional<Digest>* unchecked_base) {
  auto name = [&hash] { return DigestToString(hash); };
  if (v.empty()) return Status::Corruption("empty content record " + name());
  switch (v[0]) {
    case kStored:
      return std::string(v.substr(1));
    case kZstd:
      return ZstdDecompress(v.substr(1));
    case kWithheld: {
      std::string_view reason, inner;
      if (!SplitWithheld(v, &reason, &inner))
        return Status::Corruption("malformed withheld record " + name());
      if (access == Access::kServe || inner.empty()) {
        return Status::Redacted(std::string(reason));
      }
      return DecodeValue(txn, hash, inner, access, depth, verify_bases, unchecked_base);
    }
    case kDelta:
      return DecodeDelta(txn, hash, v, depth, verify_bases, unchecked_base);
    case kDerived: {
      if (shared_ == nullptr || v.size() < kDerivedHeader) {
        return Status::Corruption("malformed derived content record " + name());
      }
      Digest base_hash;
      std::copy(v.begin() + 1, v.begin() + kDerivedHeader, base_hash.begin());
      PALIMPSEST_ASSIGN_OR_RETURN(std::string base,
                                  shared_->Get(txn, base_hash, Access::kInternal));
      return ZstdDecompress(v.substr(kDerivedHeader), base);
    }
    case kDictionary: {
      if (dictionaries_ == nullptr || v.size() < kDictionaryHeader) {
        return Status::Corruption("malformed dictionary content record " + name());
      }
      Digest dictionary_hash;
      std::copy(v.begin() + 1, v.begin() + kDictionaryHeader, dictionary_hash.begin());
      PALIMPSEST_ASSIGN_OR_RETURN(std::shared_ptr<const ZstdDictionary> dictionary,
                                  dictionaries_->Get(txn, dictionary_hash));
      return dictionary->Decompress(v.substr(kDictionaryHeader));
    }
    case kShared:
      if (shared_ == nullptr || v.size() != 1) {
        return Status::Corruption("malformed shared content record " + name());
      }
      // The log's store checks the bytes against the same hash.
      return shared_->Get(txn, hash, Access::kInternal);
    default:
      return Status::Corruption("unknown content codec in " + name());
  }
}

Status ContentStore::Withhold(lmdb::Txn& txn, const Digest& hash, std::string_view reason) {
  std::string inner;
  auto value = txn.Get(dbi_, AsBytes(hash));
  if (value.ok()) {
    std::string_view old_reason, old_inner;
    if (!value->empty() && (*value)[0] == kWithheld &&
        SplitWithheld(*value, &old_reason, &old_inner)) {
      inner.assign(old_inner);
    } else {
      inner.assign(*value);
    }
  } else if (!value.status().IsNotFound()) {
    return value.status();
  }
  reason = reason.substr(0, 0xffff);
  std::string marker(1, kWithheld);
  marker.push_back(static_cast<char>(reason.size() >> 8));
  marker.push_back(static_cast<char>(reason.size() & 0xff));
  marker.append(reason);
  marker.append(inner);
  return txn.Put(dbi_, AsBytes(hash), marker);
}

}  // namespace palimpsest
