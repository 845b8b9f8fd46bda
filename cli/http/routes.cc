#include "cli/http/routes.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>
#include <vector>

#include "cli/http/ui.h"
#include "cli/json/diff_json.h"
#include "cli/json/json_format.h"
#include "palimpsest/diff.h"
#include "palimpsest/doc_id.h"

namespace palimpsest::cli::http {

namespace {

namespace json = boost::json;
namespace urls = boost::urls;
using bhttp::status;

constexpr uint64_t kDefaultLimit = 100;
constexpr uint64_t kMaxLimit = 1000;

Result<uint64_t> ParseNumber(std::string_view name, const std::string& text) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("'" + std::string(name) +
                                   "' must be a non-negative integer, got '" + text + "'");
  }
  return n;
}

Result<uint64_t> NumberParam(const urls::url_view& url, std::string_view name, uint64_t fallback) {
  auto text = QueryParam(url, name);
  if (!text) return fallback;
  return ParseNumber(name, *text);
}

Result<uint64_t> LimitParam(const urls::url_view& url) {
  PALIMPSEST_ASSIGN_OR_RETURN(uint64_t limit, NumberParam(url, "limit", kDefaultLimit));
  if (limit == 0 || limit > kMaxLimit) {
    return Status::InvalidArgument("'limit' must be between 1 and " + std::to_string(kMaxLimit));
  }
  return limit;
}

std::string ETagFor(uint64_t version) { return "\"" + std::to_string(version) + "\""; }

// If-None-Match: "*" or a list of entity tags (weak ones compare by their opaque part).
bool NoneMatch(std::string_view header, const std::string& etag) {
  if (header.empty()) return false;
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view tag = header.substr(pos, end - pos);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    pos = end + 1;
  }
  return false;
}

Response ListDocuments(ServeContext& ctx, const urls::url_view& url) {
  ListFilter filter;
  if (Status s = TimeParam(url, "as_of", &filter.as_of); !s.ok()) return ProblemFor(s);
  if (Status s = TimeParam(url, "known_at", &filter.known_at); !s.ok()) return ProblemFor(s);
  filter.source = QueryParam(url, "source").value_or("");
  if (auto since = QueryParam(url, "changed_since")) {
    auto t = ParseTimestamp(*since, DateOnly::kStartOfDay);
    if (!t.ok()) return ProblemFor(t.status().WithContext("changed_since"));
    filter.changed_since = *t;
  }
  auto limit = LimitParam(url);
  if (!limit.ok()) return ProblemFor(limit.status());
  filter.after_id = QueryParam(url, "cursor").value_or("");
  // One more than the page: whether it arrives says whether a next page exists.
  filter.limit = *limit + 1;
  auto page = ctx.archive->ListDocuments(filter);
  if (!page.ok()) return ProblemFor(page.status());
  json::array documents;
  json::value next_cursor = nullptr;
  for (const DocumentSummary& s : *page) {  // ordered by id
    if (documents.size() == *limit) {
      next_cursor = json::string(documents.back().as_object().at("id").as_string());
      break;
    }
    documents.push_back(SummaryJson(s));
  }
  return JsonResponse(
      status::ok, json::object{{"documents", std::move(documents)}, {"next_cursor", next_cursor}});
}

