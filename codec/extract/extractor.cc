// Media-type dispatch from a capture to its article content. The extractor version in
// extractor.h changes whenever this (or an extractor it calls) changes its output.

#include "palimpsest/extractor.h"

#include <algorithm>
#include <cctype>

#include "codec/extract/article_fields.h"
#include "codec/extract/html/html_extractor.h"
#include "codec/extract/learned_chrome.h"
#include "codec/extract/note_parser.h"
#include "codec/extract/text_charset.h"
#include "palimpsest/event_text.h"

namespace palimpsest {

// True when `media_type` (possibly with parameters, "text/html; charset=…") is `essence`.
bool MediaTypeIs(std::string_view media_type, std::string_view essence) {
  std::string_view type = media_type.substr(0, media_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type.size() != essence.size()) return false;
  for (size_t i = 0; i < type.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(type[i])) != essence[i]) return false;
  }
  return true;
}

namespace {

// The one-line text field of `content` an importer field sets, or nullptr.
std::string* TextField(const std::string& name, ArticleContent* content) {
  if (name == "title") return &content->title;
  if (name == "dek") return &content->dek;
  if (name == "byline") return &content->byline;
  if (name == "dateline") return &content->dateline;
  if (name == "outlet") return &content->outlet;
  if (name == "canonical_url") return &content->canonical_url;
  if (name == "language") return &content->language;
  return nullptr;
}

}  // namespace

Result<ArticleContent> ExtractCapture(const std::string& raw, const std::string& media_type,
                                      Timestamp captured_at, const std::vector<Field>& fields) {
  return ExtractCapture(raw, media_type, captured_at, fields, TextExtractContext{});
}

Result<ArticleContent> ExtractCapture(const std::string& raw, const std::string& media_type,
                                      Timestamp captured_at, const std::vector<Field>& fields,
                                      const TextExtractContext& context) {
  for (const Field& f : fields) {
    // What a server answered with an error status is its error page, whatever it says.
    if (f.name == "http_status" && f.value.size() == 3 && f.value >= "400" && f.value <= "599") {
      return Status::NotAnArticle("an error page (HTTP " + f.value + ")");
    }
  }
  ArticleContent content;
  if (media_type == kBodyMediaType) {
    // The importer sent the article's fields and body text, not a page: nothing to extract.
    PALIMPSEST_ASSIGN_OR_RETURN(content.body, NormalizeBodyText(raw));
  } else if (media_type.empty() || MediaTypeIs(media_type, "text/plain")) {
    TextExtractContext with_charset = context;
    with_charset.content_type = media_type;
    PALIMPSEST_ASSIGN_OR_RETURN(content, ExtractPlainText(raw, captured_at, with_charset));
  } else if (MediaTypeIs(media_type, "text/html") ||
             MediaTypeIs(media_type, "application/xhtml+xml")) {
    PALIMPSEST_ASSIGN_OR_RETURN(content, ExtractHtml(raw, media_type, captured_at));
  } else {
    return Status::InvalidArgument("unsupported media type '" + media_type + "'");
  }
  Timestamp note_effective = kNoTime;
  Timestamp published = kNoTime;
  for (const Field& f : fields) {
    if (f.name == "note_effective_at") {
      PALIMPSEST_ASSIGN_OR_RETURN(note_effective, ParseTimestamp(f.value));
    } else if (f.name == "published_at") {
      PALIMPSEST_ASSIGN_OR_RETURN(published, ParseTimestamp(f.value));
    }
  }
  // The importer's publication date anchors year-less note dates as the page's own would.
  if (published != kNoTime) text_internal::AnchorNoteDates(published, captured_at, &content.notes);
  for (const Field& f : fields) {
    if (std::string* slot = TextField(f.name, &content)) {
      PALIMPSEST_ASSIGN_OR_RETURN(std::string value, NormalizeNfc(f.value));
      *slot = CollapseWhitespace(value);
      // An event recorded before event_text.h may hold a raw one: a URI, as event URLs are.
      if (f.name == "canonical_url") *slot = PercentEncodeUrl(*slot);
      if (f.name == "language") *slot = text_internal::NormalizeLanguageTag(*slot);
    } else if (f.name == "note") {
      PALIMPSEST_ASSIGN_OR_RETURN(std::string value, NormalizeNfc(f.value));
      value = CollapseWhitespace(value);
      if (!value.empty()) {
        ArticleNote parsed = ParseNote(value, captured_at, published);
        if (note_effective != kNoTime) parsed.effective_at = note_effective;
        const bool known = std::any_of(content.notes.begin(), content.notes.end(),
                                       [&](const ArticleNote& n) { return n.text == parsed.text; });
        if (!known) content.notes.push_back(std::move(parsed));
      }
    } else if (f.name == "published_at") {
      PALIMPSEST_ASSIGN_OR_RETURN(content.published_at, ParseTimestamp(f.value));
    } else if (f.name == "updated_at") {
      PALIMPSEST_ASSIGN_OR_RETURN(content.updated_at, ParseTimestamp(f.value));
    }
  }
  return content;
}

Result<std::vector<std::string>> CaptureWarnings(std::string_view raw,
                                                 std::string_view media_type) {
  if (MediaTypeIs(media_type, "text/html") || MediaTypeIs(media_type, "application/xhtml+xml")) {
    return HtmlWarnings(raw, media_type);
  }
  std::vector<std::string> warnings;
  if (!media_type.empty() && !MediaTypeIs(media_type, "text/plain")) return warnings;
  PALIMPSEST_ASSIGN_OR_RETURN(auto decoded, text_internal::DecodePlainText(raw, media_type));
  PALIMPSEST_RETURN_IF_ERROR(text_internal::RequireText(decoded));
  std::string line = text_internal::DescribeDecoding(decoded);
  if (!line.empty()) warnings.push_back(std::move(line));
  return warnings;
}

Result<std::string> NormalizeBodyText(std::string_view text) {
  if (IsCanonicalBody(text)) return std::string(text);
  PALIMPSEST_ASSIGN_OR_RETURN(std::string nfc, NormalizeNfc(text));
  // SplitParagraphs returns each paragraph collapsed and non-empty.
  std::string body;
  body.reserve(nfc.size());
  for (const std::string& paragraph : SplitParagraphs(nfc)) {
    if (!body.empty()) body += "\n\n";
    body += paragraph;
  }
  return body;
}

}  // namespace palimpsest
