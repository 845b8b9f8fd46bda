// The change feed query: entries of the change-feed projection matching a filter.

#include <vector>

#include "archive/archive_impl.h"

namespace palimpsest {

Result<std::vector<ChangeEntry>> ArchiveImpl::Changes(const ChangeFilter& filter) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  return change_feed_.Changes(r.txn, filter);
}

}  // namespace palimpsest
