#include "palimpsest/event_text.h"

#include <cstdint>
#include <cstring>

namespace palimpsest {

namespace {

// Length of the valid UTF-8 sequence starting at s[i] (1 for ASCII), or 0 when none starts
// there (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF, truncated).
size_t SequenceLength(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t len = 0;
  uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

// A C0 control other than tab and newline, or DEL.
bool IsStrippedAscii(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F; }

// A C1 control (U+0080..U+009F) encoded at s[i] (a valid 2-byte sequence).
bool IsC1(std::string_view s, size_t i, size_t len) {
  return len == 2 && static_cast<unsigned char>(s[i]) == 0xC2 &&
         static_cast<unsigned char>(s[i + 1]) < 0xA0;
}

void AppendHex(unsigned char c, char prefix_a, char prefix_b, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (prefix_a) out->push_back(prefix_a);
  out->push_back(prefix_b);
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xF]);
}

Status CleanInPlace(std::string* text, std::string_view what) {
  PALIMPSEST_ASSIGN_OR_RETURN(*text, CleanEventText(*text, what));
  return Status::OK();
}

Status NormalizeFields(std::vector<Field>* fields) {
  for (Field& f : *fields) {
    PALIMPSEST_RETURN_IF_ERROR(CleanInPlace(&f.name, "field name"));
    if (f.name == "canonical_url") {
      f.value = PercentEncodeUrl(f.value);
    } else {
      PALIMPSEST_RETURN_IF_ERROR(CleanInPlace(&f.value, "field '" + f.name + "'"));
    }
  }
  return Status::OK();
}

}  // namespace

std::string PercentEncodeUrl(std::string_view url) {
  std::string out;
  out.reserve(url.size());
  for (char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    if (c > 0x20 && c < 0x7F) {
      out.push_back(ch);
    } else {
      AppendHex(c, 0, '%', &out);
    }
  }
  return out;
}

Result<std::string> CleanEventText(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t len = SequenceLength(text, i);
    if (len == 0) {
      return Status::InvalidText(std::string(what) + " is not valid UTF-8 (byte " +
                                 std::to_string(i) + ")");
    }
    const bool strip =
        len == 1 ? IsStrippedAscii(static_cast<unsigned char>(text[i])) : IsC1(text, i, len);
    if (!strip) out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

namespace {

// A check's strings come from a server: header values and error text are cleaned like any other
// text (a validator that is not UTF-8 is kept out rather than failing the check's record).
Status NormalizeCheck(CheckedEvent* c) {
  c->url = PercentEncodeUrl(c->url);
  c->final_url = PercentEncodeUrl(c->final_url);
  for (std::string* header : {&c->etag, &c->last_modified, &c->error}) {
    if (!CleanInPlace(header, "check").ok()) header->clear();
  }
  return Status::OK();
}

}  // namespace

Status NormalizeEventText(Event* event) {
  PALIMPSEST_RETURN_IF_ERROR(CleanInPlace(&event->actor, "actor"));
  PALIMPSEST_RETURN_IF_ERROR(CleanInPlace(&event->correlation_id, "correlation id"));
  if (auto* c = std::get_if<CapturedEvent>(&event->body)) {
    c->url = PercentEncodeUrl(c->url);
    PALIMPSEST_RETURN_IF_ERROR(CleanInPlace(&c->media_type, "media type"));
    PALIMPSEST_RETURN_IF_ERROR(CleanInPlace(&c->source, "source"));
    return NormalizeFields(&c->fields);
  }
  if (auto* o = std::get_if<ObservedEvent>(&event->body)) {
    o->url = PercentEncodeUrl(o->url);
    return CleanInPlace(&o->source, "source");
  }
  if (auto* c = std::get_if<CorrectedEvent>(&event->body)) return CleanInPlace(&c->note, "note");
  if (auto* r = std::get_if<RetractedEvent>(&event->body)) return CleanInPlace(&r->note, "note");
  if (auto* r = std::get_if<RedactedEvent>(&event->body)) {
    return CleanInPlace(&r->reason, "redaction reason");
  }
  if (auto* r = std::get_if<RedirectedEvent>(&event->body)) {
    r->url = PercentEncodeUrl(r->url);
    r->target = PercentEncodeUrl(r->target);
    return CleanInPlace(&r->source, "source");
  }
  if (auto* w = std::get_if<WatchedEvent>(&event->body)) {
    w->url = PercentEncodeUrl(w->url);
    w->discovered_via = PercentEncodeUrl(w->discovered_via);
    return CleanInPlace(&w->source, "source");
  }
  if (auto* u = std::get_if<UnwatchedEvent>(&event->body)) {
    u->url = PercentEncodeUrl(u->url);
    return Status::OK();
  }
  if (auto* c = std::get_if<CheckedEvent>(&event->body)) return NormalizeCheck(c);
  if (auto* h = std::get_if<HookAddedEvent>(&event->body)) {
    h->url = PercentEncodeUrl(h->url);
    return CleanInPlace(&h->source, "source");
  }
  if (auto* h = std::get_if<HookRemovedEvent>(&event->body)) {
    h->url = PercentEncodeUrl(h->url);
    return Status::OK();
  }
  if (auto* d = std::get_if<DeliveredEvent>(&event->body)) {
    d->url = PercentEncodeUrl(d->url);
    if (!CleanInPlace(&d->error, "delivery error").ok()) d->error.clear();
    return Status::OK();
  }
  return Status::OK();
}

std::string ToValidUtf8(std::string_view text) {
  // Every JSON response passes through here: valid runs are copied whole, and ASCII (most of
  // any text) is skipped eight bytes at a time.
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;  // text before this is in `out`
  size_t i = 0;
  while (i < text.size()) {
    uint64_t word;
    if (i + sizeof word <= text.size()) {
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & 0x8080808080808080ull) == 0) {
        i += sizeof word;
        continue;
      }
    }
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t len = SequenceLength(text, i);
    if (len != 0) {
      i += len;
      continue;
    }
    out.append(text.substr(copied, i - copied));
    out.append("\xEF\xBF\xBD");
    copied = ++i;
  }
  out.append(text.substr(copied));
  return out;
}

std::string EscapeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t len = SequenceLength(text, i);
    const bool bad = len == 0 || (len == 1 && IsStrippedAscii(static_cast<unsigned char>(text[i])));
    if (bad) {
      AppendHex(static_cast<unsigned char>(text[i]), '\\', 'x', &out);
      ++i;
    } else if (IsC1(text, i, len)) {
      AppendHex(static_cast<unsigned char>(text[i]), '\\', 'x', &out);
      AppendHex(static_cast<unsigned char>(text[i + 1]), '\\', 'x', &out);
      i += len;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace palimpsest
