#include "cli/json/export_format.h"

#include "cli/json/json_format.h"
#include "palimpsest/base64.h"
#include "palimpsest/jsonl_reader.h"

namespace palimpsest::cli {

namespace json = boost::json;

namespace {

json::value Micros(Timestamp t) {
  if (t == kNoTime) return nullptr;
  return t;
}

// A string field: itself when it is UTF-8, else {"base64": its bytes}, so an event stored
// before text was checked exports as valid JSON and restores to the very same bytes.
json::value Text(const std::string& text) {
  size_t bad = 0;
  if (IsValidUtf8(text, &bad)) return json::string(text);
  return json::object{{"base64", Base64Encode(text)}};
}

json::object RefJson(const ContentRef& ref) {
  return {{"sha256", DigestToString(ref.sha256)}, {"size", ref.size}};
}

// Field readers that remember the first problem.
class Reader {
 public:
  explicit Reader(const json::object& o) : o_(o) {}

  // A string, or {"base64": bytes} for one that is not UTF-8 (see Text()).
  std::string Str(const char* key) {
    const json::value* v = o_.if_contains(key);
    if (v != nullptr && v->is_string()) return std::string(v->get_string());
    const json::object* o = v != nullptr ? v->if_object() : nullptr;
    const json::value* encoded = o != nullptr ? o->if_contains("base64") : nullptr;
    std::string bytes;
    if (encoded == nullptr || !encoded->is_string() || !Base64Decode(encoded->get_string(), &bytes))
      return Bad(key), "";
    return bytes;
  }
  uint64_t U64(const char* key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr) return Bad(key), 0;
    if (v->is_uint64()) return v->get_uint64();
    if (v->is_int64() && v->get_int64() >= 0) return static_cast<uint64_t>(v->get_int64());
    return Bad(key), 0;
  }
  Timestamp Time(const char* key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || v->is_null()) return kNoTime;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= INT64_MAX)
      return static_cast<int64_t>(v->get_uint64());
    return Bad(key), kNoTime;
  }
  bool Bool(const char* key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || !v->is_bool()) return Bad(key), false;
    return v->get_bool();
  }
  Digest Hash(const char* key) {
    Digest d{};
    if (!DigestFromString(Str(key), &d)) Bad(key);
    return d;
  }
  ContentRef Ref(const char* key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || !v->is_object()) return Bad(key), ContentRef{};
    Reader r(v->get_object());
    ContentRef ref{r.Hash("sha256"), r.U64("size")};
    if (!r.status().ok()) Bad(key);
    return ref;
  }
  const json::object& object() const { return o_; }
  void Bad(const std::string& key) {
    if (status_.ok()) status_ = Status::InvalidArgument("missing or malformed field '" + key + "'");
  }
  const Status& status() const { return status_; }

 private:
  const json::object& o_;
  Status status_;
};

