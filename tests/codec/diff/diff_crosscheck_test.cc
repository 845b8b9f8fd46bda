// Cross-checks the diff engine against the reference tools on seeded random edits:
//   - line edit distance equals GNU `diff --minimal`'s (both minimal, so the counts must agree);
//   - our unified diffs apply with GNU `patch` and reproduce the target exactly;
//   - word counts equal `git diff --no-index --word-diff=porcelain --minimal`'s.
// Each tool runs once per case inside one shell loop, so the cost is process start-up only.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "codec/diff/tokenize.h"
#include "palimpsest/diff.h"
#include "test_util.h"

namespace palimpsest {
namespace {

bool HaveTool(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs `script` with /bin/sh; returns its exit status.
int Shell(const std::string& script) { return std::system(script.c_str()); }

// A random sequence of tokens from a small vocabulary, so that repeats make alignment hard.
std::vector<std::string> RandomTokens(std::mt19937& rng, const std::vector<std::string>& vocab,
                                      size_t max_len) {
  std::vector<std::string> out(rng() % (max_len + 1));
  for (std::string& t : out) t = vocab[rng() % vocab.size()];
  return out;
}

// A revision of `tokens`: a few random deletions, insertions and replacements, or (sometimes) an
// unrelated sequence.
std::vector<std::string> RandomEdit(std::mt19937& rng, std::vector<std::string> tokens,
                                    const std::vector<std::string>& vocab, size_t max_len) {
  if (rng() % 8 == 0) return RandomTokens(rng, vocab, max_len);
  for (int edits = 1 + static_cast<int>(rng() % 6); edits > 0; --edits) {
    const size_t pos = tokens.empty() ? 0 : rng() % (tokens.size() + 1);
    switch (rng() % 3) {
      case 0:  // delete a run
        if (pos < tokens.size()) {
          tokens.erase(tokens.begin() + pos,
                       tokens.begin() + std::min(tokens.size(), pos + 1 + rng() % 4));
        }
        break;
      case 1:  // insert a run
        for (size_t n = 1 + rng() % 4; n > 0; --n) {
          tokens.insert(tokens.begin() + pos, vocab[rng() % vocab.size()]);
        }
        break;
      default:  // replace one
        if (pos < tokens.size()) tokens[pos] = vocab[rng() % vocab.size()];
        break;
    }
  }
  return tokens;
}

std::vector<std::string> LineVocabulary() {
  std::vector<std::string> vocab;
  for (int i = 0; i < 12; ++i) vocab.push_back("line " + std::to_string(i));
  vocab.push_back("");  // blank lines, as between paragraphs
  return vocab;
}

std::string JoinLines(const std::vector<std::string>& lines, bool final_newline) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 < lines.size() || final_newline) out += "\n";
  }
  return out;
}

// Reads "index count" pairs written by the shell loops.
std::vector<size_t> ReadCounts(const std::string& path, size_t cases) {
  std::vector<size_t> counts(cases, static_cast<size_t>(-1));
  std::istringstream in(testing::ReadFileOrDie(path));
  size_t index, count;
  while (in >> index >> count) {
    if (index < cases) counts[index] = count;
  }
  return counts;
}

TEST(DiffCrosscheckTest, LineEditDistanceMatchesGnuDiffMinimal) {
  if (!HaveTool("diff")) GTEST_SKIP() << "GNU diff not installed";
  constexpr size_t kCases = 2000;
  testing::ScratchDir dir;
  std::mt19937 rng(1234567);
  const std::vector<std::string> vocab = LineVocabulary();
  std::vector<size_t> ours(kCases);
  for (size_t i = 0; i < kCases; ++i) {
    const auto a = RandomTokens(rng, vocab, 40);
    const auto b = RandomEdit(rng, a, vocab, 40);
    const std::string ta = JoinLines(a, rng() % 5 != 0);
    const std::string tb = JoinLines(b, rng() % 5 != 0);
    testing::WriteFileOrDie(dir.Join("a" + std::to_string(i)), ta);
    testing::WriteFileOrDie(dir.Join("b" + std::to_string(i)), tb);
    const EditCounts c = CountEdits(DiffTokens(SplitLines(ta), SplitLines(tb)));
    ours[i] = c.inserted + c.deleted;
  }
  // One diff per case; awk counts the "<" and ">" lines of each case's output.
  const std::string script =
      "cd " + dir.path() + " && i=0; while [ $i -lt " + std::to_string(kCases) +
      " ]; do echo \"#$i\"; diff --minimal a$i b$i; i=$((i+1)); done | "
      "awk \"/^#/ {if (n != \\\"\\\") print n, c; n = substr(\\$0, 2); c = 0; next} "
      "/^[<>]/ {c++} END {print n, c}\" > counts";
  ASSERT_EQ(Shell(script), 0);
  const std::vector<size_t> gnu = ReadCounts(dir.Join("counts"), kCases);
  size_t mismatches = 0;
  for (size_t i = 0; i < kCases; ++i) {
    if (ours[i] != gnu[i] && ++mismatches <= 5) {
      ADD_FAILURE() << "case " << i << ": ours " << ours[i] << ", GNU diff " << gnu[i];
    }
  }
  EXPECT_EQ(mismatches, 0u) << "of " << kCases << " cases";
}

