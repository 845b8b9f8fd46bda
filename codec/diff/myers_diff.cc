// Myers' O((N+M)·D) difference algorithm, linear-space variant ("An O(ND) Difference Algorithm
// and Its Variations", E. W. Myers, 1986, section 4b): find the middle snake of a shortest path
// by running the greedy search from both corners at once, then solve the two halves recursively.
// Each level halves D, so the recursion is O(log D) deep, and the only memory is two diagonal
// arrays of size O(N+M) shared by every level.

#include "codec/diff/myers_diff.h"

#include <algorithm>
#include <cstddef>
#include <unordered_map>

#include "codec/diff/tokenize.h"

namespace palimpsest {
namespace internal {
namespace {

// Appends a run of n tokens, extending the last run when it has the same operation.
void AppendRun(std::vector<EditRun>* runs, EditOp op, ptrdiff_t a, ptrdiff_t b, ptrdiff_t n) {
  if (n <= 0) return;
  if (!runs->empty() && runs->back().op == op) {
    runs->back().length += static_cast<size_t>(n);
    return;
  }
  runs->push_back({op, static_cast<size_t>(a), static_cast<size_t>(b), static_cast<size_t>(n)});
}

class MyersSolver {
 public:
  MyersSolver(std::span<const uint32_t> a, std::span<const uint32_t> b)
      : a_(a), b_(b), offset_(static_cast<ptrdiff_t>(a.size() + b.size()) + 2) {
    forward_.assign(2 * static_cast<size_t>(offset_) + 1, -1);
    backward_.assign(2 * static_cast<size_t>(offset_) + 1, -1);
  }

  // Merges each change region (runs between two equal runs) into one deletion followed by one
  // insertion, so equivalent scripts always print the same way.
  static std::vector<EditRun> Normalize(std::vector<EditRun> raw);

  std::vector<EditRun> Run() {
    Solve(0, static_cast<ptrdiff_t>(a_.size()), 0, static_cast<ptrdiff_t>(b_.size()));
    return Normalize(std::move(raw_));
  }

 private:
  // A diagonal run of matches from (x0, y0) to (x1, y1), in absolute token indexes.
  struct Snake {
    ptrdiff_t x0, y0, x1, y1;
  };

  ptrdiff_t& F(ptrdiff_t k) { return forward_[static_cast<size_t>(k + offset_)]; }
  ptrdiff_t& B(ptrdiff_t k) { return backward_[static_cast<size_t>(k + offset_)]; }

  void Emit(EditOp op, ptrdiff_t a, ptrdiff_t b, ptrdiff_t n) { AppendRun(&raw_, op, a, b, n); }

  // Appends the script for a_[a0, a1) → b_[b0, b1).
  void Solve(ptrdiff_t a0, ptrdiff_t a1, ptrdiff_t b0, ptrdiff_t b1) {
    // Common prefix and suffix cost nothing and shrink the search; after trimming, both ends
    // differ, which guarantees every middle snake splits the problem into smaller ones.
    ptrdiff_t prefix = 0;
    while (a0 + prefix < a1 && b0 + prefix < b1 && a_[a0 + prefix] == b_[b0 + prefix]) ++prefix;
    Emit(EditOp::kEqual, a0, b0, prefix);
    a0 += prefix;
    b0 += prefix;
    ptrdiff_t suffix = 0;
    while (a0 < a1 - suffix && b0 < b1 - suffix && a_[a1 - 1 - suffix] == b_[b1 - 1 - suffix]) {
      ++suffix;
    }
    a1 -= suffix;
    b1 -= suffix;

    if (a0 == a1) {
      Emit(EditOp::kInsert, a0, b0, b1 - b0);
    } else if (b0 == b1) {
      Emit(EditOp::kDelete, a0, b0, a1 - a0);
    } else {
      const Snake s = MiddleSnake(a0, a1, b0, b1);
      const bool progress = !(s.x0 == a0 && s.y0 == b0 && s.x1 == a1 && s.y1 == b1) &&
                            !(s.x0 == a0 && s.y0 == b0 && s.x1 == a0 && s.y1 == b0) &&
                            !(s.x0 == a1 && s.y0 == b1);
      if (!progress) {
        // Unreachable for a correct middle snake; kept so a bug degrades to a valid (if not
        // minimal) script instead of unbounded recursion.
        Emit(EditOp::kDelete, a0, b0, a1 - a0);
        Emit(EditOp::kInsert, a1, b0, b1 - b0);
      } else {
        Solve(a0, s.x0, b0, s.y0);
        Emit(EditOp::kEqual, s.x0, s.y0, s.x1 - s.x0);
        Solve(s.x1, a1, s.y1, b1);
      }
    }
    Emit(EditOp::kEqual, a1, b1, suffix);
  }

