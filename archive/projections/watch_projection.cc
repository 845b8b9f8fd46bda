#include "archive/projections/watch_projection.h"

#include <cstring>

#include "archive/projections/capnp_records.h"
#include "palimpsest/schemas/projections.capnp.h"

namespace palimpsest {

namespace {

using records::S;
using records::T;

std::string EncodeWatch(const WatchInfo& w) {
  return records::Canonical<schema::WatchRecord>([&](schema::WatchRecord::Builder b) {
    b.setUrl(T(w.url));
    b.setKind(static_cast<uint8_t>(w.kind));
    b.setEverySeconds(w.every_seconds);
    b.setSource(T(w.source));
    b.setDiscoveredVia(T(w.discovered_via));
    b.setAddedAt(w.added_at);
    b.setVersion(w.version);
    b.setChecks(w.checks);
    b.setCaptures(w.captures);
    b.setNotModified(w.not_modified);
    b.setFailures(w.failures);
    b.setLastCheckAt(w.last_check_at);
    b.setLastOutcome(w.last_outcome ? static_cast<int8_t>(*w.last_outcome) : -1);
    b.setLastStatus(w.last_status);
    b.setLastError(T(w.last_error));
    b.setRetryAfterSeconds(w.retry_after_seconds);
    b.setConsecutiveFailures(w.consecutive_failures);
    if (w.body_sha256) {
      b.setBodySha256(capnp::Data::Reader(w.body_sha256->data(), w.body_sha256->size()));
    }
    b.setEtag(T(w.etag));
    b.setLastModified(T(w.last_modified));
    b.setFinalUrl(T(w.final_url));
    b.setDocument(T(w.document));
    b.setFirstCaptureAt(w.first_capture_at);
    b.setLastChangeAt(w.last_change_at);
  });
}

Result<WatchInfo> DecodeWatch(std::string_view id, std::string_view bytes) {
  WatchInfo w;
  w.id = std::string(id);
  bool bad_hash = false;
  bool bad_enum = false;
  PALIMPSEST_RETURN_IF_ERROR(
      records::ReadRecord<schema::WatchRecord>(bytes, "watch", [&](schema::WatchRecord::Reader r) {
        w.url = S(r.getUrl());
        bad_enum = r.getKind() > 1 || r.getLastOutcome() >= kCheckOutcomeCount;
        w.kind = static_cast<WatchKind>(r.getKind());
        w.every_seconds = r.getEverySeconds();
        w.source = S(r.getSource());
        w.discovered_via = S(r.getDiscoveredVia());
        w.added_at = r.getAddedAt();
        w.version = r.getVersion();
        w.checks = r.getChecks();
        w.captures = r.getCaptures();
        w.not_modified = r.getNotModified();
        w.failures = r.getFailures();
        w.last_check_at = r.getLastCheckAt();
        if (r.getLastOutcome() >= 0) w.last_outcome = static_cast<CheckOutcome>(r.getLastOutcome());
        w.last_status = r.getLastStatus();
        w.last_error = S(r.getLastError());
        w.retry_after_seconds = r.getRetryAfterSeconds();
        w.consecutive_failures = r.getConsecutiveFailures();
        if (r.hasBodySha256()) {
          auto sha = r.getBodySha256();
          bad_hash = sha.size() != sizeof(Digest);
          if (!bad_hash) std::memcpy(w.body_sha256.emplace().data(), sha.begin(), sha.size());
        }
        w.etag = S(r.getEtag());
        w.last_modified = S(r.getLastModified());
        w.final_url = S(r.getFinalUrl());
        w.document = S(r.getDocument());
        w.first_capture_at = r.getFirstCaptureAt();
        w.last_change_at = r.getLastChangeAt();
      }));
  if (bad_hash || bad_enum) return Status::Corruption("malformed watch record");
  return w;
}

// What one check tells about its watch.
void ApplyCheck(const CheckedEvent& c, WatchInfo* w) {
  ++w->checks;
  w->last_check_at = c.checked_at;
  w->last_outcome = c.outcome;
  w->last_status = c.http_status;
  w->last_error = c.error;
  w->retry_after_seconds = c.retry_after_seconds;
  if (c.outcome == CheckOutcome::kFailed) {
    ++w->failures;
    ++w->consecutive_failures;
    return;
  }
  w->consecutive_failures = 0;
  if (c.outcome == CheckOutcome::kNotModified) ++w->not_modified;
  if (c.outcome == CheckOutcome::kRobotsDisallowed) return;
  // An answer: its validators and body are what the next conditional request is based on (a
  // 304 keeps them; a page gone drops them).
  if (c.outcome != CheckOutcome::kNotModified) {
    w->etag = c.etag;
    w->last_modified = c.last_modified;
    w->body_sha256 = c.body_sha256;
  }
  w->final_url = c.final_url;
  if (!c.document.empty()) w->document = c.document;
  // A change: a new revision captured, or a feed announcing new links.
  const bool feed_news = c.outcome == CheckOutcome::kFeedRead && c.new_links > 0;
  if (c.outcome == CheckOutcome::kCaptured) ++w->captures;
  if (c.outcome == CheckOutcome::kCaptured || feed_news) {
    if (w->first_capture_at == kNoTime) w->first_capture_at = c.checked_at;
    w->last_change_at = c.checked_at;
  }
}

std::string EncodeHook(const HookInfo& h) {
  return records::Canonical<schema::HookRecord>([&](schema::HookRecord::Builder b) {
    b.setUrl(T(h.url));
    b.setSource(T(h.source));
    b.setSkipCosmetic(h.skip_cosmetic);
    b.setAddedAt(h.added_at);
    b.setVersion(h.version);
    b.setDoneSeq(h.done_seq);
    b.setDoneRecordedAt(h.done_recorded_at);
    b.setAttempts(h.attempts);
    b.setLastAttemptAt(h.last_attempt_at);
    b.setDelivered(h.delivered);
    b.setGaveUp(h.gave_up);
    b.setLastStatus(h.last_status);
    b.setLastError(T(h.last_error));
  });
}

Result<HookInfo> DecodeHook(std::string_view id, std::string_view bytes) {
  HookInfo h;
  h.id = std::string(id);
  PALIMPSEST_RETURN_IF_ERROR(
      records::ReadRecord<schema::HookRecord>(bytes, "hook", [&](schema::HookRecord::Reader r) {
        h.url = S(r.getUrl());
        h.source = S(r.getSource());
        h.skip_cosmetic = r.getSkipCosmetic();
        h.added_at = r.getAddedAt();
        h.version = r.getVersion();
        h.done_seq = r.getDoneSeq();
        h.done_recorded_at = r.getDoneRecordedAt();
        h.attempts = r.getAttempts();
        h.last_attempt_at = r.getLastAttemptAt();
        h.delivered = r.getDelivered();
        h.gave_up = r.getGaveUp();
        h.last_status = r.getLastStatus();
        h.last_error = S(r.getLastError());
      }));
  return h;
}

// Every record of `dbi` (none when the database is absent), decoded, in key order.
template <typename Info, typename Decode>
Result<std::vector<Info>> ReadAll(lmdb::Txn& txn, std::optional<MDB_dbi> dbi, Decode decode) {
  std::vector<Info> out;
  if (!dbi) return out;
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, *dbi));
  for (bool ok = cursor.First(); ok; ok = cursor.Next()) {
    PALIMPSEST_ASSIGN_OR_RETURN(Info info, decode(cursor.key(), cursor.value()));
    out.push_back(std::move(info));
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  return out;
}

// What one delivery attempt tells about its hook.
void ApplyDelivery(const DeliveredEvent& d, HookInfo* h) {
  h->last_status = d.http_status;
  h->last_error = d.error;
  h->last_attempt_at = d.attempted_at;
  if (d.outcome == DeliveryOutcome::kFailed) {
    ++h->attempts;
    return;
  }
  ++(d.outcome == DeliveryOutcome::kDelivered ? h->delivered : h->gave_up);
  h->attempts = 0;
  h->done_seq = d.change_seq;
  h->done_recorded_at = d.change_recorded_at;
}

}  // namespace