// The fields of the watch and hook events (schemas/event.capnp, "Watches", "Webhooks").
void AddWatchFields(const EventBody& body, json::object& o) {
  if (auto* w = std::get_if<WatchedEvent>(&body)) {
    o["url"] = Text(w->url);
    o["watch_kind"] = WatchKindName(w->kind);
    o["every_seconds"] = w->every_seconds;
    o["source"] = Text(w->source);
    o["discovered_via"] = Text(w->discovered_via);
  } else if (auto* u = std::get_if<UnwatchedEvent>(&body)) {
    o["url"] = Text(u->url);
  } else if (auto* c = std::get_if<CheckedEvent>(&body)) {
    o["url"] = Text(c->url);
    o["outcome"] = CheckOutcomeName(c->outcome);
    o["checked_at_us"] = Micros(c->checked_at);
    o["http_status"] = c->http_status;
    o["error"] = Text(c->error);
    o["etag"] = Text(c->etag);
    o["last_modified"] = Text(c->last_modified);
    if (c->body_sha256) o["body_sha256"] = DigestToString(*c->body_sha256);
    o["body_bytes"] = c->body_bytes;
    o["final_url"] = Text(c->final_url);
    o["retry_after_seconds"] = c->retry_after_seconds;
    o["document"] = Text(c->document);
    o["capture_seq"] = c->capture_seq;
    o["new_links"] = c->new_links;
  } else if (auto* h = std::get_if<HookAddedEvent>(&body)) {
    o["url"] = Text(h->url);
    o["source"] = Text(h->source);
    o["skip_cosmetic"] = h->skip_cosmetic;
  } else if (auto* h = std::get_if<HookRemovedEvent>(&body)) {
    o["url"] = Text(h->url);
  } else if (auto* d = std::get_if<DeliveredEvent>(&body)) {
    o["url"] = Text(d->url);
    o["outcome"] = DeliveryOutcomeName(d->outcome);
    o["change_seq"] = d->change_seq;
    o["change_recorded_at_us"] = Micros(d->change_recorded_at);
    o["document"] = Text(d->document);
    o["rev"] = d->rev;
    o["attempt"] = d->attempt;
    o["attempted_at_us"] = Micros(d->attempted_at);
    o["http_status"] = d->http_status;
    o["error"] = Text(d->error);
  }
}

// The index of `name` among the `count` names `name_of` gives, or -1.
template <typename Enum, typename NameOf>
int EnumIndex(const std::string& name, int count, NameOf name_of) {
  for (int i = 0; i < count; ++i) {
    if (name == name_of(static_cast<Enum>(i))) return i;
  }
  return -1;
}

CheckedEvent ParseCheck(Reader& r) {
  CheckedEvent c;
  c.url = r.Str("url");
  const int outcome =
      EnumIndex<CheckOutcome>(r.Str("outcome"), kCheckOutcomeCount, CheckOutcomeName);
  if (outcome < 0) r.Bad("outcome");
  c.outcome = static_cast<CheckOutcome>(std::max(outcome, 0));
  c.checked_at = r.Time("checked_at_us");
  c.http_status = static_cast<uint16_t>(r.U64("http_status"));
  c.error = r.Str("error");
  c.etag = r.Str("etag");
  c.last_modified = r.Str("last_modified");
  if (r.object().contains("body_sha256")) c.body_sha256 = r.Hash("body_sha256");
  c.body_bytes = r.U64("body_bytes");
  c.final_url = r.Str("final_url");
  c.retry_after_seconds = static_cast<int64_t>(r.U64("retry_after_seconds"));
  c.document = r.Str("document");
  c.capture_seq = r.U64("capture_seq");
  c.new_links = static_cast<uint32_t>(r.U64("new_links"));
  return c;
}

DeliveredEvent ParseDelivery(Reader& r) {
  DeliveredEvent d;
  d.url = r.Str("url");
  const int outcome = EnumIndex<DeliveryOutcome>(r.Str("outcome"), 3, DeliveryOutcomeName);
  if (outcome < 0) r.Bad("outcome");
  d.outcome = static_cast<DeliveryOutcome>(std::max(outcome, 0));
  d.change_seq = r.U64("change_seq");
  d.change_recorded_at = r.Time("change_recorded_at_us");
  d.document = r.Str("document");
  d.rev = static_cast<uint32_t>(r.U64("rev"));
  d.attempt = static_cast<uint32_t>(r.U64("attempt"));
  d.attempted_at = r.Time("attempted_at_us");
  d.http_status = static_cast<uint16_t>(r.U64("http_status"));
  d.error = r.Str("error");
  return d;
}

