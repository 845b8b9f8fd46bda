// Diffs: a minimal sequence diff (Myers), word counts between bodies, the article-aware diff
// (fields, notes, paragraphs → sentences → words) and its plain-text renderers.
//
// Everything here is a pure function over values: no I/O, no exceptions, safe to call from any
// thread. Offsets are byte offsets into the UTF-8 strings passed in. Words are maximal runs of
// non-whitespace bytes (ASCII whitespace: space, \t, \n, \v, \f, \r), the same definition as
// `git diff --word-diff`, so word counts agree with git's on the same texts.

#ifndef PALIMPSEST_DIFF_H_
#define PALIMPSEST_DIFF_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/article.h"
#include "palimpsest/timestamp.h"

namespace palimpsest {

// ---------------------------------------------------------------------------------------------
// Generic sequence diff.

enum class EditOp { kEqual, kInsert, kDelete };

// A run of `length` consecutive tokens with the same operation. `before_pos`/`after_pos` are
// token indexes: for kEqual both sides' first token; for kDelete the first deleted token of
// `before` and the position in `after` where it would have been; for kInsert the position in
// `before` at which the tokens are inserted and the first inserted token of `after`.
struct EditRun {
  EditOp op = EditOp::kEqual;
  size_t before_pos = 0;
  size_t after_pos = 0;
  size_t length = 0;

  bool operator==(const EditRun&) const = default;
};

// Returns a shortest edit script turning `before` into `after` (Myers' O((N+M)·D) algorithm,
// linear-space variant, so memory stays O(N+M) whatever the size). Runs are in order, cover both
// sequences exactly, never have length 0, and adjacent runs have different operations; inside a
// change region the deletions come before the insertions (GNU diff's convention).
std::vector<EditRun> DiffTokens(const std::vector<std::string_view>& before,
                                const std::vector<std::string_view>& after);

// Token counts of a script: inserted = Σ length of kInsert runs, deleted likewise.
struct EditCounts {
  size_t inserted = 0;
  size_t deleted = 0;
};
EditCounts CountEdits(const std::vector<EditRun>& script);

// ---------------------------------------------------------------------------------------------
// Word counts (feeds the revision list).

struct WordDiffStats {
  size_t words_added = 0;
  size_t words_removed = 0;
};

// Words added and removed by a minimal word-level diff of two bodies (whitespace changes alone
// count nothing). A moved paragraph counts as removed and added, as in git.
WordDiffStats CountWordChanges(std::string_view before, std::string_view after);

// ---------------------------------------------------------------------------------------------
// Article-aware diff.

enum class DiffOp { kEqual, kInsert, kDelete, kReplace, kMove };

// "equal", "insert", "delete", "replace", "move" (stable names for JSON renderers).
std::string_view DiffOpName(DiffOp op);

// A byte range [offset, offset + length) of a body.
struct TextSpan {
  size_t offset = 0;
  size_t length = 0;

  bool operator==(const TextSpan&) const = default;
};

// A changed scalar field. Dates are rendered with FormatTimestamp ("" when absent).
struct FieldChange {
  std::string field;  // "title", "dek", "byline", "dateline", "published_at" or "updated_at"
  std::string before;
  std::string after;
};

// A note added (kInsert) or removed (kDelete). Notes are matched by text.
struct NoteChange {
  DiffOp op = DiffOp::kInsert;
  std::string text;
  Timestamp effective_at = kNoTime;
};

// A run of words inside a replaced sentence. kEqual and kDelete runs point into the before body
// (`span`), kInsert runs into the after body. `text` is the exact bytes of the span: the words
// with the whitespace between them, without leading or trailing whitespace.
struct WordMark {
  EditOp op = EditOp::kEqual;
  std::string text;
  TextSpan span;
  size_t words = 0;  // number of words in the run
};

// A sentence of a replaced paragraph. kEqual sentences are context; kInsert/kDelete sentences
// exist on one side only; kReplace pairs a before sentence with a similar after sentence and
// carries the word-level marks (which concatenated with single spaces give both texts).
struct SentenceChange {
  DiffOp op = DiffOp::kEqual;
  std::string before;  // empty for kInsert
  std::string after;   // empty for kDelete
  TextSpan before_span;
  TextSpan after_span;
  std::vector<WordMark> words;  // only for kReplace
};

// A run of paragraphs with one operation. Indexes are 0-based paragraph numbers; spans cover
// the run's bytes in each body (from the first paragraph's start to the last one's end).
//   kEqual   — `before_count` == `after_count` identical paragraphs.
//   kDelete  — paragraphs of before only (after_index: where they would have been).
//   kInsert  — paragraphs of after only (before_index: where they are inserted).
//   kReplace — one paragraph edited in place (counts are 1); `sentences` holds the detail.
//   kMove    — one paragraph removed at before_index and inserted unchanged at after_index.
//              Listed once, in the position of its insertion.
struct BodyHunk {
  DiffOp op = DiffOp::kEqual;
  size_t before_index = 0;
  size_t before_count = 0;
  size_t after_index = 0;
  size_t after_count = 0;
  TextSpan before_span;
  TextSpan after_span;
  // The spans' bytes, for every hunk but kEqual (whose text both bodies already show).
  std::string before_text;
  std::string after_text;
  size_t words_added = 0;  // within this hunk (a move adds and removes nothing here)
  size_t words_removed = 0;
  std::vector<SentenceChange> sentences;  // only for kReplace
};

struct ArticleDiff {
  std::vector<FieldChange> fields;
  std::vector<NoteChange> notes;
  std::vector<BodyHunk> body;  // in after-order; covers every paragraph of both bodies
  // CountWordChanges(before.body, after.body): the revision list's numbers.
  size_t words_added = 0;
  size_t words_removed = 0;

  // True when nothing at all changed.
  bool empty() const;
};

// Diffs two revisions of an article. Paragraphs are compared exactly; a changed paragraph that
// resembles one on the other side (at least half its words in common) is a kReplace with
// sentence detail, otherwise a delete and/or insert. An identical paragraph deleted in one place
// and inserted in another is a kMove.
ArticleDiff DiffArticles(const ArticleContent& before, const ArticleContent& after);

// ---------------------------------------------------------------------------------------------
// Renderers.

struct UnifiedOptions {
  std::string before_label = "a";  // printed after "--- "
  std::string after_label = "b";   // printed after "+++ "
  size_t context = 3;              // lines of context around changes
};

// A GNU-compatible unified diff of the two texts split into lines (a body's blank separator lines
// are lines too), which `patch` applies to `before` to give `after` exactly, including a missing
// final newline ("\ No newline at end of file"). Returns "" when the texts are equal.
std::string RenderUnified(std::string_view before, std::string_view after,
                          const UnifiedOptions& options = {});

// The whole `after` text with word changes marked as `git diff --word-diff=plain` does:
// "[-removed-]{+added+}". Equal words keep the after text's whitespace.
std::string RenderWordDiff(std::string_view before, std::string_view after);

// A human-readable diff: field changes ("title: old → new"), then each changed paragraph with
// its changed sentences (and one sentence of context either side) carrying word marks, then note
// changes ("+ note: …"), then the word totals. With `color`, removals are ANSI red and additions
// green instead of [-…-]/{+…+}. For readability a single unchanged word between two changes is
// shown inside the change; the struct keeps the minimal marks.
std::string RenderArticleText(const ArticleDiff& diff, bool color);

}  // namespace palimpsest

#endif  // PALIMPSEST_DIFF_H_
