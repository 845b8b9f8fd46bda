// Event <-> canonical Cap'n Proto bytes. Byte layout: schemas/event.capnp.

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/exception.h>

#include <cstring>
#include <iterator>

#include "codec/event/capnp_words.h"
#include "palimpsest/event.h"
#include "palimpsest/schemas/event.capnp.h"

namespace palimpsest {

namespace {

// Reader limits: an event is small (content lives in the blobs database), so anything that
// asks the reader to traverse more than this is corrupt, not large.
constexpr uint64_t kMaxEventWords = 8 * 1024 * 1024 / sizeof(capnp::word);
constexpr int kMaxNesting = 16;
// Importer fields per capture: a handful (title, byline, dates, note …). The bound stops a
// corrupt list header from making the decoder build up to a million empty fields (Cap'n Proto
// charges a zero-sized list element only one word of the traversal limit).
constexpr size_t kMaxFields = 1024;

capnp::Data::Reader AsData(const uint8_t* p, size_t n) { return capnp::Data::Reader(p, n); }
capnp::Text::Reader AsText(const std::string& s) { return capnp::Text::Reader(s.data(), s.size()); }

void SetRef(schema::ContentRef::Builder b, const ContentRef& ref) {
  b.setSha256(AsData(ref.sha256.data(), ref.sha256.size()));
  b.setSize(ref.size);
}

template <size_t N>
bool CopyFixed(capnp::Data::Reader data, std::array<uint8_t, N>* out) {
  if (data.size() != N) return false;
  std::memcpy(out->data(), data.begin(), N);
  return true;
}

bool GetRef(schema::ContentRef::Reader r, ContentRef* ref) {
  ref->size = r.getSize();
  return CopyFixed(r.getSha256(), &ref->sha256);
}

std::string Str(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

void BuildChecked(const CheckedEvent& c, schema::Checked::Builder b) {
  b.setUrl(AsText(c.url));
  b.setOutcome(static_cast<schema::CheckOutcome>(c.outcome));
  b.setCheckedAt(c.checked_at);
  b.setHttpStatus(c.http_status);
  b.setError(AsText(c.error));
  b.setEtag(AsText(c.etag));
  b.setLastModified(AsText(c.last_modified));
  if (c.body_sha256) b.setBodySha256(AsData(c.body_sha256->data(), c.body_sha256->size()));
  b.setBodyBytes(c.body_bytes);
  b.setFinalUrl(AsText(c.final_url));
  b.setRetryAfterSeconds(c.retry_after_seconds);
  b.setDocument(AsText(c.document));
  b.setCaptureSeq(c.capture_seq);
  b.setNewLinks(c.new_links);
}

Status ReadChecked(schema::Checked::Reader r, EventBody* body) {
  CheckedEvent c;
  c.url = Str(r.getUrl());
  const auto outcome = static_cast<unsigned>(r.getOutcome());
  if (outcome >= kCheckOutcomeCount) {
    return Status::Corruption("unknown check outcome " + std::to_string(outcome));
  }
  c.outcome = static_cast<CheckOutcome>(outcome);
  c.checked_at = r.getCheckedAt();
  c.http_status = r.getHttpStatus();
  c.error = Str(r.getError());
  c.etag = Str(r.getEtag());
  c.last_modified = Str(r.getLastModified());
  if (r.hasBodySha256()) {
    c.body_sha256.emplace();
    if (!CopyFixed(r.getBodySha256(), &*c.body_sha256)) {
      return Status::Corruption("check body hash has the wrong length");
    }
  }
  c.body_bytes = r.getBodyBytes();
  c.final_url = Str(r.getFinalUrl());
  c.retry_after_seconds = r.getRetryAfterSeconds();
  c.document = Str(r.getDocument());
  c.capture_seq = r.getCaptureSeq();
  c.new_links = r.getNewLinks();
  *body = std::move(c);
  return Status::OK();
}

void BuildDelivered(const DeliveredEvent& d, schema::Delivered::Builder b) {
  b.setUrl(AsText(d.url));
  b.setOutcome(static_cast<schema::DeliveryOutcome>(d.outcome));
  b.setChangeSeq(d.change_seq);
  b.setChangeRecordedAt(d.change_recorded_at);
  b.setDocument(AsText(d.document));
  b.setRev(d.rev);
  b.setAttempt(d.attempt);
  b.setAttemptedAt(d.attempted_at);
  b.setHttpStatus(d.http_status);
  b.setError(AsText(d.error));
}

Status ReadDelivered(schema::Delivered::Reader r, EventBody* body) {
  const auto outcome = static_cast<unsigned>(r.getOutcome());
  if (outcome > 2) return Status::Corruption("unknown delivery outcome " + std::to_string(outcome));
  *body = DeliveredEvent{Str(r.getUrl()),      static_cast<DeliveryOutcome>(outcome),
                         r.getChangeSeq(),     r.getChangeRecordedAt(),
                         Str(r.getDocument()), r.getRev(),
                         r.getAttempt(),       r.getAttemptedAt(),
                         r.getHttpStatus(),    Str(r.getError())};
  return Status::OK();
}

void BuildBody(const EventBody& body, schema::Body::Builder b) {
  if (auto* c = std::get_if<CapturedEvent>(&body)) {
    auto cb = b.initCaptured();
    SetRef(cb.initRaw(), c->raw);
    cb.setMediaType(AsText(c->media_type));
    cb.setUrl(AsText(c->url));
    cb.setCapturedAt(c->captured_at);
    cb.setSource(AsText(c->source));
    auto fields = cb.initFields(c->fields.size());
    for (size_t i = 0; i < c->fields.size(); ++i) {
      fields[i].setName(AsText(c->fields[i].name));
      fields[i].setValue(AsText(c->fields[i].value));
    }
  } else if (auto* o = std::get_if<ObservedEvent>(&body)) {
    auto ob = b.initObserved();
    SetRef(ob.initRaw(), o->raw);
    ob.setCapturedAt(o->captured_at);
    ob.setUrl(AsText(o->url));
    ob.setSource(AsText(o->source));
  } else if (auto* k = std::get_if<CorrectedEvent>(&body)) {
    auto kb = b.initCorrected();
    kb.setKind(static_cast<schema::CorrectionKind>(k->kind));
    kb.setNote(AsText(k->note));
    kb.setHasText(k->has_text);
    if (k->has_text) SetRef(kb.initText(), k->text);
  } else if (auto* r = std::get_if<RetractedEvent>(&body)) {
    b.initRetracted().setNote(AsText(r->note));
  } else if (auto* d = std::get_if<RedactedEvent>(&body)) {
    auto db = b.initRedacted();
    db.setTargetSeq(d->target_seq);
    db.setReason(AsText(d->reason));
  } else if (auto* r = std::get_if<RedirectedEvent>(&body)) {
    auto rb = b.initRedirected();
    rb.setUrl(AsText(r->url));
    rb.setTarget(AsText(r->target));
    rb.setStatus(r->status);
    rb.setCapturedAt(r->captured_at);
    rb.setSource(AsText(r->source));
  } else if (auto* m = std::get_if<MergedEvent>(&body)) {
    auto mb = b.initMerged();
    mb.setFrom(AsText(m->from));
    mb.setRedirectSeq(m->redirect_seq);
  } else if (auto* w = std::get_if<WatchedEvent>(&body)) {
    auto wb = b.initWatched();
    wb.setUrl(AsText(w->url));
    wb.setKind(static_cast<schema::WatchKind>(w->kind));
    wb.setEverySeconds(w->every_seconds);
    wb.setSource(AsText(w->source));
    wb.setDiscoveredVia(AsText(w->discovered_via));
  } else if (auto* u = std::get_if<UnwatchedEvent>(&body)) {
    b.initUnwatched().setUrl(AsText(u->url));
  } else if (auto* c = std::get_if<CheckedEvent>(&body)) {
    BuildChecked(*c, b.initChecked());
  } else if (auto* h = std::get_if<HookAddedEvent>(&body)) {
    auto hb = b.initHookAdded();
    hb.setUrl(AsText(h->url));
    hb.setSource(AsText(h->source));
    hb.setSkipCosmetic(h->skip_cosmetic);
  } else if (auto* r = std::get_if<HookRemovedEvent>(&body)) {
    b.initHookRemoved().setUrl(AsText(r->url));
  } else if (auto* d = std::get_if<DeliveredEvent>(&body)) {
    BuildDelivered(*d, b.initDelivered());
  }
}

Status ReadBody(schema::Body::Reader b, EventBody* body) {
  const Status bad = Status::Corruption("malformed event content reference");
  switch (b.which()) {
    case schema::Body::CAPTURED: {
      auto r = b.getCaptured();
      CapturedEvent c;
      if (!GetRef(r.getRaw(), &c.raw)) return bad;
      c.media_type = Str(r.getMediaType());
      c.url = Str(r.getUrl());
      c.captured_at = r.getCapturedAt();
      c.source = Str(r.getSource());
      // Fetched once: each fetch of a list is charged against the traversal limit.
      const auto fields = r.getFields();
      if (fields.size() > kMaxFields) {
        return Status::Corruption("event has " + std::to_string(fields.size()) +
                                  " fields, more than " + std::to_string(kMaxFields));
      }
      for (auto f : fields) c.fields.push_back({Str(f.getName()), Str(f.getValue())});
      *body = std::move(c);
      return Status::OK();
    }
    case schema::Body::OBSERVED: {
      auto r = b.getObserved();
      ObservedEvent o;
      if (!GetRef(r.getRaw(), &o.raw)) return bad;
      o.captured_at = r.getCapturedAt();
      o.url = Str(r.getUrl());
      o.source = Str(r.getSource());
      *body = std::move(o);
      return Status::OK();
    }
    case schema::Body::CORRECTED: {
      auto r = b.getCorrected();
      CorrectedEvent k;
      auto kind = static_cast<unsigned>(r.getKind());
      if (kind > 3) return Status::Corruption("unknown correction kind " + std::to_string(kind));
      k.kind = static_cast<CorrectionKind>(kind);
      k.note = Str(r.getNote());
      k.has_text = r.getHasText();
      if (k.has_text && !GetRef(r.getText(), &k.text)) return bad;
      *body = std::move(k);
      return Status::OK();
    }
    case schema::Body::RETRACTED:
      *body = RetractedEvent{Str(b.getRetracted().getNote())};
      return Status::OK();
    case schema::Body::REDACTED:
      *body = RedactedEvent{b.getRedacted().getTargetSeq(), Str(b.getRedacted().getReason())};
      return Status::OK();
    case schema::Body::REDIRECTED: {
      auto r = b.getRedirected();
      *body = RedirectedEvent{Str(r.getUrl()), Str(r.getTarget()), r.getStatus(), r.getCapturedAt(),
                              Str(r.getSource())};
      return Status::OK();
    }
    case schema::Body::MERGED:
      *body = MergedEvent{Str(b.getMerged().getFrom()), b.getMerged().getRedirectSeq()};
      return Status::OK();
    case schema::Body::WATCHED: {
      auto r = b.getWatched();
      const auto kind = static_cast<unsigned>(r.getKind());
      if (kind > 1) return Status::Corruption("unknown watch kind " + std::to_string(kind));
      *body = WatchedEvent{Str(r.getUrl()), static_cast<WatchKind>(kind), r.getEverySeconds(),
                           Str(r.getSource()), Str(r.getDiscoveredVia())};
      return Status::OK();
    }
    case schema::Body::UNWATCHED:
      *body = UnwatchedEvent{Str(b.getUnwatched().getUrl())};
      return Status::OK();
    case schema::Body::CHECKED:
      return ReadChecked(b.getChecked(), body);
    case schema::Body::HOOK_ADDED: {
      auto r = b.getHookAdded();
      *body = HookAddedEvent{Str(r.getUrl()), Str(r.getSource()), r.getSkipCosmetic()};
      return Status::OK();
    }
    case schema::Body::HOOK_REMOVED:
      *body = HookRemovedEvent{Str(b.getHookRemoved().getUrl())};
      return Status::OK();
    case schema::Body::DELIVERED:
      return ReadDelivered(b.getDelivered(), body);
  }
  return Status::Corruption("unknown event kind " + std::to_string(static_cast<int>(b.which())));
}

void BuildEnvelope(const Event& e, schema::Event::Builder b) {
  b.setSeq(e.seq);
  b.setEventId(AsData(e.id.data(), e.id.size()));
  b.setDocId(AsText(e.doc_id));
  b.setVersion(e.version);
  b.setRecordedAt(e.recorded_at);
  b.setEffectiveAt(e.effective_at);
  b.setActor(AsText(e.actor));
  b.setCorrelationId(AsText(e.correlation_id));
  b.setPrevHash(AsData(e.prev_hash.data(), e.prev_hash.size()));
  b.setSchemaVersion(e.schema_version);
  BuildBody(e.body, b.initBody());
  if (e.withheld_hash) b.setWithheldHash(AsData(e.withheld_hash->data(), e.withheld_hash->size()));
}

}  // namespace

std::vector<ContentRef> ReferencedContent(const EventBody& body) {
  if (auto* c = std::get_if<CapturedEvent>(&body)) return {c->raw};
  if (auto* o = std::get_if<ObservedEvent>(&body)) return {o->raw};
  if (auto* k = std::get_if<CorrectedEvent>(&body); k && k->has_text) return {k->text};
  return {};
}

const char* EventKindName(const EventBody& body) {
  static const char* const kNames[] = {
      "captured", "observed",  "corrected", "retracted",  "redacted",     "redirected", "merged",
      "watched",  "unwatched", "checked",   "hook_added", "hook_removed", "delivered"};
  static_assert(std::size(kNames) == std::variant_size_v<EventBody>);
  return kNames[body.index()];
}

const char* DeliveryOutcomeName(DeliveryOutcome outcome) {
  static const char* const kNames[] = {"delivered", "failed", "gave_up"};
  return kNames[static_cast<int>(outcome)];
}

const char* WatchKindName(WatchKind kind) { return kind == WatchKind::kFeed ? "feed" : "page"; }

const char* CheckOutcomeName(CheckOutcome outcome) {
  static const char* const kNames[] = {"captured",    "unchanged",         "not_modified",
                                       "failed",      "robots_disallowed", "gone",
                                       "not_article", "feed_read"};
  static_assert(std::size(kNames) == kCheckOutcomeCount);
  return kNames[static_cast<int>(outcome)];
}

const char* CorrectionKindName(CorrectionKind kind) {
  static const char* const kNames[] = {"correction", "clarification", "update", "editorial"};
  return kNames[static_cast<int>(kind)];
}

bool ParseCorrectionKind(std::string_view name, CorrectionKind* kind) {
  for (int i = 0; i < 4; ++i) {
    if (name == CorrectionKindName(static_cast<CorrectionKind>(i))) {
      *kind = static_cast<CorrectionKind>(i);
      return true;
    }
  }
  return false;
}

std::string EncodeEvent(const Event& event) {
  capnp::MallocMessageBuilder message;
  BuildEnvelope(event, message.initRoot<schema::Event>());
  return CanonicalBytes(message.getRoot<schema::Event>().asReader());
}

std::string EncodeEventBody(const Event& event) {
  Event body_only;
  body_only.doc_id = event.doc_id;
  body_only.body = event.body;
  return EncodeEvent(body_only);
}

Result<Event> DecodeEvent(std::string_view bytes) {
  kj::Array<capnp::word> aligned;
  const kj::ArrayPtr<const capnp::word> words = AsWords(bytes, &aligned);
  if (words == nullptr) {
    return Status::Corruption("event of " + std::to_string(bytes.size()) +
                              " bytes is not a whole number of words");
  }
  capnp::ReaderOptions options;
  options.traversalLimitInWords = kMaxEventWords;
  options.nestingLimit = kMaxNesting;
  Event event;
  Status status;
  kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&] {
    kj::ArrayPtr<const capnp::word> segments[1] = {words};
    capnp::SegmentArrayMessageReader message(kj::arrayPtr(segments, 1), options);
    auto r = message.getRoot<schema::Event>();
    event.seq = r.getSeq();
    event.doc_id = Str(r.getDocId());
    event.version = r.getVersion();
    event.recorded_at = r.getRecordedAt();
    event.effective_at = r.getEffectiveAt();
    event.actor = Str(r.getActor());
    event.correlation_id = Str(r.getCorrelationId());
    event.schema_version = r.getSchemaVersion();
    if (!CopyFixed(r.getEventId(), &event.id) || !CopyFixed(r.getPrevHash(), &event.prev_hash)) {
      status = Status::Corruption("event id or previous hash has the wrong length");
      return;
    }
    status = ReadBody(r.getBody(), &event.body);
    if (!status.ok()) return;
    if (r.hasWithheldHash()) {
      event.withheld_hash.emplace();
      if (!CopyFixed(r.getWithheldHash(), &*event.withheld_hash)) {
        status = Status::Corruption("withheld event hash has the wrong length");
        return;
      }
    }
    // Events of a newer schema may hold fields this reader does not know: accept them when
    // canonical. Events of a known schema must be exactly what EncodeEvent writes, which also
    // rejects garbage in padding and text terminators that canonicalize() would copy along.
    if (event.schema_version > kEventSchemaVersion) {
      kj::Array<capnp::word> canonical = capnp::canonicalize(r);
      if (canonical.size() != words.size() ||
          std::memcmp(canonical.begin(), words.begin(), bytes.size()) != 0) {
        status = Status::Corruption("event bytes are not in canonical form");
      }
    }
  });
  KJ_IF_MAYBE (e, failure) {
    return Status::Corruption("undecodable event: " + std::string(e->getDescription().cStr()));
  }
  if (!status.ok()) return status;
  if (event.schema_version <= kEventSchemaVersion && EncodeEvent(event) != bytes) {
    return Status::Corruption("event bytes are not in canonical form");
  }
  return event;
}

