// Blame: which revision introduced each sentence of a document's body.
//
// Sentences (SplitSentences in tokenize.h) are aligned between consecutive revisions with a
// shortest edit script over whole sentences: a sentence kept unchanged keeps the revision it
// came from; an inserted or edited sentence belongs to the revision that brought it. A sentence
// that moved counts as new where it landed.
//
// Thread safety: pure functions over values.

#ifndef PALIMPSEST_BLAME_H_
#define PALIMPSEST_BLAME_H_

#include <cstdint>
#include <string>
#include <vector>

#include "palimpsest/documents.h"

namespace palimpsest {

struct BlameSentence {
  std::string text;
  uint32_t rev = 0;  // the revision that introduced it
};

struct BlameParagraph {
  std::vector<BlameSentence> sentences;
};

struct BlameView {
  std::string id;
  uint32_t rev = 0;  // the revision blamed
  std::vector<BlameParagraph> paragraphs;
  // Every revision up to `rev` (oldest first; change_summary left empty), so a reader can show
  // the kind, note and times of the revision behind each sentence.
  std::vector<RevisionInfo> revisions;
};

// One revision's body as blame needs it. `available` is false for a revision whose content may
// not be shown (redacted): it is skipped, and sentences it introduced are attributed to the
// next revision that shows them.
struct BlameInput {
  uint32_t rev = 0;
  bool available = true;
  std::string body;  // paragraphs separated by blank lines
};

// Blames the last element of `revisions` (oldest first; the last must be available).
std::vector<BlameParagraph> ComputeBlame(const std::vector<BlameInput>& revisions);

}  // namespace palimpsest

#endif  // PALIMPSEST_BLAME_H_
