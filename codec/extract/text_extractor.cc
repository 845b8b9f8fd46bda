// The plain-text extractor: a scraped page (chrome included) → ArticleContent.
//
// A scraped page reads top to bottom as: site furniture, a header (kicker, title, byline, date),
// the article's paragraphs, then a trailer (sharing buttons, metadata panel, related stories).
// The extractor classifies each line on its own (page_lines.h, built on page_chrome.h,
// note_parser.h and date_finder.h), then walks that shape: the title is the first title-like
// line, the header runs until the first line that reads like prose, and the body runs until a
// trailer marker. Notes and "Updated …" lines are collected wherever the article's own text
// is, never from the trailer after other articles begin.
//
// Decisions worth knowing:
//  - published_at: a date in the header ("NEWS | July 19, 2023", "12.02.2024"); else a
//    metadata panel's "Date Taken"/"Date Published"; else its "Date Posted". "Date Posted" is
//    when the outlet uploaded the story, not a content change, so it never sets updated_at;
//    only explicit "Updated …" lines do.
//  - A short line directly under a byline ("374th Airlift Wing") is the author's unit and is
//    appended to the byline: "Airman 1st Class Cayla Hunt, 374th Airlift Wing", the same shape
//    as bylines that print the unit inline ("Tech. Sgt. Nick Wilson, Pacific Air Forces Public
//    Affairs").
//  - Dates with a time of day keep it only in ISO 8601 form; "12.10.2024 01:28" carries no zone,
//    so the day is all that is reliable.
//  - dek: a text line between the title and the byline or date line ("Title / One-sentence
//    summary / By X"). Without a byline or date after it, such a line is the body's first.
//  - dateline: the place the first paragraph opens with ("JAPAN – U.S. Air Force …"), else a
//    header label naming a place in capitals ("YOKOTA AIR BASE, TOKYO, JAPAN"), else a
//    metadata panel's "Location:". The paragraph keeps its dateline: the body is as printed.
//  - Learned chrome (TextExtractContext): text lines other documents of the same source
//    printed too are chrome like the ones the predicates recognize. Only lines before the
//    trailer are offered for learning, so headlines in related-story lists are not learned.

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "codec/extract/article_fields.h"
#include "codec/extract/ascii_text.h"
#include "codec/extract/date_finder.h"
#include "codec/extract/learned_chrome.h"
#include "codec/extract/note_parser.h"
#include "codec/extract/page_chrome.h"
#include "codec/extract/page_lines.h"
#include "codec/extract/text_charset.h"
#include "palimpsest/article.h"

namespace palimpsest {

namespace {

using text_internal::AnchorNoteDates;
using text_internal::ClassifyPageLines;
using text_internal::CodePointCount;
using text_internal::CopyrightOutlet;
using text_internal::DateMatch;
using text_internal::DateTimestamp;
using text_internal::InlineDateline;
using text_internal::IsDatelineLabel;
using text_internal::IsHeaderLabel;
using text_internal::IsOfficeByline;
using text_internal::IsPanelOnlyKey;
using text_internal::IsTitleLike;
using text_internal::LineKind;
using text_internal::PageLine;
using text_internal::ParseDateOnly;
using text_internal::StripTitleCredit;
using text_internal::TrailerKind;

class PlainTextExtractor {
 public:
  PlainTextExtractor(const std::vector<PageLine>& lines, Timestamp captured_at)
      : lines_(lines), captured_at_(captured_at) {}

