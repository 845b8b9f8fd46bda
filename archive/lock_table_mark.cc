#include "archive/lock_table_mark.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace palimpsest {

namespace {

constexpr off_t kBase = off_t{1} << 50;
constexpr off_t kSpan = off_t{1} << 30;

// Whether any lock that conflicts with a write lock covers [start, start + len).
Result<bool> Locked(int fd, off_t start, off_t len) {
  if (len <= 0) return false;
  struct flock probe {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  probe.l_start = start;
  probe.l_len = len;
  if (fcntl(fd, F_OFD_GETLK, &probe) != 0) {
    return Status::IOError(std::string("cannot query locks on data.mdb: ") + std::strerror(errno));
  }
  return probe.l_type != F_UNLCK;
}

}  // namespace

LockTableMark::~LockTableMark() {
  if (fd_ >= 0) close(fd_);  // Closing the description releases the mark.
}

LockTableMark::LockTableMark(LockTableMark&& other) noexcept
    : fd_(other.fd_), offset_(other.offset_) {
  other.fd_ = -1;
}

LockTableMark& LockTableMark::operator=(LockTableMark&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    offset_ = other.offset_;
    other.fd_ = -1;
  }
  return *this;
}

Result<LockTableMark> LockTableMark::Place(const std::string& data_dir) {
  struct stat st;
  const std::string lock_path = data_dir + "/lock.mdb";
  if (stat(lock_path.c_str(), &st) != 0) {
    return Status::IOError("cannot stat " + lock_path + ": " + std::strerror(errno));
  }
  LockTableMark mark;
  const std::string data_path = data_dir + "/data.mdb";
  mark.fd_ = open(data_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (mark.fd_ < 0) {
    return Status::IOError("cannot open " + data_path + ": " + std::strerror(errno));
  }
  mark.offset_ = kBase + static_cast<off_t>(st.st_ino % static_cast<ino_t>(kSpan));
  struct flock lock {};
  lock.l_type = F_RDLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = mark.offset_;
  lock.l_len = 1;
  if (fcntl(mark.fd_, F_OFD_SETLK, &lock) != 0) {
    return Status::IOError("cannot mark " + data_path + ": " + std::strerror(errno));
  }
  return mark;
}

Status LockTableMark::AloneOnThisLockTable() const {
  PALIMPSEST_ASSIGN_OR_RETURN(bool below, Locked(fd_, kBase, offset_ - kBase));
  PALIMPSEST_ASSIGN_OR_RETURN(bool above, Locked(fd_, offset_ + 1, kBase + kSpan - offset_ - 1));
  if (!below && !above) return Status::OK();
  return Status::IOError(
      "another process still uses a lock.mdb that was deleted or replaced; refusing to write "
      "until it exits (it cannot see this process's readers, nor this one its readers). Never "
      "delete lock.mdb, data.mdb or any file of the archive while a palimpsest process uses it");
}

Status LockTableMark::AloneWithTheArchive() const {
  PALIMPSEST_ASSIGN_OR_RETURN(bool others, Locked(fd_, kBase, kSpan));
  if (!others) return Status::OK();
  return Status::IOError(
      "another process has the archive open (a server, an import, a reader); stop it first");
}

}  // namespace palimpsest
