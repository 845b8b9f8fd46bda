// Unicode text utilities behind the article API: NFC normalization, whitespace collapsing,
// the "is this text at all" check, and paragraph splitting.
//
// Every string the archive hashes or compares passes through these functions, so they must be
// deterministic and total: no input makes them throw or crash.

#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/article.h"

namespace palimpsest {

namespace {

// Decodes one code point at `s[i]`; returns its byte length, or -1 when the bytes there are
// not valid UTF-8 (utf8proc rejects overlong forms and surrogates too).
int DecodeAt(std::string_view s, size_t i, int32_t* cp) {
  utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                        static_cast<utf8proc_ssize_t>(s.size() - i), cp);
  return n > 0 ? static_cast<int>(n) : -1;
}

// Spaces a scraped page uses between words. Zero-width characters (U+200B, U+FEFF) are not
// here on purpose: they separate nothing visually, so turning them into a space would add one.
bool IsUnicodeSpace(int32_t cp) {
  switch (cp) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

bool IsAsciiSpace(unsigned char c) { return c == ' ' || (c >= 0x09 && c <= 0x0D); }

// True when `text` holds only whitespace (CollapseWhitespace(text) would be empty), without
// building the collapsed copy.
bool IsBlank(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (!IsAsciiSpace(c)) return false;
      ++i;
      continue;
    }
    int32_t cp = 0;
    const int len = DecodeAt(text, i, &cp);
    if (len < 0 || !IsUnicodeSpace(cp)) return false;
    i += static_cast<size_t>(len);
  }
  return true;
}

// True when NFC cannot change `text`: valid UTF-8 whose code points all have
// NFC_Quick_Check=Yes and never combine with a neighbour. That holds for everything below
// U+0300 (ASCII, Latin-1, Latin Extended-A/B and IPA, all precomposed) and for the general
// punctuation and currency blocks news text uses (U+2002–U+206F; U+2000/U+2001 are not stable:
// they decompose to U+2002/U+2003), so most articles skip utf8proc entirely.
bool IsNfcStable(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    int32_t cp = 0;
    int len = DecodeAt(text, i, &cp);
    if (len < 0) return false;  // Let utf8proc report it.
    if (!(cp < 0x300 || (cp >= 0x2002 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20C0))) {
      return false;
    }
    i += static_cast<size_t>(len);
  }
  return true;
}

}  // namespace

Result<std::string> NormalizeNfc(std::string_view text) {
  if (text.empty()) return std::string();
  if (IsNfcStable(text)) return std::string(text);
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &out,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) {
    std::free(out);
    return Status::InvalidArgument(std::string("text is not valid UTF-8: ") + utf8proc_errmsg(n));
  }
  std::string result(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
  std::free(out);
  return result;
}

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {  // ASCII fast path: most of every article.
      if (IsAsciiSpace(c)) {
        pending_space = !out.empty();
        ++i;
        continue;
      }
      // Copy the whole run of ASCII non-space bytes at once.
      size_t j = i + 1;
      while (j < n) {
        const unsigned char d = static_cast<unsigned char>(text[j]);
        if (d >= 0x80 || IsAsciiSpace(d)) break;
        ++j;
      }
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(text.data() + i, j - i);
      i = j;
      continue;
    }
    int32_t cp = 0;
    int len = DecodeAt(text, i, &cp);
    if (len < 0) {
      // Not UTF-8: keep the byte as it is. Callers that care check LooksLikeText first; here
      // we only promise not to lose data.
      len = 1;
      cp = -1;
    }
    if (cp >= 0 && IsUnicodeSpace(cp)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(text.substr(i, static_cast<size_t>(len)));
    }
    i += static_cast<size_t>(len);
  }
  return out;
}

bool LooksLikeText(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      // C0 controls and DEL mark binary data; tab, newlines and form feed are layout.
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) {
        return false;
      }
      ++i;
      continue;
    }
    int32_t cp = 0;
    int len = DecodeAt(text, i, &cp);
    if (len < 0) return false;
    // C1 controls (U+0080..U+009F) are accepted: text that went through a Latin-1 decoder
    // carries them in place of punctuation, and it is still text worth archiving.
    i += static_cast<size_t>(len);
  }
  return true;
}

bool IsCanonicalBody(std::string_view body) {
  if (body.empty()) return true;
  size_t i = 0;
  const size_t n = body.size();
  // Whitespace is allowed only as one ' ' or "\n\n" with non-space on both sides.
  bool after_text = false;
  while (i < n) {
    // Eight bytes at a time while every one is ASCII above ' ' (most of any body): text.
    constexpr uint64_t kOnes = 0x0101010101010101ull, kHighBits = 0x8080808080808080ull;
    uint64_t word;
    if (i + 8 <= n && (std::memcpy(&word, body.data() + i, 8),
                       (((word - kOnes * 0x21) & ~word) | word) & kHighBits) == 0) {
      after_text = true;
      i += 8;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(body[i]);
    if (c < 0x80) {
      if (!IsAsciiSpace(c)) {
        after_text = true;
        ++i;
        continue;
      }
      if (!after_text) return false;
      size_t gap = c == ' ' ? 1 : (c == '\n' && i + 1 < n && body[i + 1] == '\n' ? 2 : 0);
      if (gap == 0 || i + gap >= n) return false;
      i += gap;
      after_text = false;
      continue;
    }
    int32_t cp = 0;
    const int len = DecodeAt(body, i, &cp);
    if (len < 0 || IsUnicodeSpace(cp)) return false;
    if (!(cp < 0x300 || (cp >= 0x2002 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20C0))) {
      return false;  // possibly not NFC-stable (the same blocks IsNfcStable accepts)
    }
    after_text = true;
    i += static_cast<size_t>(len);
  }
  return after_text;
}

std::vector<std::string> SplitParagraphs(std::string_view body) {
  std::vector<std::string> paragraphs;
  // The non-blank lines of a paragraph are contiguous in `body`, so the paragraph is the span
  // from its first line's start to its last line's end, collapsed without an extra copy.
  size_t paragraph_start = std::string_view::npos;
  size_t paragraph_end = 0;
  auto flush = [&]() {
    if (paragraph_start == std::string_view::npos) return;
    std::string p =
        CollapseWhitespace(body.substr(paragraph_start, paragraph_end - paragraph_start));
    if (!p.empty()) paragraphs.push_back(std::move(p));
    paragraph_start = std::string_view::npos;
  };
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    if (IsBlank(body.substr(start, end - start))) {
      flush();
    } else {
      if (paragraph_start == std::string_view::npos) paragraph_start = start;
      paragraph_end = end;
    }
    start = end + 1;
  }
  flush();
  return paragraphs;
}

}  // namespace palimpsest
