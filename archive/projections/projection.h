// Projections: state derived only from events, rebuildable from the log at any time.
//
// A synchronous projection is applied inside the append transaction, so readers never see the
// log ahead of it; its checkpoint (last seq applied) is written in the same transaction. The
// archive owns its projections; main-line code never reaches them directly, only through the
// Archive's queries.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_PROJECTION_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_PROJECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "archive/content_store.h"
#include "archive/lmdb/lmdb.h"
#include "palimpsest/event.h"
#include "palimpsest/status.h"

namespace palimpsest {

// What an asynchronous projection works out for an event ahead of applying it (Prepare).
class PreparedWork {
 public:
  virtual ~PreparedWork() = default;

  // Set when the work was prepared from a snapshot whose revisions may hold other content than
  // the transaction it is applied in (replay prepares from the state it rebuilds: another
  // extractor, or a damaged projection). ApplyPrepared then uses it only where the content it
  // was derived from is equal to the content in that transaction.
  bool check_content = false;
};

class Projection {
 public:
  virtual ~Projection() = default;

  // Stable name; the checkpoint lives under meta key "checkpoint/<name>".
  virtual const char* name() const = 0;

  // The byte layout of its databases, raised when it changes (archive/projection_format.cc).
  virtual int format() const { return 1; }
  // The LMDB databases this projection owns; replay empties them and rebuilds.
  virtual std::vector<const char*> databases() const = 0;

  // Resolves database handles inside `txn` (creating them when `create`).
  virtual Status Open(lmdb::Txn& txn, bool create) = 0;

  // Applies one event (already in the log at event.seq) within the append transaction.
  // `contents` reads content stored by this or earlier transactions. An error aborts the
  // whole batch.
  virtual Status Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) = 0;

  // For an asynchronous projection: the costly part of applying `event` (extracting terms,
  // diffing two revisions), worked out in the read transaction `txn` — a snapshot holding the
  // event — on another thread while the writer applies earlier events (ArchiveImpl::CatchUp).
  // It may depend only on what no later event changes; ApplyPrepared checks that it still
  // holds. Null when there is nothing to do ahead (the default). Called concurrently with
  // Apply and ApplyPrepared; must not change the projection's state.
  virtual Result<std::unique_ptr<PreparedWork>> Prepare(lmdb::Txn& /*txn*/,
                                                        const Event& /*event*/) {
    return std::unique_ptr<PreparedWork>();
  }
  // Apply, using what Prepare made for this event (null: nothing, or it failed), with exactly
  // Apply's result.
  virtual Status ApplyPrepared(lmdb::Txn& txn, const Event& event, ContentStore& contents,
                               PreparedWork* /*prepared*/) {
    return Apply(txn, event, contents);
  }
  // Writes into `txn` what Apply and ApplyPrepared gathered instead of writing at once (the
  // search postings), and forgets it (also on error). Every caller that applies events calls it
  // before committing; until then the projection's databases may lag the events applied.
  virtual Status Flush(lmdb::Txn& /*txn*/) { return Status::OK(); }
  // Forgets what was gathered and not flushed: the transaction it was for was abandoned (a full
  // map restarts it, an error aborts it). Called before applying events in a new transaction.
  virtual void Discard() {}
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_PROJECTION_H_
