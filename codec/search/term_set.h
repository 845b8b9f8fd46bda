// TermSet: the distinct search terms of one or more texts, collected with one hash probe per
// occurrence and no allocation per term. The search projection builds one per revision it
// indexes (an article of 1,500 words holds about 800 distinct terms), so this is on the hot
// path of every catch-up and replay.
//
// The terms' bytes live in one arena string; a power-of-two open-addressing table holds each
// distinct term's hash and index. Views returned point into the arena.
//
// Thread safety: none; one TermSet per thread.

#ifndef PALIMPSEST_CODEC_SEARCH_TERM_SET_H_
#define PALIMPSEST_CODEC_SEARCH_TERM_SET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace palimpsest {

// The 64-bit hash the term tables (TermSet, TermNumbers) place a term by.
uint64_t HashTerm(std::string_view term);

class TermSet {
 public:
  TermSet();

  // Adds every term of `text` (as VisitTerms finds them) not yet in the set, and counts each
  // occurrence; `title`: the text is a title (Entry::in_title).
  void AddTermsOf(std::string_view text, bool title = false);

  // Adds `term` unless present; counts the occurrence.
  void Add(std::string_view term, bool title = false);

  size_t size() const { return terms_.size(); }

  // A distinct term, how often it occurred, and whether in a title.
  struct Entry {
    std::string_view term;
    uint32_t count = 0;
    bool in_title = false;
  };
  // Every term in the order it first appeared; the views are valid until the set is next
  // changed or destroyed.
  std::vector<Entry> Entries() const;

  // Whether `term` is in the set; when it is, marks it.
  bool Mark(std::string_view term);
  void ClearMarks();

  // The terms not marked, in the order they first appeared; the views are valid until the set
  // is next changed or destroyed.
  std::vector<std::string_view> Unmarked() const;

 private:
  struct Term {
    uint32_t offset;
    uint32_t length;
    uint32_t count;
    bool in_title;
    bool marked;
  };
  struct Slot {
    uint64_t hash = 0;
    uint32_t index = 0;  // 1 + the term's index in terms_; 0: empty
  };
  // The slot holding `term` (hashed `hash`), or the empty slot where it would go.
  Slot& Find(std::string_view term, uint64_t hash);
  std::string_view View(const Term& term) const;
  void Grow();

  std::string arena_;
  std::vector<Term> terms_;  // in order of first appearance
  std::vector<Slot> slots_;  // size a power of two, at most half full
};

}  // namespace palimpsest

#endif  // PALIMPSEST_CODEC_SEARCH_TERM_SET_H_