Response GetDocument(ServeContext& ctx, const Request& req, const urls::url_view& url,
                     const std::string& doc) {
  RevisionSelector selector;
  if (auto rev = QueryParam(url, "rev")) {
    auto n = ParseNumber("rev", *rev);
    if (!n.ok()) return ProblemFor(n.status());
    if (*n == 0 || *n > UINT32_MAX) return Problem(status::not_found, "no rev " + *rev);
    selector.rev = static_cast<uint32_t>(*n);
  }
  if (auto seq = QueryParam(url, "seq")) {
    auto n = ParseNumber("seq", *seq);
    if (!n.ok()) return ProblemFor(n.status());
    selector.seq = *n;
  }
  if (Status s = TimeParam(url, "as_of", &selector.as_of); !s.ok()) return ProblemFor(s);
  if (Status s = TimeParam(url, "known_at", &selector.known_at); !s.ok()) return ProblemFor(s);
  if (int{selector.rev.has_value()} + int{selector.seq.has_value()} +
          int{selector.as_of != kNoTime} >
      1) {
    return Problem(status::bad_request, "give at most one of 'rev', 'seq' and 'as_of'");
  }
  auto view = ctx.archive->GetDocument(doc, selector);
  if (!view.ok()) return ProblemFor(view.status());
  const std::string etag = ETagFor(view->version);
  if (NoneMatch(req[bhttp::field::if_none_match], etag)) {
    Response res{status::not_modified, 11};
    res.set(bhttp::field::etag, etag);
    return res;
  }
  Response res = JsonResponse(status::ok, DocumentJson(*view));
  res.set(bhttp::field::etag, etag);
  if (selector.rev || selector.seq) AddMementoHeaders(res, *view);  // a memento (URI-M)
  return res;
}

Response Revisions(ServeContext& ctx, const urls::url_view& url, const std::string& doc) {
  Timestamp known_at = kNoTime;
  if (Status s = TimeParam(url, "known_at", &known_at); !s.ok()) return ProblemFor(s);
  auto history = ctx.archive->HistoryKnownAt(doc, known_at);
  if (!history.ok()) return ProblemFor(history.status());
  auto urls = ctx.archive->DocumentUrls(doc);
  if (!urls.ok()) return ProblemFor(urls.status());
  auto resolved = ctx.archive->ResolveDocument(doc);
  if (!resolved.ok()) return ProblemFor(resolved.status());
  auto version = ctx.archive->StreamVersion(doc);
  Response res = JsonResponse(status::ok, HistoryJson(*resolved, *urls, *history));
  if (version.ok()) res.set(bhttp::field::etag, ETagFor(*version));
  return res;
}

struct DiffSide {
  uint64_t rev = 0;
  std::optional<RevisionInfo> info;
  ArticleContent content;
};

Result<DiffSide> LoadSide(Archive& archive, const std::string& doc, uint64_t rev) {
  DiffSide side;
  side.rev = rev;
  if (rev == 0) return side;
  RevisionSelector selector;
  selector.rev = static_cast<uint32_t>(rev);
  PALIMPSEST_ASSIGN_OR_RETURN(DocumentView view, archive.GetDocument(doc, selector));
  if (view.revision.redacted) {
    return Status::NotFound("document '" + doc + "': rev " + std::to_string(rev) +
                            " is redacted: " + view.revision.redaction_reason);
  }
  side.info = std::move(view.revision);
  side.content = std::move(view.content);
  return side;
}

json::object SideJson(const DiffSide& s) {
  return DiffSideJson(s.rev, s.info ? &*s.info : nullptr);
}

Response Diff(ServeContext& ctx, const Request& req, const urls::url_view& url,
              const std::string& doc) {
  auto history = ctx.archive->History(doc);
  if (!history.ok()) return ProblemFor(history.status());
  const uint64_t current = history->size();
  auto to = NumberParam(url, "to", current);
  if (!to.ok()) return ProblemFor(to.status());
  auto from = NumberParam(url, "from", *to == 0 ? 0 : *to - 1);
  if (!from.ok()) return ProblemFor(from.status());
  for (uint64_t rev : {*from, *to}) {
    if (rev > current) {
      return Problem(status::not_found, "document '" + doc + "' has no rev " + std::to_string(rev) +
                                            " (its revisions are 1–" + std::to_string(current) +
                                            ")");
    }
  }
  auto before = LoadSide(*ctx.archive, doc, *from);
  if (!before.ok()) return ProblemFor(before.status());
  auto after = LoadSide(*ctx.archive, doc, *to);
  if (!after.ok()) return ProblemFor(after.status());
  if (req[bhttp::field::accept].find("text/x-diff") != std::string_view::npos) {
    UnifiedOptions options;
    options.before_label = doc + "@rev " + std::to_string(*from);
    options.after_label = doc + "@rev " + std::to_string(*to);
    return TextResponse(status::ok,
                        RenderUnified(before->content.body, after->content.body, options),
                        "text/x-diff; charset=utf-8");
  }
  const ArticleDiff diff = DiffArticles(before->content, after->content);
  json::object o{{"id", doc}, {"from", SideJson(*before)}, {"to", SideJson(*after)}};
  for (auto& [key, value] : ArticleDiffJson(diff)) o[key] = std::move(value);
  return JsonResponse(status::ok, o);
}

