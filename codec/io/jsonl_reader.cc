#include "palimpsest/jsonl_reader.h"

#include <boost/json.hpp>
#include <cstring>

#include "palimpsest/article.h"
#include "palimpsest/doc_id.h"
#include "palimpsest/event.h"

namespace palimpsest {

namespace {

constexpr size_t kReadChunk = 256 * 1024;

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

namespace json = boost::json;

// A string field: absent or null → *present false; another type → error.
Status GetString(const json::object& o, std::string_view key, std::string* out,
                 bool* present = nullptr) {
  if (present) *present = false;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return Status::OK();
  if (!v->is_string()) {
    return Status::InvalidArgument("field '" + std::string(key) + "' must be a string");
  }
  *out = std::string(v->get_string());
  if (present) *present = true;
  return Status::OK();
}

// A time field. Read leniently (ParseLooseTimestamp) unless `options.strict_times`; an
// unreadable optional time is left out with a warning, an unreadable `captured_at` fails the
// record (the capture would be misdated).
Status GetTime(const json::object& o, std::string_view key, const JsonlOptions& options,
               Timestamp* out, std::vector<std::string>* warnings) {
  std::string text;
  bool present = false;
  PALIMPSEST_RETURN_IF_ERROR(GetString(o, key, &text, &present));
  if (!present || text.empty()) return Status::OK();
  const std::string field = "field '" + std::string(key) + "'";
  auto t = options.strict_times ? ParseTimestamp(text, DateOnly::kStartOfDay)
                                : ParseLooseTimestamp(text);
  if (t.ok()) {
    *out = *t;
    return Status::OK();
  }
  if (options.strict_times || key == "captured_at") return t.status().WithContext(field);
  warnings->push_back(field + ": " + t.status().message() + " (ignored)");
  return Status::OK();
}

}  // namespace

bool IsValidUtf8(std::string_view text, size_t* bad_offset) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07;
    } else {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    if (i + len > n) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) {
        if (bad_offset) *bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

JsonlReader::JsonlReader(InputStream& in, size_t max_line_bytes)
    : in_(in), max_line_bytes_(max_line_bytes) {}

Result<bool> JsonlReader::Fill() {
  if (pos_ < buf_.size()) return true;
  buf_.resize(kReadChunk);
  PALIMPSEST_ASSIGN_OR_RETURN(size_t got, in_.Read(buf_.data(), buf_.size()));
  buf_.resize(got);
  pos_ = 0;
  return got > 0;
}

Result<bool> JsonlReader::Next(JsonlLine* line) {
  for (;;) {
    line->text.clear();
    line->too_long = false;
    line->length = 0;
    bool any = false;
    bool ended = false;
    while (!ended) {
      PALIMPSEST_ASSIGN_OR_RETURN(bool more, Fill());
      if (!more) break;
      any = true;
      const char* start = buf_.data() + pos_;
      const size_t avail = buf_.size() - pos_;
      const void* nl = std::memchr(start, '\n', avail);
      const size_t take = nl ? static_cast<size_t>(static_cast<const char*>(nl) - start) : avail;
      line->length += take;
      if (!line->too_long) {
        if (line->length > max_line_bytes_) {
          // Over the limit: drop what was gathered and skip to the line's end.
          line->too_long = true;
          std::string().swap(line->text);
        } else {
          line->text.append(start, take);
        }
      }
      pos_ += take;
      if (nl) {
        ++pos_;
        ended = true;
      }
    }
    if (!any) return false;
    ++line_number_;
    line->number = line_number_;
    if (!line->text.empty() && line->text.back() == '\r') line->text.pop_back();
    if (!line->too_long && IsBlank(line->text)) continue;
    return true;
  }
}

Result<JsonlArticle> ParseJsonlArticle(std::string_view line, const JsonlOptions& options) {
  size_t bad = 0;
  if (!IsValidUtf8(line, &bad)) {
    return Status::InvalidArgument("invalid UTF-8 at byte " + std::to_string(bad + 1));
  }
  boost::system::error_code ec;
  json::value value = json::parse(line, ec);
  if (ec) return Status::InvalidArgument("invalid JSON: " + ec.message());
  const json::object* o = value.if_object();
  if (o == nullptr) return Status::InvalidArgument("a record must be a JSON object");

  JsonlArticle a;
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "id", &a.id));
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "url", &a.url));
  if (a.id.empty() && a.url.empty()) {
    return Status::InvalidArgument("a record needs 'id' or 'url'");
  }
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "source", &a.source));
  bool has_raw = false;
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "body", &a.body, &a.has_body));
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "raw", &a.raw, &has_raw));
  if (a.has_body == has_raw) {
    return Status::InvalidArgument(a.has_body ? "a record has either 'body' or 'raw', not both"
                                              : "a record needs 'body' or 'raw'");
  }
  if (a.has_body && IsBlank(a.body)) return Status::InvalidArgument("'body' is empty");
  if (has_raw && a.raw.empty()) return Status::InvalidArgument("'raw' is empty");
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "media_type", &a.media_type));
  if (a.has_body && !a.media_type.empty()) {
    return Status::InvalidArgument("'media_type' goes with 'raw', not 'body'");
  }
  if (has_raw && a.media_type.empty()) a.media_type = "text/plain";
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "title", &a.title));
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "byline", &a.byline));
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "dek", &a.dek));
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "dateline", &a.dateline));
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "outlet", &a.outlet));
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "canonical_url", &a.canonical_url));
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "language", &a.language));
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "note", &a.note));
  PALIMPSEST_RETURN_IF_ERROR(GetString(*o, "kind", &a.kind));
  if (!a.kind.empty()) {
    CorrectionKind kind;
    if (!ParseCorrectionKind(a.kind, &kind)) {
      return Status::InvalidArgument(
          "field 'kind' must be correction, clarification, update or "
          "editorial, not '" +
          a.kind + "'");
    }
  }
  PALIMPSEST_RETURN_IF_ERROR(GetTime(*o, "published_at", options, &a.published_at, &a.warnings));
  PALIMPSEST_RETURN_IF_ERROR(GetTime(*o, "updated_at", options, &a.updated_at, &a.warnings));
  PALIMPSEST_RETURN_IF_ERROR(GetTime(*o, "captured_at", options, &a.captured_at, &a.warnings));
  PALIMPSEST_RETURN_IF_ERROR(GetTime(*o, "effective_at", options, &a.effective_at, &a.warnings));
  return a;
}

