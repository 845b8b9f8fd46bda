// Feed and sitemap link extraction with expat and Boost.URL. See feed_links.h.

#include "cli/watch/feed_links.h"

#include <expat.h>

#include <algorithm>
#include <boost/url.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_set>
#include <utility>

#include "cli/watch/ascii_case.h"

namespace palimpsest::cli {
namespace {

namespace urls = boost::urls;

// Namespace-aware expat reports names as "URI<sep>local"; no XML name or URI holds \x01.
constexpr char kNsSeparator = '\x01';

constexpr std::string_view kAtomNs = "http://www.w3.org/2005/Atom";
constexpr std::string_view kRdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kRss10Ns = "http://purl.org/rss/1.0/";
constexpr std::string_view kRss090Ns = "http://my.netscape.com/rdf/simple/0.9/";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kSitemapNs = "http://www.sitemaps.org/schemas/sitemap/0.9";
constexpr std::string_view kNewsNs = "http://www.google.com/schemas/sitemap-news/0.9";
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view TrimXmlSpace(std::string_view s) {
  while (!s.empty() && IsXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

// An element or attribute name split into namespace URI (empty when none) and local name.
struct QName {
  std::string_view ns;
  std::string_view local;
};

QName SplitName(const XML_Char* name) {
  const std::string_view full(name);
  const size_t sep = full.find(kNsSeparator);
  if (sep == std::string_view::npos) return {{}, full};
  return {full.substr(0, sep), full.substr(sep + 1)};
}

bool Is(const QName& name, std::string_view ns, std::string_view local) {
  return name.ns == ns && name.local == local;
}

// The value of the attribute named `local` in namespace `ns` ("" for none), or nullopt.
std::optional<std::string_view> Attr(const XML_Char** attrs, std::string_view local,
                                     std::string_view ns = {}) {
  for (size_t i = 0; attrs[i] != nullptr; i += 2) {
    if (Is(SplitName(attrs[i]), ns, local)) return std::string_view(attrs[i + 1]);
  }
  return std::nullopt;
}

// `text` trimmed, without tabs and line ends inside, and with the bytes no URI may hold
// (space, controls, non-ASCII, "<>\"{}|\\^`") percent-encoded, as browsers do with links.
std::string UriText(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : TrimXmlSpace(text)) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\t' || c == '\r' || c == '\n') continue;
    if (byte <= 0x20 || byte >= 0x7F ||
        std::string_view("<>\"{}|\\^`").find(c) != std::string_view::npos) {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

// `text`, a URI reference, resolved against `base`; nullopt when either does not parse, or
// `text` is relative and `base` is not an absolute URI.
std::optional<urls::url> Resolve(std::string_view base, std::string_view text) {
  const std::string ref_text = UriText(text);
  if (ref_text.empty()) return std::nullopt;
  const urls::result<urls::url_view> ref = urls::parse_uri_reference(ref_text);
  if (!ref) return std::nullopt;
  urls::result<urls::url_view> parsed_base = urls::parse_uri(base);
  if (!parsed_base) {
    if (!ref->has_scheme()) return std::nullopt;
    parsed_base = ref;  // an absolute reference needs no base
  }
  urls::url dest;
  if (!urls::resolve(*parsed_base, *ref, dest)) return std::nullopt;
  return dest;
}

// Resolve() kept only when an http or https URL with a host.
std::optional<std::string> ResolveHttp(std::string_view base, std::string_view text) {
  const std::optional<urls::url> url = Resolve(base, text);
  if (!url || (url->scheme_id() != urls::scheme::http && url->scheme_id() != urls::scheme::https) ||
      url->encoded_host().empty()) {
    return std::nullopt;
  }
  // Schemes are case-insensitive ("httP://" is http): links are kept in the lower-case form.
  urls::url normalized = *url;
  normalized.set_scheme_id(url->scheme_id());
  return std::string(normalized.buffer());
}

bool IsAbsoluteUri(std::string_view text) {
  const std::string uri = UriText(text);
  return urls::parse_uri(uri).has_value();
}

// windows-1252, which feeds declare often and expat does not know: the bytes 0x80-0x9F map to
// the code points below (the five unassigned ones to themselves), the rest to themselves.
int XMLCALL OnUnknownEncoding(void*, const XML_Char* name, XML_Encoding* info) {
  if (!EqualsIgnoreCase(name, "windows-1252") && !EqualsIgnoreCase(name, "cp1252")) {
    return XML_STATUS_ERROR;
  }
  static constexpr uint16_t kHigh[32] = {
      0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  for (int b = 0; b < 256; ++b) info->map[b] = (b >= 0x80 && b < 0xA0) ? kHigh[b - 0x80] : b;
  info->data = nullptr;
  info->convert = nullptr;
  info->release = nullptr;
  return XML_STATUS_OK;
}

// The text fields of an item that are captured.
enum class Field { kNone, kLink, kGuid, kTitle, kDate, kFallbackDate };

using Kind = FeedLinks::Kind;

// The root elements known, and the local name of their items.
struct RootRule {
  std::string_view ns;
  std::string_view local;
  Kind kind;
  std::string_view item;
};
constexpr RootRule kRoots[] = {{"", "rss", Kind::kRss, "item"},
                               {kRdfNs, "RDF", Kind::kRss, "item"},
                               {kAtomNs, "feed", Kind::kAtom, "entry"},
                               {kSitemapNs, "urlset", Kind::kSitemap, "url"},
                               {"", "urlset", Kind::kSitemap, "url"},
                               {kSitemapNs, "sitemapindex", Kind::kSitemapIndex, "sitemap"},
                               {"", "sitemapindex", Kind::kSitemapIndex, "sitemap"}};

// The text fields of items: children in the item's own namespace.
struct FieldRule {
  Kind kind;
  std::string_view local;
  Field field;
};
constexpr FieldRule kFields[] = {{Kind::kRss, "link", Field::kLink},
                                 {Kind::kRss, "guid", Field::kGuid},
                                 {Kind::kRss, "title", Field::kTitle},
                                 {Kind::kRss, "pubDate", Field::kDate},
                                 {Kind::kAtom, "title", Field::kTitle},
                                 {Kind::kAtom, "published", Field::kDate},
                                 {Kind::kAtom, "updated", Field::kFallbackDate},
                                 {Kind::kSitemap, "loc", Field::kLink},
                                 {Kind::kSitemap, "lastmod", Field::kFallbackDate},
                                 {Kind::kSitemapIndex, "loc", Field::kLink}};

// What one item (RSS item, Atom entry, sitemap url or sitemap) has given so far.
struct Item {
  std::optional<std::string> link;   // <link> / <loc>, resolved
  std::optional<std::string> guid;   // a permalink <guid>, resolved
  std::optional<std::string> about;  // RSS 1.0 rdf:about, resolved
  int atom_link_score = 0;           // of `link`, for Atom: the best alternate so far
  bool guid_is_permalink = true;
  std::string title;
  std::string date;           // pubDate, published, news:publication_date
  std::string fallback_date;  // dc:date, updated, lastmod
};

// The expat handlers' state for one document.
class FeedParser {
 public:
  FeedParser(std::string_view feed_url, size_t max_entries)
      : max_entries_(max_entries), bases_{{0, std::string(feed_url)}} {}

  Result<FeedLinks> Run(std::string_view xml);

 private:
  static void XMLCALL OnStart(void* self, const XML_Char* name, const XML_Char** attrs) {
    static_cast<FeedParser*>(self)->Start(SplitName(name), attrs);
  }
  static void XMLCALL OnEnd(void* self, const XML_Char*) { static_cast<FeedParser*>(self)->End(); }
  static void XMLCALL OnText(void* self, const XML_Char* s, int len) {
    auto* parser = static_cast<FeedParser*>(self);
    if (parser->error_.ok() && parser->field_ != Field::kNone) parser->text_.append(s, len);
  }
  // Refuses any DOCTYPE: the parse stops before its internal subset, so no entity is declared.
  static void XMLCALL OnDoctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*,
                                int) {
    static_cast<FeedParser*>(self)->Fail("DOCTYPE refused");
  }

  // InvalidArgument for `what`, at the parser's current line.
  Status LineError(std::string_view what) const {
    return Status::InvalidArgument("feed: line " +
                                   std::to_string(XML_GetCurrentLineNumber(parser_)) + ": " +
                                   std::string(what));
  }

  // Stops the parse with LineError(what); the first failure is the one reported.
  void Fail(std::string_view what) {
    if (!error_.ok()) return;
    error_ = LineError(what);
    XML_StopParser(parser_, XML_FALSE);
  }

  const std::string& base() const { return bases_.back().second; }

  void Start(const QName& name, const XML_Char** attrs);
  void End();
  bool StartRoot(const QName& name);
  bool IsItem(const QName& name) const;
  Field FieldOf(const QName& name) const;
  void StartAtomLink(const XML_Char** attrs);
  void FinishField();
  void FinishItem();

  XML_Parser parser_ = nullptr;
  Status error_;
  FeedLinks out_;
  bool rdf_ = false;     // an RSS 1.0 document
  std::string item_ns_;  // the namespace of item elements
  std::string_view item_local_;
  size_t max_entries_;
  std::unordered_set<std::string> seen_;
  std::vector<std::pair<size_t, std::string>> bases_;  // (depth set at, xml:base in force)
  size_t depth_ = 0;                                   // of the current element; the root is 1
  size_t item_depth_ = 0;                              // of the open item; 0 when none
  Item item_;
  Field field_ = Field::kNone;  // the text field being captured
  size_t field_depth_ = 0;
  std::string text_;
};

Result<FeedLinks> FeedParser::Run(std::string_view xml) {
  if (xml.size() > kMaxFeedBytes) {
    return Status::InvalidArgument("feed: larger than " + std::to_string(kMaxFeedBytes) + " bytes");
  }
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(
      XML_ParserCreateNS(nullptr, kNsSeparator), &XML_ParserFree);
  if (parser == nullptr) return Status::IOError("feed: cannot create an XML parser");
  parser_ = parser.get();
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &OnStart, &OnEnd);
  XML_SetCharacterDataHandler(parser_, &OnText);
  XML_SetStartDoctypeDeclHandler(parser_, &OnDoctype);
  XML_SetUnknownEncodingHandler(parser_, &OnUnknownEncoding, nullptr);
  const XML_Status status = XML_Parse(parser_, xml.data(), static_cast<int>(xml.size()), XML_TRUE);
  if (!error_.ok()) return error_;
  if (status != XML_STATUS_OK) return LineError(XML_ErrorString(XML_GetErrorCode(parser_)));
  return std::move(out_);
}

void FeedParser::Start(const QName& name, const XML_Char** attrs) {
  if (!error_.ok()) return;
  ++depth_;
  if (const std::optional<std::string_view> xml_base = Attr(attrs, "base", kXmlNs)) {
    const std::optional<urls::url> resolved = Resolve(base(), *xml_base);
    bases_.emplace_back(depth_, resolved ? std::string(resolved->buffer()) : std::string());
  }
  if (depth_ == 1) {
    if (!StartRoot(name)) Fail("the root is no rss, rdf:RDF, Atom feed, urlset or sitemapindex");
    return;
  }
  if (field_ != Field::kNone) return;  // markup inside a captured field: its text counts
  if (item_depth_ == 0) {
    if (!IsItem(name)) return;
    item_depth_ = depth_;
    item_ = Item();
    item_ns_ = name.ns;
    if (rdf_) {
      if (const std::optional<std::string_view> about = Attr(attrs, "about", kRdfNs)) {
        if (IsAbsoluteUri(*about)) item_.about = ResolveHttp(base(), *about);
      }
    }
    return;
  }
  if (out_.kind == Kind::kAtom && depth_ == item_depth_ + 1 && Is(name, kAtomNs, "link")) {
    StartAtomLink(attrs);
    return;
  }
  field_ = FieldOf(name);
  if (field_ == Field::kNone) return;
  field_depth_ = depth_;
  text_.clear();
  if (field_ == Field::kGuid) {
    const std::optional<std::string_view> permalink = Attr(attrs, "isPermaLink");
    item_.guid_is_permalink = !permalink || EqualsIgnoreCase(TrimXmlSpace(*permalink), "true");
  }
}

void FeedParser::End() {
  if (!error_.ok()) return;
  if (field_ != Field::kNone && depth_ == field_depth_) FinishField();
  if (item_depth_ != 0 && depth_ == item_depth_) {
    FinishItem();
    item_depth_ = 0;
  }
  if (bases_.back().first == depth_) bases_.pop_back();
  --depth_;
}

bool FeedParser::StartRoot(const QName& name) {
  for (const RootRule& root : kRoots) {
    if (!Is(name, root.ns, root.local)) continue;
    out_.kind = root.kind;
    rdf_ = root.ns == kRdfNs;
    item_local_ = root.item;
    item_ns_ = name.ns;
    return true;
  }
  return false;
}

bool FeedParser::IsItem(const QName& name) const {
  if (name.local != item_local_) return false;
  if (rdf_) return name.ns == kRss10Ns || name.ns == kRss090Ns;
  return name.ns == item_ns_;
}

Field FeedParser::FieldOf(const QName& name) const {
  if (out_.kind == Kind::kSitemap && name.ns == kNewsNs) {  // inside <news:news>
    if (name.local == "title") return Field::kTitle;
    if (name.local == "publication_date") return Field::kDate;
    return Field::kNone;
  }
  if (depth_ != item_depth_ + 1) return Field::kNone;
  if (out_.kind == Kind::kRss && Is(name, kDcNs, "date")) return Field::kFallbackDate;
  if (name.ns != item_ns_) return Field::kNone;
  for (const FieldRule& rule : kFields) {
    if (rule.kind == out_.kind && rule.local == name.local) return rule.field;
  }
  return Field::kNone;
}

void FeedParser::StartAtomLink(const XML_Char** attrs) {
  const std::string_view rel = TrimXmlSpace(Attr(attrs, "rel").value_or("alternate"));
  if (rel != "alternate") return;
  const std::optional<std::string_view> href = Attr(attrs, "href");
  if (!href) return;
  const std::string_view type = TrimXmlSpace(Attr(attrs, "type").value_or(""));
  int score = 1;  // an alternate of another type
  if (type.empty()) score = 2;
  if (EqualsIgnoreCase(type, "text/html") || EqualsIgnoreCase(type, "application/xhtml+xml")) {
    score = 3;
  }
  if (score <= item_.atom_link_score) return;
  std::optional<std::string> url = ResolveHttp(base(), *href);
  if (!url) return;
  item_.link = std::move(url);
  item_.atom_link_score = score;
}

void FeedParser::FinishField() {
  const std::string_view text = TrimXmlSpace(text_);
  if (field_ == Field::kLink && !item_.link && !text.empty()) {
    item_.link = ResolveHttp(base(), text);
  } else if (field_ == Field::kGuid && !item_.guid && item_.guid_is_permalink &&
             IsAbsoluteUri(text)) {
    item_.guid = ResolveHttp(base(), text);
  }
  std::string* const kept = field_ == Field::kTitle          ? &item_.title
                            : field_ == Field::kDate         ? &item_.date
                            : field_ == Field::kFallbackDate ? &item_.fallback_date
                                                             : nullptr;
  if (kept != nullptr && kept->empty()) *kept = text;
  field_ = Field::kNone;
  text_.clear();
}

void FeedParser::FinishItem() {
  std::optional<std::string>& url = item_.link ? item_.link : item_.guid ? item_.guid : item_.about;
  if (!url) {
    ++out_.skipped;
    return;
  }
  if (!seen_.insert(*url).second) return;  // a repeat
  const bool index = out_.kind == Kind::kSitemapIndex;
  if ((index ? out_.sitemaps.size() : out_.entries.size()) >= max_entries_) {
    ++out_.skipped;
  } else if (index) {
    out_.sitemaps.push_back(std::move(*url));
  } else {
    std::string& date = item_.date.empty() ? item_.fallback_date : item_.date;
    out_.entries.push_back({std::move(*url), std::move(item_.title), std::move(date)});
  }
}

}  // namespace

Result<FeedLinks> ParseFeedLinks(std::string_view xml, std::string_view feed_url,
                                 size_t max_entries) {
  FeedParser parser(feed_url, max_entries);
  return parser.Run(xml);
}

}  // namespace palimpsest::cli