// Reads a watch or hook event of `kind` into *body; false for any other kind.
bool ParseWatchFields(const std::string& kind, Reader& r, EventBody* body) {
  if (kind == "watched") {
    const std::string watch_kind = r.Str("watch_kind");
    if (watch_kind != "page" && watch_kind != "feed") r.Bad("watch_kind");
    *body = WatchedEvent{r.Str("url"), watch_kind == "feed" ? WatchKind::kFeed : WatchKind::kPage,
                         static_cast<int64_t>(r.U64("every_seconds")), r.Str("source"),
                         r.Str("discovered_via")};
  } else if (kind == "unwatched") {
    *body = UnwatchedEvent{r.Str("url")};
  } else if (kind == "checked") {
    *body = ParseCheck(r);
  } else if (kind == "hook_added") {
    *body = HookAddedEvent{r.Str("url"), r.Str("source"), r.Bool("skip_cosmetic")};
  } else if (kind == "hook_removed") {
    *body = HookRemovedEvent{r.Str("url")};
  } else if (kind == "delivered") {
    *body = ParseDelivery(r);
  } else {
    return false;
  }
  return true;
}

}  // namespace

json::object ExportRecord(const Event& e, const std::vector<std::string>& contents,
                          const std::vector<std::pair<Digest, std::string>>& withheld) {
  json::object o{{"seq", e.seq},
                 {"id", EventIdToString(e.id)},
                 {"doc", Text(e.doc_id)},
                 {"version", e.version},
                 {"recorded_at_us", Micros(e.recorded_at)},
                 {"effective_at_us", Micros(e.effective_at)},
                 {"recorded_at", TimeJson(e.recorded_at)},
                 {"actor", Text(e.actor)},
                 {"correlation_id", Text(e.correlation_id)},
                 {"prev_hash", DigestToString(e.prev_hash)},
                 {"schema_version", e.schema_version},
                 {"kind", EventKindName(e.body)}};
  if (auto* c = std::get_if<CapturedEvent>(&e.body)) {
    o["raw"] = RefJson(c->raw);
    o["media_type"] = Text(c->media_type);
    o["url"] = Text(c->url);
    o["captured_at_us"] = Micros(c->captured_at);
    o["source"] = Text(c->source);
    json::array fields;
    for (const Field& f : c->fields)
      fields.push_back(json::object{{"name", Text(f.name)}, {"value", Text(f.value)}});
    o["fields"] = std::move(fields);
  } else if (auto* b = std::get_if<ObservedEvent>(&e.body)) {
    o["raw"] = RefJson(b->raw);
    o["captured_at_us"] = Micros(b->captured_at);
    o["url"] = Text(b->url);
    o["source"] = Text(b->source);
  } else if (auto* k = std::get_if<CorrectedEvent>(&e.body)) {
    o["correction_kind"] = CorrectionKindName(k->kind);
    o["note"] = Text(k->note);
    o["has_text"] = k->has_text;
    if (k->has_text) o["text"] = RefJson(k->text);
  } else if (auto* r = std::get_if<RetractedEvent>(&e.body)) {
    o["note"] = Text(r->note);
  } else if (auto* d = std::get_if<RedactedEvent>(&e.body)) {
    o["target_seq"] = d->target_seq;
    o["reason"] = Text(d->reason);
  } else if (auto* r = std::get_if<RedirectedEvent>(&e.body)) {
    o["url"] = Text(r->url);
    o["target"] = Text(r->target);
    o["status"] = r->status;
    o["captured_at_us"] = Micros(r->captured_at);
    o["source"] = Text(r->source);
  } else if (auto* m = std::get_if<MergedEvent>(&e.body)) {
    o["from"] = Text(m->from);
    o["redirect_seq"] = m->redirect_seq;
  } else {
    AddWatchFields(e.body, o);
  }
  // A redacted event's withheld form: its redactable fields are empty above, and the chain
  // links to the hash of the bytes it replaced (schemas/README.md, "Withheld events").
  if (e.withheld_hash) o["withheld_hash"] = DigestToString(*e.withheld_hash);
  json::array encoded;
  for (const std::string& c : contents) encoded.push_back(json::string(Base64Encode(c)));
  o["contents_base64"] = std::move(encoded);
  if (!withheld.empty()) {
    json::array list;
    for (const auto& [hash, reason] : withheld) {
      list.push_back(json::object{{"sha256", DigestToString(hash)}, {"reason", Text(reason)}});
    }
    o["withheld"] = std::move(list);
  }
  return o;
}

