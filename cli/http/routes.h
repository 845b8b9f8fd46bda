// Routing of `palimpsest serve` requests to their handlers, and the state they share.
//
// Read routes (no token): GET /api/documents, /api/documents/{id}, …/{id}/revisions,
// …/{id}/diff, …/{id}/blame, /api/changes, /api/search, /api/events, /api/events/stream
// (Server-Sent Events, handed back to the session), /metrics, /memento/{id} (TimeGate),
// /timemap/{id}, /api/changes.atom, /api/watches, /api/health. Write routes (bearer token,
// writes.cc, watch_routes.cc): POST /api/documents, POST /api/documents/{id}/corrections, POST
// /api/watches, DELETE /api/watches/{id}.
//
// Handlers are synchronous, each Archive call in its own read transaction (writes are serialized
// inside the Archive): cheap reads run on the I/O threads, heavy reads and writes (Classify) on
// pools of their own.

#ifndef PALIMPSEST_CLI_HTTP_ROUTES_H_
#define PALIMPSEST_CLI_HTTP_ROUTES_H_

#include <atomic>
#include <boost/url.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "cli/http/auth.h"
#include "cli/http/commit_signal.h"
#include "cli/http/metrics.h"
#include "cli/http/problem.h"
#include "cli/watch/schedule.h"
#include "palimpsest/archive.h"
#include "palimpsest/commit_queue.h"

namespace palimpsest::cli::http {

struct ServeContext {
  Archive* archive = nullptr;
  TokenStore tokens;
  Metrics metrics;
  // Batches concurrent writes into one transaction; null: each write appends on its own.
  CommitQueue* committer = nullptr;
  // Woken after every committed write (event streams wait on it).
  CommitSignal commits;
  // Wakes the catch-up of the asynchronous projections after a committed write.
  std::function<void()> after_write;
  std::atomic<bool> stopping{false};
  // The schedule watches are judged by (overdue, next check), and whether this server runs
  // the watch scheduler itself (`serve --watch`).
  SchedulePolicy watch_schedule;
  bool watching = false;
};

struct RouteResult {
  Response response;
  std::string route = "unmatched";  // the route's template, for metrics
  // GET /api/events/stream: the session streams events with seq > sse_after instead of
  // sending `response`.
  bool sse = false;
  uint64_t sse_after = 0;
};

RouteResult Route(ServeContext& ctx, const Request& req);

// What serving a request costs, from its method and target alone (known before its body is
// read): a write (POST /api/documents, POST /api/documents/{id}/corrections: needs a token),
// a heavy read (diff, blame, search: run off the I/O threads) or a cheap one.
// `route` is the route's template for metrics of answers given before routing ("unmatched" for
// a read: it is only known once routed).
enum class RouteKind { kCheap, kHeavy, kWrite };
struct RouteClass {
  RouteKind kind = RouteKind::kCheap;
  std::string_view route = "unmatched";
};
RouteClass Classify(bhttp::verb method, std::string_view target);

// For a write: nullopt and *name = the token's name when `req` carries a known bearer token;
// otherwise the answer (401 with WWW-Authenticate; 403 when the server has no tokens file).
// Reads only the header, so the session calls it before reading a body.
std::optional<Response> Authorize(const ServeContext& ctx, const bhttp::request_header<>& req,
                                  std::string* name);

// Sets *out from time query parameter `name` when present (as_of / known_at: a bare date means
// the end of that UTC day, as the CLI's flags); InvalidArgument naming it when malformed.
Status TimeParam(const boost::urls::url_view& url, std::string_view name, Timestamp* out,
                 DateOnly date_only = DateOnly::kEndOfDay);

// Query parameter `key` (percent-decoded), or nullopt.
std::optional<std::string> QueryParam(const boost::urls::url_view& url, std::string_view key);

// Write handlers (writes.cc).
Response PostDocument(ServeContext& ctx, const Request& req, const boost::urls::url_view& url);
Response PostCorrection(ServeContext& ctx, const Request& req, const std::string& doc);

// Blame, change feed and search (feeds.cc).
Response Blame(ServeContext& ctx, const boost::urls::url_view& url, const std::string& doc);
Response Changes(ServeContext& ctx, const boost::urls::url_view& url);
Response Search(ServeContext& ctx, const boost::urls::url_view& url);
// The change feed as Atom, with each change's stored diff (atom_feed.cc).
Response ChangesAtom(ServeContext& ctx, const boost::urls::url_view& url);

// The watch list and health (watch_routes.cc).
Response GetWatches(ServeContext& ctx);
Response PostWatch(ServeContext& ctx, const Request& req);
Response DeleteWatch(ServeContext& ctx, const Request& req, const std::string& id);
Response Health(ServeContext& ctx);
// The watch series for /metrics (Prometheus text); empty when the list cannot be read.
std::string WatchMetrics(ServeContext& ctx);
// The shared-log series of /metrics (applied entries, lag, reachability); "" without one.
std::string SharedLogMetrics(ServeContext& ctx);

// Memento handlers (memento.cc).
Response TimeGate(ServeContext& ctx, const Request& req, const std::string& doc);
Response TimeMap(ServeContext& ctx, const std::string& doc);
void AddMementoHeaders(Response& res, const DocumentView& view);

}  // namespace palimpsest::cli::http

#endif  // PALIMPSEST_CLI_HTTP_ROUTES_H_
