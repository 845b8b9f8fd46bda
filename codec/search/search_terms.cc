// Search terms and query parsing (include/palimpsest/search.h).

#include <utf8proc.h>

#include <algorithm>

#include "palimpsest/search.h"

namespace palimpsest {

namespace {

constexpr size_t kMaxQueryTerms = 32;

bool IsTermChar(utf8proc_int32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

bool IsMark(utf8proc_int32_t cp) {
  const auto c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

bool IsApostrophe(utf8proc_int32_t cp) { return cp == '\'' || cp == 0x2019; }

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Appends the case-folded, accent-stripped form of `cp` to `term`.
void AppendFolded(utf8proc_int32_t cp, std::string& term) {
  if (cp < 0x80) {
    term.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp));
    return;
  }
  utf8proc_int32_t folded[16];
  int last_boundclass = 0;
  const utf8proc_ssize_t n = utf8proc_decompose_char(
      cp, folded, 16,
      static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                                     UTF8PROC_STRIPMARK),
      &last_boundclass);
  if (n < 0 || n > 16) return;
  for (utf8proc_ssize_t i = 0; i < n; ++i) {
    if (IsMark(folded[i])) continue;
    utf8proc_uint8_t bytes[4];
    const utf8proc_ssize_t len = utf8proc_encode_char(folded[i], bytes);
    term.append(reinterpret_cast<const char*>(bytes), static_cast<size_t>(len));
  }
}

}  // namespace

void VisitTerms(std::string_view text, const std::function<void(const TermOccurrence&)>& visit) {
  TermOccurrence current;
  bool in_term = false;
  size_t term_end = 0;  // byte after the last term character
  auto finish = [&] {
    if (in_term && !current.term.empty()) {
      if (current.term.size() > kMaxTermBytes) {
        // Cut on a code point boundary.
        size_t cut = kMaxTermBytes;
        while (cut > 0 && (static_cast<unsigned char>(current.term[cut]) & 0xC0) == 0x80) --cut;
        current.term.resize(cut);
      }
      current.length = term_end - current.offset;
      visit(current);
    }
    current.term.clear();  // keeps its buffer for the next term
    in_term = false;
  };
  size_t i = 0;
  while (i < text.size()) {
    utf8proc_int32_t cp = -1;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i);
    utf8proc_ssize_t len;
    if (IsAsciiAlnum(text[i])) {
      // Most of any article: fold a whole run of ASCII letters and digits at once.
      if (!in_term) {
        in_term = true;
        current.offset = i;
      }
      size_t j = i + 1;
      while (j < text.size() && IsAsciiAlnum(text[j])) ++j;
      const size_t start = current.term.size();
      current.term.append(text.data() + i, j - i);
      for (size_t k = start; k < current.term.size(); ++k) {
        char& c = current.term[k];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      term_end = j;
      i = j;
      continue;
    }
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      cp = static_cast<unsigned char>(text[i]);
      len = 1;
    } else {
      len = utf8proc_iterate(p, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
      if (len <= 0) {  // invalid byte: a separator
        finish();
        ++i;
        continue;
      }
    }
    if (IsTermChar(cp)) {
      if (!in_term) {
        in_term = true;
        current.offset = i;
      }
      AppendFolded(cp, current.term);
      term_end = i + static_cast<size_t>(len);
    } else if (in_term && IsMark(cp)) {
      term_end = i + static_cast<size_t>(len);  // a combining accent: part of the word, dropped
    } else if (in_term && IsApostrophe(cp) && i + len < text.size() &&
               IsAsciiAlnum(text[i + static_cast<size_t>(len)])) {
      // "editor's": an apostrophe followed by a letter joins the word.
    } else {
      finish();
    }
    i += static_cast<size_t>(len);
  }
  finish();
}

std::vector<TermOccurrence> TermsOf(std::string_view text) {
  std::vector<TermOccurrence> terms;
  VisitTerms(text, [&terms](const TermOccurrence& t) { terms.push_back(t); });
  return terms;
}

Result<ParsedQuery> ParseSearchQuery(std::string_view query) {
  ParsedQuery parsed;
  auto add_terms = [&](std::string_view part, bool phrase) {
    std::vector<std::string> sequence;
    for (TermOccurrence& t : TermsOf(part)) {
      if (std::find(parsed.terms.begin(), parsed.terms.end(), t.term) == parsed.terms.end()) {
        parsed.terms.push_back(t.term);
      }
      sequence.push_back(std::move(t.term));
    }
    if (phrase && sequence.size() >= 2) parsed.phrases.push_back(std::move(sequence));
  };
  size_t pos = 0;
  while (pos < query.size()) {
    const size_t open = query.find('"', pos);
    if (open == std::string_view::npos) {
      add_terms(query.substr(pos), false);
      break;
    }
    add_terms(query.substr(pos, open - pos), false);
    size_t close = query.find('"', open + 1);
    if (close == std::string_view::npos) close = query.size();  // an unclosed quote ends it
    add_terms(query.substr(open + 1, close - open - 1), true);
    pos = close + 1;
  }
  if (parsed.terms.empty()) {
    return Status::InvalidArgument("the search query holds no words to look for");
  }
  if (parsed.terms.size() > kMaxQueryTerms) {
    return Status::InvalidArgument("the search query has more than " +
                                   std::to_string(kMaxQueryTerms) + " distinct words");
  }
  return parsed;
}

}  // namespace palimpsest
