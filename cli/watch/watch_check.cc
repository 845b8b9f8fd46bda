#include "cli/watch/watch_check.h"

#include <cctype>
#include <utility>
#include <vector>

#include "cli/watch/feed_links.h"
#include "palimpsest/doc_id.h"

namespace palimpsest::cli {

namespace {

// One redirect followed: `from` answered `status` with a Location of `to`.
struct Hop {
  std::string from;
  std::string to;
  int status = 0;
};

// The last answer of a chain of redirects, or why there was none.
struct Fetched {
  FetchResult result;
  std::vector<Hop> hops;
  std::string final_url;
  bool robots_refused = false;
};

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Waits for `origin`'s next slot.
void Pace(CheckEnvironment& env, const std::string& origin, double crawl_delay) {
  env.sleep_until(env.pacer->Reserve(origin, env.now(), crawl_delay));
}

// Fetches the watch's URL and the redirects it leads to, each after robots.txt allows it and
// the host's pacing lets it go. Sets check->checked_at (the first request's time).
Fetched FetchFollowing(const WatchInfo& watch, CheckEnvironment& env, CheckedEvent* check) {
  Fetched f;
  std::string url = watch.url;
  for (size_t hop = 0; hop <= env.max_redirects; ++hop) {
    const std::string origin = UrlOrigin(url);
    double crawl_delay = 0;
    if (!origin.empty()) {
      const RobotsCache::Answer robots =
          env.robots->For(origin, env.now(), [&] { Pace(env, origin, 0); });
      if (check->checked_at == kNoTime) check->checked_at = env.now();
      if (!robots.unreachable.empty()) {
        f.result.failure = FetchFailure::kNetwork;
        f.result.error = robots.unreachable;
        return f;
      }
      if (!robots.rules.Allows(UrlPathAndQuery(url))) {
        f.robots_refused = true;
        f.final_url = url;
        return f;
      }
      crawl_delay = robots.rules.crawl_delay_seconds().value_or(0);
      Pace(env, origin, crawl_delay);
    }
    if (check->checked_at == kNoTime) check->checked_at = env.now();
    FetchRequest request{url, "", ""};
    if (watch.body_sha256) {  // validators of an earlier answer
      request.if_none_match = watch.etag;
      request.if_modified_since = watch.last_modified;
    }
    f.result = env.fetcher->Fetch(request);
    f.final_url = url;
    if (f.result.failure != FetchFailure::kNone || !IsRedirect(f.result.status) ||
        f.result.location.empty()) {
      return f;
    }
    f.hops.push_back({url, f.result.location, f.result.status});
    url = f.result.location;
  }
  f.result.failure = FetchFailure::kNetwork;
  f.result.error = "more than " + std::to_string(env.max_redirects) + " redirects";
  return f;
}

std::string LowerMediaType(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  std::string out;
  for (char c : type) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

// The media type a capture is recorded with: text/html or text/plain; empty for content the
// archive cannot take as an article (images, PDFs ...). No Content-Type: read as HTML.
std::string CaptureMediaType(const std::string& content_type) {
  const std::string type = LowerMediaType(content_type);
  if (type.empty() || type == "text/html" || type == "application/xhtml+xml") return "text/html";
  if (type == "text/plain") return "text/plain";
  return "";
}

// What the answer's status says when it is not a 2xx body to read; false for a 2xx.
bool OutcomeOfStatus(const Fetched& f, Timestamp now, CheckedEvent* check) {
  const FetchResult& r = f.result;
  if (f.robots_refused) {
    check->outcome = CheckOutcome::kRobotsDisallowed;
    return true;
  }
  if (r.failure != FetchFailure::kNone) {
    check->outcome = CheckOutcome::kFailed;
    check->error = std::string(FetchFailureName(r.failure)) + ": " + r.error;
    return true;
  }
  check->http_status = static_cast<uint16_t>(r.status);
  if (!r.retry_after.empty()) {
    check->retry_after_seconds = ParseRetryAfter(r.retry_after, now).value_or(0);
  }
  if (r.status == 304) {
    check->outcome = CheckOutcome::kNotModified;
  } else if (r.status == 404 || r.status == 410) {
    check->outcome = CheckOutcome::kGone;
  } else if (r.status < 200 || r.status >= 300) {
    check->outcome = CheckOutcome::kFailed;
    check->error = "HTTP " + std::to_string(r.status);
  } else {
    return false;
  }
  return true;
}

AppendRequest RedirectRequest(const Hop& hop, const WatchInfo& watch, const CheckEnvironment& env,
                              Timestamp at) {
  RedirectedEvent redirect{hop.from, hop.to, static_cast<uint16_t>(hop.status), at, watch.source};
  AppendRequest request;
  request.event.id = DeriveEventId({"redirected", hop.from, hop.to, std::to_string(at)});
  request.event.doc_id = DocIdFromUrl(hop.from);
  request.event.effective_at = at;
  request.event.actor = env.actor;
  request.event.correlation_id = env.correlation_id;
  request.event.body = std::move(redirect);
  request.land_by_url = true;
  return request;
}

// A 2xx page: captured when its article text is new, else unchanged.
Status RecordPage(const WatchInfo& watch, const Fetched& f, CheckEnvironment& env,
                  CheckedEvent* check) {
  const std::string& body = f.result.body;
  if (watch.body_sha256 == check->body_sha256 && !watch.document.empty()) {
    check->outcome = CheckOutcome::kUnchanged;  // the same bytes as last time
    check->document = watch.document;
    return Status::OK();
  }
  const std::string media_type = CaptureMediaType(f.result.content_type);
  if (media_type.empty()) {
    check->outcome = CheckOutcome::kNotArticle;
    check->error = "content type " + LowerMediaType(f.result.content_type) + " is not a page";
    return Status::OK();
  }
  std::vector<AppendRequest> batch;
  // Redirects are recorded when they lead somewhere new (they are the page's addresses).
  if (!f.hops.empty() && f.final_url != watch.final_url) {
    for (const Hop& hop : f.hops)
      batch.push_back(RedirectRequest(hop, watch, env, check->checked_at));
  }
  AppendRequest capture;
  capture.event = CaptureEvent(DocIdFromUrl(f.final_url), body, media_type, f.final_url,
                               check->checked_at, kNoTime, watch.source, {});
  capture.event.actor = env.actor;
  capture.event.correlation_id = env.correlation_id;
  capture.contents.push_back(body);
  capture.land_by_url = true;
  capture.only_if_revised = true;
  batch.push_back(std::move(capture));
  PALIMPSEST_ASSIGN_OR_RETURN(auto results, env.archive->AppendEach(std::move(batch)));
  const Result<AppendResult>& captured = results.back();
  if (captured.ok()) {
    check->outcome = captured->duplicate ? CheckOutcome::kUnchanged : CheckOutcome::kCaptured;
    check->document = captured->doc_id;
    check->capture_seq = captured->duplicate ? 0 : captured->seq;
  } else if (captured.status().detail() == StatusDetail::kNoNewRevision) {
    check->outcome = CheckOutcome::kUnchanged;
    check->document = watch.document;
    if (check->document.empty()) {
      auto found = env.archive->FindDocumentByUrl(f.final_url);
      if (found.ok()) check->document = *found;
    }
  } else {
    check->outcome =
        captured.status().IsNotAnArticle() ? CheckOutcome::kNotArticle : CheckOutcome::kFailed;
    check->error = captured.status().message();
  }
  return Status::OK();
}

AppendRequest WatchRequest(const std::string& url, WatchKind kind, const WatchInfo& feed,
                           const CheckEnvironment& env, Timestamp at) {
  AppendRequest request;
  request.event.doc_id = WatchStreamId(url);
  request.event.id = DeriveEventId({"watched", request.event.doc_id, feed.url, std::to_string(at)});
  request.event.effective_at = at;
  request.event.actor = env.actor;
  request.event.correlation_id = env.correlation_id;
  request.event.body = WatchedEvent{url, kind, 0, feed.source, feed.url};
  request.expected_version = 0;  // a URL ever watched (or unwatched by hand) is not re-added
  return request;
}

// A 2xx feed or sitemap: every link not watched before becomes a watch, starting young.
Status RecordFeed(const WatchInfo& watch, const Fetched& f, CheckEnvironment& env,
                  CheckedEvent* check) {
  auto links = ParseFeedLinks(f.result.body, f.final_url);
  if (!links.ok()) {
    check->outcome = CheckOutcome::kFailed;
    check->error = links.status().message();
    return Status::OK();
  }
  std::vector<AppendRequest> batch;
  auto consider = [&](const std::string& url, WatchKind kind) -> Status {
    if (batch.size() >= env.max_new_links) return Status::OK();
    PALIMPSEST_ASSIGN_OR_RETURN(uint64_t version, env.archive->StreamVersion(WatchStreamId(url)));
    if (version == 0) batch.push_back(WatchRequest(url, kind, watch, env, check->checked_at));
    return Status::OK();
  };
  for (const FeedEntry& e : links->entries)
    PALIMPSEST_RETURN_IF_ERROR(consider(e.url, WatchKind::kPage));
  for (const std::string& s : links->sitemaps)
    PALIMPSEST_RETURN_IF_ERROR(consider(s, WatchKind::kFeed));
  check->outcome = CheckOutcome::kFeedRead;
  if (batch.empty()) return Status::OK();
  PALIMPSEST_ASSIGN_OR_RETURN(auto results, env.archive->AppendEach(std::move(batch)));
  for (const auto& r : results) check->new_links += r.ok() && !r->duplicate ? 1 : 0;
  return Status::OK();
}

}  // namespace

Result<CheckedEvent> CheckWatch(const WatchInfo& watch, CheckEnvironment& env) {
  CheckedEvent check;
  check.url = watch.url;
  const Fetched f = FetchFollowing(watch, env, &check);
  if (f.final_url != watch.url) check.final_url = f.final_url;
  if (!OutcomeOfStatus(f, env.now(), &check)) {
    check.etag = f.result.etag;
    check.last_modified = f.result.last_modified;
    check.body_sha256 = Sha256(f.result.body);
    check.body_bytes = f.result.body.size();
    PALIMPSEST_RETURN_IF_ERROR(watch.kind == WatchKind::kFeed ? RecordFeed(watch, f, env, &check)
                                                              : RecordPage(watch, f, env, &check));
  }
  AppendRequest request;
  request.event.doc_id = WatchStreamId(watch.url);
  request.event.id =
      DeriveEventId({"checked", request.event.doc_id, std::to_string(check.checked_at),
                     std::to_string(watch.version)});
  request.event.effective_at = check.checked_at;
  request.event.actor = env.actor;
  request.event.correlation_id = env.correlation_id;
  request.event.body = check;
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(request));
  PALIMPSEST_RETURN_IF_ERROR(env.archive->Append(std::move(batch)).status());
  return check;
}

}  // namespace palimpsest::cli
