// What a captured revision is, told from its content and the revision before it in capture
// order: its kind ("original", "correction", "update" or an importer's declared kind), the
// note it brought, whether it is a stealth edit, its effective time and its word counts. One
// pure function, so the article projection (at append and when a backfill gives a revision a
// new predecessor) and the --known-at queries (numbering and kinds as the archive knew them)
// derive exactly the same thing.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_CAPTURE_CHANGE_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_CAPTURE_CHANGE_H_

#include <initializer_list>
#include <string>

#include "archive/projections/revision_records.h"
#include "palimpsest/article.h"
#include "palimpsest/documents.h"

namespace palimpsest {

// The inputs of a capture that its content does not hold.
struct CaptureFacts {
  Timestamp captured_at = kNoTime;
  std::string declared_kind;  // an importer's "kind" field, or ""
  // The event's effective time when it differs from captured_at, else kNoTime.
  Timestamp declared_effective = kNoTime;
};

// Sets info->kind, note, stealth, effective_at, words_added and words_removed of a revision
// with `content` captured as `facts` say, following `before` (null: the first revision).
void DeriveCaptureChange(const ArticleContent* before, const ArticleContent& content,
                         const CaptureFacts& facts, RevisionInfo* info);

// The facts a stored capture revision can still tell: its capture time, and its kind when that
// is an importer's (not one DeriveCaptureChange would choose), and then its effective time as
// the declared one (the event's own is not stored): a declared kind keeps its effective time.
CaptureFacts StoredCaptureFacts(const RevisionInfo& info);

// True when `next` differs from `prev` only by lines that one of them removed as chrome: a
// line learned as chrome after `prev` was extracted, or chrome the page added or dropped.
bool SameButChrome(const ArticleContent& prev, const ArticleContent& next);

// Re-derives `revision` (with its body) against `before`, its predecessor in some order (null:
// none), as DeriveCaptureChange would have. A person's correction or retraction keeps its
// kind, note and time, and only its word counts change; a redacted revision is left as it is.
void RederiveRevision(const StoredRevision* before, StoredRevision* revision);

// The first of `times` that is set (not kNoTime); kNoTime when none is.
inline Timestamp FirstSet(std::initializer_list<Timestamp> times) {
  for (Timestamp t : times) {
    if (t != kNoTime) return t;
  }
  return kNoTime;
}

// Where a revision sits in capture order: its capture time, or for a revision a person entered
// (a correction, a retraction) the time it took effect.
inline Timestamp CaptureOrderTime(const RevisionInfo& info) {
  return info.captured_at != kNoTime ? info.captured_at : info.effective_at;
}

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_CAPTURE_CHANGE_H_
