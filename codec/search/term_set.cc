#include "codec/search/term_set.h"

#include "palimpsest/search.h"

namespace palimpsest {

namespace {

constexpr size_t kInitialTermSlots = 1024;

}  // namespace

uint64_t HashTerm(std::string_view term) {
  // FNV-1a: terms are short, and the tables compare the full hash before any bytes.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : term) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

TermSet::TermSet() : slots_(kInitialTermSlots) {}

void TermSet::AddTermsOf(std::string_view text, bool title) {
  VisitTerms(text, [this, title](const TermOccurrence& t) { Add(t.term, title); });
}

std::string_view TermSet::View(const Term& term) const {
  return std::string_view(arena_).substr(term.offset, term.length);
}

TermSet::Slot& TermSet::Find(std::string_view term, uint64_t hash) {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.index == 0 || (slot.hash == hash && View(terms_[slot.index - 1]) == term)) {
      return slot;
    }
  }
}

void TermSet::Add(std::string_view term, bool title) {
  if (term.empty()) return;
  const uint64_t hash = HashTerm(term);
  Slot& slot = Find(term, hash);
  if (slot.index != 0) {
    Term& known = terms_[slot.index - 1];
    if (known.count < UINT32_MAX) ++known.count;
    known.in_title = known.in_title || title;
    return;
  }
  terms_.push_back(
      {static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(term.size()), 1, title, false});
  arena_.append(term);
  slot = {hash, static_cast<uint32_t>(terms_.size())};
  if (terms_.size() * 2 > slots_.size()) Grow();
}

bool TermSet::Mark(std::string_view term) {
  const Slot& slot = Find(term, HashTerm(term));
  if (slot.index == 0) return false;
  terms_[slot.index - 1].marked = true;
  return true;
}

void TermSet::ClearMarks() {
  for (Term& t : terms_) t.marked = false;
}

void TermSet::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.index == 0) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].index != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

std::vector<TermSet::Entry> TermSet::Entries() const {
  std::vector<Entry> out;
  out.reserve(terms_.size());
  for (const Term& t : terms_) out.push_back({View(t), t.count, t.in_title});
  return out;
}

std::vector<std::string_view> TermSet::Unmarked() const {
  std::vector<std::string_view> out;
  for (const Term& t : terms_) {
    if (!t.marked) out.push_back(View(t));
  }
  return out;
}

}  // namespace palimpsest
