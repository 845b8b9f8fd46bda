// The HTML article extractor (codec/extract/html/html_extractor.h): charset → parse tree →
// the page's machine-readable facts (<meta>, <link>, JSON-LD) and its visible article.
//
// Decisions worth knowing:
//  - Machine-readable facts win over visible ones for dates (article:published_time, JSON-LD)
//    because they carry a time zone; visible <time> elements and "Updated July 24, 2023"
//    paragraphs are the fallback. Visible text wins for the byline, because JSON-LD author
//    lists drop the offices and units bylines print.
//  - NFC is applied to each extracted string, not to the page before parsing: normalizing
//    markup could compose a combining mark with a preceding '>' and change the tree, and
//    character references (&#769;) only become text after parsing anyway.
//  - A paragraph that is only a date line, the title or dek repeated, or a "By …" line before
//    the first body paragraph is header, not body.

#include "codec/extract/html/html_extractor.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "codec/extract/article_fields.h"
#include "codec/extract/ascii_text.h"
#include "codec/extract/date_finder.h"
#include "codec/extract/html/html_body.h"
#include "codec/extract/html/html_bounds.h"
#include "codec/extract/html/html_charset.h"
#include "codec/extract/html/html_dom.h"
#include "codec/extract/html/html_header.h"
#include "codec/extract/html/json_ld.h"
#include "codec/extract/html/main_content.h"
#include "codec/extract/note_parser.h"
#include "palimpsest/event_text.h"

namespace palimpsest {

namespace {

using html_internal::Attr;
using html_internal::CleanByline;
using html_internal::HasToken;
using html_internal::IsByParagraph;
using html_internal::IsChromeElement;
using html_internal::IsNoteLabelOnly;
using html_internal::IsTag;
using html_internal::IsUpdatedTime;
using html_internal::JoinNames;
using html_internal::OutletAfterHeading;
using html_internal::StartOfUtcDay;
using html_internal::StripOutletSuffix;
using html_internal::TextOf;
using html_internal::VisitElements;
using text_internal::AnchorNoteDates;
using text_internal::AsciiLowerCopy;
using text_internal::StartsWithIgnoreCase;

std::string Clean(std::string_view text) { return html_internal::CleanText(text); }

bool NotChrome(const GumboNode* e) { return !IsChromeElement(e); }

// A dek or byline element is read no further than this: a longer one is not the dek or byline
// (nested candidates would otherwise each copy the whole text below them).
constexpr size_t kMaxHeaderTextBytes = 16 * 1024;

// A list of teasers has at least this many paragraphs, and they are shorter than this on
// average (visible characters).
constexpr size_t kMinTeasers = 3;
constexpr size_t kLongParagraphChars = 300;

// "" when every byte was valid, else one line for a warning.
std::string DescribeInvalidBytes(const html_internal::DecodedHtml& decoded) {
  if (decoded.invalid_bytes == 0) return "";
  std::string line = std::to_string(decoded.invalid_bytes);
  line.append(decoded.invalid_bytes == 1 ? " byte sequence" : " byte sequences");
  line.append(" invalid in charset \"").append(decoded.charset).append("\" (first at offset ");
  line.append(std::to_string(decoded.first_invalid)).append(") read as U+FFFD");
  return line;
}

class HtmlExtractor {
 public:
  explicit HtmlExtractor(Timestamp captured_at) : captured_at_(captured_at) {}

