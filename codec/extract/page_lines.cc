#include "codec/extract/page_lines.h"

#include <string>
#include <string_view>
#include <vector>

#include "codec/extract/ascii_text.h"
#include "codec/extract/date_finder.h"
#include "codec/extract/note_parser.h"
#include "codec/extract/page_chrome.h"
#include "palimpsest/article.h"

namespace palimpsest::text_internal {

namespace {

// Splits on "\n", "\r\n", "\r" and form feed; each line whitespace-collapsed.
std::vector<std::string> SplitRawLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\n' && text[i] != '\r' && text[i] != '\f') continue;
    lines.push_back(CollapseWhitespace(text.substr(start, i - start)));
    if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  return lines;
}

// Whether prose (as opposed to a label or heading) could end with `s`'s last character.
bool EndsLikeSentence(std::string_view s) {
  if (s.empty()) return false;
  const char c = s.back();
  if (c == '.' || c == '!' || c == '?' || c == '"' || c == '\'' || c == ':') return true;
  for (std::string_view q : {"\u201D", "\u2019", "\u2026"}) {  // ” ’ …
    if (s.ends_with(q)) return true;
  }
  return false;
}

// One part of a date line: a bare date, or a labeled one ("Published: …", "Updated on …").
bool ParseDatePart(std::string_view part, Timestamp captured_at, Timestamp* published,
                   Timestamp* updated) {
  static constexpr std::string_view kUpdatedLabels[] = {"last updated", "last modified", "updated",
                                                        "modified"};
  static constexpr std::string_view kPublishedLabels[] = {
      "originally published", "first published", "published", "posted", "released", "date"};
  DateMatch m;
  if (ParseDateOnly(part, &m)) {
    if (*published == kNoTime) *published = DateTimestamp(m, captured_at);
    return true;
  }
  auto labeled = [&](std::string_view label, Timestamp* slot) {
    if (!StartsWithIgnoreCase(part, label) || part.size() == label.size()) return false;
    std::string_view rest = part.substr(label.size());
    if (rest[0] != ' ' && rest[0] != ':') return false;
    if (rest[0] == ':') rest.remove_prefix(1);
    rest = TrimSpaces(rest);
    if (StartsWithIgnoreCase(rest, "on ")) rest.remove_prefix(3);
    if (!ParseDateOnly(rest, &m)) return false;
    if (*slot == kNoTime) *slot = DateTimestamp(m, captured_at);
    return true;
  };
  for (std::string_view label : kUpdatedLabels) {
    if (labeled(label, updated)) return true;
  }
  for (std::string_view label : kPublishedLabels) {
    if (labeled(label, published)) return true;
  }
  return false;
}

// "NEWS | July 19, 2023", "12.02.2024", "Published March 3, 2024 | Updated March 5, 2024":
// dates, optionally beside short section labels. Anything else in the line makes it text.
// Sets `*published`/`*updated` only when the whole line is a date line.
bool ParseDateLine(std::string_view line, Timestamp captured_at, Timestamp* published_out,
                   Timestamp* updated_out) {
  Timestamp published_at = kNoTime, updated_at = kNoTime;
  Timestamp* published = &published_at;
  Timestamp* updated = &updated_at;
  bool found = false;
  size_t start = 0;
  for (;;) {
    size_t bar = line.find(" | ", start);
    std::string_view part =
        TrimSpaces(line.substr(start, bar == std::string_view::npos ? bar : bar - start));
    if (ParseDatePart(part, captured_at, published, updated)) {
      found = true;
    } else {
      bool label = !part.empty() && WordCount(part) <= 4;
      for (char c : part) label = label && !(c >= '0' && c <= '9');
      if (!label) return false;
    }
    if (bar == std::string_view::npos) break;
    start = bar + 3;
  }
  if (found) {
    *published_out = published_at;
    *updated_out = updated_at;
  }
  return found;
}

// "By Tech. Sgt. Nick Wilson, Pacific Air Forces Public Affairs", "Story by Airman 1st Class
// Cayla Hunt". Sets the name and, for "By X | July 19, 2023", the date.
bool ParseByline(std::string_view line, Timestamp captured_at, PageLine* out) {
  static constexpr std::string_view kLabels[] = {"by ",       "story by ",   "written by ",
                                                 "words by ", "article by ", "reported by "};
  if (line.empty() || !(line[0] >= 'A' && line[0] <= 'Z')) return false;
  std::string_view rest;
  for (std::string_view label : kLabels) {
    if (StartsWithIgnoreCase(line, label)) {
      rest = line.substr(label.size());
      break;
    }
  }
  if (rest.empty()) return false;
  size_t bar = rest.find(" | ");
  std::string_view name = TrimSpaces(rest.substr(0, bar));
  while (!name.empty() && name.back() == ',') name.remove_suffix(1);
  // A name starts with a capital ("By then, …" and "By expanding …" are prose) and is short.
  if (name.empty() || (name[0] >= 'a' && name[0] <= 'z') || WordCount(name) > 16 ||
      CodePointCount(name) > 120) {
    return false;
  }
  // A final period belongs to an abbreviation ("Jr.", "Sgt."), not to a sentence.
  if (name.back() == '.') {
    size_t last_space = name.rfind(' ');
    std::string_view last = name.substr(last_space == std::string_view::npos ? 0 : last_space + 1);
    if (last.size() > 4) return false;
  }
  Timestamp published = kNoTime, updated = kNoTime;
  if (bar != std::string_view::npos &&
      !ParseDateLine(rest.substr(bar + 3), captured_at, &published, &updated)) {
    return false;
  }
  out->value = std::string(name);
  out->published = published;
  out->updated = updated;
  return true;
}

// Classifies one line on its own. The order matters where forms overlap: notes first (a note
// may start with a date or "Updated"), teasers before chrome (a teaser may end in "read more",
// and its headline must be recognized as part of it), bylines before dates ("By Jane Doe |
// March 3, 2024" carries a date but is a byline).
PageLine ClassifyLine(std::string text, Timestamp captured_at) {
  PageLine line;
  line.text = std::move(text);
  const std::string_view s = line.text;
  std::string_view value;
  if (s.empty()) {
    line.kind = LineKind::kBlank;
  } else if (IsNoteLine(s)) {
    line.kind = LineKind::kNote;
  } else if ((line.trailer = ClassifyTrailer(s)) != TrailerKind::kNone) {
    line.kind = LineKind::kTrailer;
  } else if (IsTeaserLine(s)) {
    line.kind = LineKind::kTeaser;
  } else if (IsChromeLine(s)) {
    line.kind = LineKind::kChrome;
  } else if (ParseByline(s, captured_at, &line)) {
    line.kind = LineKind::kByline;
  } else if (ParseDateLine(s, captured_at, &line.published, &line.updated)) {
    line.kind = LineKind::kDate;
  } else if (ParseMetadataLine(s, &line.key, &value)) {
    line.kind = LineKind::kMetadata;
    line.value = std::string(value);
  } else {
    line.kind = LineKind::kText;
  }
  return line;
}

}  // namespace

