// The write API: POST /api/documents (a capture) and POST /api/documents/{id}/corrections.
//
// Every write needs `Authorization: Bearer TOKEN` (401 without a known token; 403 when the
// server has no tokens file). `If-Match: "<version>"` becomes the append's expected version
// (412 naming the current version on mismatch). `Idempotency-Key: K` derives the event id from
// the token's name and K, so a retry returns the first result and writes nothing; the same key
// with a different request is 422.

#include <cctype>

#include "cli/cli_context.h"
#include "cli/http/records.h"
#include "cli/http/routes.h"
#include "cli/write_outcome.h"
#include "palimpsest/extractor.h"

namespace palimpsest::cli::http {

namespace {

namespace json = boost::json;
using bhttp::status;

constexpr size_t kMaxIdempotencyKey = 255;

// If-Match: "N" (or W/"N"); "*" states nothing the append can check.
Status ParseIfMatch(std::string_view header, std::optional<uint64_t>* expected) {
  if (header.empty() || header == "*") return Status::OK();
  std::string_view tag = header;
  if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
  if (tag.size() < 3 || tag.front() != '"' || tag.back() != '"') {
    return Status::InvalidArgument("If-Match must be a version in quotes, e.g. \"3\"");
  }
  tag = tag.substr(1, tag.size() - 2);
  uint64_t v = 0;
  for (char c : tag) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || v > UINT64_MAX / 10 - 1) {
      return Status::InvalidArgument("If-Match must be a version in quotes, e.g. \"3\"");
    }
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *expected = v;
  return Status::OK();
}

// An idempotent retry of a capture whose time defaulted to "now": adopt the first attempt's
// time so the two events compare equal.
void AdoptOriginalTime(Archive& archive, const AppendRequest& request, Event& event) {
  std::string doc = event.doc_id;
  // The first attempt may have landed in the document its address belongs to.
  if (const auto* c = std::get_if<CapturedEvent>(&event.body); c && request.land_by_url) {
    if (auto owner = archive.FindDocumentByUrl(c->url); owner.ok()) doc = *owner;
  }
  auto stream = archive.ReadStream(doc);
  if (!stream.ok()) return;
  for (const Event& original : *stream) {
    if (original.id != event.id) continue;
    auto* was = std::get_if<CapturedEvent>(&original.body);
    auto* now = std::get_if<CapturedEvent>(&event.body);
    if (was && now) {
      if (event.effective_at == now->captured_at) event.effective_at = original.effective_at;
      now->captured_at = was->captured_at;
    }
    return;
  }
}

Response Outcome(const std::string& doc, const AppendResult& appended,
                 const std::vector<std::string>& warnings) {
  if (appended.rev == 0) return Problem(status::internal_server_error, "document has no revision");
  // The version and ETag are this write's own: a later write committed in the same group
  // must not be acknowledged to this client, or its If-Match would skip the other write.
  const bool fresh = appended.outcome != AppendOutcome::kUnchanged && !appended.duplicate;
  json::object body{{"id", doc},
                    {"rev", appended.rev},
                    {"version", appended.version},
                    {"status", std::string(OutcomeName(appended.outcome))},
                    {"kind", appended.kind},
                    {"seq", appended.seq},
                    {"duplicate", appended.duplicate}};
  if (!warnings.empty()) {
    json::array lines;
    for (const std::string& w : warnings) lines.emplace_back(w);
    body["warnings"] = std::move(lines);
  }
  Response res = JsonResponse(fresh ? status::created : status::ok, body);
  res.set(bhttp::field::etag, "\"" + std::to_string(appended.version) + "\"");
  res.set(bhttp::field::location, "/api/documents/" + doc);
  return res;
}

// Through the group committer when the server has one.
Result<AppendResult> AppendOne(ServeContext& ctx, AppendRequest request) {
  if (ctx.committer != nullptr) return ctx.committer->Append(std::move(request));
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(request));
  auto results = ctx.archive->Append(std::move(batch));
  if (!results.ok()) return results.status();
  return results->front();
}

