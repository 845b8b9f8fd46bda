#include "cli/http/auth.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <vector>

#include "palimpsest/event_text.h"

namespace palimpsest::cli::http {

namespace {

// Compares all bytes whatever differs, so timing does not reveal a prefix.
bool ConstantTimeEqual(const Digest& a, const Digest& b) {
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// Refuses a tokens file that another user could rewrite to grant themselves a token.
Status CheckPermissions(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return Status::InvalidArgument("cannot read tokens file " + path);
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return Status::InvalidArgument("tokens file " + path +
                                   " is writable by group or others (chmod go-w it)");
  }
  return Status::OK();
}

// A NAME becomes the actor of events: UTF-8 without control characters, once per file.
Status CheckName(const std::string& name, const std::vector<std::string>& seen,
                 const std::string& where) {
  auto clean = CleanEventText(name, "token name");
  if (!clean.ok() || *clean != name) {
    return Status::InvalidArgument(where + ": token name is not UTF-8 text without controls");
  }
  if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
    return Status::InvalidArgument(where + ": duplicate token name '" + name + "'");
  }
  return Status::OK();
}

}  // namespace

Result<TokenStore> TokenStore::Load(const std::string& path) {
  TokenStore store;
  if (path.empty()) return store;
  PALIMPSEST_RETURN_IF_ERROR(CheckPermissions(path));
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument("cannot read tokens file " + path);
  std::string line;
  std::vector<std::string> names;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string where = path + ":" + std::to_string(number);
    std::istringstream fields(line);
    std::string name, hex, rest;
    if (!(fields >> name) || name[0] == '#') continue;
    std::string bytes;
    if (!(fields >> hex) || (fields >> rest) || hex.size() != 64 || !FromHex(hex, &bytes) ||
        bytes.size() != 32) {
      return Status::InvalidArgument(where + ": expected `NAME SHA256-HEX-OF-TOKEN`");
    }
    PALIMPSEST_RETURN_IF_ERROR(CheckName(name, names, where));
    names.push_back(name);
    Entry entry;
    entry.name = name;
    for (size_t i = 0; i < 32; ++i) entry.hash[i] = static_cast<uint8_t>(bytes[i]);
    store.entries_.push_back(std::move(entry));
  }
  if (store.entries_.empty()) return Status::InvalidArgument(path + " holds no tokens");
  return store;
}

std::optional<std::string> TokenStore::Authenticate(std::string_view authorization) const {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i]))) {
      return std::nullopt;
    }
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  const Digest presented = Sha256(token);
  std::optional<std::string> found;
  for (const Entry& entry : entries_) {  // every entry, even after a match
    if (ConstantTimeEqual(entry.hash, presented) && !found) found = entry.name;
  }
  return found;
}

}  // namespace palimpsest::cli::http
