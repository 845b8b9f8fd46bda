#include "cli/watch/hook_delivery.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <boost/json.hpp>

#include "palimpsest/event_text.h"

namespace palimpsest::cli {

namespace {

namespace json = boost::json;

std::string TimeText(Timestamp t) { return t == kNoTime ? "" : FormatTimestamp(t); }

std::string ChangeId(const ChangeEntry& e) {
  return "urn:palimpsest:change:" + e.id + ":" + std::to_string(e.seq);
}

std::string DeliveryBody(const ChangeEntry& e) {
  json::object o{{"type", "palimpsest.change"},
                 {"id", ChangeId(e)},
                 {"doc", e.id},
                 {"rev", e.rev},
                 {"kind", e.kind},
                 {"note", ToValidUtf8(e.note)},
                 {"stealth", e.stealth},
                 {"cosmetic", e.cosmetic},
                 {"redacted", e.redacted},
                 {"title", ToValidUtf8(e.title)},
                 {"source", ToValidUtf8(e.source)},
                 {"recorded_at", TimeText(e.recorded_at)},
                 {"effective_at", TimeText(e.effective_at)},
                 {"seq", e.seq},
                 {"diff", ToValidUtf8(e.diff)}};
  return json::serialize(o);
}

int64_t RetryDelaySeconds(const HookOptions& options, uint32_t attempts) {
  const int shift = static_cast<int>(std::min<uint32_t>(attempts - 1, 30));
  return std::min(options.max_retry_seconds, options.retry_base_seconds << shift);
}

// The changes still due to `hook`, oldest first: after its place, of its source.
Result<std::vector<ChangeEntry>> DueChanges(Archive& archive, const HookInfo& hook,
                                            const HookOptions& options) {
  ChangeFilter filter;
  filter.since = hook.done_recorded_at;
  filter.source = hook.source;
  filter.with_diffs = true;
  filter.limit = options.max_per_round + 64;  // those of the same instant already done, too
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<ChangeEntry> entries, archive.Changes(filter));
  std::vector<ChangeEntry> due;
  for (ChangeEntry& e : entries) {
    if (e.recorded_at == hook.done_recorded_at && e.seq <= hook.done_seq) continue;
    if (hook.skip_cosmetic && e.cosmetic) continue;
    due.push_back(std::move(e));
    if (due.size() == options.max_per_round) break;
  }
  return due;
}

Status Record(Archive& archive, const HookInfo& hook, DeliveredEvent attempt,
              const std::string& actor) {
  AppendRequest request;
  request.event.doc_id = hook.id;
  request.event.id = DeriveEventId(
      {"delivered", hook.id, std::to_string(attempt.change_seq), std::to_string(attempt.attempt)});
  request.event.effective_at = attempt.attempted_at;
  request.event.actor = actor;
  request.event.correlation_id = "hook-" + std::to_string(attempt.attempted_at);
  request.event.body = std::move(attempt);
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(request));
  return archive.Append(std::move(batch)).status();
}

// One attempt at `e`; returns whether it was delivered.
Result<bool> Attempt(Archive& archive, const HttpFetcher& fetcher, const HookOptions& options,
                     const HookInfo& hook, uint32_t attempt, const ChangeEntry& e, Timestamp now,
                     const std::string& actor, DeliveryRound* round) {
  PostRequest post;
  post.url = hook.url;
  post.body = DeliveryBody(e);
  post.headers = {
      {"X-Palimpsest-Event", "change"},
      {"X-Palimpsest-Delivery", ChangeId(e)},
      {"X-Palimpsest-Signature", SignDelivery(options.secret, now / kMicrosPerSecond, post.body)}};
  const FetchResult r = fetcher.Post(post);
  DeliveredEvent d;
  d.url = hook.url;
  d.change_seq = e.seq;
  d.change_recorded_at = e.recorded_at;
  d.document = e.id;
  d.rev = e.rev;
  d.attempt = attempt;
  d.attempted_at = now;
  d.http_status = static_cast<uint16_t>(r.status);
  const bool ok = r.failure == FetchFailure::kNone && r.status >= 200 && r.status < 300;
  if (!ok) {
    d.error = r.failure != FetchFailure::kNone
                  ? std::string(FetchFailureName(r.failure)) + ": " + r.error
                  : "HTTP " + std::to_string(r.status);
  }
  d.outcome = ok                                ? DeliveryOutcome::kDelivered
              : attempt >= options.max_attempts ? DeliveryOutcome::kGaveUp
                                                : DeliveryOutcome::kFailed;
  ++(ok ? round->delivered : attempt >= options.max_attempts ? round->gave_up : round->failed);
  PALIMPSEST_RETURN_IF_ERROR(Record(archive, hook, std::move(d), actor));
  return ok || attempt >= options.max_attempts;
}

}  // namespace

std::string SignDelivery(const std::string& secret, int64_t unix_seconds, std::string_view body) {
  const std::string t = std::to_string(unix_seconds);
  const std::string signed_text = t + "." + std::string(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac,
       &length);
  return "t=" + t + ",v1=" + ToHex(std::string_view(reinterpret_cast<char*>(mac), length));
}

Result<DeliveryRound> DeliverHooks(Archive& archive, const HttpFetcher& fetcher,
                                   const HookOptions& options, Timestamp now,
                                   const std::string& actor) {
  DeliveryRound round;
  if (options.secret.empty()) return round;
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<HookInfo> hooks, archive.Hooks());
  if (hooks.empty()) return round;
  // The diffs come from the change summaries: bring them up to the log's head first.
  PALIMPSEST_RETURN_IF_ERROR(archive.CatchUp(UINT64_MAX).status());
  for (const HookInfo& hook : hooks) {
    if (hook.attempts > 0 &&
        now < hook.last_attempt_at + RetryDelaySeconds(options, hook.attempts) * kMicrosPerSecond) {
      continue;  // backing off
    }
    PALIMPSEST_ASSIGN_OR_RETURN(std::vector<ChangeEntry> due, DueChanges(archive, hook, options));
    uint32_t attempt = hook.attempts + 1;
    for (const ChangeEntry& e : due) {
      PALIMPSEST_ASSIGN_OR_RETURN(
          bool done, Attempt(archive, fetcher, options, hook, attempt, e, now, actor, &round));
      if (!done) break;  // retried after the backoff, before anything later
      attempt = 1;
    }
  }
  return round;
}

}  // namespace palimpsest::cli
