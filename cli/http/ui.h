// The web UI of `palimpsest serve`: static HTML/CSS/JS assets compiled into the binary.
//
// The assets are the files under cli/http/web/; cli/http/embed_assets.cmake turns them into
// byte arrays at build time (web_assets.cc in the build tree), so the server needs no files at
// run time and the page fetches nothing but its own assets and the JSON API.
//
// Paths: `/`, `/ui` and `/ui/` serve index.html; `/ui/NAME` serves the asset
// cli/http/web/NAME. Every asset is sent with its Content-Type, a strong ETag (the SHA-256 of
// its bytes, computed at build time; `If-None-Match` answers 304), `Cache-Control: no-cache`
// (revalidate each use, so a new binary's assets are picked up at once) and a strict
// Content-Security-Policy (scripts, styles, images and fetches from the same origin only; no
// inline script or style, no framing).

#ifndef PALIMPSEST_CLI_HTTP_UI_H_
#define PALIMPSEST_CLI_HTTP_UI_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "cli/http/problem.h"

namespace palimpsest::cli::http {

// One embedded file of cli/http/web/.
struct WebAsset {
  std::string_view name;  // its path under cli/http/web/, e.g. "app.js"
  std::string_view etag;  // "\"<sha256 hex>\"", quotes included
  const unsigned char* data;
  size_t size;
};

// Every embedded asset, ordered by name (defined in the generated web_assets.cc).
std::span<const WebAsset> WebAssets();

// The Content-Type for an asset name, by its extension (application/octet-stream if unknown).
std::string_view WebContentType(std::string_view name);

// The Content-Security-Policy every UI response carries.
inline constexpr std::string_view kUiContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// The response for a request of `path` (the request target's path, without its query) when it
// belongs to the UI (`/`, `/ui`, or under `/ui/`); nullopt for any other path, which the caller
// routes on. An unknown asset is a 404 problem, a method other than GET or HEAD a 405.
std::optional<Response> ServeUi(std::string_view path, const Request& req);

}  // namespace palimpsest::cli::http

#endif  // PALIMPSEST_CLI_HTTP_UI_H_
