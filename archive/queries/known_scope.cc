#include "archive/queries/known_scope.h"

namespace palimpsest {

KnownScope::KnownScope(const std::string& requested, std::string stored,
                       const std::vector<DocumentMerge>& merges, Timestamp known_at)
    : stored_(std::move(stored)), shown_(stored_), known_at_(known_at) {
  if (known_at == kNoTime || merges.empty()) return;
  // Up from the asked-for id through the merges recorded by then: the document it was part of.
  std::string top = requested;
  for (bool moved = true; moved;) {
    moved = false;
    for (const DocumentMerge& m : merges) {
      if (m.from == top && m.recorded_at <= known_at) {
        top = m.into;
        moved = true;
        break;
      }
    }
  }
  // Down: every stream merged into it, or into one of those, by then.
  streams_ = {top};
  for (bool grew = true; grew;) {
    grew = false;
    for (const DocumentMerge& m : merges) {
      if (m.recorded_at <= known_at && streams_.count(m.into) != 0 &&
          streams_.insert(m.from).second) {
        grew = true;
      }
    }
  }
  shown_ = std::move(top);
}

bool KnownScope::Knows(const RevisionInfo& info) const {
  if (known_at_ == kNoTime) return true;
  if (info.recorded_at > known_at_) return false;
  return streams_.empty() ||
         streams_.count(info.merged_from.empty() ? stored_ : info.merged_from) != 0;
}

}  // namespace palimpsest
