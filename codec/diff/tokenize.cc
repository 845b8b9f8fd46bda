// Tokenizers for the diff engine. The sentence splitter is rule-based rather than statistical:
// news copy is full of military ranks, dotted acronyms and initials, and a short list of known
// abbreviations plus a look at the next word gets them right deterministically.

#include "codec/diff/tokenize.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace palimpsest {
namespace {

// Abbreviations that never end a sentence: titles and ranks precede a name, Latin abbreviations
// precede more of the sentence. Stored without the final '.'.
constexpr std::string_view kNeverFinal[] = {
    "Mr",  "Mrs", "Ms",   "Dr",  "Prof",   "Rev",  "Hon",    "Sen",  "Rep", "Gov", "Pres", "Amb",
    "Lt",  "Gen", "Brig", "Maj", "Col",    "Capt", "Cmdr",   "Cdr",  "Adm", "Sgt", "Cpl",  "Pvt",
    "Pfc", "Spc", "Tech", "Ens", "Lt.Col", "Msgt", "SSgt",   "TSgt", "St",  "Ft",  "Mt",   "Supt",
    "Det", "e.g", "i.e",  "cf",  "vs",     "viz",  "approx", "Fig",  "Nos"};

// Abbreviations that can end a sentence but usually do not: split after them only when the
// next word typically opens a sentence.
constexpr std::string_view kRarelyFinal[] = {
    "Jr",  "Sr",  "Inc", "Co",  "Corp", "Ltd",  "Bros", "etc", "No",  "Jan", "Feb", "Mar",
    "Apr", "Jun", "Jul", "Aug", "Sep",  "Sept", "Oct",  "Nov", "Dec", "a.m", "p.m", "Ave"};

// Words that typically open a sentence, used to decide after a kRarelyFinal abbreviation.
constexpr std::string_view kSentenceOpeners[] = {
    "The",  "A",     "An",    "It",     "Its",       "He",      "She",       "They",  "We",  "I",
    "You",  "This",  "That",  "These",  "Those",     "There",   "In",        "On",    "At",  "But",
    "And",  "Or",    "So",    "His",    "Her",       "Their",   "Our",       "My",    "As",  "If",
    "When", "While", "After", "Before", "According", "However", "Meanwhile", "Still", "Yet", "For"};

template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of a closing quote or bracket at text[i], 0 if none.
size_t ClosingMarkAt(std::string_view text, size_t i) {
  const char c = text[i];
  if (c == '"' || c == '\'' || c == ')' || c == ']') return 1;
  // ” U+201D, ’ U+2019, » U+00BB.
  if (text.substr(i, 3) == "\xE2\x80\x9D" || text.substr(i, 3) == "\xE2\x80\x99") return 3;
  if (text.substr(i, 2) == "\xC2\xBB") return 2;
  return 0;
}

// Whether the word at text[i] starts the way a sentence does.
bool LooksLikeSentenceStart(std::string_view text, size_t i) {
  const char c = text[i];
  if (IsUpper(c) || IsDigit(c) || c == '"' || c == '\'' || c == '(' || c == '[') return true;
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x80) return false;
  // “ U+201C and ‘ U+2018 open quotes; « U+00AB.
  if (text.substr(i, 3) == "\xE2\x80\x9C" || text.substr(i, 3) == "\xE2\x80\x98") return true;
  if (text.substr(i, 2) == "\xC2\xAB") return true;
  // Other punctuation (dashes, ellipses: U+2000 block) does not open a sentence; any other
  // non-ASCII character is most likely a letter (É, Ö, …).
  return u != 0xE2;
}

// "U.S", "D.C", "U.K" (final '.' excluded): letters separated by single dots.
bool IsDottedAcronym(std::string_view word) {
  if (word.size() < 3) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (i % 2 == 0 ? !IsAlpha(word[i]) : word[i] != '.') return false;
  }
  return word.size() % 2 == 1;
}

// Decides whether a terminator ending `word` (the word without its final '.', after leading
// punctuation is stripped) ends the sentence, given the next word.
bool EndsSentenceAfterPeriod(std::string_view word, std::string_view next_word) {
  if (Contains(kNeverFinal, word)) return false;
  const bool initial = word.size() == 1 && IsUpper(word[0]);
  if (initial || IsDottedAcronym(word) || Contains(kRarelyFinal, word)) {
    // Strip trailing punctuation of the next word ("It," still opens a sentence).
    while (!next_word.empty() && !IsAlpha(next_word.back())) next_word.remove_suffix(1);
    return Contains(kSentenceOpeners, next_word);
  }
  return true;
}

}  // namespace

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

std::vector<std::string_view> SplitParagraphViews(std::string_view body) {
  std::vector<std::string_view> paragraphs;
  size_t i = 0;
  while (i < body.size()) {
    while (i < body.size() && IsWordSpace(body[i])) ++i;
    if (i == body.size()) break;
    // A paragraph runs until whitespace containing two newlines.
    size_t end = i;
    size_t j = i;
    while (j < body.size()) {
      if (!IsWordSpace(body[j])) {
        end = ++j;
        continue;
      }
      size_t k = j;
      int newlines = 0;
      while (k < body.size() && IsWordSpace(body[k])) newlines += body[k++] == '\n';
      if (newlines >= 2 || k == body.size()) break;
      j = k;
    }
    paragraphs.push_back(body.substr(i, end - i));
    i = end;
  }
  return paragraphs;
}

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsWordSpace(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && !IsWordSpace(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

std::vector<std::string_view> SplitSentences(std::string_view paragraph) {
  std::vector<std::string_view> sentences;
  const std::vector<std::string_view> words = SplitWords(paragraph);
  size_t sentence_start = std::string_view::npos;
  auto offset = [&paragraph](std::string_view w) {
    return static_cast<size_t>(w.data() - paragraph.data());
  };
  for (size_t w = 0; w < words.size(); ++w) {
    std::string_view word = words[w];
    if (sentence_start == std::string_view::npos) sentence_start = offset(word);
    if (w + 1 == words.size()) break;

    // Peel closing quotes/brackets off the end, then find the terminator before them.
    size_t end = word.size();
    bool closing = false;
    for (bool peeled = true; peeled && end > 0;) {
      peeled = false;
      for (size_t len : {size_t{1}, size_t{2}, size_t{3}}) {
        if (end >= len && ClosingMarkAt(word, end - len) == len) {
          end -= len;
          closing = peeled = true;
          break;
        }
      }
    }
    if (end == 0) continue;
    const char terminator = word[end - 1];
    if (terminator != '.' && terminator != '!' && terminator != '?') continue;

    const std::string_view next = words[w + 1];
    if (!LooksLikeSentenceStart(next, 0)) continue;
    if (terminator == '.' && !closing) {
      // The word proper: strip the run of terminators and leading opening punctuation.
      std::string_view stem = word.substr(0, end);
      while (!stem.empty() && stem.back() == '.') stem.remove_suffix(1);
      while (!stem.empty() && !IsAlpha(stem.front()) && !IsDigit(stem.front())) {
        stem.remove_prefix(1);
      }
      if (!stem.empty() && !EndsSentenceAfterPeriod(stem, next)) continue;
    }
    const size_t stop = offset(word) + word.size();
    sentences.push_back(paragraph.substr(sentence_start, stop - sentence_start));
    sentence_start = std::string_view::npos;
  }
  if (sentence_start != std::string_view::npos) {
    const size_t stop = offset(words.back()) + words.back().size();
    sentences.push_back(paragraph.substr(sentence_start, stop - sentence_start));
  }
  return sentences;
}

}  // namespace palimpsest