TEST(DiffCrosscheckTest, UnifiedDiffAppliesWithGnuPatch) {
  if (!HaveTool("patch")) GTEST_SKIP() << "GNU patch not installed";
  constexpr size_t kCases = 300;
  testing::ScratchDir dir;
  std::mt19937 rng(7654321);
  const std::vector<std::string> vocab = LineVocabulary();
  std::vector<std::string> targets(kCases);
  for (size_t i = 0; i < kCases; ++i) {
    const auto a = RandomTokens(rng, vocab, 60);
    const auto b = RandomEdit(rng, a, vocab, 60);
    const std::string ta = JoinLines(a, rng() % 5 != 0);
    targets[i] = JoinLines(b, rng() % 5 != 0);
    UnifiedOptions options;
    options.before_label = "a" + std::to_string(i);
    options.after_label = "b" + std::to_string(i);
    options.context = rng() % 4;
    testing::WriteFileOrDie(dir.Join("a" + std::to_string(i)), ta);
    testing::WriteFileOrDie(dir.Join("p" + std::to_string(i)),
                            RenderUnified(ta, targets[i], options));
  }
  // No fuzz: the hunks must apply exactly where they say. An empty patch leaves the file as is.
  const std::string script =
      "cd " + dir.path() + " && i=0; while [ $i -lt " + std::to_string(kCases) +
      " ]; do if [ -s p$i ]; then patch -s -F0 -o out$i a$i < p$i || echo $i >> failed; "
      "else cp a$i out$i; fi; i=$((i+1)); done; true";
  ASSERT_EQ(Shell(script), 0);
  size_t mismatches = 0;
  for (size_t i = 0; i < kCases; ++i) {
    const std::string got = testing::ReadFileOrDie(dir.Join("out" + std::to_string(i)));
    if (got != targets[i] && ++mismatches <= 5) {
      ADD_FAILURE() << "case " << i << ": patch result differs\n"
                    << testing::ReadFileOrDie(dir.Join("p" + std::to_string(i)));
    }
  }
  EXPECT_EQ(mismatches, 0u) << "of " << kCases << " cases";
}

TEST(DiffCrosscheckTest, WordCountsMatchGitWordDiff) {
  if (!HaveTool("git")) GTEST_SKIP() << "git not installed";
  constexpr size_t kCases = 300;
  testing::ScratchDir dir;
  std::mt19937 rng(42424242);
  const std::vector<std::string> vocab = {"the",     "a",      "and",   "Brazil", "Brazil.",
                                          "Brazil,", "Korea.", "South", "U.S.",   "of",
                                          "“Jay”",   "3.5",    "in",    "Space",  "Force"};
  std::vector<WordDiffStats> ours(kCases);
  for (size_t i = 0; i < kCases; ++i) {
    // One line per file: git word-diffs inside line-level hunks, so a single line makes its
    // word diff global, like ours.
    auto a = RandomTokens(rng, vocab, 60);
    if (a.empty()) a.push_back("start");
    auto b = RandomEdit(rng, a, vocab, 60);
    if (b.empty()) b.push_back("end");
    auto join = [&rng](const std::vector<std::string>& words) {
      std::string out;
      for (const std::string& w : words) out += (out.empty() ? "" : (rng() % 7 ? " " : "  ")) + w;
      return out + "\n";
    };
    const std::string ta = join(a), tb = join(b);
    testing::WriteFileOrDie(dir.Join("a" + std::to_string(i)), ta);
    testing::WriteFileOrDie(dir.Join("b" + std::to_string(i)), tb);
    ours[i] = CountWordChanges(ta, tb);
  }
  // Porcelain prints each added/removed run on a line of its own after "+"/"-"; awk counts the
  // words of those runs. HOME and GIT_CONFIG_NOSYSTEM keep user settings out.
  const std::string script =
      "cd " + dir.path() + " && export HOME=" + dir.path() +
      " GIT_CONFIG_NOSYSTEM=1; i=0; "
      "while [ $i -lt " +
      std::to_string(kCases) +
      " ]; do echo \"#$i\"; "
      "git diff --no-index --no-color --word-diff=porcelain --minimal a$i b$i | "
      "sed -n \"/^@@/,\\$p\"; i=$((i+1)); done | "
      "awk \"/^#/ {if (n != \\\"\\\") print n, p, m; n = substr(\\$0, 2); p = 0; m = 0; next} "
      "/^@@/ {next} /^\\+/ {p += split(substr(\\$0, 2), w)} /^-/ {m += split(substr(\\$0, 2), w)} "
      "END {print n, p, m}\" > counts";
  ASSERT_EQ(Shell(script), 0);
  std::istringstream in(testing::ReadFileOrDie(dir.Join("counts")));
  std::vector<WordDiffStats> git(kCases, {static_cast<size_t>(-1), static_cast<size_t>(-1)});
  size_t index, plus, minus;
  while (in >> index >> plus >> minus) {
    if (index < kCases) git[index] = {plus, minus};
  }
  size_t mismatches = 0;
  for (size_t i = 0; i < kCases; ++i) {
    if ((ours[i].words_added != git[i].words_added ||
         ours[i].words_removed != git[i].words_removed) &&
        ++mismatches <= 5) {
      ADD_FAILURE() << "case " << i << ": ours +" << ours[i].words_added << " -"
                    << ours[i].words_removed << ", git +" << git[i].words_added << " -"
                    << git[i].words_removed;
    }
  }
  EXPECT_EQ(mismatches, 0u) << "of " << kCases << " cases";
}

}  // namespace
}  // namespace palimpsest