  // The middle snake of a shortest path through a_[a0, a1) × b_[b0, b1) (both non-empty).
  // forward_[k] holds the furthest x (relative to a0) reached on diagonal k = x − y by a path of
  // d edits from the top-left corner; backward_[k] the same measured from the bottom-right
  // corner with reversed coordinates. -1 marks a diagonal no path of that length reaches inside
  // the grid, so no path ever leaves it (which would fake an overlap).
  Snake MiddleSnake(ptrdiff_t a0, ptrdiff_t a1, ptrdiff_t b0, ptrdiff_t b1) {
    const ptrdiff_t n = a1 - a0;
    const ptrdiff_t m = b1 - b0;
    const ptrdiff_t delta = n - m;
    const bool odd = (delta & 1) != 0;
    const ptrdiff_t max_d = (n + m + 1) / 2;
    for (ptrdiff_t d = 0; d <= max_d; ++d) {
      for (ptrdiff_t k = -d; k <= d; k += 2) {
        const ptrdiff_t x0 = Step(&MyersSolver::F, d, k, n, m);
        F(k) = x0;
        if (x0 < 0) continue;
        ptrdiff_t x = x0;
        ptrdiff_t y = x - k;
        while (x < n && y < m && a_[a0 + x] == b_[b0 + y]) ++x, ++y;
        F(k) = x;
        const ptrdiff_t kr = delta - k;  // the same diagonal seen from the other corner
        if (odd && kr >= -(d - 1) && kr <= d - 1 && B(kr) >= 0 && x + B(kr) >= n) {
          return {a0 + x0, b0 + x0 - k, a0 + x, b0 + y};
        }
      }
      for (ptrdiff_t k = -d; k <= d; k += 2) {
        const ptrdiff_t x0 = Step(&MyersSolver::B, d, k, n, m);
        B(k) = x0;
        if (x0 < 0) continue;
        ptrdiff_t x = x0;
        ptrdiff_t y = x - k;
        while (x < n && y < m && a_[a1 - 1 - x] == b_[b1 - 1 - y]) ++x, ++y;
        B(k) = x;
        const ptrdiff_t kf = delta - k;
        if (!odd && kf >= -d && kf <= d && F(kf) >= 0 && x + F(kf) >= n) {
          return {a1 - x, b1 - y, a1 - x0, b1 - (x0 - k)};
        }
      }
    }
    // A path of at most N+M edits always exists, so the loop returns before this.
    return {a0, b0, a0, b0};
  }

  // The x where a path of d edits on diagonal k starts its snake: one step right from diagonal
  // k−1 (a deletion) or down from k+1 (an insertion), whichever lies further and stays inside
  // the n × m grid; -1 if neither does.
  ptrdiff_t Step(ptrdiff_t& (MyersSolver::*v)(ptrdiff_t), ptrdiff_t d, ptrdiff_t k, ptrdiff_t n,
                 ptrdiff_t m) {
    if (d == 0) return 0;
    ptrdiff_t best = -1;
    if (k + 1 <= d - 1) {
      const ptrdiff_t from = (this->*v)(k + 1);
      if (from >= 0 && from - k <= m) best = from;
    }
    if (k - 1 >= -(d - 1)) {
      const ptrdiff_t from = (this->*v)(k - 1);
      if (from >= 0 && from + 1 <= n && from + 1 > best) best = from + 1;
    }
    return best;
  }