Status WatchProjection::Open(lmdb::Txn& txn, bool create) {
  auto dbi = txn.OpenDb(kWatches, create);
  present_ = dbi.ok();
  if (!dbi.ok() && !(dbi.status().IsNotFound() && !create)) return dbi.status();
  if (dbi.ok()) watches_ = *dbi;
  auto hooks = txn.OpenDb(kHooks, create);
  hooks_present_ = hooks.ok();
  if (!hooks.ok() && !(hooks.status().IsNotFound() && !create)) return hooks.status();
  if (hooks.ok()) hooks_ = *hooks;
  return Status::OK();
}

Result<std::optional<HookInfo>> WatchProjection::GetHook(lmdb::Txn& txn, const std::string& id) {
  auto value = txn.Get(hooks_, id);
  if (value.status().IsNotFound()) return std::optional<HookInfo>();
  if (!value.ok()) return value.status();
  PALIMPSEST_ASSIGN_OR_RETURN(HookInfo h, DecodeHook(id, *value));
  return std::optional<HookInfo>(std::move(h));
}

Status WatchProjection::ApplyHookEvent(lmdb::Txn& txn, const Event& event) {
  if (std::holds_alternative<HookRemovedEvent>(event.body)) {
    Status s = txn.Del(hooks_, event.doc_id);
    return s.IsNotFound() ? Status::OK() : s;
  }
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<HookInfo> hook, GetHook(txn, event.doc_id));
  if (const auto* added = std::get_if<HookAddedEvent>(&event.body)) {
    if (!hook) {
      // A new hook starts after its own event: only changes recorded from now on go out.
      hook.emplace();
      hook->done_seq = event.seq;
      hook->done_recorded_at = event.recorded_at;
    }
    hook->id = event.doc_id;
    hook->url = added->url;
    hook->source = added->source;
    hook->skip_cosmetic = added->skip_cosmetic;
    hook->added_at = event.recorded_at;
  } else if (const auto* d = std::get_if<DeliveredEvent>(&event.body)) {
    if (!hook) return Status::OK();  // an attempt racing a removal
    ApplyDelivery(*d, &*hook);
  }
  hook->version = event.version;
  return txn.Put(hooks_, hook->id, EncodeHook(*hook));
}