  Result<ArticleContent> Run(std::string_view raw, std::string_view content_type,
                             HtmlMetadata* metadata) {
    PALIMPSEST_ASSIGN_OR_RETURN(html_internal::DecodedHtml decoded,
                                html_internal::DecodeHtml(raw, content_type));
    html_internal::HtmlBoundsReport bounds;
    html_internal::ParsedHtml page(
        html_internal::BoundHtml(std::move(decoded.text), kHtmlLimits, &bounds));
    md_.over_limits = bounds.Describe(kHtmlLimits);
    md_.invalid_bytes = DescribeInvalidBytes(decoded);
    const GumboNode* root = page.root();
    if (root == nullptr) return Status::InvalidArgument("HTML page could not be parsed");
    main_ = html_internal::FindMainContent(root);
    ReadPageFacts(root);
    std::vector<std::string_view> scripts(json_ld_.begin(), json_ld_.end());
    html_internal::FindJsonLdArticle(scripts, &ld_);

    md_.charset = decoded.charset;
    md_.outlet = First({Meta("og:site_name"), Clean(ld_.publisher)});
    // A hostile page's <link rel=canonical> may hold CR LF: kept as a URI, as event URLs are.
    md_.canonical_url = PercentEncodeUrl(First({canonical_, Meta("og:url"), Clean(ld_.url)}));
    const std::string visible_dek = VisibleDek();
    md_.dek =
        First({visible_dek, Meta("og:description"), Meta("description"), Clean(ld_.description)});
    // The content keeps only what the page prints: a description is for search engines and
    // may change without the article changing.
    content_.dek = visible_dek;
    content_.outlet = md_.outlet;
    content_.canonical_url = md_.canonical_url;
    content_.language = PageLanguage();
    std::string title_element = TitleElement();  // may name the outlet: before the title
    content_.title = First({StripOutlet(Meta("og:title")), ArticleH1(), Clean(ld_.headline),
                            title_element, FirstText(root, GUMBO_TAG_H1)});
    ReadParagraphs(main_.paragraphs);
    if (Status article = IsArticle(); !article.ok()) return article;
    content_.byline = First({VisibleByline(), by_paragraph_, Clean(JoinNames(ld_.authors)),
                             CleanByline(Meta("author"))});
    ReadTimes();
    AnchorNoteDates(content_.published_at, captured_at_, &content_.notes);
    content_.dateline = text_internal::InlineDateline(
        std::string_view(content_.body).substr(0, content_.body.find("\n\n")));
    for (const html_internal::JsonLdCorrection& c : ld_.corrections) {
      ArticleNote note = ParseNote(Clean(c.text), captured_at_);
      Timestamp t = ParseDate(c.date_published);
      if (t != kNoTime) note.effective_at = StartOfUtcDay(t);
      AddNote(std::move(note));
    }
    if (metadata != nullptr) *metadata = std::move(md_);
    return std::move(content_);
  }

 private:
  // NotAnArticle when the page holds no article: no text at all, or teasers — as many links
  // as prose paragraphs in the main content, three in four of those paragraphs standing alone
  // between links or lines, and all short on average (a section front, a tag page, search
  // results).
  Status IsArticle() const {
    if (content_.body.empty()) {
      return Status::NotAnArticle(content_.title.empty() ? "no text" : "no text but a title");
    }
    bool teasers = main_.prose_blocks >= kMinTeasers && main_.link_blocks >= main_.prose_blocks &&
                   main_.lone_prose_blocks * 4 >= main_.prose_blocks * 3 &&
                   main_.prose_chars < kLongParagraphChars * main_.prose_blocks;
    if (teasers) {
      return Status::NotAnArticle(
          "a list of links (" + std::to_string(main_.link_blocks) + " links to " +
          std::to_string(main_.prose_blocks) +
          " short paragraphs: a section front, tag page or search results)");
    }
    return Status::OK();
  }

  static std::string First(std::initializer_list<std::string> candidates) {
    for (const std::string& c : candidates) {
      if (!c.empty()) return c;
    }
    return "";
  }

  std::string Meta(const std::string& key) const {
    auto it = meta_.find(key);
    return it == meta_.end() ? std::string() : Clean(it->second);
  }

