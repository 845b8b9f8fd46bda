// What a --known-at read may see of a document that merges have touched. At a recorded time T
// the asked-for id named the document it had been merged into by then (or itself, if not yet
// merged), and that document held the revisions of its own stream and of every stream merged
// into it (or into one of those) by T — recorded by T. Revisions a later merge brought are
// left out, so both the survivor and the merged-away id read as they did before the merge.

#ifndef PALIMPSEST_ARCHIVE_QUERIES_KNOWN_SCOPE_H_
#define PALIMPSEST_ARCHIVE_QUERIES_KNOWN_SCOPE_H_

#include <set>
#include <string>
#include <vector>

#include "palimpsest/documents.h"

namespace palimpsest {

class KnownScope {
 public:
  // `requested` as known at `known_at` (kNoTime: now), read from the document `stored` it
  // resolves to now, whose merges (DocumentState::merges) are `merges`.
  KnownScope(const std::string& requested, std::string stored,
             const std::vector<DocumentMerge>& merges, Timestamp known_at);

  Timestamp known_at() const { return known_at_; }
  // The id the document had at that time: the answers carry it.
  const std::string& shown() const { return shown_; }
  // True when the revision `info`, stored under the resolved document, was part of the
  // document then.
  bool Knows(const RevisionInfo& info) const;

 private:
  std::string stored_;
  std::string shown_;
  Timestamp known_at_ = kNoTime;
  std::set<std::string> streams_;  // empty: every stream
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_QUERIES_KNOWN_SCOPE_H_
