// The words of the benchmark workload: an order-2 word Markov chain trained on real prose, so
// that generated articles read, compress and index like news text (a list of a hundred words
// compresses and indexes like nothing real), or, untrained, a fixed news vocabulary.
//
// Thread safety: a trained model is immutable; its methods only draw from the engine passed.

#ifndef PALIMPSEST_BENCH_TEXT_MODEL_H_
#define PALIMPSEST_BENCH_TEXT_MODEL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace palimpsest::bench {

class TextModel {
 public:
  // Trains on the "body" string of every line of a JSON Lines file (such as
  // ../shared/tools/prose-en.jsonl). Returns nothing, with `*error` set, when the file cannot
  // be read or yields fewer than 1,000 words.
  static std::optional<TextModel> FromJsonLines(const std::string& path, std::string* error);

  // Trains on `texts`: words are runs of ASCII letters, digits, apostrophes and hyphens, a
  // trailing comma kept; everything else separates them.
  static TextModel Train(const std::vector<std::string>& texts);

  // A sentence of 12 to 32 words walked along the chain from a random pair, capitalized and
  // ended with a full stop. Plain ASCII.
  std::string Sentence(std::mt19937_64& engine) const;

  // A word drawn from the training text (as often as it occurs there).
  std::string Word(std::mt19937_64& engine) const;

  size_t words() const { return words_.size(); }

 private:
  std::vector<std::string> words_;                   // the training text, in order
  std::vector<std::pair<uint32_t, uint32_t>> keys_;  // distinct word-id pairs
  std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> next_;  // pair → next ids
  std::vector<std::string> vocabulary_;                                  // id → word
};

}  // namespace palimpsest::bench

#endif  // PALIMPSEST_BENCH_TEXT_MODEL_H_