  // <meta> (property, name and itemprop alike; the first of each wins), <link rel=canonical>,
  // <title> and the JSON-LD scripts, wherever they are; itemprop dates only in the <head>
  // and the article's header, so teasers' microdata is not read as the article's.
  void ReadPageFacts(const GumboNode* root) {
    if (root->type == GUMBO_NODE_ELEMENT && root->v.element.tag == GUMBO_TAG_HTML) {
      html_lang_ = Attr(root, "lang");
      if (html_lang_.empty()) html_lang_ = Attr(root, "xml:lang");
    }
    VisitElements(root, [&](const GumboNode* e) {
      GumboTag tag = e->v.element.tag;
      if (tag == GUMBO_TAG_SVG || tag == GUMBO_TAG_MATH) return false;
      if (tag == GUMBO_TAG_META) {
        std::string_view content = Attr(e, "content");
        if (AsciiLowerCopy(Attr(e, "http-equiv")) == "content-language") {
          meta_.emplace("http-equiv:content-language", std::string(content));
        }
        for (const char* key : {"property", "name", "itemprop"}) {
          std::string k = AsciiLowerCopy(Attr(e, key));
          if (k.empty()) continue;
          if (key[0] == 'i' && !html_internal::HasAncestor(e, GUMBO_TAG_HEAD) &&
              !IsWithin(e, main_.header)) {
            continue;
          }
          meta_.emplace(std::move(k), std::string(content));
        }
      } else if (tag == GUMBO_TAG_LINK && canonical_.empty() && HasToken(e, "rel", "canonical")) {
        canonical_ = Clean(Attr(e, "href"));
      } else if (tag == GUMBO_TAG_TITLE && title_element_.empty()) {
        title_element_ = TextOf(e);
      } else if (tag == GUMBO_TAG_SCRIPT &&
                 AsciiLowerCopy(Attr(e, "type")).starts_with("application/ld+json")) {
        json_ld_.push_back(TextOf(e));
      }
      return true;
    });
  }

  // The language the page declares: <html lang>, JSON-LD inLanguage, a Content-Language
  // <meta>, og:locale — the first that is a language tag.
  std::string PageLanguage() const {
    for (const std::string& declared :
         {html_lang_, ld_.in_language, Meta("http-equiv:content-language"), Meta("og:locale")}) {
      if (std::string tag = text_internal::NormalizeLanguageTag(declared); !tag.empty()) {
        return tag;
      }
    }
    return "";
  }

  static bool IsWithin(const GumboNode* node, const GumboNode* ancestor) {
    for (const GumboNode* p = node->parent; p != nullptr; p = p->parent) {
      if (p == ancestor) return true;
    }
    return false;
  }

  // Text of the first non-chrome `tag` element below `scope`.
  static std::string FirstText(const GumboNode* scope, GumboTag tag) {
    const GumboNode* e = html_internal::FindFirst(scope, tag, NotChrome);
    return e == nullptr ? std::string() : Clean(TextOf(e, NotChromeSkip));
  }
  static bool NotChromeSkip(const GumboNode* e) { return IsChromeElement(e); }

  // "Headline | Outlet" → "Headline" when "Outlet" is the page's outlet.
  std::string StripOutlet(const std::string& title) const {
    std::string stripped = StripOutletSuffix(title, md_.outlet);
    return stripped != title ? stripped : StripOutletSuffix(title, Clean(ld_.publisher));
  }

  // The first <h1> of the article's header scope, unless it names the site: the outlet, or
  // the suffix of <title> ("Headline :: Millbrook Courier" and <h1>Millbrook Courier</h1>).
  std::string ArticleH1() const {
    std::string h1 = FirstText(main_.header, GUMBO_TAG_H1);
    if (h1.empty() || h1 == md_.outlet) return "";
    std::string title = Clean(title_element_);
    if (title.size() > h1.size() + 2 && title.ends_with(h1)) {
      char before = title[title.size() - h1.size() - 1];
      if (before == ' ' || before == '|' || before == ':' || before == '-') return "";
    }
    return h1;
  }

  // <title> without an outlet suffix; when the outlet is not named elsewhere, a heading of
  // the article that <title> begins with shows where the suffix starts, and the suffix is
  // then the outlet ("Library extends weekend hours :: Millbrook Courier").
  std::string TitleElement() {
    std::string title = Clean(title_element_);
    std::string stripped = StripOutlet(title);
    if (stripped != title || !md_.outlet.empty()) return stripped;
    for (GumboTag tag : {GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3}) {
      std::string heading = FirstText(main_.header, tag);
      std::string outlet = OutletAfterHeading(title, heading);
      if (!outlet.empty()) {
        md_.outlet = std::move(outlet);
        return heading;
      }
    }
    return title;
  }

