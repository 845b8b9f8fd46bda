// The watch projection: the watch list and what the checks of each watch found, as the watch
// streams' events (event.h: WatchedEvent, UnwatchedEvent, CheckedEvent) left them. Synchronous
// (applied in the append transaction), so `watch list` and the scheduler always see every
// check committed.
//
// Databases (byte layouts also in schemas/README.md):
//   watches  key = the watch's stream id (WatchStreamId: "watch:" and 24 hex digits)
//            value = a WatchRecord (schemas/projections.capnp), canonical Cap'n Proto
//   hooks    key = the webhook's stream id (HookStreamId), value = a HookRecord
// Hook events (HookAddedEvent, HookRemovedEvent, DeliveredEvent) keep `hooks` as watch events
// keep `watches`.
// An unwatched URL's entry is deleted; re-adding it starts a fresh entry (its stream and old
// checks stay in the log). A check of a URL not on the list changes nothing here.
// An archive written before watches existed has no `watches` database; it reads as an empty
// list, and the first writable open creates the database.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_WATCH_PROJECTION_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_WATCH_PROJECTION_H_

#include <optional>
#include <string>
#include <vector>

#include "archive/projections/projection.h"
#include "palimpsest/watches.h"

namespace palimpsest {

class WatchProjection : public Projection {
 public:
  static constexpr const char* kWatches = "watches";
  static constexpr const char* kHooks = "hooks";

  const char* name() const override { return "watches"; }
  std::vector<const char*> databases() const override { return {kWatches, kHooks}; }
  Status Open(lmdb::Txn& txn, bool create) override;
  Status Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) override;

  // Every watch, in stream-id order.
  Result<std::vector<WatchInfo>> List(lmdb::Txn& txn);
  // The watch of stream `id`; NotFound when there is none.
  Result<WatchInfo> Get(lmdb::Txn& txn, const std::string& id);
  // Every webhook, in stream-id order.
  Result<std::vector<HookInfo>> Hooks(lmdb::Txn& txn);

 private:
  Status Put(lmdb::Txn& txn, const WatchInfo& watch);
  Status ApplyHookEvent(lmdb::Txn& txn, const Event& event);
  Result<std::optional<HookInfo>> GetHook(lmdb::Txn& txn, const std::string& id);

  MDB_dbi watches_ = 0;
  MDB_dbi hooks_ = 0;
  bool present_ = false;        // false: an archive older than watches, opened read-only
  bool hooks_present_ = false;  // the same for hooks
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_WATCH_PROJECTION_H_
