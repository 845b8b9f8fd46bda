// The change-feed projection: every revision indexed by recorded time and by effective time,
// for "what changed between T1 and T2" on either axis. Synchronous (applied in the append
// transaction, after the article projection), as cheap as two puts per revision.
//
// Databases (byte layouts, also in schemas/README.md):
//   changes_recorded   key = recorded_at (i64 BE, sign bit flipped), seq (u64 BE)
//   changes_effective  key = effective_at (same encoding), seq (u64 BE)
//   value (both)       = doc id, NUL, rev (u32 BE) as numbered when recorded, then the
//                        effective time the changes_effective key holds (i64, same encoding;
//                        absent in archives written before it); once a backfill has renumbered
//                        the document, readers find it by the key's seq
// The seq suffix keeps keys unique and orders revisions of one instant by log order. A backfill
// or a merge that re-derives a revision's effective time moves its changes_effective entry.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_CHANGE_FEED_PROJECTION_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_CHANGE_FEED_PROJECTION_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/projections/article_projection.h"
#include "archive/projections/projection.h"
#include "palimpsest/changes.h"

namespace palimpsest {

class ChangeFeedProjection : public Projection {
 public:
  static constexpr const char* kRecorded = "changes_recorded";
  static constexpr const char* kEffective = "changes_effective";

  // Reads revisions through `articles`, which must outlive this projection and be applied
  // before it.
  explicit ChangeFeedProjection(ArticleProjection* articles) : articles_(articles) {}

  const char* name() const override { return "change_feed"; }
  std::vector<const char*> databases() const override { return {kRecorded, kEffective}; }
  Status Open(lmdb::Txn& txn, bool create) override;
  Status Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) override;

  // Revisions in [filter.since, filter.until) on filter.axis, in time order (then log order),
  // or newest first (filter.newest_first). Diffs are not filled in (ArchiveImpl::Changes does).
  Result<std::vector<ChangeEntry>> Changes(lmdb::Txn& txn, const ChangeFilter& filter);

 private:
  // The entry of one change-feed record, or nullopt when the filter leaves it out.
  Result<std::optional<ChangeEntry>> Entry(lmdb::Txn& txn, const ChangeFilter& filter,
                                           std::string_view key, std::string_view value);
  // After a backfill or merge re-derived revisions of `doc_id`: moves the changes_effective
  // entry of each whose effective time changed.
  Status FollowRederived(lmdb::Txn& txn, const std::string& doc_id);

  ArticleProjection* articles_;
  MDB_dbi recorded_ = 0;
  MDB_dbi effective_ = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_CHANGE_FEED_PROJECTION_H_