Result<std::vector<HookInfo>> WatchProjection::Hooks(lmdb::Txn& txn) {
  return ReadAll<HookInfo>(txn, hooks_present_ ? std::optional(hooks_) : std::nullopt, DecodeHook);
}

Status WatchProjection::Put(lmdb::Txn& txn, const WatchInfo& watch) {
  return txn.Put(watches_, watch.id, EncodeWatch(watch));
}

Status WatchProjection::Apply(lmdb::Txn& txn, const Event& event, ContentStore&) {
  if (const auto* added = std::get_if<WatchedEvent>(&event.body)) {
    auto existing = Get(txn, event.doc_id);
    if (!existing.ok() && !existing.status().IsNotFound()) return existing.status();
    WatchInfo w = existing.ok() ? std::move(*existing) : WatchInfo{};
    w.id = event.doc_id;
    w.url = added->url;
    w.kind = added->kind;
    w.every_seconds = added->every_seconds;
    w.source = added->source;
    w.discovered_via = added->discovered_via;
    w.added_at = event.recorded_at;
    w.version = event.version;
    return Put(txn, w);
  }
  if (std::holds_alternative<UnwatchedEvent>(event.body)) {
    Status s = txn.Del(watches_, event.doc_id);
    return s.IsNotFound() ? Status::OK() : s;
  }
  if (std::holds_alternative<HookAddedEvent>(event.body) ||
      std::holds_alternative<HookRemovedEvent>(event.body) ||
      std::holds_alternative<DeliveredEvent>(event.body)) {
    return ApplyHookEvent(txn, event);
  }
  if (const auto* check = std::get_if<CheckedEvent>(&event.body)) {
    auto existing = Get(txn, event.doc_id);
    if (existing.status().IsNotFound()) return Status::OK();
    if (!existing.ok()) return existing.status();
    ApplyCheck(*check, &*existing);
    existing->version = event.version;
    return Put(txn, *existing);
  }
  return Status::OK();
}

Result<std::vector<WatchInfo>> WatchProjection::List(lmdb::Txn& txn) {
  return ReadAll<WatchInfo>(txn, present_ ? std::optional(watches_) : std::nullopt, DecodeWatch);
}

Result<WatchInfo> WatchProjection::Get(lmdb::Txn& txn, const std::string& id) {
  if (!present_) return Status::NotFound("no watch '" + id + "'");
  auto value = txn.Get(watches_, id);
  if (value.status().IsNotFound()) return Status::NotFound("no watch '" + id + "'");
  if (!value.ok()) return value.status();
  return DecodeWatch(id, *value);
}

}  // namespace palimpsest
