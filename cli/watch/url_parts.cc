#include "cli/watch/url_parts.h"

#include <boost/url/parse.hpp>
#include <cctype>

namespace palimpsest::cli {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string UrlOrigin(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || !parsed->has_authority()) return "";
  const std::string scheme = Lower(parsed->scheme());
  if (scheme != "http" && scheme != "https") return "";
  std::string origin = scheme + "://" + Lower(parsed->encoded_host());
  if (parsed->has_port() && !parsed->port().empty()) origin += ":" + std::string(parsed->port());
  return origin;
}

std::string UrlHost(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || !parsed->has_authority()) return "";
  return Lower(parsed->encoded_host());
}

std::string UrlPathAndQuery(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return "/";
  std::string out(parsed->encoded_path());
  if (out.empty()) out = "/";
  if (parsed->has_query()) out += "?" + std::string(parsed->encoded_query());
  return out;
}

}  // namespace palimpsest::cli