  Result<ArticleContent> Run() {
    size_t title_index = FindTitle();
    if (title_index == lines_.size()) return Status::NotAnArticle("no text");
    for (size_t i = 0; i < title_index; ++i) TakeHeaderFacts(lines_[i]);
    content_.title = StripTitleCredit(lines_[title_index].text);
    size_t body_start = ReadHeader(title_index + 1);
    trailer_start_ = ReadBody(body_start);
    ReadTrailer(trailer_start_);
    if (content_.published_at == kNoTime) content_.published_at = panel_published_;
    if (content_.published_at == kNoTime) content_.published_at = panel_posted_;
    AnchorNoteDates(content_.published_at, captured_at_, &content_.notes);
    const size_t first_break = content_.body.find("\n\n");
    content_.dateline = InlineDateline(std::string_view(content_.body).substr(0, first_break));
    if (content_.dateline.empty()) content_.dateline = header_dateline_;
    if (content_.dateline.empty()) content_.dateline = panel_location_;
    CollectChromeAndOutlet();
    return std::move(content_);
  }

  // Where the trailer (sharing buttons, metadata, related stories) starts; valid after Run.
  size_t trailer_start() const { return trailer_start_; }

 private:
  // The first title-like text line, unless prose comes first; then (and when there is no
  // title-like line) the first text line. lines_.size() when there is no text at all.
  size_t FindTitle() const {
    size_t first_text = lines_.size();
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (lines_[i].kind != LineKind::kText) continue;
      if (first_text == lines_.size()) first_text = i;
      if (IsTitleLike(StripTitleCredit(lines_[i].text))) return i;
      if (!IsHeaderLabel(lines_[i].text)) break;
    }
    return first_text;
  }

  // Facts a header line states: dates, byline, notes, metadata.
  void TakeHeaderFacts(const PageLine& line) {
    switch (line.kind) {
      case LineKind::kDate:
      case LineKind::kByline:
        if (line.kind == LineKind::kByline && content_.byline.empty()) content_.byline = line.value;
        if (content_.published_at == kNoTime) content_.published_at = line.published;
        if (content_.updated_at == kNoTime) content_.updated_at = line.updated;
        break;
      case LineKind::kNote:
        AddNote(line.text);
        break;
      case LineKind::kMetadata:
        TakeMetadata(line);
        break;
      default:
        break;
    }
  }

  void TakeMetadata(const PageLine& line) {
    if (line.key == "location" && panel_location_.empty()) panel_location_ = line.value;
    DateMatch m;
    if (!ParseDateOnly(line.value, &m)) return;
    Timestamp t = DateTimestamp(m, captured_at_);
    Timestamp* slot = line.key == "date posted" ? &panel_posted_
                      : line.key.starts_with("date") || line.key == "release date"
                          ? &panel_published_
                          : nullptr;
    if (slot != nullptr && *slot == kNoTime) *slot = t;
  }

  void AddNote(std::string_view text) {
    ArticleNote note = ParseNote(text, captured_at_);
    if (note.text.empty()) return;
    for (const ArticleNote& seen : content_.notes) {
      if (seen == note) return;  // printed twice (top and bottom): one note
    }
    content_.notes.push_back(std::move(note));
  }

  // Reads the header after the title; returns the index of the first body line.
  size_t ReadHeader(size_t i) {
    bool after_byline = false;  // the previous non-blank line was the byline
    bool took_unit = false;
    for (; i < lines_.size(); ++i) {
      const PageLine& line = lines_[i];
      switch (line.kind) {
        case LineKind::kBlank:
          continue;
        case LineKind::kByline:
          TakeHeaderFacts(line);
          after_byline = true;
          continue;
        case LineKind::kText:
          break;
        case LineKind::kChrome:
        case LineKind::kTrailer:
        case LineKind::kTeaser:
          continue;
        default:
          TakeHeaderFacts(line);
          after_byline = false;
          continue;
      }
      const std::string& s = line.text;
      if (s == content_.title || StripTitleCredit(s) == content_.title) continue;  // repeated
      if (content_.byline.empty() && IsOfficeByline(s)) {
        content_.byline = s;
        after_byline = true;
        continue;
      }
      if (!IsHeaderLabel(s)) {
        if (!IsDek(i)) return i;
        content_.dek = s;
        continue;
      }
      if (header_dateline_.empty() && IsDatelineLabel(s)) header_dateline_ = s;
      if (after_byline && !took_unit && !content_.byline.empty()) {
        content_.byline += ", " + s;
        took_unit = true;
      }
      after_byline = false;
    }
    return i;
  }