  std::span<const uint32_t> a_;
  std::span<const uint32_t> b_;
  ptrdiff_t offset_;
  std::vector<ptrdiff_t> forward_;
  std::vector<ptrdiff_t> backward_;
  std::vector<EditRun> raw_;
};

std::vector<EditRun> MyersSolver::Normalize(std::vector<EditRun> raw) {
  std::vector<EditRun> out;
  out.reserve(raw.size());
  size_t i = 0;
  while (i < raw.size()) {
    if (raw[i].op == EditOp::kEqual) {
      out.push_back(raw[i++]);
      continue;
    }
    const size_t a = raw[i].before_pos;
    const size_t b = raw[i].after_pos;
    size_t deleted = 0;
    size_t inserted = 0;
    for (; i < raw.size() && raw[i].op != EditOp::kEqual; ++i) {
      (raw[i].op == EditOp::kDelete ? deleted : inserted) += raw[i].length;
    }
    if (deleted > 0) out.push_back({EditOp::kDelete, a, b, deleted});
    if (inserted > 0) out.push_back({EditOp::kInsert, a + deleted, b, inserted});
  }
  return out;
}

}  // namespace

std::vector<EditRun> MyersDiff(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  // Tokens found on one side only can never match, so searching without them finds a script
  // just as short, and rewritten texts (mostly such tokens) cost O(N+M) instead of O(N·M).
  uint32_t max_id = 0;
  for (uint32_t id : a) max_id = std::max(max_id, id);
  for (uint32_t id : b) max_id = std::max(max_id, id);
  std::vector<uint8_t> side(a.empty() && b.empty() ? 0 : static_cast<size_t>(max_id) + 1, 0);
  for (uint32_t id : a) side[id] |= 1;
  for (uint32_t id : b) side[id] |= 2;
  std::vector<uint32_t> fa, fb;
  std::vector<size_t> ia, ib;  // original index of each kept token
  for (size_t i = 0; i < a.size(); ++i) {
    if (side[a[i]] == 3) fa.push_back(a[i]), ia.push_back(i);
  }
  for (size_t j = 0; j < b.size(); ++j) {
    if (side[b[j]] == 3) fb.push_back(b[j]), ib.push_back(j);
  }
  if (fa.size() == a.size() && fb.size() == b.size()) return MyersSolver(a, b).Run();

  // Rebuild the full script around the matches found among the kept tokens.
  std::vector<EditRun> raw;
  ptrdiff_t i = 0, j = 0;
  for (const EditRun& run : MyersSolver(fa, fb).Run()) {
    if (run.op != EditOp::kEqual) continue;
    for (size_t k = 0; k < run.length; ++k) {
      const auto oi = static_cast<ptrdiff_t>(ia[run.before_pos + k]);
      const auto oj = static_cast<ptrdiff_t>(ib[run.after_pos + k]);
      AppendRun(&raw, EditOp::kDelete, i, j, oi - i);
      AppendRun(&raw, EditOp::kInsert, oi, j, oj - j);
      AppendRun(&raw, EditOp::kEqual, oi, oj, 1);
      i = oi + 1;
      j = oj + 1;
    }
  }
  const auto n = static_cast<ptrdiff_t>(a.size());
  const auto m = static_cast<ptrdiff_t>(b.size());
  AppendRun(&raw, EditOp::kDelete, i, j, n - i);
  AppendRun(&raw, EditOp::kInsert, n, j, m - j);
  return MyersSolver::Normalize(std::move(raw));
}

void InternTokens(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                  std::vector<uint32_t>* a_ids, std::vector<uint32_t>* b_ids) {
  std::unordered_map<std::string_view, uint32_t> ids;
  ids.reserve(a.size() + b.size());
  auto intern = [&ids](const std::vector<std::string_view>& in, std::vector<uint32_t>* out) {
    out->clear();
    out->reserve(in.size());
    for (std::string_view token : in) {
      auto [it, inserted] = ids.try_emplace(token, static_cast<uint32_t>(ids.size()));
      out->push_back(it->second);
    }
  };
  intern(a, a_ids);
  intern(b, b_ids);
}

}  // namespace internal

std::vector<EditRun> DiffTokens(const std::vector<std::string_view>& before,
                                const std::vector<std::string_view>& after) {
  // A correction usually touches a few words of a long text: the common ends are matched
  // directly, and only the middle is interned and searched. A shortest script through the
  // middle, framed by the ends, is a shortest script for the whole.
  const size_t n = before.size();
  const size_t m = after.size();
  size_t prefix = 0;
  while (prefix < n && prefix < m && before[prefix] == after[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < n - prefix && suffix < m - prefix &&
         before[n - 1 - suffix] == after[m - 1 - suffix]) {
    ++suffix;
  }
  const std::vector<std::string_view> middle_before(before.begin() + prefix, before.end() - suffix);
  const std::vector<std::string_view> middle_after(after.begin() + prefix, after.end() - suffix);
  std::vector<uint32_t> a;
  std::vector<uint32_t> b;
  internal::InternTokens(middle_before, middle_after, &a, &b);
  std::vector<EditRun> script;
  script.reserve(8);
  if (prefix > 0) script.push_back({EditOp::kEqual, 0, 0, prefix});
  for (EditRun run : internal::MyersDiff(a, b)) {
    run.before_pos += prefix;
    run.after_pos += prefix;
    if (run.op == EditOp::kEqual && !script.empty() && script.back().op == EditOp::kEqual) {
      script.back().length += run.length;
    } else {
      script.push_back(run);
    }
  }
  if (suffix > 0) {
    if (!script.empty() && script.back().op == EditOp::kEqual) {
      script.back().length += suffix;
    } else {
      script.push_back({EditOp::kEqual, n - suffix, m - suffix, suffix});
    }
  }
  return script;
}

EditCounts CountEdits(const std::vector<EditRun>& script) {
  EditCounts counts;
  for (const EditRun& run : script) {
    if (run.op == EditOp::kInsert) counts.inserted += run.length;
    if (run.op == EditOp::kDelete) counts.deleted += run.length;
  }
  return counts;
}

WordDiffStats CountWordChanges(std::string_view before, std::string_view after) {
  // Words never span whitespace, so the bytes both texts share at either end, cut back to a
  // whitespace boundary, hold the same words on both sides: only the middles need splitting.
  const size_t shortest = std::min(before.size(), after.size());
  size_t head = 0;
  while (head < shortest && before[head] == after[head]) ++head;
  while (head > 0 && !IsWordSpace(before[head - 1])) --head;
  size_t tail = 0;
  while (tail < shortest - head &&
         before[before.size() - 1 - tail] == after[after.size() - 1 - tail]) {
    ++tail;
  }
  while (tail > 0 && !IsWordSpace(before[before.size() - tail])) --tail;
  const std::string_view before_middle = before.substr(head, before.size() - head - tail);
  const std::string_view after_middle = after.substr(head, after.size() - head - tail);
  const EditCounts counts =
      CountEdits(DiffTokens(SplitWords(before_middle), SplitWords(after_middle)));
  return {counts.inserted, counts.deleted};
}

}  // namespace palimpsest