// "U.S. Strategic Command Public Affairs": an office credited as the author, printed as a line
// of its own under the title.
bool IsOfficeByline(std::string_view line) {
  static constexpr std::string_view kOffices[] = {
      " public affairs", " public affairs office", " office of public affairs", " press office",
      " press service",  " news service",          " communications office",    " media relations"};
  if (WordCount(line) > 12 || EndsLikeSentence(line)) return false;
  for (std::string_view office : kOffices) {
    if (EndsWithIgnoreCase(line, office)) return true;
  }
  return false;
}

// A headline: a few words, not a sentence, not shouted in capitals (kickers and datelines are).
bool IsTitleLike(std::string_view s) {
  const size_t words = WordCount(s);
  if (words < 2 || words > 40 || CodePointCount(s) > 250) return false;
  const char last = s.back();
  if (last == '.' || last == ',' || last == ';' || last == ':') return false;
  if (s[0] >= 'a' && s[0] <= 'z') return false;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') return true;
  }
  return false;
}

// Short label lines in a header: datelines ("YOKOTA AIR BASE, TOKYO, JAPAN"), kickers, units.
bool IsHeaderLabel(std::string_view s) {
  return WordCount(s) <= 8 && CodePointCount(s) <= 60 && !EndsLikeSentence(s);
}

// Removes a picture credit that scraping glued onto a title: "… Cooperation (Image Credit: x)".
std::string StripTitleCredit(std::string_view title) {
  static constexpr std::string_view kCredits[] = {"image credit", "photo credit", "credit",
                                                  "image:",       "photo:",       "photo by",
                                                  "image by",     "courtesy",     "pictured"};
  if (title.empty() || title.back() != ')') return std::string(title);
  size_t open = title.rfind(" (");
  if (open == std::string_view::npos) return std::string(title);
  std::string_view inner = title.substr(open + 2);
  for (std::string_view credit : kCredits) {
    if (StartsWithIgnoreCase(inner, credit)) return std::string(TrimSpaces(title.substr(0, open)));
  }
  return std::string(title);
}

std::vector<PageLine> ClassifyPageLines(std::string_view text, Timestamp captured_at) {
  std::vector<PageLine> lines;
  for (std::string& s : SplitRawLines(text))
    lines.push_back(ClassifyLine(std::move(s), captured_at));
  return lines;
}

}  // namespace palimpsest::text_internal
