#include "cli/http/headers.h"

#include <algorithm>
#include <cctype>

namespace palimpsest::cli::http {

namespace {

bool SafeInLink(unsigned char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  return std::string_view("\"<>\\^`{|}").find(static_cast<char>(c)) == std::string_view::npos;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// `host` without its port: "[::1]:80" → "::1", "example.org:80" → "example.org".
std::string_view StripPort(std::string_view host) {
  if (host.starts_with('[')) {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return host;
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return host;
    return host.substr(1, close - 1);
  }
  const size_t colon = host.find(':');
  if (colon == std::string_view::npos) return host;
  if (host.find(':', colon + 1) != std::string_view::npos) return host;  // bare IPv6: no port
  return host.substr(0, colon);
}

}  // namespace

std::string LinkTarget(std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(url.size());
  for (char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    if (SafeInLink(c)) {
      out.push_back(ch);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

void AddSecurityHeaders(Response& res, bool ui, bool authenticated) {
  res.set("X-Content-Type-Options", "nosniff");
  if (ui) return;
  res.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  if (authenticated) {
    res.set(bhttp::field::cache_control, "no-store");
  } else if (res.find(bhttp::field::cache_control) == res.end()) {
    res.set(bhttp::field::cache_control, "no-cache");
  }
}

bool HostAllowed(std::string_view host, const std::vector<std::string>& allowed) {
  if (allowed.empty()) return true;
  const std::string name = Lower(StripPort(host));
  if (name.empty()) return false;
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const std::string& a) { return Lower(StripPort(a)) == name; });
}

std::vector<std::string> AllowedHosts(const std::string& listen_host,
                                      const std::vector<std::string>& extra) {
  const bool wildcard = listen_host.empty() || listen_host == "0.0.0.0" || listen_host == "::";
  if (wildcard && extra.empty()) return {};
  std::vector<std::string> hosts = {"localhost", "127.0.0.1", "::1"};
  if (!wildcard) hosts.push_back(listen_host);
  hosts.insert(hosts.end(), extra.begin(), extra.end());
  return hosts;
}

std::string MalformedFraming(const bhttp::request_header<>& req) {
  if (req.version() >= 11 && req.find(bhttp::field::host) == req.end()) {
    return "an HTTP/1.1 request needs a Host header";
  }
  if (auto te = req.find(bhttp::field::transfer_encoding); te != req.end()) {
    std::string_view codings = te->value();
    while (!codings.empty() && (codings.back() == ' ' || codings.back() == '\t')) {
      codings.remove_suffix(1);
    }
    const size_t comma = codings.rfind(',');
    std::string_view last = comma == std::string_view::npos ? codings : codings.substr(comma + 1);
    while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
    if (Lower(last) != "chunked") {
      return "a request's Transfer-Encoding must end in chunked";
    }
  }
  return "";
}

}  // namespace palimpsest::cli::http
