// robots.txt parsing and matching (RFC 9309). See robots_rules.h.

#include "cli/watch/robots_rules.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "cli/watch/ascii_case.h"

namespace palimpsest::cli {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The product token at the start of `value`: letters, "-" and "_" (RFC 9309 section 2.2.1).
std::string_view ProductToken(std::string_view value) {
  size_t n = 0;
  while (n < value.size() && (IsAlpha(value[n]) || value[n] == '-' || value[n] == '_')) ++n;
  return value.substr(0, n);
}

bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  return AsciiLower(c) - 'a' + 10;
}

bool IsUnreserved(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

bool IsReserved(char c) {
  return c != '\0' && std::string_view(":/?#[]@!$&'()*+,;=").find(c) != std::string_view::npos;
}

void AppendEscaped(unsigned char c, std::string* out) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  out->push_back('%');
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xF]);
}

// `s` rewritten so that equivalent spellings compare equal: escapes of unreserved characters
// decoded, other escapes with upper-case hex digits, and every byte that is neither reserved
// nor unreserved (controls, space, non-ASCII, a "%" that starts no escape ...) escaped.
std::string NormalizeOctets(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%' && i + 2 < s.size() && IsHex(s[i + 1]) && IsHex(s[i + 2])) {
      const char decoded = static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      if (IsUnreserved(decoded)) {
        out.push_back(decoded);
      } else {
        AppendEscaped(static_cast<unsigned char>(decoded), &out);
      }
      i += 2;
    } else if (IsUnreserved(c) || IsReserved(c)) {
      out.push_back(c);
    } else {
      AppendEscaped(static_cast<unsigned char>(c), &out);
    }
  }
  return out;
}

// The first position at or after `from` where `needle` (not empty) occurs in `text`, or npos.
// Knuth-Morris-Pratt: linear in the part of `text` scanned plus `needle`.
size_t FindLinear(std::string_view text, size_t from, std::string_view needle) {
  if (from > text.size() || text.size() - from < needle.size()) return std::string_view::npos;
  std::vector<size_t> fail(needle.size(), 0);
  for (size_t i = 1, k = 0; i < needle.size(); ++i) {
    while (k > 0 && needle[i] != needle[k]) k = fail[k - 1];
    if (needle[i] == needle[k]) ++k;
    fail[i] = k;
  }
  for (size_t i = from, k = 0; i < text.size(); ++i) {
    while (k > 0 && text[i] != needle[k]) k = fail[k - 1];
    if (text[i] == needle[k]) ++k;
    if (k == needle.size()) return i + 1 - k;
  }
  return std::string_view::npos;
}

// Whether normalized `pattern` matches normalized `path`. The literal runs between "*"s are
// found leftmost in turn, which is exact for "*"-only patterns; a final "$" anchors the last
// run at the end of the path. Linear in path plus pattern: no backtracking.
bool PatternMatches(std::string_view pattern, std::string_view path) {
  const bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  size_t star = pattern.find('*');
  if (star == std::string_view::npos) return anchored ? path == pattern : path.starts_with(pattern);
  if (!path.starts_with(pattern.substr(0, star))) return false;
  size_t pos = star;
  pattern.remove_prefix(star + 1);
  while ((star = pattern.find('*')) != std::string_view::npos) {
    const std::string_view run = pattern.substr(0, star);
    pattern.remove_prefix(star + 1);
    if (run.empty()) continue;
    const size_t at = FindLinear(path, pos, run);
    if (at == std::string_view::npos) return false;
    pos = at + run.size();
  }
  if (pattern.empty()) return true;  // ends with "*": the rest of the path is free
  if (anchored) return path.size() - pos >= pattern.size() && path.ends_with(pattern);
  return FindLinear(path, pos, pattern) != std::string_view::npos;
}

// A crawl-delay value in seconds, clamped; nullopt when not a usable number.
std::optional<double> ParseCrawlDelay(std::string_view value) {
  double seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  if (std::isnan(seconds) || seconds < 0) return std::nullopt;
  return std::min(seconds, RobotsRules::kMaxCrawlDelaySeconds);
}

struct ParsedRule {
  bool allow = false;
  std::string pattern;
};

// What the groups for one user agent say.
struct Bucket {
  std::vector<ParsedRule> rules;
  std::optional<double> crawl_delay;
};

// Sorts records into the groups for the product token and the "*" groups, one line at a time.
class GroupCollector {
 public:
  explicit GroupCollector(std::string_view product_token) : token_(ProductToken(product_token)) {}