Result<RecordCapture> CaptureFromRecord(JsonlArticle a, Timestamp default_captured_at) {
  RecordCapture c;
  c.doc_id = a.id;
  if (c.doc_id.empty()) {
    c.doc_id = DocIdFromUrl(a.url);
    c.doc_id_derived = true;
    if (c.doc_id.empty()) {
      return Status::InvalidArgument("'url' has no host to derive a document id from");
    }
  }
  PALIMPSEST_RETURN_IF_ERROR(ValidateDocId(c.doc_id));
  c.captured_at = a.captured_at != kNoTime ? a.captured_at : default_captured_at;
  if (!a.title.empty()) c.fields.push_back({"title", a.title});
  if (!a.byline.empty()) c.fields.push_back({"byline", a.byline});
  if (!a.dek.empty()) c.fields.push_back({"dek", a.dek});
  if (!a.dateline.empty()) c.fields.push_back({"dateline", a.dateline});
  if (!a.outlet.empty()) c.fields.push_back({"outlet", a.outlet});
  if (!a.canonical_url.empty()) c.fields.push_back({"canonical_url", a.canonical_url});
  if (!a.language.empty()) c.fields.push_back({"language", a.language});
  if (a.published_at != kNoTime) {
    c.fields.push_back({"published_at", FormatTimestamp(a.published_at)});
  }
  if (a.updated_at != kNoTime) c.fields.push_back({"updated_at", FormatTimestamp(a.updated_at)});
  if (!a.note.empty()) {
    c.fields.push_back({"note", a.note});
    if (a.effective_at != kNoTime) {
      c.fields.push_back({"note_effective_at", FormatTimestamp(a.effective_at)});
    }
  }
  // The kind of the revision this record makes, when it makes one (README).
  if (!a.kind.empty()) c.fields.push_back({"kind", a.kind});
  c.raw = a.has_body ? std::move(a.body) : std::move(a.raw);
  c.media_type = a.has_body ? std::string(kBodyMediaType) : std::move(a.media_type);
  return c;
}

}  // namespace palimpsest