std::string EventIdToString(const EventId& id) {
  return ToHex(std::string_view(reinterpret_cast<const char*>(id.data()), id.size()));
}

bool EventIdFromString(std::string_view text, EventId* id) {
  std::string bytes;
  if (text.size() != 32 || !FromHex(text, &bytes)) return false;
  std::memcpy(id->data(), bytes.data(), id->size());
  return true;
}

std::string FieldsDigest(const std::vector<Field>& fields) {
  if (fields.empty()) return "";
  Sha256Builder b;
  for (const Field& f : fields) {
    b.UpdateField(f.name);
    b.UpdateField(f.value);
  }
  const Digest d = b.Finish();
  return std::string(AsBytes(d));
}

EventId DeriveEventId(std::initializer_list<std::string_view> parts) {
  Sha256Builder b;
  b.Update("palimpsest-event-id-v1");
  for (std::string_view p : parts) b.UpdateField(p);
  Digest d = b.Finish();
  EventId id;
  std::memcpy(id.data(), d.data(), id.size());
  return id;
}

Event CaptureEvent(const std::string& doc_id, std::string_view raw, std::string media_type,
                   std::string url, Timestamp captured_at, Timestamp effective_at,
                   std::string source, std::vector<Field> fields) {
  CapturedEvent captured;
  captured.raw = {Sha256(raw), raw.size()};
  captured.media_type = std::move(media_type);
  captured.url = std::move(url);
  captured.captured_at = captured_at;
  captured.source = std::move(source);
  const std::string fields_key = FieldsDigest(fields);
  captured.fields = std::move(fields);
  Event event;
  const std::string time = std::to_string(captured_at);
  const std::string_view sha = AsBytes(captured.raw.sha256);
  event.id = fields_key.empty()
                 ? DeriveEventId({"captured", doc_id, sha, time, captured.source})
                 : DeriveEventId({"captured", doc_id, sha, time, captured.source, fields_key});
  event.doc_id = doc_id;
  event.effective_at = effective_at == kNoTime ? captured_at : effective_at;
  event.body = std::move(captured);
  return event;
}

}  // namespace palimpsest
