#include "cli/http/records.h"

#include "palimpsest/article.h"
#include "palimpsest/doc_id.h"
#include "palimpsest/extractor.h"
#include "palimpsest/jsonl_reader.h"

namespace palimpsest::cli::http {

namespace {

namespace json = boost::json;

PreparedWrite Capture(const std::string& doc_id, std::string raw, std::string media_type,
                      const std::string& url, Timestamp captured_at, Timestamp effective_at,
                      const std::string& source, std::vector<Field> fields) {
  PreparedWrite out;
  out.request.event = CaptureEvent(doc_id, raw, std::move(media_type), url, captured_at,
                                   effective_at, source, std::move(fields));
  out.request.contents.push_back(std::move(raw));
  return out;
}

Result<std::string> OptionalString(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string())
    return Status::InvalidArgument("'" + std::string(key) + "' must be a string");
  return std::string(v->get_string());
}

}  // namespace

Result<json::value> ParseJsonBody(std::string_view body) {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec, json::storage_ptr(), options);
  if (ec == json::error::too_deep) {
    return Status::InvalidArgument("JSON nested deeper than " + std::to_string(kMaxJsonDepth));
  }
  if (ec) return Status::InvalidArgument("malformed JSON: " + ec.message());
  return v;
}

Result<PreparedWrite> CaptureFromJson(std::string_view body) {
  PALIMPSEST_ASSIGN_OR_RETURN(json::value checked, ParseJsonBody(body));
  (void)checked;
  PALIMPSEST_ASSIGN_OR_RETURN(JsonlArticle a, ParseJsonlArticle(body));
  const bool defaulted = a.captured_at == kNoTime;
  const std::string url = a.url, source = a.source;
  const Timestamp effective_at = a.effective_at;
  std::vector<std::string> warnings = std::move(a.warnings);
  PALIMPSEST_ASSIGN_OR_RETURN(RecordCapture c, CaptureFromRecord(std::move(a), Now()));
  PreparedWrite out = Capture(c.doc_id, std::move(c.raw), std::move(c.media_type), url,
                              c.captured_at, effective_at, source, std::move(c.fields));
  out.request.land_by_url = c.doc_id_derived;
  out.time_defaulted = defaulted;
  out.warnings = std::move(warnings);
  return out;
}

Result<PreparedWrite> CaptureFromRaw(std::string raw, const std::string& media_type,
                                     const std::string& url, const std::string& id,
                                     const std::string& captured_at, const std::string& source) {
  std::string doc_id = id.empty() ? DocIdFromUrl(url) : id;
  if (doc_id.empty()) {
    return Status::InvalidArgument("a raw capture needs ?id= or an X-Palimpsest-Url header");
  }
  PALIMPSEST_RETURN_IF_ERROR(ValidateDocId(doc_id));
  Timestamp when = Now();
  if (!captured_at.empty()) {
    auto t = ParseTimestamp(captured_at, DateOnly::kStartOfDay);
    if (!t.ok()) return t.status().WithContext("captured_at");
    when = *t;
  }
  if (raw.empty()) return Status::InvalidArgument("the request body is empty");
  // What the page is (an article, not one, binary data) is decided once, by the append.
  // Recorded whole all the same: invalid bytes as U+FFFD, HTML within the parser's limits.
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<std::string> warnings, CaptureWarnings(raw, media_type));
  PreparedWrite out = Capture(doc_id, std::move(raw), media_type, url, when, kNoTime, source, {});
  out.request.land_by_url = id.empty();
  out.time_defaulted = captured_at.empty();
  out.warnings = std::move(warnings);
  return out;
}

Result<PreparedWrite> CorrectionFromJson(const std::string& doc, std::string_view body) {
  PALIMPSEST_RETURN_IF_ERROR(ValidateDocId(doc));
  PALIMPSEST_ASSIGN_OR_RETURN(json::value v, ParseJsonBody(body));
  if (!v.is_object()) return Status::InvalidArgument("a correction must be a JSON object");
  const json::object& o = v.get_object();
  PALIMPSEST_ASSIGN_OR_RETURN(std::string note_in, OptionalString(o, "note"));
  PALIMPSEST_ASSIGN_OR_RETURN(std::string text, OptionalString(o, "text"));
  PALIMPSEST_ASSIGN_OR_RETURN(std::string kind, OptionalString(o, "kind"));
  PALIMPSEST_ASSIGN_OR_RETURN(std::string effective, OptionalString(o, "effective_at"));
  CorrectedEvent corrected;
  if (kind.empty()) kind = "correction";
  if (!ParseCorrectionKind(kind, &corrected.kind)) {
    return Status::InvalidArgument(
        "'kind' must be correction, clarification, update or editorial, not '" + kind + "'");
  }
  PALIMPSEST_ASSIGN_OR_RETURN(std::string note, NormalizeNfc(note_in));
  corrected.note = CollapseWhitespace(note);
  if (corrected.note.empty()) return Status::InvalidArgument("'note' is required");
  Timestamp effective_at = kNoTime;
  if (!effective.empty()) {
    auto t = ParseTimestamp(effective, DateOnly::kStartOfDay);
    if (!t.ok()) return t.status().WithContext("effective_at");
    effective_at = *t;
  }
  if (!text.empty()) {
    if (CollapseWhitespace(text).empty()) return Status::InvalidArgument("'text' is empty");
    if (!LooksLikeText(text)) return Status::InvalidArgument("'text' is not UTF-8 text");
    corrected.has_text = true;
    corrected.text = {Sha256(text), text.size()};
  }
  PreparedWrite out;
  Event& event = out.request.event;
  event.id = DeriveEventId({"corrected", doc, CorrectionKindName(corrected.kind), corrected.note,
                            corrected.has_text ? AsBytes(corrected.text.sha256) : "",
                            std::to_string(effective_at)});
  event.doc_id = doc;
  event.effective_at = effective_at;
  event.body = std::move(corrected);
  if (!text.empty()) out.request.contents.push_back(std::move(text));
  return out;
}

}  // namespace palimpsest::cli::http