Response Events(ServeContext& ctx, const urls::url_view& url) {
  auto after = NumberParam(url, "after", 0);
  if (!after.ok()) return ProblemFor(after.status());
  auto limit = LimitParam(url);
  if (!limit.ok()) return ProblemFor(limit.status());
  json::array out;
  if (*after == UINT64_MAX) {  // nothing follows the largest seq (and after + 1 would wrap)
    return JsonResponse(status::ok,
                        json::object{{"events", std::move(out)}, {"next_after", *after}});
  }
  auto events = ctx.archive->ReadLog(*after, *limit);
  if (!events.ok()) return ProblemFor(events.status());
  uint64_t next = *after;
  for (const Event& e : *events) {
    out.push_back(EventJson(e));
    next = e.seq;
  }
  return JsonResponse(status::ok, json::object{{"events", std::move(out)}, {"next_after", next}});
}

Response MetricsPage(ServeContext& ctx) {
  auto head = ctx.archive->Head();
  std::string text = ctx.metrics.Render(head.ok() ? head->seq : 0);
  if (ctx.committer != nullptr) {
    // requests / commits is the average group size: how much group commit saves in fsyncs.
    text +=
        "# HELP palimpsest_group_commits_total Write transactions of the group committer.\n"
        "# TYPE palimpsest_group_commits_total counter\n"
        "palimpsest_group_commits_total " +
        std::to_string(ctx.committer->commits()) +
        "\n# HELP palimpsest_group_commit_requests_total Writes those transactions carried.\n"
        "# TYPE palimpsest_group_commit_requests_total counter\n"
        "palimpsest_group_commit_requests_total " +
        std::to_string(ctx.committer->requests()) + "\n";
  }
  text += WatchMetrics(ctx);
  text += SharedLogMetrics(ctx);
  return TextResponse(status::ok, text, "text/plain; version=0.0.4; charset=utf-8");
}

Response MethodNotAllowed(std::string_view allow) {
  Response res = Problem(status::method_not_allowed, "allowed: " + std::string(allow));
  res.set(bhttp::field::allow, allow);
  return res;
}

}  // namespace

Status TimeParam(const urls::url_view& url, std::string_view name, Timestamp* out,
                 DateOnly date_only) {
  auto text = QueryParam(url, name);
  if (!text) return Status::OK();
  auto t = ParseTimestamp(*text, date_only);
  if (!t.ok()) return t.status().WithContext(std::string(name));
  *out = *t;
  return Status::OK();
}