Response Commit(ServeContext& ctx, const Request& req, PreparedWrite prepared,
                const std::string& token_name) {
  AppendRequest& request = prepared.request;
  Event& event = request.event;
  if (Status s = ParseIfMatch(req[bhttp::field::if_match], &request.expected_version); !s.ok()) {
    return ProblemFor(s);
  }
  const std::string key(req["Idempotency-Key"]);
  if (key.size() > kMaxIdempotencyKey) {
    return Problem(status::bad_request, "Idempotency-Key is longer than 255 bytes");
  }
  if (!key.empty()) {
    event.id = DeriveEventId({"api-idempotency-key", token_name, key});
    if (prepared.time_defaulted) AdoptOriginalTime(*ctx.archive, request, event);
  }
  event.actor = "api:" + token_name;
  event.correlation_id = NewCorrelationId("http");
  const std::string doc = event.doc_id;
  Result<AppendResult> appended = AppendOne(ctx, std::move(request));
  if (!appended.ok()) {
    const Status& s = appended.status();
    if (s.IsConflict()) {
      auto current = ctx.archive->StreamVersion(doc);
      json::object extra;
      if (current.ok()) extra["current_version"] = *current;
      return Problem(HttpStatusFor(s, /*if_match=*/true), s.message(), extra);
    }
    if (!key.empty() && s.detail() == StatusDetail::kEventIdReused) {
      return Problem(status::unprocessable_entity,
                     "Idempotency-Key '" + key + "' was already used for a different request");
    }
    return ProblemFor(s);
  }
  const AppendResult& result = *appended;
  if (!result.duplicate) {
    ctx.metrics.CountAppends(1);
    ctx.commits.Notify();
    if (ctx.after_write) ctx.after_write();
  }
  return Outcome(result.doc_id, result, prepared.warnings);
}

// The media type's essence in lower case ("text/html; charset=utf-8" → "text/html").
std::string Essence(std::string_view content_type) {
  std::string out(content_type.substr(0, content_type.find(';')));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<Response> Authorize(const ServeContext& ctx, const bhttp::request_header<>& req,
                                  std::string* name) {
  if (!ctx.tokens.configured()) {
    return Problem(status::forbidden, "this server has no tokens file: writes are disabled");
  }
  auto who = ctx.tokens.Authenticate(req[bhttp::field::authorization]);
  if (!who) {
    Response res =
        Problem(status::unauthorized, "a valid 'Authorization: Bearer TOKEN' is required");
    res.set(bhttp::field::www_authenticate, "Bearer realm=\"palimpsest\"");
    return res;
  }
  *name = *who;
  return std::nullopt;
}

Response PostDocument(ServeContext& ctx, const Request& req, const boost::urls::url_view& url) {
  std::string token_name;
  if (auto denied = Authorize(ctx, req, &token_name)) return std::move(*denied);
  const std::string content_type(req[bhttp::field::content_type]);
  const std::string essence = Essence(content_type);
  Result<PreparedWrite> prepared = Status::InvalidArgument("unset");
  if (essence == "application/json") {
    prepared = CaptureFromJson(req.body());
  } else if (essence == "text/plain" || essence == "text/html") {
    prepared = CaptureFromRaw(req.body(), content_type, std::string(req["X-Palimpsest-Url"]),
                              QueryParam(url, "id").value_or(""),
                              QueryParam(url, "captured_at").value_or(""),
                              QueryParam(url, "source").value_or(""));
  } else {
    return Problem(status::unsupported_media_type,
                   "Content-Type must be application/json, text/plain or text/html");
  }
  if (!prepared.ok()) return ProblemFor(prepared.status());
  return Commit(ctx, req, std::move(prepared).value(), token_name);
}

Response PostCorrection(ServeContext& ctx, const Request& req, const std::string& doc) {
  std::string token_name;
  if (auto denied = Authorize(ctx, req, &token_name)) return std::move(*denied);
  if (Essence(req[bhttp::field::content_type]) != "application/json") {
    return Problem(status::unsupported_media_type, "Content-Type must be application/json");
  }
  auto prepared = CorrectionFromJson(doc, req.body());
  if (!prepared.ok()) return ProblemFor(prepared.status());
  return Commit(ctx, req, std::move(prepared).value(), token_name);
}

}  // namespace palimpsest::cli::http
