// The one-writer rule across processes: an advisory flock on <data dir>/writer.lock.
//
// LMDB's own writer mutex waits forever; this lock waits a bounded time and then fails with a
// clear message, so a second writer process never hangs.

#ifndef PALIMPSEST_ARCHIVE_WRITER_LOCK_H_
#define PALIMPSEST_ARCHIVE_WRITER_LOCK_H_

#include <string>

#include "palimpsest/status.h"

namespace palimpsest {

class WriterLock {
 public:
  WriterLock() = default;
  ~WriterLock();
  WriterLock(WriterLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  WriterLock& operator=(WriterLock&& other) noexcept;
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

  // Takes the lock on `path`, polling until `timeout_ms` has passed. IOError on timeout, naming
  // the path, or when the file cannot be opened.
  static Result<WriterLock> Acquire(const std::string& path, int timeout_ms);

 private:
  int fd_ = -1;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_WRITER_LOCK_H_