Result<AppendRequest> ParseExportRecord(const json::value& line) {
  if (!line.is_object()) return Status::InvalidArgument("export line is not a JSON object");
  Reader r(line.get_object());
  AppendRequest request;
  Event& e = request.event;
  e.seq = r.U64("seq");
  if (!EventIdFromString(r.Str("id"), &e.id)) r.Bad("id");
  e.doc_id = r.Str("doc");
  e.version = r.U64("version");
  e.recorded_at = r.Time("recorded_at_us");
  e.effective_at = r.Time("effective_at_us");
  e.actor = r.Str("actor");
  e.correlation_id = r.Str("correlation_id");
  e.prev_hash = r.Hash("prev_hash");
  e.schema_version = static_cast<uint16_t>(r.U64("schema_version"));
  const std::string kind = r.Str("kind");
  if (kind == "captured") {
    CapturedEvent c;
    c.raw = r.Ref("raw");
    c.media_type = r.Str("media_type");
    c.url = r.Str("url");
    c.captured_at = r.Time("captured_at_us");
    c.source = r.Str("source");
    if (const json::value* fields = r.object().if_contains("fields");
        fields && fields->is_array()) {
      for (const json::value& f : fields->get_array()) {
        if (!f.is_object()) return Status::InvalidArgument("malformed field in 'fields'");
        Reader fr(f.get_object());
        c.fields.push_back({fr.Str("name"), fr.Str("value")});
        PALIMPSEST_RETURN_IF_ERROR(fr.status());
      }
    }
    e.body = std::move(c);
  } else if (kind == "observed") {
    e.body = ObservedEvent{r.Ref("raw"), r.Time("captured_at_us"), r.Str("url"), r.Str("source")};
  } else if (kind == "corrected") {
    CorrectedEvent k;
    if (!ParseCorrectionKind(r.Str("correction_kind"), &k.kind)) r.Bad("correction_kind");
    k.note = r.Str("note");
    k.has_text = r.Bool("has_text");
    if (k.has_text) k.text = r.Ref("text");
    e.body = std::move(k);
  } else if (kind == "retracted") {
    e.body = RetractedEvent{r.Str("note")};
  } else if (kind == "redacted") {
    e.body = RedactedEvent{r.U64("target_seq"), r.Str("reason")};
  } else if (kind == "redirected") {
    e.body = RedirectedEvent{r.Str("url"), r.Str("target"), static_cast<uint16_t>(r.U64("status")),
                             r.Time("captured_at_us"), r.Str("source")};
  } else if (kind == "merged") {
    e.body = MergedEvent{r.Str("from"), r.U64("redirect_seq")};
  } else if (!ParseWatchFields(kind, r, &e.body)) {
    return Status::InvalidArgument("unknown event kind '" + kind + "'");
  }
  if (r.object().contains("withheld_hash")) e.withheld_hash = r.Hash("withheld_hash");
  if (const json::value* contents = r.object().if_contains("contents_base64");
      contents && contents->is_array()) {
    for (const json::value& c : contents->get_array()) {
      std::string bytes;
      if (!c.is_string() || !Base64Decode(c.get_string(), &bytes)) r.Bad("contents_base64");
      request.contents.push_back(std::move(bytes));
    }
  }
  if (const json::value* withheld = r.object().if_contains("withheld");
      withheld && withheld->is_array()) {
    for (const json::value& w : withheld->get_array()) {
      if (!w.is_object()) return Status::InvalidArgument("malformed entry in 'withheld'");
      Reader wr(w.get_object());
      request.withheld_contents.emplace_back(wr.Hash("sha256"), wr.Str("reason"));
      PALIMPSEST_RETURN_IF_ERROR(wr.status());
    }
  }
  PALIMPSEST_RETURN_IF_ERROR(r.status());
  return request;
}

}  // namespace palimpsest::cli
