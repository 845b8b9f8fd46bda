// Handlers for the watch list and the archive's health:
//   GET    /api/watches        the watch list (WatchListJson)
//   POST   /api/watches        {url, kind: "page"|"feed", every_seconds, source} (token): 201
//                              {id, url, status: "added"}, or 200 with status "unchanged"
//   DELETE /api/watches/{id}   (token): 200 {id, url, status: "removed"}; 404 when not watched
//   GET    /api/health         200 {status: "ok", ...}; 503 with status "overdue" while any
//                              watch is overdue (a stalled scheduler must not go unnoticed),
//                              or "log_unreachable" while a node's shared log does not answer
//                              (then `log` says where the node stands: applied, last, lag)
// and the watch and shared-log series of /metrics (WatchMetrics, SharedLogMetrics).

#include <algorithm>
#include <sstream>

#include "cli/cli_context.h"
#include "cli/http/records.h"
#include "cli/http/routes.h"
#include "cli/json/json_format.h"
#include "cli/json/watch_json.h"
#include "cli/watch/watch_list.h"

namespace palimpsest::cli::http {

namespace {

namespace json = boost::json;
using bhttp::status;

constexpr size_t kMaxOverdueListed = 20;

Result<WatchedEvent> WatchFromJson(std::string_view body) {
  PALIMPSEST_ASSIGN_OR_RETURN(json::value v, ParseJsonBody(body));
  if (!v.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  const json::object& o = v.get_object();
  WatchedEvent w;
  const json::value* url = o.if_contains("url");
  if (url == nullptr || !url->is_string()) return Status::InvalidArgument("'url' is required");
  w.url = std::string(url->get_string());
  if (const json::value* kind = o.if_contains("kind"); kind != nullptr && !kind->is_null()) {
    if (!kind->is_string() || (kind->get_string() != "page" && kind->get_string() != "feed")) {
      return Status::InvalidArgument("'kind' must be \"page\" or \"feed\"");
    }
    w.kind = kind->get_string() == "feed" ? WatchKind::kFeed : WatchKind::kPage;
  }
  if (const json::value* every = o.if_contains("every_seconds");
      every != nullptr && !every->is_null()) {
    if (!every->is_int64() || every->get_int64() < 1 || every->get_int64() > 365 * 86400) {
      return Status::InvalidArgument("'every_seconds' must be an integer from 1 to 31536000");
    }
    w.every_seconds = every->get_int64();
  }
  if (const json::value* source = o.if_contains("source");
      source != nullptr && !source->is_null()) {
    if (!source->is_string()) return Status::InvalidArgument("'source' must be a string");
    w.source = std::string(source->get_string());
  }
  return w;
}

Result<AppendResult> AppendOneWatch(ServeContext& ctx, AppendRequest request) {
  request.event.correlation_id = NewCorrelationId("http");
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(request));
  PALIMPSEST_ASSIGN_OR_RETURN(auto results, ctx.archive->Append(std::move(batch)));
  ctx.metrics.CountAppends(1);
  ctx.commits.Notify();
  return results.front();
}

}  // namespace

Response GetWatches(ServeContext& ctx) {
  auto watches = ctx.archive->Watches();
  if (!watches.ok()) return ProblemFor(watches.status());
  return JsonResponse(status::ok, WatchListJson(*watches, Now(), ctx.watch_schedule));
}

Response PostWatch(ServeContext& ctx, const Request& req) {
  std::string token_name;
  if (auto denied = Authorize(ctx, req, &token_name)) return std::move(*denied);
  auto wanted = WatchFromJson(req.body());
  if (!wanted.ok()) return ProblemFor(wanted.status());
  const std::string url = wanted->url;
  auto request = AddWatchRequest(*ctx.archive, std::move(wanted).value(), "api:" + token_name);
  if (!request.ok()) return ProblemFor(request.status());
  json::object body{{"id", WatchStreamId(url)}, {"url", url}, {"status", "unchanged"}};
  if (!*request) return JsonResponse(status::ok, body);
  auto appended = AppendOneWatch(ctx, std::move(**request));
  if (!appended.ok()) return ProblemFor(appended.status());
  body["status"] = "added";
  Response res = JsonResponse(status::created, body);
  res.set(bhttp::field::location, "/api/watches/" + WatchStreamId(url));
  return res;
}

Response DeleteWatch(ServeContext& ctx, const Request& req, const std::string& id) {
  std::string token_name;
  if (auto denied = Authorize(ctx, req, &token_name)) return std::move(*denied);
  auto watches = ctx.archive->Watches();
  if (!watches.ok()) return ProblemFor(watches.status());
  auto it = std::find_if(watches->begin(), watches->end(),
                         [&](const WatchInfo& w) { return w.id == id; });
  if (it == watches->end()) return Problem(status::not_found, "no watch '" + id + "'");
  auto request = RemoveWatchRequest(*ctx.archive, it->url, "api:" + token_name);
  if (!request.ok()) return ProblemFor(request.status());
  auto appended = AppendOneWatch(ctx, std::move(request).value());
  if (!appended.ok()) return ProblemFor(appended.status());
  return JsonResponse(status::ok,
                      json::object{{"id", id}, {"url", it->url}, {"status", "removed"}});
}

Response Health(ServeContext& ctx) {
  auto head = ctx.archive->Head();
  if (!head.ok()) return ProblemFor(head.status());
  auto watches = ctx.archive->Watches();
  if (!watches.ok()) return ProblemFor(watches.status());
  const Timestamp now = Now();
  json::array overdue;
  uint64_t overdue_count = 0;
  Timestamp last_check = kNoTime;
  for (const WatchInfo& w : *watches) {
    if (w.last_check_at != kNoTime) last_check = std::max(last_check, w.last_check_at);
    if (!IsOverdue(w, now, ctx.watch_schedule)) continue;
    if (++overdue_count <= kMaxOverdueListed) {
      overdue.push_back(
          json::object{{"id", w.id},
                       {"url", w.url},
                       {"next_check", TimeJson(NextCheckAt(w, now, ctx.watch_schedule))}});
    }
  }
  auto log = ctx.archive->LogState();
  if (!log.ok()) return ProblemFor(log.status());
  const bool log_down = log->shared && !log->reachable;
  const char* verdict = log_down ? "log_unreachable" : overdue_count == 0 ? "ok" : "overdue";
  json::object body{{"status", verdict},
                    {"head_seq", head->seq},
                    {"watches", watches->size()},
                    {"overdue", overdue_count},
                    {"overdue_watches", std::move(overdue)},
                    {"last_check", TimeJson(last_check)},
                    {"scheduler", ctx.watching}};
  if (log->shared) {
    json::object shared{{"url", log->log},
                        {"reachable", log->reachable},
                        {"applied", log->applied},
                        {"last", log->last},
                        {"lag", log->lag()}};
    if (log_down) shared["error"] = log->error;
    body["log"] = std::move(shared);
  }
  return JsonResponse(std::string_view(verdict) == "ok" ? status::ok : status::service_unavailable,
                      body);
}

std::string SharedLogMetrics(ServeContext& ctx) {
  auto log = ctx.archive->LogState();
  if (!log.ok() || !log->shared) return "";
  std::ostringstream out;
  out << "# HELP palimpsest_shared_log_applied_entries The last shared-log entry this node "
         "applied.\n"
         "# TYPE palimpsest_shared_log_applied_entries gauge\n"
      << "palimpsest_shared_log_applied_entries " << log->applied << "\n"
      << "# HELP palimpsest_shared_log_lag_entries Entries in the shared log this node has not "
         "applied yet.\n"
         "# TYPE palimpsest_shared_log_lag_entries gauge\n"
      << "palimpsest_shared_log_lag_entries " << log->lag() << "\n"
      << "# HELP palimpsest_shared_log_reachable 1 when the shared log answered.\n"
         "# TYPE palimpsest_shared_log_reachable gauge\n"
      << "palimpsest_shared_log_reachable " << (log->reachable ? 1 : 0) << "\n";
  return out.str();
}

std::string WatchMetrics(ServeContext& ctx) {
  auto watches = ctx.archive->Watches();
  if (!watches.ok()) return "";
  const Timestamp now = Now();
  uint64_t overdue = 0, checks = 0, captures = 0, not_modified = 0, failures = 0;
  Timestamp last_check = kNoTime;
  for (const WatchInfo& w : *watches) {
    overdue += IsOverdue(w, now, ctx.watch_schedule) ? 1 : 0;
    checks += w.checks;
    captures += w.captures;
    not_modified += w.not_modified;
    failures += w.failures;
    if (w.last_check_at != kNoTime) last_check = std::max(last_check, w.last_check_at);
  }
  std::string out =
      "# HELP palimpsest_watches URLs on the watch list.\n# TYPE palimpsest_watches gauge\n"
      "palimpsest_watches " +
      std::to_string(watches->size()) +
      "\n# HELP palimpsest_watches_overdue Watches late by more than three intervals.\n"
      "# TYPE palimpsest_watches_overdue gauge\npalimpsest_watches_overdue " +
      std::to_string(overdue) +
      "\n# HELP palimpsest_watch_checks Checks recorded of the watches listed, by outcome.\n"
      "# TYPE palimpsest_watch_checks gauge\n";
  out += "palimpsest_watch_checks{outcome=\"all\"} " + std::to_string(checks) + "\n";
  out += "palimpsest_watch_checks{outcome=\"captured\"} " + std::to_string(captures) + "\n";
  out += "palimpsest_watch_checks{outcome=\"not_modified\"} " + std::to_string(not_modified) + "\n";
  out += "palimpsest_watch_checks{outcome=\"failed\"} " + std::to_string(failures) + "\n";
  if (last_check != kNoTime) {
    out +=
        "# HELP palimpsest_watch_last_check_timestamp_seconds The latest check.\n"
        "# TYPE palimpsest_watch_last_check_timestamp_seconds gauge\n"
        "palimpsest_watch_last_check_timestamp_seconds " +
        std::to_string(last_check / kMicrosPerSecond) + "\n";
  }
  return out;
}

}  // namespace palimpsest::cli::http
