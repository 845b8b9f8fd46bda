// Watch queries: the watch list and the webhooks as the watch projection keeps them.

#include "archive/archive_impl.h"

namespace palimpsest {

Result<std::vector<WatchInfo>> ArchiveImpl::Watches() {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  return watches_.List(r.txn);
}

Result<WatchInfo> ArchiveImpl::GetWatch(std::string_view url) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  auto watch = watches_.Get(r.txn, WatchStreamId(url));
  if (watch.status().IsNotFound()) {
    return Status::NotFound("'" + std::string(url) + "' is not watched");
  }
  return watch;
}

Result<std::vector<HookInfo>> ArchiveImpl::Hooks() {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  return watches_.Hooks(r.txn);
}

}  // namespace palimpsest