  // A dek: the first text line after the title, before any byline or date, that the byline
  // or a date line follows (only blank and chrome lines between).
  bool IsDek(size_t i) const {
    if (!content_.dek.empty() || !content_.byline.empty() || content_.published_at != kNoTime ||
        CodePointCount(lines_[i].text) > 400) {
      return false;
    }
    for (size_t k = i + 1; k < lines_.size(); ++k) {
      const LineKind kind = lines_[k].kind;
      if (kind == LineKind::kBlank || kind == LineKind::kChrome) continue;
      return kind == LineKind::kByline || kind == LineKind::kDate;
    }
    return false;
  }

  // The removed chrome lines (each once, in page order) and the outlet a copyright line names.
  void CollectChromeAndOutlet() {
    for (const PageLine& line : lines_) {
      if (content_.outlet.empty() && line.kind != LineKind::kBlank) {
        content_.outlet = CopyrightOutlet(line.text);
      }
      if (line.kind != LineKind::kChrome) continue;
      bool seen = false;
      for (const std::string& c : content_.chrome) seen = seen || c == line.text;
      if (!seen) content_.chrome.push_back(line.text);
    }
  }

  // Reads paragraphs from `i`; returns where the trailer starts.
  size_t ReadBody(size_t i) {
    std::vector<std::vector<std::string>> blocks;  // runs of lines between blank lines
    std::vector<std::string> block;
    bool blank_separated = false;  // paragraphs are set apart by blank lines
    bool blank_after_text = false;
    auto close_block = [&]() {
      if (!block.empty()) blocks.push_back(std::move(block));
      block.clear();
    };
    for (; i < lines_.size(); ++i) {
      const PageLine& line = lines_[i];
      bool stop = false;
      switch (line.kind) {
        case LineKind::kBlank:
          blank_after_text = blank_after_text || !block.empty();
          close_block();
          break;
        case LineKind::kTrailer:
          stop = true;
          break;
        case LineKind::kMetadata:
          if (IsPanelOnlyKey(line.key)) {
            stop = true;
          } else {
            block.push_back(line.text);
          }
          break;
        case LineKind::kTeaser:
          DropTeaserHeadline(&blocks, &block, blank_separated);
          stop = true;
          break;
        case LineKind::kChrome:
          break;
        case LineKind::kNote:
          close_block();
          AddNote(line.text);
          break;
        case LineKind::kDate:
          close_block();  // a stray date in the text is furniture; only "Updated …" counts
          if (content_.updated_at == kNoTime) content_.updated_at = line.updated;
          break;
        case LineKind::kByline:
        case LineKind::kText:
          blank_separated = blank_separated || (block.empty() && blank_after_text);
          block.push_back(line.text);
          break;
      }
      if (stop) break;
    }
    close_block();
    AssembleBody(blocks, blank_separated);
    return i;
  }

  // A related-story list without a heading: "Headline" (+ picture caption) then
  // "March 15, 2024 - teaser…". The headline lines read as body until the dated line shows
  // what they were.
  static void DropTeaserHeadline(std::vector<std::vector<std::string>>* blocks,
                                 std::vector<std::string>* block, bool blank_separated) {
    if (!block->empty()) {
      if (blank_separated) {
        block->clear();
      } else if (IsTitleLike(block->back())) {
        block->pop_back();
      }
    } else if (!blocks->empty() && blocks->back().size() == 1 &&
               IsTitleLike(blocks->back().front())) {
      blocks->pop_back();
    }
  }

