#include "cli/watch/watch_list.h"

#include <random>

#include "cli/watch/url_parts.h"

namespace palimpsest::cli {

namespace {

// Distinct ids for two additions of one URL at the same version (by two processes): the
// expected version then lets exactly one of them in.
std::string Nonce() {
  std::random_device random;
  return std::to_string(random()) + "-" + std::to_string(random());
}

}  // namespace

Status CheckWatchableUrl(const std::string& url) {
  if (UrlOrigin(url).empty()) {
    return Status::InvalidArgument("'" + url + "' is not an http or https URL with a host");
  }
  return Status::OK();
}

Result<std::optional<AppendRequest>> AddWatchRequest(Archive& archive, WatchedEvent wanted,
                                                     const std::string& actor) {
  PALIMPSEST_RETURN_IF_ERROR(CheckWatchableUrl(wanted.url));
  if (wanted.source.empty()) wanted.source = UrlHost(wanted.url);
  auto existing = archive.GetWatch(wanted.url);
  if (!existing.ok() && !existing.status().IsNotFound()) return existing.status();
  if (existing.ok() && existing->kind == wanted.kind &&
      existing->every_seconds == wanted.every_seconds && existing->source == wanted.source) {
    return std::optional<AppendRequest>();
  }
  const std::string stream = WatchStreamId(wanted.url);
  PALIMPSEST_ASSIGN_OR_RETURN(uint64_t version, archive.StreamVersion(stream));
  AppendRequest request;
  request.event.doc_id = stream;
  request.event.id =
      DeriveEventId({"watched", stream, wanted.url, std::to_string(version), Nonce()});
  request.event.effective_at = Now();
  request.event.actor = actor;
  request.event.body = std::move(wanted);
  request.expected_version = version;
  return std::optional<AppendRequest>(std::move(request));
}

Result<AppendRequest> RemoveWatchRequest(Archive& archive, const std::string& url,
                                         const std::string& actor) {
  PALIMPSEST_ASSIGN_OR_RETURN(WatchInfo watch, archive.GetWatch(url));
  AppendRequest request;
  request.event.doc_id = watch.id;
  request.event.id = DeriveEventId({"unwatched", watch.id, std::to_string(watch.version)});
  request.event.effective_at = Now();
  request.event.actor = actor;
  request.event.body = UnwatchedEvent{watch.url};
  request.expected_version = watch.version;
  return request;
}

}  // namespace palimpsest::cli