std::optional<std::string> QueryParam(const urls::url_view& url, std::string_view key) {
  auto params = url.params();
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

RouteClass Classify(bhttp::verb method, std::string_view target) {
  auto parsed = urls::parse_origin_form(target);
  if (!parsed) return {};
  std::vector<std::string> seg;
  for (auto s : parsed->segments()) seg.push_back(std::string(s));
  if (!seg.empty() && seg.back().empty()) seg.pop_back();
  const bool documents = seg.size() >= 2 && seg[0] == "api" && seg[1] == "documents";
  const bool watches = seg.size() >= 2 && seg[0] == "api" && seg[1] == "watches";
  if (method == bhttp::verb::delete_) {
    if (watches && seg.size() == 3) return {RouteKind::kWrite, "/api/watches/{id}"};
    return {};
  }
  if (method == bhttp::verb::post) {
    if (watches && seg.size() == 2) return {RouteKind::kWrite, "/api/watches"};
    if (documents && seg.size() == 2) return {RouteKind::kWrite, "/api/documents"};
    if (documents && seg.size() == 4 && seg[3] == "corrections") {
      return {RouteKind::kWrite, "/api/documents/{id}/corrections"};
    }
    return {};
  }
  const bool heavy = (documents && seg.size() == 4 && (seg[3] == "diff" || seg[3] == "blame")) ||
                     (seg.size() == 2 && seg[0] == "api" &&
                      (seg[1] == "search" || seg[1] == "changes.atom"));
  return {heavy ? RouteKind::kHeavy : RouteKind::kCheap, "unmatched"};
}

namespace {

// Memento by original URL (the URI-R, as archives like the Wayback Machine take it):
// /memento/URL and /timemap/URL, URL being any address the document was seen at. Returns the
// route name and response, or nullopt when the target is not of that form.
std::optional<std::pair<std::string, Response>> MementoByUrl(ServeContext& ctx,
                                                             const Request& req) {
  const std::string_view target = req.target();
  for (const std::string_view prefix : {"/memento/", "/timemap/"}) {
    if (target.substr(0, prefix.size()) != prefix) continue;
    const std::string_view original = target.substr(prefix.size());
    if (original.substr(0, 7) != "http://" && original.substr(0, 8) != "https://") continue;
    const bool gate = prefix == "/memento/";
    std::string route = gate ? "/memento/{url}" : "/timemap/{url}";
    const auto method = req.method();
    if (method != bhttp::verb::get && method != bhttp::verb::head) {
      return std::pair{std::move(route), MethodNotAllowed("GET")};
    }
    auto doc = ctx.archive->FindDocumentByUrl(original);
    if (!doc.ok()) return std::pair{std::move(route), ProblemFor(doc.status())};
    return std::pair{std::move(route), gate ? TimeGate(ctx, req, *doc) : TimeMap(ctx, *doc)};
  }
  return std::nullopt;
}

}  // namespace

RouteResult Route(ServeContext& ctx, const Request& req) {
  RouteResult out;
  auto parsed = urls::parse_origin_form(req.target());
  if (!parsed) {
    out.response = Problem(status::bad_request, "malformed request target");
    return out;
  }
  const urls::url_view url = *parsed;
  std::vector<std::string> seg;
  for (auto s : url.segments()) seg.push_back(std::string(s));
  if (!seg.empty() && seg.back().empty()) seg.pop_back();  // a trailing slash
  const auto method = req.method();
  const bool get = method == bhttp::verb::get || method == bhttp::verb::head;
  const bool post = method == bhttp::verb::post;
  const size_t n = seg.size();
  auto is = [&](std::initializer_list<const char*> fixed) {
    // Compares the non-"{}" parts of a route pattern.
    if (fixed.size() != n) return false;
    size_t i = 0;
    for (const char* part : fixed) {
      if (std::string_view(part) != "{}" && seg[i] != part) return false;
      ++i;
    }
    return true;
  };

  if (auto by_url = MementoByUrl(ctx, req); by_url) {
    out.route = by_url->first;
    out.response = std::move(by_url->second);
    return out;
  }
  if (n >= 3 && n <= 4 && seg[0] == "api" && seg[1] == "documents" && !(n == 3 && seg[2] == "")) {
    if (Status s = ValidateDocId(seg[2]); !s.ok()) {
      out.route = n == 3 ? "/api/documents/{id}" : "/api/documents/{id}/" + seg[3];
      if (n == 4 && seg[3] != "revisions" && seg[3] != "diff" && seg[3] != "blame" &&
          seg[3] != "corrections") {
        out.route = "unmatched";
      }
      out.response = ProblemFor(s);
      return out;
    }
  }
  if (is({"api", "documents"})) {
    out.route = "/api/documents";
    out.response = get    ? ListDocuments(ctx, url)
                   : post ? PostDocument(ctx, req, url)
                          : MethodNotAllowed("GET, POST");
  } else if (is({"api", "events"})) {
    out.route = "/api/events";
    out.response = get ? Events(ctx, url) : MethodNotAllowed("GET");
  } else if (is({"api", "events", "stream"})) {
    out.route = "/api/events/stream";
    if (!get) {
      out.response = MethodNotAllowed("GET");
      return out;
    }
    // Last-Event-ID (a reconnecting EventSource) wins over ?after=.
    std::string from(req["Last-Event-ID"]);
    std::string_view name = "Last-Event-ID";
    if (from.empty()) {
      from = QueryParam(url, "after").value_or("0");
      name = "after";
    }
    auto after = ParseNumber(name, from);
    if (!after.ok()) {
      out.response = ProblemFor(after.status());
      return out;
    }
    if (method == bhttp::verb::head) {  // the stream's header, no body
      out.response = Response{status::ok, 11};
      out.response.set(bhttp::field::content_type, "text/event-stream; charset=utf-8");
      out.response.set(bhttp::field::cache_control, "no-cache");
      return out;
    }
    out.sse = true;
    // No seq reaches 2^64 - 1; clamped so that `after + 1` never wraps to a replay from 0.
    out.sse_after = std::min(*after, UINT64_MAX - 1);
  } else if (is({"api", "documents", "{}"})) {
    out.route = "/api/documents/{id}";
    out.response = get ? GetDocument(ctx, req, url, seg[2]) : MethodNotAllowed("GET");
  } else if (is({"api", "documents", "{}", "revisions"})) {
    out.route = "/api/documents/{id}/revisions";
    out.response = get ? Revisions(ctx, url, seg[2]) : MethodNotAllowed("GET");
  } else if (is({"api", "documents", "{}", "diff"})) {
    out.route = "/api/documents/{id}/diff";
    out.response = get ? Diff(ctx, req, url, seg[2]) : MethodNotAllowed("GET");
  } else if (is({"api", "documents", "{}", "blame"})) {
    out.route = "/api/documents/{id}/blame";
    out.response = get ? Blame(ctx, url, seg[2]) : MethodNotAllowed("GET");
  } else if (is({"api", "changes"})) {
    out.route = "/api/changes";
    out.response = get ? Changes(ctx, url) : MethodNotAllowed("GET");
  } else if (is({"api", "changes.atom"})) {
    out.route = "/api/changes.atom";
    out.response = get ? ChangesAtom(ctx, url) : MethodNotAllowed("GET");
  } else if (is({"api", "search"})) {
    out.route = "/api/search";
    out.response = get ? Search(ctx, url) : MethodNotAllowed("GET");
  } else if (is({"api", "documents", "{}", "corrections"})) {
    out.route = "/api/documents/{id}/corrections";
    out.response = post ? PostCorrection(ctx, req, seg[2]) : MethodNotAllowed("POST");
  } else if (is({"memento", "{}"}) || is({"timemap", "{}"})) {
    const bool gate = seg[0] == "memento";
    out.route = gate ? "/memento/{id}" : "/timemap/{id}";
    if (Status s = ValidateDocId(seg[1]); !s.ok()) {
      out.response = ProblemFor(s);
    } else if (!get) {
      out.response = MethodNotAllowed("GET");
    } else {
      out.response = gate ? TimeGate(ctx, req, seg[1]) : TimeMap(ctx, seg[1]);
    }
  } else if (is({"api", "watches"})) {
    out.route = "/api/watches";
    out.response = get    ? GetWatches(ctx)
                   : post ? PostWatch(ctx, req)
                          : MethodNotAllowed("GET, POST");
  } else if (is({"api", "watches", "{}"})) {
    out.route = "/api/watches/{id}";
    out.response =
        method == bhttp::verb::delete_ ? DeleteWatch(ctx, req, seg[2]) : MethodNotAllowed("DELETE");
  } else if (is({"api", "health"})) {
    out.route = "/api/health";
    out.response = get ? Health(ctx) : MethodNotAllowed("GET");
  } else if (is({"metrics"})) {
    out.route = "/metrics";
    out.response = get ? MetricsPage(ctx) : MethodNotAllowed("GET");
  } else if (auto ui = ServeUi(url.path(), req)) {  // the web UI: /, /ui/...
    out.route = "/ui";
    out.response = std::move(*ui);
  } else {
    out.response = Problem(status::not_found, "no route for " + std::string(url.path()));
  }
  return out;
}

}  // namespace palimpsest::cli::http
