// GET /api/changes.atom: the change feed as Atom (RFC 4287), newest first, each entry carrying
// the diff itself — computed once per revision by the change-summary projection and stored,
// never recomputed per request. Query: `source`, `doc` (a doc id or a URL it was seen at),
// `since`, `until`, `limit` (default 50, at most 500), `skip_cosmetic=1` (leave out changes of
// punctuation only). Entries: id `urn:palimpsest:change:<doc>:<seq>`, title "TITLE — rN KIND",
// updated = recorded time, published = effective time, link to the revision (?seq=), categories
// (the kind, `stealth`, `cosmetic`), the note as summary, the diff as HTML <pre>.

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

#include "cli/cli_context.h"
#include "cli/http/routes.h"

namespace palimpsest::cli::http {

namespace {

using bhttp::status;

constexpr uint64_t kDefaultEntries = 50;
constexpr uint64_t kMaxEntries = 500;

// `text` escaped for XML 1.0 character data and attribute values, with the characters XML
// cannot hold (C0 controls other than tab, LF, CR) left out.
std::string Xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out.push_back(c);
    }
  }
  return out;
}

std::string Element(std::string_view name, std::string_view text) {
  return "<" + std::string(name) + ">" + Xml(text) + "</" + std::string(name) + ">";
}

// The `limit` parameter: kDefaultEntries when absent; nullopt when not 1 to kMaxEntries.
std::optional<uint64_t> EntriesParam(const boost::urls::url_view& url) {
  const auto text = QueryParam(url, "limit");
  if (!text) return kDefaultEntries;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size() || n == 0 ||
      n > kMaxEntries) {
    return std::nullopt;
  }
  return n;
}

std::string AtomEntry(const ChangeEntry& e) {
  const std::string title =
      (e.title.empty() ? e.id : e.title) + " — r" + std::to_string(e.rev) + " " + e.kind;
  std::string out = "<entry>";
  out += Element("id", "urn:palimpsest:change:" + e.id + ":" + std::to_string(e.seq));
  out += Element("title", ToValidUtf8(title));
  out += Element("updated", FormatTimestamp(e.recorded_at));
  if (e.effective_at != kNoTime) out += Element("published", FormatTimestamp(e.effective_at));
  out += "<link rel=\"alternate\" href=\"/api/documents/" + Xml(e.id) +
         "?seq=" + std::to_string(e.seq) + "\"/>";
  out += "<category term=\"" + Xml(e.kind) + "\"/>";
  if (e.stealth) out += "<category term=\"stealth\"/>";
  if (e.cosmetic) out += "<category term=\"cosmetic\"/>";
  if (!e.source.empty()) out += "<author>" + Element("name", ToValidUtf8(e.source)) + "</author>";
  if (!e.note.empty()) out += Element("summary", ToValidUtf8(e.note));
  if (e.redacted) {
    out += "<content type=\"text\">redacted</content>";
  } else if (!e.diff.empty()) {
    out += "<content type=\"html\">" + Xml("<pre>" + Xml(ToValidUtf8(e.diff)) + "</pre>") +
           "</content>";
  }
  return out + "</entry>\n";
}

}  // namespace

Response ChangesAtom(ServeContext& ctx, const boost::urls::url_view& url) {
  ChangeFilter filter;
  filter.newest_first = true;
  filter.with_diffs = true;
  if (Status s = TimeParam(url, "since", &filter.since, DateOnly::kStartOfDay); !s.ok()) {
    return ProblemFor(s);
  }
  if (Status s = TimeParam(url, "until", &filter.until, DateOnly::kStartOfDay); !s.ok()) {
    return ProblemFor(s);
  }
  filter.source = QueryParam(url, "source").value_or("");
  if (auto doc = QueryParam(url, "doc")) {
    auto named = DocumentNamed(*ctx.archive, *doc);
    if (!named.ok()) return ProblemFor(named.status());
    auto resolved = ctx.archive->ResolveDocument(*named);  // NotFound for an unknown one
    if (!resolved.ok()) return ProblemFor(resolved.status());
    filter.doc_id = resolved->id;
  }
  const std::optional<uint64_t> limit = EntriesParam(url);
  if (!limit) return Problem(status::bad_request, "'limit' must be an integer from 1 to 500");
  const bool skip_cosmetic = QueryParam(url, "skip_cosmetic").value_or("0") == "1";
  // Cosmetic entries are left out after the fact: ask for more so a page still fills up.
  filter.limit = skip_cosmetic ? *limit * 4 : *limit;
  auto changes = ctx.archive->Changes(filter);
  if (!changes.ok()) return ProblemFor(changes.status());
  std::string entries;
  size_t listed = 0;
  Timestamp updated = kNoTime;
  for (const ChangeEntry& e : *changes) {
    if ((skip_cosmetic && e.cosmetic) || listed == *limit) continue;
    entries += AtomEntry(e);
    updated = std::max(updated, e.recorded_at);
    ++listed;
  }
  std::string title = "Palimpsest: changes";
  if (!filter.doc_id.empty()) title += " of " + filter.doc_id;
  if (!filter.source.empty()) title += " from " + filter.source;
  std::string feed =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  feed += Element("id", "urn:palimpsest:changes:" + std::string(url.encoded_query())) + "\n";
  feed += Element("title", ToValidUtf8(title)) + "\n";
  feed += Element("updated", FormatTimestamp(updated == kNoTime ? Now() : updated)) + "\n";
  feed += "<link rel=\"self\" href=\"" + Xml(std::string(url.buffer())) + "\"/>\n";
  feed += "<generator>palimpsest</generator>\n" + entries + "</feed>\n";
  return TextResponse(status::ok, std::move(feed), "application/atom+xml; charset=utf-8");
}

}  // namespace palimpsest::cli::http
