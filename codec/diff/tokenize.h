// Tokenizers for diffing text: lines, paragraphs, sentences and words.
//
// Every function returns views into its argument (so a token's byte offset is
// `token.data() - text.data()`), in order and non-overlapping. Except for SplitLines, the views
// exclude the separating whitespace, which stays recoverable as the bytes between two views; that
// keeps rendering and applying changes exact. The argument must outlive the views.
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_DIFF_TOKENIZE_H_
#define PALIMPSEST_CODEC_DIFF_TOKENIZE_H_

#include <string_view>
#include <vector>

namespace palimpsest {

// True for the ASCII whitespace bytes that separate words: space, \t, \n, \v, \f, \r.
// (Bodies are normalized to ASCII spaces, so Unicode spaces need no special case.)
constexpr bool IsWordSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Lines of `text`, each including its terminating '\n' (the last one may lack it). Concatenated
// they give `text` back; "" has no lines. A line with and without its '\n' are different tokens,
// as in GNU diff.
std::vector<std::string_view> SplitLines(std::string_view text);

// Paragraphs of a body: the text between blank lines (runs of "\n" containing at least two
// newlines, possibly with spaces in between), with surrounding whitespace trimmed. Empty
// paragraphs are dropped.
std::vector<std::string_view> SplitParagraphViews(std::string_view body);

// Words: maximal runs of non-whitespace bytes (the definition `git diff --word-diff` uses), so
// "Brazil." and "Brazil," are different words.
std::vector<std::string_view> SplitWords(std::string_view text);

// Sentences of one paragraph, trimmed of surrounding whitespace. A sentence ends at '.', '!' or
// '?' (optionally followed by closing quotes or brackets: " ' ” ’ ) ]) when whitespace follows
// and the next word starts like a sentence (upper-case letter, digit, opening quote or bracket,
// or a non-ASCII letter). It does not end:
//   - inside numbers ("3.5") or URLs ("airandspaceforces.com"): no whitespace follows the dot;
//   - after titles and Latin abbreviations that never end a sentence ("Mr.", "Dr.", "Lt.",
//     "Gen.", "Brig.", "Tech.", "Sgt.", "Maj.", "Adm.", "e.g.", "i.e.", …);
//   - after abbreviations that usually do not ("U.S.", dotted acronyms, "Jr.", "Inc.", months
//     such as "Feb.", "No.", initials such as "A." in "Philip A. Garrant"), unless the next word
//     is one that typically opens a sentence ("The", "It", "He", …): "the U.S. It said" splits.
// A closing quote after the terminator ("… region.” The") always ends the sentence.
std::vector<std::string_view> SplitSentences(std::string_view paragraph);

}  // namespace palimpsest

#endif  // PALIMPSEST_CODEC_DIFF_TOKENIZE_H_