  // Each line is a paragraph, except in blank-line-separated text whose lines are hard-wrapped
  // (every line but a block's last no longer than a terminal line): those lines are joined.
  void AssembleBody(const std::vector<std::vector<std::string>>& blocks, bool blank_separated) {
    std::string body;
    auto add = [&body](const std::string& paragraph) {
      if (!body.empty()) body.append("\n\n");
      body.append(paragraph);
    };
    for (const std::vector<std::string>& b : blocks) {
      bool wrapped = blank_separated && b.size() > 1;
      for (size_t k = 0; wrapped && k + 1 < b.size(); ++k) {
        wrapped = CodePointCount(b[k]) <= 100;
      }
      if (wrapped) {
        std::string joined;
        for (const std::string& l : b) joined += (joined.empty() ? "" : " ") + l;
        add(joined);
      } else {
        for (const std::string& l : b) add(l);
      }
    }
    content_.body = std::move(body);
  }

  // After the text: notes, "Updated …" lines and the metadata panel count until other
  // articles begin.
  void ReadTrailer(size_t i) {
    bool other_articles = false;
    for (; i < lines_.size(); ++i) {
      const PageLine& line = lines_[i];
      if (line.kind == LineKind::kTeaser ||
          (line.kind == LineKind::kTrailer && line.trailer == TrailerKind::kHard)) {
        other_articles = true;
      }
      if (other_articles) continue;
      if (line.kind == LineKind::kNote) AddNote(line.text);
      if (line.kind == LineKind::kMetadata) TakeMetadata(line);
      if (line.kind == LineKind::kDate && content_.updated_at == kNoTime) {
        content_.updated_at = line.updated;
      }
    }
  }

  const std::vector<PageLine>& lines_;
  const Timestamp captured_at_;
  ArticleContent content_;
  size_t trailer_start_ = 0;
  std::string header_dateline_;          // "YOKOTA AIR BASE, TOKYO, JAPAN" above the body
  std::string panel_location_;           // "Location:" in a metadata panel
  Timestamp panel_published_ = kNoTime;  // "Date Taken:" / "Date Published:"
  Timestamp panel_posted_ = kNoTime;     // "Date Posted:"
};

}  // namespace

Result<ArticleContent> ExtractPlainText(std::string_view raw, Timestamp captured_at) {
  return ExtractPlainText(raw, captured_at, TextExtractContext{});
}

Result<ArticleContent> ExtractPlainText(std::string_view raw, Timestamp captured_at,
                                        const TextExtractContext& context) {
  PALIMPSEST_ASSIGN_OR_RETURN(text_internal::DecodedText decoded,
                              text_internal::DecodePlainText(raw, context.content_type));
  PALIMPSEST_RETURN_IF_ERROR(text_internal::RequireText(decoded));
  PALIMPSEST_ASSIGN_OR_RETURN(std::string text, NormalizeNfc(decoded.text));
  std::string_view view = text;
  if (view.starts_with("\xEF\xBB\xBF")) view.remove_prefix(3);  // byte order mark
  std::vector<PageLine> lines = ClassifyPageLines(view, captured_at);
  std::vector<bool> learnable(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    learnable[i] =
        lines[i].kind == LineKind::kText && lines[i].text.size() <= kMaxLearnedChromeBytes;
    if (learnable[i] && context.learned != nullptr && context.learned->IsChrome(lines[i].text)) {
      lines[i].kind = LineKind::kChrome;
    }
  }
  PlainTextExtractor extractor(lines, captured_at);
  PALIMPSEST_ASSIGN_OR_RETURN(ArticleContent content, extractor.Run());
  if (context.page_lines != nullptr) {
    std::unordered_set<std::string_view> offered;
    for (size_t i = 0; i < extractor.trailer_start() && i < lines.size() &&
                       context.page_lines->size() < kMaxLearnedLinesPerPage;
         ++i) {
      if (learnable[i] && offered.insert(lines[i].text).second) {
        context.page_lines->push_back(lines[i].text);
      }
    }
  }
  return content;
}

}  // namespace palimpsest
