#include "codec/extract/text_charset.h"

#include "codec/extract/html/html_charset.h"
#include "palimpsest/article.h"

namespace palimpsest::text_internal {

namespace {

using html_internal::ValidUtf8Prefix;

// True when well-formed multi-byte UTF-8 sequences are at least as many as the bytes that are
// not part of one: text written in UTF-8 that picked up a stray byte (Latin-1 text rarely
// holds a byte pair that is well-formed UTF-8), rather than text in a legacy charset.
bool MostlyUtf8(std::string_view raw) {
  size_t multibyte = 0, invalid = 0;
  size_t i = 0;
  while (i < raw.size()) {
    const size_t valid = ValidUtf8Prefix(raw.substr(i));
    for (size_t j = i; j < i + valid; ++j) {
      if ((static_cast<unsigned char>(raw[j]) & 0xC0) == 0xC0) ++multibyte;  // a lead byte
    }
    i += valid;
    if (i < raw.size()) {
      ++invalid;
      ++i;
    }
  }
  return multibyte > 0 && multibyte >= invalid;
}

}  // namespace

Result<DecodedText> DecodePlainText(std::string_view raw, std::string_view content_type) {
  DecodedText decoded;
  if (raw.starts_with("\xFF\xFE")) {
    decoded.charset = "utf-16le";
  } else if (raw.starts_with("\xFE\xFF")) {
    decoded.charset = "utf-16be";
  } else if (!raw.starts_with("\xEF\xBB\xBF")) {
    decoded.charset = html_internal::CharsetFromContentType(content_type);
  }
  if (!decoded.charset.empty()) {
    auto t = html_internal::TranscodeToUtf8(raw, decoded.charset);
    if (t.ok()) {
      decoded.text = std::move(t->text);
      decoded.invalid_bytes = t->invalid_bytes;
      decoded.first_invalid = t->first_invalid;
      return decoded;
    }
  }
  if (html_internal::IsValidUtf8(raw)) {
    decoded.charset = "utf-8";
    decoded.text = std::string(raw);
    return decoded;
  }
  decoded.guessed = true;
  decoded.charset = MostlyUtf8(raw) ? "utf-8" : "windows-1252";
  PALIMPSEST_ASSIGN_OR_RETURN(html_internal::Transcoded t,
                              html_internal::TranscodeToUtf8(raw, decoded.charset));
  decoded.text = std::move(t.text);
  decoded.invalid_bytes = t.invalid_bytes;
  decoded.first_invalid = t.first_invalid;
  return decoded;
}

Status RequireText(const DecodedText& decoded) {
  if (LooksLikeText(decoded.text)) return Status::OK();
  return Status::InvalidArgument("input is not text (control characters: binary data?)");
}

std::string DescribeDecoding(const DecodedText& decoded) {
  std::string line;
  if (decoded.invalid_bytes != 0) {
    line = std::to_string(decoded.invalid_bytes);
    line.append(decoded.invalid_bytes == 1 ? " byte sequence" : " byte sequences");
    line.append(" invalid in charset \"").append(decoded.charset).append("\" (first at offset ");
    line.append(std::to_string(decoded.first_invalid)).append(") read as U+FFFD");
  } else if (decoded.guessed) {
    line.append("not UTF-8 and no charset declared: read as \"")
        .append(decoded.charset)
        .append("\"");
  }
  return line;
}

}  // namespace palimpsest::text_internal
