// Charset detection and transcoding for HTML captures (see html_charset.h).

#include "codec/extract/html/html_charset.h"

#include <iconv.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>

#include "codec/extract/ascii_text.h"

namespace palimpsest::html_internal {

namespace {

using text_internal::AsciiLowerCopy;
using text_internal::IsHtmlSpace;

constexpr size_t kMetaScanBytes = 4096;

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':';
}

// The label right after "charset" at `pos` (which points just past the word): optional spaces,
// '=', optional spaces and quote, then label characters. "" when the shape does not match.
std::string LabelAfterCharset(std::string_view s, size_t pos) {
  while (pos < s.size() && IsHtmlSpace(s[pos])) ++pos;
  if (pos >= s.size() || s[pos] != '=') return "";
  ++pos;
  while (pos < s.size() && IsHtmlSpace(s[pos])) ++pos;
  while (pos < s.size() && (s[pos] == '"' || s[pos] == '\'' || s[pos] == '\\')) ++pos;
  size_t begin = pos;
  while (pos < s.size() && IsLabelChar(s[pos])) ++pos;
  return AsciiLowerCopy(s.substr(begin, pos - begin));
}

// Decoder names for labels whose iconv name differs from the label, following the WHATWG
// Encoding Standard's label table for the labels news pages actually use.
struct LabelAlias {
  std::string_view label;
  std::string_view decoder;
};
constexpr LabelAlias kAliases[] = {
    {"utf-8", "UTF-8"},
    {"utf8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8"},
    {"iso-8859-1", "CP1252"},
    {"iso8859-1", "CP1252"},
    {"iso_8859-1", "CP1252"},
    {"latin1", "CP1252"},
    {"l1", "CP1252"},
    {"us-ascii", "CP1252"},
    {"ascii", "CP1252"},
    {"windows-1252", "CP1252"},
    {"cp1252", "CP1252"},
    {"x-cp1252", "CP1252"},
    {"cp819", "CP1252"},
    {"ibm819", "CP1252"},
    {"iso-ir-100", "CP1252"},
    {"x-user-defined", "CP1252"},
    {"gb2312", "GBK"},
    {"x-gbk", "GBK"},
    {"chinese", "GBK"},
    {"csgb2312", "GBK"},
    {"shift_jis", "CP932"},
    {"sjis", "CP932"},
    {"x-sjis", "CP932"},
    {"ms_kanji", "CP932"},
    {"windows-31j", "CP932"},
    {"ks_c_5601-1987", "CP949"},
    {"euc-kr", "CP949"},
    {"korean", "CP949"},
    {"iso-8859-8-i", "ISO-8859-8"},
    {"x-mac-roman", "MACINTOSH"},
};

std::string_view DecoderFor(std::string_view label) {
  for (const LabelAlias& a : kAliases) {
    if (a.label == label) return a.decoder;
  }
  return label;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Length of the maximal subpart at the start of `s`, which does not start a well-formed UTF-8
// sequence: the lead byte and the continuation bytes that could still have completed it.
size_t IllFormedLength(std::string_view s) {
  unsigned char c = static_cast<unsigned char>(s[0]);
  size_t need = c >= 0xC2 && c <= 0xDF   ? 2
                : c >= 0xE0 && c <= 0xEF ? 3
                : c >= 0xF0 && c <= 0xF4 ? 4
                                         : 0;
  if (need == 0) return 1;
  size_t n = 1;
  for (; n < need && n < s.size(); ++n) {
    unsigned char cc = static_cast<unsigned char>(s[n]);
    unsigned char lo = 0x80, hi = 0xBF;
    if (n == 1 && c == 0xE0) lo = 0xA0;
    if (n == 1 && c == 0xED) hi = 0x9F;
    if (n == 1 && c == 0xF0) lo = 0x90;
    if (n == 1 && c == 0xF4) hi = 0x8F;
    if (cc < lo || cc > hi) break;
  }
  return n;
}

// Closes an iconv descriptor on scope exit.
class IconvHandle {
 public:
  explicit IconvHandle(iconv_t cd) : cd_(cd) {}
  ~IconvHandle() {
    if (ok()) iconv_close(cd_);
  }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

Status InvalidBytes(std::string_view label, size_t offset) {
  return Status::InvalidArgument("bytes invalid in charset \"" + std::string(label) +
                                 "\" at offset " + std::to_string(offset));
}

// Runs iconv over all of `bytes`; a byte invalid in the charset becomes U+FFFD, counted in
// *invalid (the first one's offset in *first_invalid). `c1_passthrough`: the five bytes
// windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) decode to the C1 controls of the
// same value, as browsers decode them, instead of failing.
Result<std::string> RunIconv(iconv_t cd, std::string_view bytes, std::string_view label,
                             bool c1_passthrough, size_t* invalid, size_t* first_invalid) {
  std::string out(bytes.size() + bytes.size() / 2 + 64, '\0');
  size_t used = 0;
  char* in = const_cast<char*>(bytes.data());  // iconv's signature; it never writes input
  size_t in_left = bytes.size();
  while (in_left > 0) {
    char* out_ptr = out.data() + used;
    size_t out_left = out.size() - used;
    size_t r = iconv(cd, &in, &in_left, &out_ptr, &out_left);
    int err = errno;
    used = out.size() - out_left;
    if (r != static_cast<size_t>(-1)) continue;
    if (err == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    unsigned char b = static_cast<unsigned char>(*in);
    bool c1 = b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D;
    if (err != EILSEQ && err != EINVAL) return InvalidBytes(label, bytes.size() - in_left);
    out.resize(used);
    if (c1_passthrough && c1) {
      AppendUtf8(b, &out);
    } else {  // as a browser shows it: one U+FFFD for the byte, and on
      if (*invalid == 0) *first_invalid = bytes.size() - in_left;
      ++*invalid;
      AppendUtf8(0xFFFD, &out);
      iconv(cd, nullptr, nullptr, nullptr, nullptr);  // back to the initial shift state
    }
    used = out.size();
    out.resize(used + in_left + 64);
    ++in;
    --in_left;
  }
  while (true) {  // a stateful encoding's closing shift sequence
    char* out_ptr = out.data() + used;
    size_t out_left = out.size() - used;
    size_t r = iconv(cd, nullptr, nullptr, &out_ptr, &out_left);
    int err = errno;
    used = out.size() - out_left;
    if (r != static_cast<size_t>(-1)) break;
    if (err != E2BIG) return InvalidBytes(label, bytes.size());
    out.resize(out.size() * 2);
  }
  out.resize(used);
  return out;
}

// `bytes` as UTF-8, each maximal ill-formed subsequence (the longest start of a well-formed
// sequence, or else one byte) replaced by U+FFFD, as the WHATWG decoder does.
Transcoded Utf8Lossy(std::string_view bytes) {
  Transcoded t;
  size_t i = ValidUtf8Prefix(bytes);
  if (i == bytes.size()) {
    t.text = bytes;
    return t;
  }
  t.first_invalid = i;
  t.text.reserve(bytes.size() + 16);
  t.text.append(bytes.substr(0, i));
  while (i < bytes.size()) {
    std::string_view rest = bytes.substr(i);
    size_t good = ValidUtf8Prefix(rest);
    t.text.append(rest.substr(0, good));
    i += good;
    if (i == bytes.size()) break;
    ++t.invalid_bytes;
    AppendUtf8(0xFFFD, &t.text);
    i += IllFormedLength(bytes.substr(i));
  }
  return t;
}

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view StripUtf8Bom(std::string_view s) {
  if (s.starts_with(kUtf8Bom)) s.remove_prefix(kUtf8Bom.size());
  return s;
}

}  // namespace

std::string CharsetFromContentType(std::string_view content_type) {
  const std::string lower = AsciiLowerCopy(content_type);
  size_t semi = lower.find(';');
  while (semi != std::string::npos) {
    size_t pos = semi + 1;
    while (pos < lower.size() && IsHtmlSpace(lower[pos])) ++pos;
    if (lower.compare(pos, 7, "charset") == 0) return LabelAfterCharset(lower, pos + 7);
    semi = lower.find(';', pos);
  }
  return "";
}

std::string CharsetFromMeta(std::string_view raw) {
  std::string head = AsciiLowerCopy(raw.substr(0, kMetaScanBytes));
  for (size_t at = head.find("<meta"); at != std::string::npos; at = head.find("<meta", at + 5)) {
    size_t end = head.find('>', at);
    std::string_view tag =
        std::string_view(head).substr(at, end == std::string::npos ? std::string::npos : end - at);
    for (size_t c = tag.find("charset"); c != std::string_view::npos;
         c = tag.find("charset", c + 7)) {
      std::string label = LabelAfterCharset(tag, c + 7);
      if (!label.empty()) return label;
    }
  }
  return "";
}

size_t ValidUtf8Prefix(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (s.size() - i < len) return i;
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return i;
}

bool IsValidUtf8(std::string_view s) { return ValidUtf8Prefix(s) == s.size(); }

Result<Transcoded> TranscodeToUtf8(std::string_view bytes, std::string_view label) {
  std::string lower = AsciiLowerCopy(label);
  bool label_ok = !lower.empty() && lower.size() <= 40;
  for (char c : lower) label_ok = label_ok && IsLabelChar(c);
  if (!label_ok) return Status::InvalidArgument("unknown charset \"" + std::string(label) + "\"");
  std::string decoder(DecoderFor(lower));
  if (decoder == "UTF-8") {
    return Utf8Lossy(StripUtf8Bom(bytes));
  }
  IconvHandle cd(iconv_open("UTF-8", decoder.c_str()));
  if (!cd.ok()) return Status::InvalidArgument("unknown charset \"" + std::string(label) + "\"");
  Transcoded result;
  PALIMPSEST_ASSIGN_OR_RETURN(
      std::string out, RunIconv(cd.get(), bytes, lower, decoder == "CP1252", &result.invalid_bytes,
                                &result.first_invalid));
  result.text = StripUtf8Bom(out);  // a UTF-16 BOM comes out as U+FEFF
  return result;
}

Result<DecodedHtml> DecodeHtml(std::string_view raw, std::string_view content_type) {
  DecodedHtml decoded;
  if (raw.starts_with(kUtf8Bom)) {
    decoded.charset = "utf-8";
  } else if (raw.starts_with("\xFF\xFE")) {
    decoded.charset = "utf-16le";
  } else if (raw.starts_with("\xFE\xFF")) {
    decoded.charset = "utf-16be";
  } else {
    decoded.charset = CharsetFromContentType(content_type);
    if (decoded.charset.empty()) {
      decoded.charset = CharsetFromMeta(raw);
      // A page that can declare itself in ASCII is not UTF-16 (WHATWG: read it as UTF-8).
      if (decoded.charset.starts_with("utf-16")) decoded.charset = "utf-8";
    }
    if (decoded.charset.empty()) decoded.charset = IsValidUtf8(raw) ? "utf-8" : "windows-1252";
  }
  PALIMPSEST_ASSIGN_OR_RETURN(Transcoded t, TranscodeToUtf8(raw, decoded.charset));
  decoded.text = std::move(t.text);
  decoded.invalid_bytes = t.invalid_bytes;
  decoded.first_invalid = t.first_invalid;
  return decoded;
}

}  // namespace palimpsest::html_internal
