// Tests for the Myers diff and CountWordChanges: script validity, minimality against a
// brute-force LCS table, and the word counts the revision list shows.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "codec/diff/tokenize.h"
#include "palimpsest/diff.h"

namespace palimpsest {
namespace {

std::vector<std::string_view> Chars(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size(); ++i) out.push_back(s.substr(i, 1));
  return out;
}

// Length of the longest common subsequence, by the textbook O(NM) table.
size_t LcsLength(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::vector<size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Checks that `script` is well-formed and rebuilds `b` from `a`.
void ExpectValidScript(const std::vector<std::string_view>& a,
                       const std::vector<std::string_view>& b, const std::vector<EditRun>& script) {
  size_t i = 0, j = 0;
  std::vector<std::string_view> rebuilt;
  for (size_t r = 0; r < script.size(); ++r) {
    const EditRun& run = script[r];
    ASSERT_GT(run.length, 0u);
    ASSERT_EQ(run.before_pos, i);
    ASSERT_EQ(run.after_pos, j);
    if (r > 0) {
      ASSERT_NE(script[r - 1].op, run.op);
      // Deletions precede insertions inside a change region.
      ASSERT_FALSE(script[r - 1].op == EditOp::kInsert && run.op == EditOp::kDelete);
    }
    switch (run.op) {
      case EditOp::kEqual:
        for (size_t k = 0; k < run.length; ++k) {
          ASSERT_EQ(a[i + k], b[j + k]);
          rebuilt.push_back(a[i + k]);
        }
        i += run.length;
        j += run.length;
        break;
      case EditOp::kDelete:
        i += run.length;
        break;
      case EditOp::kInsert:
        for (size_t k = 0; k < run.length; ++k) rebuilt.push_back(b[j + k]);
        j += run.length;
        break;
    }
  }
  EXPECT_EQ(i, a.size());
  EXPECT_EQ(j, b.size());
  EXPECT_EQ(rebuilt, b);
}

TEST(MyersDiffTest, EmptyInputs) {
  EXPECT_TRUE(DiffTokens({}, {}).empty());
  auto script = DiffTokens({}, Chars("abc"));
  ASSERT_EQ(script.size(), 1u);
  EXPECT_EQ(script[0], (EditRun{EditOp::kInsert, 0, 0, 3}));
  script = DiffTokens(Chars("abc"), {});
  ASSERT_EQ(script.size(), 1u);
  EXPECT_EQ(script[0], (EditRun{EditOp::kDelete, 0, 0, 3}));
}

TEST(MyersDiffTest, EqualInputsAreOneRun) {
  auto script = DiffTokens(Chars("abcdef"), Chars("abcdef"));
  ASSERT_EQ(script.size(), 1u);
  EXPECT_EQ(script[0], (EditRun{EditOp::kEqual, 0, 0, 6}));
}

TEST(MyersDiffTest, PaperExample) {
  // Myers' own example: ABCABBA → CBABAC has D = 5.
  const auto a = Chars("ABCABBA"), b = Chars("CBABAC");
  const auto script = DiffTokens(a, b);
  ExpectValidScript(a, b, script);
  const EditCounts counts = CountEdits(script);
  EXPECT_EQ(counts.inserted + counts.deleted, 5u);
}

TEST(MyersDiffTest, ReplacementPutsDeletionFirst) {
  const auto a = Chars("xaby"), b = Chars("xcdy");
  const auto script = DiffTokens(a, b);
  ASSERT_EQ(script.size(), 4u);
  EXPECT_EQ(script[1], (EditRun{EditOp::kDelete, 1, 1, 2}));
  EXPECT_EQ(script[2], (EditRun{EditOp::kInsert, 3, 1, 2}));
}

TEST(MyersDiffTest, RandomScriptsAreMinimal) {
  std::mt19937 rng(20240717);
  for (int iter = 0; iter < 3000; ++iter) {
    const int alphabet = 2 + static_cast<int>(rng() % 6);
    auto random_string = [&](size_t max_len) {
      std::string s(rng() % (max_len + 1), 'a');
      for (char& c : s) c = static_cast<char>('a' + rng() % alphabet);
      return s;
    };
    std::string sa = random_string(40);
    std::string sb = (rng() % 3 == 0) ? random_string(40) : sa;
    // Mostly small edits of a common text, as real revisions are.
    for (int e = static_cast<int>(rng() % 6); e > 0 && sa == sb; --e) {
      const size_t pos = sb.empty() ? 0 : rng() % sb.size();
      if (rng() % 2 && !sb.empty()) {
        sb.erase(pos, 1 + rng() % 3);
      } else {
        sb.insert(pos, random_string(4));
      }
    }
    const auto a = Chars(sa), b = Chars(sb);
    const auto script = DiffTokens(a, b);
    ExpectValidScript(a, b, script);
    const EditCounts counts = CountEdits(script);
    const size_t lcs = LcsLength(a, b);
    ASSERT_EQ(counts.deleted, a.size() - lcs) << sa << " → " << sb;
    ASSERT_EQ(counts.inserted, b.size() - lcs) << sa << " → " << sb;
  }
}

TEST(MyersDiffTest, LargeInputsStayFast) {
  // 20k tokens with scattered edits: linear space, and no quadratic blow-up for small D.
  std::vector<std::string> storage;
  for (int i = 0; i < 20000; ++i) storage.push_back("w" + std::to_string(i % 977));
  std::vector<std::string_view> a(storage.begin(), storage.end());
  std::vector<std::string_view> b = a;
  for (size_t i = 100; i < b.size(); i += 1000) b[i] = "changed";
  const auto script = DiffTokens(a, b);
  ExpectValidScript(a, b, script);
  const EditCounts counts = CountEdits(script);
  EXPECT_EQ(counts.inserted, 20u);
  EXPECT_EQ(counts.deleted, 20u);
}

TEST(MyersDiffTest, RewrittenTextsWithFewCommonTokens) {
  // Two 30k-token texts sharing only a handful of tokens: D is about N+M, which would cost
  // O(N·M) without dropping the tokens found on one side only.
  std::vector<std::string> sa, sb;
  for (int i = 0; i < 30000; ++i) {
    sa.push_back("a" + std::to_string(i));
    sb.push_back("b" + std::to_string(i));
  }
  for (int i = 0; i < 5; ++i) {
    sa[1000 + 5000 * i] = sb[2000 + 5000 * i] = "shared" + std::to_string(i);
  }
  std::vector<std::string_view> a(sa.begin(), sa.end()), b(sb.begin(), sb.end());
  const auto script = DiffTokens(a, b);
  ExpectValidScript(a, b, script);
  const EditCounts counts = CountEdits(script);
  EXPECT_EQ(counts.deleted, 29995u);
  EXPECT_EQ(counts.inserted, 29995u);
}

TEST(CountWordChangesTest, Basics) {
  WordDiffStats s = CountWordChanges("", "");
  EXPECT_EQ(s.words_added, 0u);
  EXPECT_EQ(s.words_removed, 0u);
  s = CountWordChanges("", "one two three");
  EXPECT_EQ(s.words_added, 3u);
  EXPECT_EQ(s.words_removed, 0u);
  s = CountWordChanges("one two three", "");
  EXPECT_EQ(s.words_added, 0u);
  EXPECT_EQ(s.words_removed, 3u);
  s = CountWordChanges("the quick brown fox", "the slow brown fox jumps");
  EXPECT_EQ(s.words_added, 2u);
  EXPECT_EQ(s.words_removed, 1u);
}

TEST(CountWordChangesTest, WhitespaceAloneChangesNothing) {
  const WordDiffStats s = CountWordChanges("a b\n\nc  d", "a  b c\n\n\nd");
  EXPECT_EQ(s.words_added, 0u);
  EXPECT_EQ(s.words_removed, 0u);
}

TEST(CountWordChangesTest, PunctuationMakesADifferentWord) {
  // As in git --word-diff: "Israel" and "Israel," differ.
  const WordDiffStats s =
      CountWordChanges("held SETs with Israel and Brazil.",
                       "held SETs with Israel, Brazil, Australia, and South Korea.");
  EXPECT_EQ(s.words_removed, 2u);  // "Israel", "Brazil."
  EXPECT_EQ(s.words_added, 5u);    // "Israel,", "Brazil,", "Australia,", "South", "Korea."
}

TEST(CountWordChangesTest, MovedParagraphCountsBothWays) {
  const WordDiffStats s = CountWordChanges("one two\n\nthree four", "three four\n\none two");
  EXPECT_EQ(s.words_added, 2u);
  EXPECT_EQ(s.words_removed, 2u);
}

// The counts skip the bytes both texts share at either end; words cut by that boundary ("ab"
// becoming "abc") must still count as changed, exactly as a diff of every word says.
TEST(CountWordChangesTest, RandomEditsMatchTheLcsOfAllWords) {
  std::mt19937 rng(4242);
  const std::string alphabet = "ab \n.";
  for (int iter = 0; iter < 3000; ++iter) {
    std::string sa(rng() % 30, 'a');
    for (char& c : sa) c = alphabet[rng() % alphabet.size()];
    std::string sb = sa;
    for (int e = 1 + static_cast<int>(rng() % 3); e > 0; --e) {
      const size_t pos = sb.empty() ? 0 : rng() % sb.size();
      if (rng() % 2 && !sb.empty()) {
        sb.erase(pos, 1 + rng() % 2);
      } else {
        sb.insert(pos, 1, alphabet[rng() % alphabet.size()]);
      }
    }
    const auto a = SplitWords(sa), b = SplitWords(sb);
    const size_t lcs = LcsLength(a, b);
    const WordDiffStats s = CountWordChanges(sa, sb);
    ASSERT_EQ(s.words_removed, a.size() - lcs) << '"' << sa << "\" → \"" << sb << '"';
    ASSERT_EQ(s.words_added, b.size() - lcs) << '"' << sa << "\" → \"" << sb << '"';
  }
}

}  // namespace
}  // namespace palimpsest
