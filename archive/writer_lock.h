// The one-writer rule across processes: an advisory flock on <data dir>/data.mdb itself, held
// for one write transaction at a time (Hold), not for as long as the archive is open. So a
// `palimpsest import` from cron commits between the group commits of a running server, each
// waiting its turn: LMDB serialises the transactions themselves.
//
// LMDB's own writer mutex waits forever; this lock waits a bounded time and then fails with a
// clear message, so a writer stuck behind a long transaction of another process (a replay)
// never hangs. It is taken on the data file, which
// cannot be deleted without deleting the archive: a lock on a separate file (the old
// writer.lock) could be deleted while held, letting a second writer in.
//
// The lock also watches LMDB's lock.mdb (its reader table and writer mutex). Deleting or
// replacing that file while the archive is open splits readers and writers onto different
// tables, after which a writer may overwrite pages a reader still reads; IntactLmdbLockFile()
// notices and the archive refuses to write from then on.

#ifndef PALIMPSEST_ARCHIVE_WRITER_LOCK_H_
#define PALIMPSEST_ARCHIVE_WRITER_LOCK_H_

#include <sys/types.h>

#include <string>

#include "palimpsest/status.h"

namespace palimpsest {

class WriterLock {
 public:
  WriterLock() = default;
  ~WriterLock();
  WriterLock(WriterLock&& other) noexcept;
  WriterLock& operator=(WriterLock&& other) noexcept;
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

  // Opens <data_dir>/data.mdb (created empty if missing; LMDB initializes an empty data file)
  // to lock it later. IOError when the file cannot be opened.
  static Result<WriterLock> Open(const std::string& data_dir);

  // The lock, held until destroyed.
  class Hold {
   public:
    explicit Hold(int fd) : fd_(fd) {}
    ~Hold();
    Hold(Hold&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    Hold& operator=(Hold&&) = delete;
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    int fd_;
  };

  // Takes the lock, polling until `timeout_ms` has passed: IOError ("another process is
  // writing") on timeout. Not reentrant: the caller serialises its own threads.
  Result<Hold> Take(int timeout_ms) const;

  // Remembers which file <data_dir>/lock.mdb is now (call after LMDB opened it).
  Status WatchLmdbLockFile();
  // OK while <data_dir>/lock.mdb is the file WatchLmdbLockFile() saw; IOError once it was
  // deleted or replaced.
  Status IntactLmdbLockFile() const;
  // OK while <data_dir>/data.mdb is still the file this lock opened; IOError once another file
  // took its place (`palimpsest compact` swaps in a compacted copy): writing to the old one
  // would be lost. Call with the lock held.
  Status IntactDataFile() const;

 private:
  int fd_ = -1;
  std::string data_dir_;
  dev_t lock_dev_ = 0;
  ino_t lock_ino_ = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_WRITER_LOCK_H_
