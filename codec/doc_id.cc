#include "palimpsest/doc_id.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "palimpsest/hash.h"

namespace palimpsest {

namespace {

bool IsIdChar(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == '@';
}

bool IsTrackingParameter(std::string_view param) {
  std::string_view name = param.substr(0, param.find('='));
  return name.rfind("utm_", 0) == 0 || name == "fbclid" || name == "gclid" || name == "mc_cid" ||
         name == "mc_eid";
}

// Maps characters a doc id cannot hold to "_"; sets *lossy when a character other than "/"
// was replaced (those could collide with a literal "_").
std::string Sanitize(std::string_view text, bool* lossy) {
  std::string out;
  for (unsigned char c : text) {
    if (IsIdChar(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      if (c != '/') *lossy = true;
      out.push_back('_');
    }
  }
  return out;
}

std::string WithHashSuffix(std::string id, std::string_view source) {
  std::string suffix = "-" + ToHex(Sha256(source)).substr(0, 12);
  if (id.size() + suffix.size() > kMaxDocIdBytes) id.resize(kMaxDocIdBytes - suffix.size());
  id.append(suffix);  // not `id + suffix`: GCC 12 -O3 warns a false -Wrestrict on that
  return id;
}

}  // namespace

Status ValidateDocId(std::string_view id) {
  if (id.empty()) return Status::InvalidArgument("document id is empty");
  if (id.size() > kMaxDocIdBytes) {
    return Status::InvalidArgument("document id is longer than " + std::to_string(kMaxDocIdBytes) +
                                   " bytes");
  }
  for (unsigned char c : id) {
    if (!IsIdChar(c)) {
      return Status::InvalidArgument("document id '" + std::string(id) +
                                     "' may only hold letters, digits and -._~:@");
    }
  }
  return Status::OK();
}

std::string CanonicalUrl(std::string_view url) {
  std::string_view rest = url;
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t scheme = rest.find("://");
  if (scheme != std::string_view::npos) rest.remove_prefix(scheme + 3);
  size_t path_start = std::min(rest.find('/'), rest.find('?'));
  std::string host(rest.substr(0, path_start));
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (size_t at = host.rfind('@'); at != std::string::npos) host.erase(0, at + 1);
  for (std::string_view port : {":80", ":443"}) {
    if (host.size() > port.size() &&
        host.compare(host.size() - port.size(), port.size(), port) == 0) {
      host.resize(host.size() - port.size());
    }
  }
  std::string_view tail = path_start == std::string_view::npos ? "" : rest.substr(path_start);
  std::string_view path = tail.substr(0, tail.find('?'));
  std::string_view query = tail.size() > path.size() ? tail.substr(path.size() + 1) : "";
  std::string out = host + std::string(path);
  while (!out.empty() && out.back() == '/') out.pop_back();
  std::vector<std::string_view> kept;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    if (!param.empty() && !IsTrackingParameter(param)) kept.push_back(param);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
  }
  for (size_t i = 0; i < kept.size(); ++i) {
    out += (i == 0 ? "?" : "&");
    out += kept[i];
  }
  return out;
}

std::string DocIdFromUrl(std::string_view url) {
  std::string canonical = CanonicalUrl(url);
  if (canonical.empty() || canonical[0] == '/') return "";
  bool lossy = false;
  std::string id = Sanitize(canonical, &lossy);
  if (lossy || id.size() > kMaxDocIdBytes) return WithHashSuffix(std::move(id), canonical);
  return id;
}

std::string DocIdFromFileName(std::string_view path) {
  std::string_view base = path.substr(path.find_last_of('/') + 1);
  size_t dot = base.find('.');
  if (dot != std::string_view::npos && dot > 0) base = base.substr(0, dot);
  bool lossy = false;
  std::string id = Sanitize(base, &lossy);
  if (id.size() > kMaxDocIdBytes) return WithHashSuffix(std::move(id), base);
  return id;
}

}  // namespace palimpsest
