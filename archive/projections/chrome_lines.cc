#include "archive/projections/chrome_lines.h"

#include <cstring>

#include "palimpsest/hash.h"

namespace palimpsest {

namespace {

constexpr size_t kTagSize = 8;

}  // namespace

Status ChromeLines::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<MDB_dbi> dbi, txn.OpenOptionalDb(kDatabase, create));
  open_ = dbi.has_value();
  dbi_ = dbi.value_or(0);
  return Status::OK();
}

std::string ChromeLines::SourceKey(std::string_view source, std::string_view url) {
  if (!source.empty()) return "source:" + std::string(source);
  size_t scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const size_t at = rest.rfind('@');  // user info
  if (at != std::string_view::npos) rest.remove_prefix(at + 1);
  rest = rest.substr(0, rest.find(':'));  // port
  std::string host;
  for (char c : rest) host.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  if (host.starts_with("www.")) host.erase(0, 4);
  if (host.empty()) return "";
  return "host:" + host;
}

std::array<char, 8> ChromeLines::Tag(std::string_view text) {
  const Digest d = Sha256(text);
  std::array<char, kTagSize> tag;
  std::memcpy(tag.data(), d.data(), kTagSize);
  return tag;
}

std::string ChromeLines::Key(const std::array<char, 8>& source_tag, std::string_view line) {
  const std::array<char, kTagSize> line_tag = Tag(line);
  std::string key(source_tag.data(), kTagSize);
  key.append(line_tag.data(), kTagSize);
  return key;
}

ChromeLines::View::View(const ChromeLines* table, lmdb::Txn* txn, std::string_view source_key,
                        std::string_view doc_id)
    : table_(table), txn_(txn), source_tag_(Tag(source_key)), doc_tag_(Tag(doc_id)) {}

bool ChromeLines::View::IsChrome(std::string_view line) const {
  if (!table_->open_ || !status_.ok()) return false;
  auto value = txn_->Get(table_->dbi_, Key(source_tag_, line));
  if (!value.ok()) {
    if (!value.status().IsNotFound()) status_ = value.status();
    return false;
  }
  const std::string_view doc(doc_tag_.data(), kTagSize);
  size_t others = 0;
  for (size_t at = 0; at + kTagSize <= value->size(); at += kTagSize) {
    if (value->substr(at, kTagSize) != doc) {
      ++others;
    } else if (at == 0) {
      return false;  // this document printed it first: its own line
    }
  }
  return others >= kMinOtherDocs;
}

Status ChromeLines::Record(lmdb::Txn& txn, std::string_view source_key, std::string_view doc_id,
                           const std::vector<std::string>& lines) {
  if (!open_) return Status::InvalidArgument("the chrome_lines database is not open");
  const std::array<char, kTagSize> source_tag = Tag(source_key);
  const std::array<char, kTagSize> doc_tag = Tag(doc_id);
  const std::string_view doc(doc_tag.data(), kTagSize);
  for (const std::string& line : lines) {
    const std::string key = Key(source_tag, line);
    std::string value;
    auto existing = txn.Get(dbi_, key);
    if (existing.ok()) {
      if (existing->size() >= kMaxDocs * kTagSize) continue;  // already decided for everyone
      bool known = false;
      for (size_t at = 0; at + kTagSize <= existing->size(); at += kTagSize) {
        known = known || existing->substr(at, kTagSize) == doc;
      }
      if (known) continue;
      value.assign(*existing);
    } else if (!existing.status().IsNotFound()) {
      return existing.status();
    }
    value.append(doc);
    PALIMPSEST_RETURN_IF_ERROR(txn.Put(dbi_, key, value));
  }
  return Status::OK();
}

}  // namespace palimpsest
