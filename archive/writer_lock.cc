#include "archive/writer_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace palimpsest {

namespace {

constexpr const char* kNeverDelete =
    "never delete lock.mdb, data.mdb or writer.lock while any palimpsest process uses the archive";

}  // namespace

WriterLock::~WriterLock() {
  if (fd_ >= 0) close(fd_);  // Closing releases the flock.
}

WriterLock::WriterLock(WriterLock&& other) noexcept
    : fd_(other.fd_),
      data_dir_(std::move(other.data_dir_)),
      lock_dev_(other.lock_dev_),
      lock_ino_(other.lock_ino_) {
  other.fd_ = -1;
}

WriterLock& WriterLock::operator=(WriterLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
    data_dir_ = std::move(other.data_dir_);
    lock_dev_ = other.lock_dev_;
    lock_ino_ = other.lock_ino_;
  }
  return *this;
}

Result<WriterLock> WriterLock::Open(const std::string& data_dir) {
  WriterLock lock;
  lock.data_dir_ = data_dir;
  const std::string path = data_dir + "/data.mdb";
  lock.fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock.fd_ < 0) {
    return Status::IOError("cannot open " + path + " for writing: " + std::strerror(errno));
  }
  return lock;
}

WriterLock::Hold::~Hold() {
  if (fd_ >= 0) flock(fd_, LOCK_UN);
}

Result<WriterLock::Hold> WriterLock::Take(int timeout_ms) const {
  const std::string path = data_dir_ + "/data.mdb";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return Status::IOError("cannot lock " + path + ": " + std::strerror(errno));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::IOError("another process is writing to this archive (waited " +
                             std::to_string(timeout_ms) + " ms for its lock on " + path + "); " +
                             kNeverDelete);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return Hold(fd_);
}

Status WriterLock::WatchLmdbLockFile() {
  struct stat st;
  const std::string path = data_dir_ + "/lock.mdb";
  if (stat(path.c_str(), &st) != 0) {
    return Status::IOError("cannot stat " + path + ": " + std::strerror(errno));
  }
  lock_dev_ = st.st_dev;
  lock_ino_ = st.st_ino;
  return Status::OK();
}

Status WriterLock::IntactLmdbLockFile() const {
  struct stat st;
  const std::string path = data_dir_ + "/lock.mdb";
  if (stat(path.c_str(), &st) == 0 && st.st_dev == lock_dev_ && st.st_ino == lock_ino_) {
    return Status::OK();
  }
  return Status::IOError(path +
                         " was deleted or replaced while this process had the archive "
                         "open; refusing to write (readers and writers no longer share one "
                         "reader table). Stop every palimpsest process using the archive, then "
                         "start again; " +
                         kNeverDelete);
}

Status WriterLock::IntactDataFile() const {
  struct stat open_file, at_path;
  const std::string path = data_dir_ + "/data.mdb";
  if (fstat(fd_, &open_file) == 0 && stat(path.c_str(), &at_path) == 0 &&
      open_file.st_dev == at_path.st_dev && open_file.st_ino == at_path.st_ino) {
    return Status::OK();
  }
  return Status::IOError(path +
                         " was replaced (by `palimpsest compact`) after this process opened the "
                         "archive; refusing to write to the old file. Open the archive again");
}

}  // namespace palimpsest
