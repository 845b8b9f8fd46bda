// Which LMDB lock table each process with the archive open uses, marked where every other
// process can see it.
//
// LMDB keeps its reader table and writer mutex in <data dir>/lock.mdb. A process that opens
// the archive after that file was deleted gets a fresh, empty table: it cannot see the readers
// of processes still using the old one, so if it wrote it could reuse pages they are reading.
// Since writers lock per transaction (writer_lock.h), such a writer is not kept out by a lock
// held by another writer. So every process marks the table it uses:
//
// Mark format: a shared open-file-description lock (F_OFD_SETLK, F_RDLCK) on one byte of
// data.mdb at offset kBase + (inode of lock.mdb % kSpan), far past any real data (a record
// lock needs no bytes there). A writer asks, before each transaction, whether any lock exists
// in [kBase, kBase + kSpan) other than at its own offset: one does only when a process uses
// another lock.mdb, and the write is refused until that process exits. OFD locks are used
// because they belong to the open file, not the process: closing another descriptor of
// data.mdb (LMDB's own, another Archive's) does not drop them.

#ifndef PALIMPSEST_ARCHIVE_LOCK_TABLE_MARK_H_
#define PALIMPSEST_ARCHIVE_LOCK_TABLE_MARK_H_

#include <sys/types.h>

#include <string>

#include "palimpsest/status.h"

namespace palimpsest {

class LockTableMark {
 public:
  LockTableMark() = default;
  ~LockTableMark();
  LockTableMark(LockTableMark&& other) noexcept;
  LockTableMark& operator=(LockTableMark&& other) noexcept;
  LockTableMark(const LockTableMark&) = delete;
  LockTableMark& operator=(const LockTableMark&) = delete;

  // Marks the lock.mdb now in `data_dir` as this process's table (call after LMDB opened it).
  // IOError when the files cannot be opened or locked.
  static Result<LockTableMark> Place(const std::string& data_dir);

  // OK unless another process marked a different lock.mdb: IOError saying so.
  Status AloneOnThisLockTable() const;
  // OK when no other process (nor another Archive of this one) has the archive open: every
  // opener holds a mark, and only this one's is not a conflict. IOError (exit 5) saying so.
  Status AloneWithTheArchive() const;

 private:
  int fd_ = -1;
  off_t offset_ = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_LOCK_TABLE_MARK_H_