  void OnRecord(std::string_view field, std::string_view value) {
    if (EqualsIgnoreCase(field, "user-agent")) {
      OnUserAgent(value);
    } else if (EqualsIgnoreCase(field, "allow") || EqualsIgnoreCase(field, "disallow")) {
      in_agents_ = false;
      if (!value.empty()) AddRule(EqualsIgnoreCase(field, "allow"), value);
    } else if (EqualsIgnoreCase(field, "crawl-delay")) {
      in_agents_ = false;
      const std::optional<double> delay = ParseCrawlDelay(value);
      if (!delay) return;
      if (for_token_ && !specific_.crawl_delay) specific_.crawl_delay = delay;
      if (for_star_ && !star_.crawl_delay) star_.crawl_delay = delay;
    } else if (EqualsIgnoreCase(field, "sitemap")) {
      if (!value.empty()) sitemaps_.emplace_back(value);
    }
  }

  // The groups naming the token when there are any (even with no rules), else the "*" ones.
  Bucket& chosen() { return token_seen_ ? specific_ : star_; }
  std::vector<std::string>& sitemaps() { return sitemaps_; }

 private:
  void OnUserAgent(std::string_view value) {
    if (!in_agents_) for_token_ = for_star_ = false;  // a user-agent after rules: a new group
    in_agents_ = true;
    if (value.starts_with('*') && TrimBlanks(value.substr(1)).empty()) {
      for_star_ = true;
    } else if (!token_.empty() && EqualsIgnoreCase(ProductToken(value), token_)) {
      for_token_ = true;
      token_seen_ = true;
    }
  }

  void AddRule(bool allow, std::string_view value) {
    if (!for_token_ && !for_star_) return;
    std::string pattern = NormalizeOctets(value);
    if (pattern.front() != '/' && pattern.front() != '*') pattern.insert(0, "/");
    if (for_star_) star_.rules.push_back({allow, pattern});
    if (for_token_) specific_.rules.push_back({allow, std::move(pattern)});
  }

  std::string_view token_;
  bool in_agents_ = false;   // the last group record was a user-agent line
  bool for_token_ = false;   // the current group names the token
  bool for_star_ = false;    // the current group names "*"
  bool token_seen_ = false;  // some group names the token
  Bucket specific_;
  Bucket star_;
  std::vector<std::string> sitemaps_;
};

// Calls `on_line` with each line of `body` (ends: CR, LF or CRLF), without its end.
template <typename F>
void ForEachLine(std::string_view body, F on_line) {
  size_t i = 0;
  while (i < body.size()) {
    const size_t end = body.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      on_line(body.substr(i));
      return;
    }
    on_line(body.substr(i, end - i));
    i = end + 1;
    if (body[end] == '\r' && i < body.size() && body[i] == '\n') ++i;
  }
}

// `body` without a BOM, cut to at most kMaxBodyBytes at a line end.
std::string_view BoundedBody(std::string_view body) {
  if (body.starts_with(kUtf8Bom)) body.remove_prefix(kUtf8Bom.size());
  if (body.size() <= RobotsRules::kMaxBodyBytes) return body;
  body = body.substr(0, RobotsRules::kMaxBodyBytes);
  const size_t last_end = body.find_last_of("\r\n");
  return last_end == std::string_view::npos ? std::string_view() : body.substr(0, last_end + 1);
}

}  // namespace

RobotsRules RobotsRules::AllowAll() { return RobotsRules(); }

RobotsRules RobotsRules::DisallowAll() {
  RobotsRules rules;
  rules.disallow_all_ = true;
  return rules;
}

RobotsRules RobotsRules::Parse(std::string_view body, std::string_view product_token) {
  GroupCollector collector(product_token);
  ForEachLine(BoundedBody(body), [&collector](std::string_view line) {
    line = line.substr(0, line.find('#'));
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;
    collector.OnRecord(TrimBlanks(line.substr(0, colon)), TrimBlanks(line.substr(colon + 1)));
  });
  Bucket& chosen = collector.chosen();
  std::sort(chosen.rules.begin(), chosen.rules.end(), [](const ParsedRule& a, const ParsedRule& b) {
    if (a.pattern.size() != b.pattern.size()) return a.pattern.size() > b.pattern.size();
    if (a.allow != b.allow) return a.allow;
    return a.pattern < b.pattern;
  });
  RobotsRules rules;
  for (ParsedRule& r : chosen.rules) {
    if (!rules.rules_.empty() && r.allow == rules.rules_.back().allow &&
        r.pattern == rules.rules_.back().pattern) {
      continue;  // a repeated rule changes nothing
    }
    rules.rules_.push_back({r.allow, std::move(r.pattern)});
  }
  rules.crawl_delay_ = chosen.crawl_delay;
  rules.sitemaps_ = std::move(collector.sitemaps());
  return rules;
}

bool RobotsRules::Allows(std::string_view path) const {
  std::string normalized = NormalizeOctets(path.empty() ? std::string_view("/") : path);
  if (normalized.front() != '/') normalized.insert(0, "/");
  if (normalized == "/robots.txt") return true;
  if (disallow_all_) return false;
  for (const Rule& rule : rules_) {
    if (PatternMatches(rule.pattern, normalized)) return rule.allow;
  }
  return true;
}

}  // namespace palimpsest::cli
