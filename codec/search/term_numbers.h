// TermNumbers: search terms and the numbers the index gave them (search_vocabulary), looked up
// with one hash probe and no allocation per term. The search projection asks for the number of
// every distinct term of every revision it indexes — millions per replay — so this is on the
// hot path of every catch-up and replay.
//
// The terms' bytes live in one arena string; a power-of-two open-addressing table holds each
// term's hash, its place in the arena and its number.
//
// Thread safety: none; one TermNumbers per thread.

#ifndef PALIMPSEST_CODEC_SEARCH_TERM_NUMBERS_H_
#define PALIMPSEST_CODEC_SEARCH_TERM_NUMBERS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace palimpsest {

class TermNumbers {
 public:
  TermNumbers();

  // The number recorded for `term`, or 0 when there is none.
  uint32_t Find(std::string_view term) const;

  // Records `number` (not 0) for `term`, replacing any number recorded for it.
  void Insert(std::string_view term, uint32_t number);

  // Forgets every term.
  void Clear();

  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint64_t offset = 0;  // of the term's bytes in arena_
    uint32_t length = 0;
    uint32_t number = 0;  // 0: empty
  };
  // The slot holding `term` (hashed `hash`), or the empty slot where it would go.
  size_t Probe(std::string_view term, uint64_t hash) const;
  void Grow();

  std::string arena_;
  std::vector<Slot> slots_;  // size a power of two, at most half full
  size_t size_ = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_CODEC_SEARCH_TERM_NUMBERS_H_