  // How many elements under `e`'s parent (`e` included) look like a dek.
  static int DekSiblings(const GumboNode* e) {
    const GumboNode* parent = e->parent;
    if (parent == nullptr || parent->type != GUMBO_NODE_ELEMENT) return 1;
    int n = 0;
    const GumboVector& children = parent->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      const auto* child = static_cast<const GumboNode*>(children.data[i]);
      n += child->type == GUMBO_NODE_ELEMENT && html_internal::IsDekElement(child);
    }
    return n;
  }

  std::string VisibleDek() const {
    std::string dek;
    VisitElements(main_.header, [&](const GumboNode* e) {
      if (!dek.empty() || IsChromeElement(e)) return false;
      if (!html_internal::IsDekElement(e)) return true;
      if (DekSiblings(e) >= 3) return false;  // body paragraphs all marked as a description
      std::string text = Clean(TextOf(e, NotChromeSkip, kMaxHeaderTextBytes));
      if (text.size() <= 400) dek = std::move(text);
      return dek.empty();
    });
    return dek;
  }

  std::string VisibleByline() const {
    std::string byline;
    VisitElements(main_.header, [&](const GumboNode* e) {
      if (!byline.empty() || IsChromeElement(e)) return false;
      if (!html_internal::IsBylineElement(e)) return true;
      std::string text = CleanByline(TextOf(
          e, [](const GumboNode* n) { return IsTag(n, GUMBO_TAG_TIME) || IsChromeElement(n); },
          kMaxHeaderTextBytes));
      if (text.size() <= 160) byline = std::move(text);
      return byline.empty();  // too long (an author bio): look inside it
    });
    return byline;
  }

  Timestamp ParseDate(std::string_view text) const {
    std::string t = CollapseWhitespace(text);
    if (t.empty()) return kNoTime;
    Result<Timestamp> exact = ParseTimestamp(t);
    if (exact.ok()) return *exact;
    text_internal::DateMatch m;
    return text_internal::ParseDateOnly(t, &m) ? text_internal::DateTimestamp(m, captured_at_)
                                               : kNoTime;
  }

  // A paragraph that is only a date, labelled ("Updated: July 24, 2023 10:15 a.m.") or, in the
  // header (`in_header`), bare.
  bool TakeDateLine(std::string_view text, bool in_header) {
    if (text.size() > 120) return false;
    bool updated = false;
    bool labelled = false;
    for (std::string_view label :
         {"last updated", "updated", "first published", "published", "posted", "modified"}) {
      if (StartsWithIgnoreCase(text, label)) {
        labelled = true;
        updated = label == "last updated" || label == "updated" || label == "modified";
        text.remove_prefix(label.size());
        while (!text.empty() && (text.front() == ':' || text.front() == ' ')) text.remove_prefix(1);
        if (StartsWithIgnoreCase(text, "on ")) text.remove_prefix(3);
        break;
      }
    }
    if (!labelled && !in_header) return false;
    Timestamp t = ParseDate(text);
    if (t == kNoTime) return false;
    Timestamp& slot = updated ? line_updated_ : line_published_;
    if (slot == kNoTime) slot = t;
    return true;
  }

  void ReadParagraphs(const std::vector<html_internal::HtmlParagraph>& paragraphs) {
    std::vector<std::string> body;
    for (const html_internal::HtmlParagraph& p : paragraphs) {
      std::string text = Clean(p.text);
      if (text.empty()) continue;
      if (p.note || text_internal::IsNoteLine(text)) {
        if (!IsNoteLabelOnly(text)) AddNote(ParseNote(text, captured_at_));
        continue;
      }
      if (TakeDateLine(text, body.empty() || p.header)) continue;
      if (p.header) {
        if (IsByParagraph(text) && by_paragraph_.empty()) by_paragraph_ = CleanByline(text);
        continue;
      }
      if (body.empty()) {
        if (text == content_.title || text == content_.dek) continue;  // printed twice
        if (IsByParagraph(text)) {
          if (by_paragraph_.empty()) by_paragraph_ = CleanByline(text);
          continue;
        }
      }
      body.push_back(std::move(text));
    }
    for (size_t i = 0; i < body.size(); ++i) {
      if (i > 0) content_.body += "\n\n";
      content_.body += body[i];
    }
  }

