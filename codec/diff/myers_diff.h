// Internal: Myers' diff over interned token ids. The public entry points (DiffTokens,
// CountWordChanges) live in include/palimpsest/diff.h; this header lets the other diff files
// run the algorithm on ids they already computed, without re-hashing strings.

#ifndef PALIMPSEST_CODEC_DIFF_MYERS_DIFF_H_
#define PALIMPSEST_CODEC_DIFF_MYERS_DIFF_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "palimpsest/diff.h"

namespace palimpsest::internal {

// A shortest edit script from `a` to `b`, normalized as DiffTokens documents (maximal runs,
// deletions before insertions inside each change region). Time O((N+M)·D), space O(N+M), where
// tokens found on one side only do not count towards N+M. Ids must be small (dense, as
// InternTokens makes them): a table of max id entries is allocated.
std::vector<EditRun> MyersDiff(std::span<const uint32_t> a, std::span<const uint32_t> b);

// Maps equal tokens of both sequences to equal ids (and different tokens to different ids).
void InternTokens(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                  std::vector<uint32_t>* a_ids, std::vector<uint32_t>* b_ids);

}  // namespace palimpsest::internal

#endif  // PALIMPSEST_CODEC_DIFF_MYERS_DIFF_H_
