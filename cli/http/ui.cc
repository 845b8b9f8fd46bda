#include "cli/http/ui.h"

#include <algorithm>
#include <string>

namespace palimpsest::cli::http {

namespace {

using bhttp::status;

constexpr std::string_view kIndex = "index.html";

// Whether If-None-Match `header` ("*" or a list of entity tags, weak ones compared by their opaque
// part) matches `etag`.
bool EtagMatches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

const WebAsset* FindAsset(std::string_view name) {
  const std::span<const WebAsset> assets = WebAssets();
  auto it = std::lower_bound(assets.begin(), assets.end(), name,
                             [](const WebAsset& a, std::string_view n) { return a.name < n; });
  if (it == assets.end() || it->name != name) return nullptr;
  return &*it;
}

// Headers every UI response carries, errors included.
void AddUiHeaders(Response& res) {
  res.set("Content-Security-Policy", kUiContentSecurityPolicy);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
}

}  // namespace

std::string_view WebContentType(std::string_view name) {
  struct Type {
    std::string_view extension;
    std::string_view content_type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const Type& t : kTypes) {
    if (name.ends_with(t.extension)) return t.content_type;
  }
  return "application/octet-stream";
}

std::optional<Response> ServeUi(std::string_view path, const Request& req) {
  std::string_view name;
  if (path == "/" || path == "/ui" || path == "/ui/") {
    name = kIndex;
  } else if (path.starts_with("/ui/")) {
    name = path.substr(4);
  } else {
    return std::nullopt;
  }
  const auto method = req.method();
  if (method != bhttp::verb::get && method != bhttp::verb::head) {
    Response res = Problem(status::method_not_allowed, "allowed: GET, HEAD");
    res.set(bhttp::field::allow, "GET, HEAD");
    AddUiHeaders(res);
    return res;
  }
  // Names are matched exactly: no decoding, so no "..", "%2e" or "/" tricks reach anything but
  // the fixed table.
  const WebAsset* asset = FindAsset(name);
  if (asset == nullptr) {
    Response res = Problem(status::not_found, "no UI asset " + std::string(path));
    AddUiHeaders(res);
    return res;
  }
  Response res{status::ok, 11};
  AddUiHeaders(res);
  res.set(bhttp::field::etag, asset->etag);
  res.set(bhttp::field::cache_control, "no-cache");
  if (EtagMatches(req[bhttp::field::if_none_match], asset->etag)) {
    res.result(status::not_modified);
    return res;
  }
  res.set(bhttp::field::content_type, WebContentType(asset->name));
  res.body().assign(reinterpret_cast<const char*>(asset->data), asset->size);
  return res;
}

}  // namespace palimpsest::cli::http
