// Editor's notes and corrections: which lines are notes, what they say, and which day they
// name.
//
// A note is the publisher's own record of a change, so it is what the archive uses as the
// reason and effective time (valid time) of a correction revision. The date rule for notes
// that name no year is the archive-wide one: the latest such date not after the capture.

#include "codec/extract/note_parser.h"

#include <string>
#include <string_view>

#include "codec/extract/ascii_text.h"
#include "codec/extract/date_finder.h"
#include "palimpsest/article.h"

namespace palimpsest {

namespace text_internal {

namespace {

// Labels that open a note, longest first so "Corrections" is not read as "Correction" + "s".
// "'" stands for any apostrophe: outlets print "Editor's", "Editor’s" and "Editors’".
constexpr std::string_view kNoteLabels[] = {
    "editor's note", "editors' note", "editors note", "editor note", "clarifications",
    "clarification", "corrections",   "correction",   "updated",     "update",
};

// Verbs after which a date is the date of the change ("updated July 24", "corrected on 7/24").
constexpr std::string_view kChangeVerbs[] = {"updated", "corrected", "clarified", "amended",
                                             "revised", "changed",   "edited"};

// Phrases that make an "Updated …" sentence a note about what changed.
constexpr std::string_view kChangePurposes[] = {
    " to clarify", " to correct", " to reflect", " to include", " to add",        " to remove",
    " to update",  " to fix",     " to note",    " to show",    " to make clear", " to indicate"};

// Bytes of `text` matched by the apostrophe at its start, or 0.
size_t ApostropheLength(std::string_view text) {
  if (!text.empty() && (text[0] == '\'' || text[0] == '`')) return 1;
  // U+2019, U+2018 (typographic), U+02BC (modifier letter apostrophe).
  for (std::string_view a : {"\u2019", "\u2018", "\u02BC"}) {
    if (text.substr(0, a.size()) == a) return a.size();
  }
  return 0;
}

// Length of the prefix of `text` that matches `label` (case-insensitive, any apostrophe), or 0.
size_t MatchLabel(std::string_view text, std::string_view label) {
  size_t t = 0;
  for (char c : label) {
    if (c == '\'') {
      size_t n = ApostropheLength(text.substr(t));
      if (n == 0) return 0;
      t += n;
    } else {
      if (t >= text.size() || AsciiLower(text[t]) != c) return 0;
      ++t;
    }
  }
  if (t < text.size() && IsAsciiAlpha(text[t])) return 0;  // "Updates", "Corrective"
  return t;
}

// Removes emphasis and brackets around a whole note: "*Correction: …*", "[Editor's note: …]".
std::string_view StripDecoration(std::string_view s) {
  s = TrimSpaces(s);
  while (s.size() >= 2) {
    if (s.front() == '*' || s.front() == '_') {
      s.remove_prefix(1);
    } else if (s.back() == '*' || s.back() == '_') {
      s.remove_suffix(1);
    } else if ((s.front() == '[' && s.back() == ']') || (s.front() == '(' && s.back() == ')')) {
      s.remove_prefix(1);
      s.remove_suffix(1);
    } else {
      break;
    }
    s = TrimSpaces(s);
  }
  return s;
}

// "Editor's Note: text" → true and `*rest` = "text". The label must be followed by a
// separator (':', '.', or a dash), which is how notes are set apart from running text that
// merely begins with "Update" or "Correction".
bool StripNoteLabel(std::string_view text, std::string_view* rest) {
  for (std::string_view label : kNoteLabels) {
    size_t n = MatchLabel(text, label);
    if (n == 0) continue;
    std::string_view after = TrimSpaces(text.substr(n));
    if (after.empty()) return false;
    if (after[0] == ':' || after[0] == '.' || after[0] == '-') {
      after.remove_prefix(1);
    } else if (after.substr(0, 3) == "\u2013" || after.substr(0, 3) == "\u2014") {
      after.remove_prefix(3);  // en or em dash
    } else {
      return false;
    }
    *rest = TrimSpaces(after);
    return true;
  }
  return false;
}

bool ContainsAny(std::string_view haystack, std::initializer_list<std::string_view> needles) {
  for (std::string_view n : needles) {
    if (haystack.find(n) != std::string_view::npos) return true;
  }
  return false;
}

// The day a note names: the first date right after a change verb, else the first date.
Timestamp NoteDate(std::string_view text, Timestamp captured_at, Timestamp published_at) {
  Timestamp first = kNoTime;
  DateMatch m;
  for (size_t from = 0; FindDate(text, from, &m); from = m.end) {
    Timestamp t = StartOfDaySince(m, published_at, captured_at);
    if (t == kNoTime) continue;
    size_t window = m.begin < 24 ? m.begin : 24;
    std::string before = AsciiLowerCopy(text.substr(m.begin - window, window));
    for (std::string_view verb : kChangeVerbs) {
      if (before.find(verb) != std::string::npos) return t;
    }
    if (first == kNoTime) first = t;
  }
  return first;
}

}  // namespace

bool IsNoteLine(std::string_view line) {
  std::string_view t = StripDecoration(line);
  std::string_view rest;
  if (StripNoteLabel(t, &rest)) {
    DateMatch m;
    return !rest.empty() && !ParseDateOnly(rest, &m);
  }
  const std::string lower = AsciiLowerCopy(t.substr(0, 160));
  std::string_view l = lower;
  if (l.starts_with("an earlier version of") || l.starts_with("a previous version of") ||
      l.starts_with("a prior version of")) {
    return true;
  }
  for (std::string_view subject : {"this story ", "this article ", "this post ", "this report ",
                                   "this piece ", "this page "}) {
    if (l.starts_with(subject)) {
      std::string_view head = l.substr(0, 80);
      return ContainsAny(head, {" updated", " corrected", " clarified", " amended", " revised"});
    }
  }
  for (std::string_view verb : {"updated ", "corrected ", "clarified "}) {
    if (l.starts_with(verb)) {
      DateMatch m;
      if (ParseDateOnly(t.substr(verb.size()), &m)) return false;  // a time stamp line
      for (std::string_view purpose : kChangePurposes) {
        if (l.find(purpose) != std::string_view::npos) return true;
      }
      return false;
    }
  }
  return false;
}

}  // namespace text_internal

namespace text_internal {

void AnchorNoteDates(Timestamp published_at, Timestamp captured_at,
                     std::vector<ArticleNote>* notes) {
  if (published_at == kNoTime) return;
  for (ArticleNote& note : *notes) {
    note.effective_at = NoteDate(note.text, captured_at, published_at);
  }
}

}  // namespace text_internal

ArticleNote ParseNote(std::string_view line, Timestamp captured_at, Timestamp published_at) {
  const std::string collapsed = CollapseWhitespace(line);
  std::string_view text = text_internal::StripDecoration(collapsed);
  std::string_view rest;
  if (text_internal::StripNoteLabel(text, &rest)) text = rest;
  ArticleNote note;
  note.text = std::string(text);
  note.effective_at = text_internal::NoteDate(text, captured_at, published_at);
  return note;
}

}  // namespace palimpsest
