// Projections: state derived only from events, rebuildable from the log at any time.
//
// A synchronous projection is applied inside the append transaction, so readers never see the
// log ahead of it; its checkpoint (last seq applied) is written in the same transaction. The
// archive owns its projections; main-line code never reaches them directly, only through the
// Archive's queries.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_PROJECTION_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_PROJECTION_H_

#include <string>
#include <vector>

#include "archive/content_store.h"
#include "archive/lmdb/lmdb.h"
#include "palimpsest/event.h"
#include "palimpsest/status.h"

namespace palimpsest {

class Projection {
 public:
  virtual ~Projection() = default;

  // Stable name; the checkpoint lives under meta key "checkpoint/<name>".
  virtual const char* name() const = 0;

  // The LMDB databases this projection owns; replay empties them and rebuilds.
  virtual std::vector<const char*> databases() const = 0;

  // Resolves database handles inside `txn` (creating them when `create`).
  virtual Status Open(lmdb::Txn& txn, bool create) = 0;

  // Applies one event (already in the log at event.seq) within the append transaction.
  // `contents` reads content stored by this or earlier transactions. An error aborts the
  // whole batch.
  virtual Status Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_PROJECTION_H_