  void AddNote(ArticleNote note) {
    if (note.text.empty()) return;
    for (ArticleNote& seen : content_.notes) {
      if (seen.text != note.text) continue;  // printed twice, or both visible and in JSON-LD
      if (seen.effective_at == kNoTime) seen.effective_at = note.effective_at;
      return;
    }
    content_.notes.push_back(std::move(note));
  }

  // The first itemprop=`prop` element of the <head> or the article header: its content,
  // datetime or text.
  Timestamp ItempropDate(const char* prop) const {
    Timestamp t = ParseDate(Meta(AsciiLowerCopy(prop)));
    if (t != kNoTime) return t;
    VisitElements(main_.header, [&](const GumboNode* e) {
      if (t != kNoTime || IsChromeElement(e)) return false;
      if (!HasToken(e, "itemprop", prop)) return true;
      std::string_view v = Attr(e, "datetime");
      if (v.empty()) v = Attr(e, "content");
      t = ParseDate(v.empty() ? TextOf(e) : std::string(v));
      return false;
    });
    return t;
  }

  void ReadTimes() {
    Timestamp time_published = kNoTime, time_updated = kNoTime;
    VisitElements(main_.header, [&](const GumboNode* e) {
      if (IsChromeElement(e)) return false;
      if (!IsTag(e, GUMBO_TAG_TIME)) return true;
      std::string_view v = Attr(e, "datetime");
      Timestamp t = ParseDate(v.empty() ? TextOf(e) : std::string(v));
      Timestamp& slot = IsUpdatedTime(e) ? time_updated : time_published;
      if (t != kNoTime && slot == kNoTime) slot = t;
      return false;
    });
    for (Timestamp t : {ParseDate(Meta("article:published_time")), ItempropDate("datePublished"),
                        ParseDate(ld_.date_published), time_published, line_published_}) {
      if (content_.published_at == kNoTime) content_.published_at = t;
    }
    for (Timestamp t : {ParseDate(Meta("article:modified_time")),
                        ParseDate(Meta("og:updated_time")), ItempropDate("dateModified"),
                        ParseDate(ld_.date_modified), time_updated, line_updated_}) {
      if (content_.updated_at == kNoTime) content_.updated_at = t;
    }
    if (content_.updated_at == content_.published_at) content_.updated_at = kNoTime;
  }

  Timestamp captured_at_;
  html_internal::MainContent main_;
  std::map<std::string, std::string> meta_;
  std::string canonical_;
  std::string title_element_;
  std::string html_lang_;  // <html lang> (or xml:lang) as written
  std::vector<std::string> json_ld_;
  html_internal::JsonLdArticle ld_;
  std::string by_paragraph_;
  Timestamp line_published_ = kNoTime;
  Timestamp line_updated_ = kNoTime;
  ArticleContent content_;
  HtmlMetadata md_;
};

}  // namespace

Result<ArticleContent> ExtractHtml(std::string_view raw, std::string_view content_type,
                                   Timestamp captured_at, HtmlMetadata* metadata) {
  return HtmlExtractor(captured_at).Run(raw, content_type, metadata);
}

Result<std::vector<std::string>> HtmlWarnings(std::string_view raw, std::string_view content_type) {
  auto decoded = html_internal::DecodeHtml(raw, content_type);
  if (!decoded.ok()) return decoded.status();
  std::vector<std::string> warnings;
  if (std::string invalid = DescribeInvalidBytes(*decoded); !invalid.empty()) {
    warnings.push_back(std::move(invalid));
  }
  html_internal::HtmlBoundsReport bounds;
  (void)html_internal::BoundHtml(std::move(decoded->text), kHtmlLimits, &bounds);
  if (bounds.any()) {
    warnings.push_back("HTML over the parser's limits (" + bounds.Describe(kHtmlLimits) +
                       "); recorded whole, text extracted within them");
  }
  return warnings;
}

}  // namespace palimpsest
