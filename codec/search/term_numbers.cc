#include "codec/search/term_numbers.h"

#include "codec/search/term_set.h"

namespace palimpsest {

namespace {

constexpr size_t kInitialSlots = 4096;

}  // namespace

TermNumbers::TermNumbers() : slots_(kInitialSlots) {}

size_t TermNumbers::Probe(std::string_view term, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.number == 0) return i;
    if (slot.hash == hash && slot.length == term.size() &&
        std::string_view(arena_).substr(slot.offset, slot.length) == term) {
      return i;
    }
  }
}

uint32_t TermNumbers::Find(std::string_view term) const {
  return slots_[Probe(term, HashTerm(term))].number;
}

void TermNumbers::Insert(std::string_view term, uint32_t number) {
  if (number == 0) return;
  const uint64_t hash = HashTerm(term);
  Slot& slot = slots_[Probe(term, hash)];
  if (slot.number != 0) {
    slot.number = number;
    return;
  }
  slot = {hash, arena_.size(), static_cast<uint32_t>(term.size()), number};
  arena_.append(term);
  if (++size_ * 2 > slots_.size()) Grow();
}

void TermNumbers::Clear() {
  arena_.clear();
  slots_.assign(kInitialSlots, Slot{});
  size_ = 0;
}

void TermNumbers::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.number == 0) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].number != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace palimpsest
