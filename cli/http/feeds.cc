// Handlers for GET /api/documents/{id}/blame, /api/changes and /api/search.

#include <charconv>

#include "cli/http/routes.h"
#include "cli/json/feed_json.h"

namespace palimpsest::cli::http {

namespace {

using bhttp::status;

Result<uint64_t> PositiveParam(const boost::urls::url_view& url, std::string_view name,
                               uint64_t fallback, uint64_t max) {
  auto text = QueryParam(url, name);
  if (!text) return fallback;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size() || n == 0 ||
      n > max) {
    return Status::InvalidArgument("'" + std::string(name) + "' must be an integer from 1 to " +
                                   std::to_string(max) + ", got '" + *text + "'");
  }
  return n;
}

}  // namespace

Response Blame(ServeContext& ctx, const boost::urls::url_view& url, const std::string& doc) {
  std::optional<uint32_t> rev;
  if (QueryParam(url, "rev")) {
    auto n = PositiveParam(url, "rev", 0, UINT32_MAX);
    if (!n.ok()) return ProblemFor(n.status());
    rev = static_cast<uint32_t>(*n);
  }
  auto blame = ctx.archive->Blame(doc, rev);
  if (!blame.ok()) return ProblemFor(blame.status());
  return JsonResponse(status::ok, BlameJson(*blame));
}

Response Changes(ServeContext& ctx, const boost::urls::url_view& url) {
  ChangeFilter filter;
  if (Status s = TimeParam(url, "since", &filter.since, DateOnly::kStartOfDay); !s.ok()) {
    return ProblemFor(s);
  }
  if (Status s = TimeParam(url, "until", &filter.until, DateOnly::kStartOfDay); !s.ok()) {
    return ProblemFor(s);
  }
  const std::string axis = QueryParam(url, "axis").value_or("recorded");
  if (axis != "recorded" && axis != "effective") {
    return Problem(status::bad_request, "'axis' must be 'recorded' or 'effective'");
  }
  filter.axis = axis == "effective" ? TimeAxis::kEffective : TimeAxis::kRecorded;
  filter.source = QueryParam(url, "source").value_or("");
  auto limit = PositiveParam(url, "limit", 1000, 10000);
  if (!limit.ok()) return ProblemFor(limit.status());
  filter.limit = *limit;
  auto changes = ctx.archive->Changes(filter);
  if (!changes.ok()) return ProblemFor(changes.status());
  return JsonResponse(status::ok, ChangesJson(*changes));
}

Response Search(ServeContext& ctx, const boost::urls::url_view& url) {
  SearchRequest request;
  request.query = QueryParam(url, "q").value_or("");
  if (Status s = TimeParam(url, "as_of", &request.as_of); !s.ok()) {
    return ProblemFor(s);
  }
  const std::string all = QueryParam(url, "all_revisions").value_or("0");
  if (all != "0" && all != "1" && all != "true" && all != "false") {
    return Problem(status::bad_request, "'all_revisions' must be 0 or 1");
  }
  request.all_revisions = all == "1" || all == "true";
  if (request.all_revisions && request.as_of != kNoTime) {
    return Problem(status::bad_request, "give at most one of 'all_revisions' and 'as_of'");
  }
  auto limit = PositiveParam(url, "limit", 20, 1000);
  if (!limit.ok()) return ProblemFor(limit.status());
  request.limit = *limit;
  auto results = ctx.archive->Search(request);
  if (!results.ok()) return ProblemFor(results.status());
  return JsonResponse(status::ok, SearchJson(request.query, *results, request.all_revisions));
}

}  // namespace palimpsest::cli::http
