// Archive::Backup: a consistent hot copy through LMDB's copy API (mdb_env_copy2); and
// Archive::Compact: a compacting copy swapped in for data.mdb (the protocol is in archive.h).
//
// mdb_env_copy2 copies inside one read transaction, so the copy is exactly one committed
// snapshot even while writers (threads of this process or other processes) keep appending.
// Like every read, it holds map_mu_ shared so the map is not resized under it.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <shared_mutex>

#include "archive/archive_impl.h"

namespace palimpsest {

namespace {

// fsyncs `path` (a file or a directory).
Status SyncPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  if (rc != 0) return Status::IOError("cannot sync " + path + ": " + std::strerror(saved));
  return Status::OK();
}

}  // namespace

Status ArchiveImpl::Backup(const std::string& dest_dir, bool compact) {
  namespace fs = std::filesystem;
  if (dest_dir.empty()) return Status::InvalidArgument("backup destination is empty");
  std::error_code ec;
  bool created = false;
  if (fs::exists(dest_dir, ec)) {
    if (!fs::is_directory(dest_dir, ec)) {
      return Status::InvalidArgument("backup destination " + dest_dir +
                                     " exists and is not a directory");
    }
    if (!fs::is_empty(dest_dir, ec) || ec) {
      return Status::InvalidArgument("backup destination " + dest_dir +
                                     " is not empty (give a new or empty directory)");
    }
  } else {
    if (!fs::create_directories(dest_dir, ec) || ec) {
      return Status::IOError("cannot create backup directory " + dest_dir + ": " +
                             (ec ? ec.message() : std::string("unknown error")));
    }
    created = true;
  }
  if (fs::equivalent(dest_dir, options_.data_dir, ec)) {
    return Status::InvalidArgument("backup destination is the archive itself");
  }

  Status s;
  {
    std::shared_lock<std::shared_mutex> map_lock(map_mu_);
    s = env_.CopyTo(dest_dir, compact).WithContext("backup to " + dest_dir);
  }
  if (s.ok()) s = SyncPath(dest_dir + "/data.mdb");
  if (s.ok()) s = SyncPath(dest_dir);
  if (!s.ok()) {
    // Leave nothing that looks like a usable backup behind.
    if (created) {
      fs::remove_all(dest_dir, ec);
    } else {
      fs::remove(dest_dir + "/data.mdb", ec);
    }
  }
  return s;
}

Result<CompactReport> ArchiveImpl::Compact() {
  namespace fs = std::filesystem;
  if (read_only_ || !lock_ || !mark_) {
    return Status::InvalidArgument("compact needs the archive opened for writing");
  }
  std::lock_guard<std::mutex> write(write_mu_);
  PALIMPSEST_RETURN_IF_ERROR(lock_->IntactLmdbLockFile());
  PALIMPSEST_ASSIGN_OR_RETURN(WriterLock::Hold hold, lock_->Take(options_.lock_timeout_ms));
  PALIMPSEST_RETURN_IF_ERROR(lock_->IntactDataFile());
  PALIMPSEST_RETURN_IF_ERROR(mark_->AloneWithTheArchive());
  const std::string data = options_.data_dir + "/data.mdb";
  const std::string staging = options_.data_dir + "/compact.tmp";
  std::error_code ec;
  fs::remove_all(staging, ec);  // left by a compaction that crashed; data.mdb was untouched
  if (!fs::create_directory(staging, ec) || ec) {
    return Status::IOError("cannot create " + staging + ": " +
                           (ec ? ec.message() : std::string("it exists")));
  }
  CompactReport report;
  report.bytes_before = fs::file_size(data, ec);
  Status s;
  {
    std::shared_lock<std::shared_mutex> map_lock(map_mu_);
    s = env_.CopyTo(staging, /*compact=*/true);
  }
  if (s.ok()) s = SyncPath(staging + "/data.mdb");
  // Whoever opened the archive during the copy would go on with the old file: give up.
  if (s.ok()) s = mark_->AloneWithTheArchive();
  if (s.ok() && ::rename((staging + "/data.mdb").c_str(), data.c_str()) != 0) {
    s = Status::IOError("cannot replace " + data + ": " + std::strerror(errno));
  }
  fs::remove_all(staging, ec);
  PALIMPSEST_RETURN_IF_ERROR(s.WithContext("compacting " + data + " (left unchanged)"));
  // Renamed: the compacted file is in place; only its directory entry may not be durable yet.
  PALIMPSEST_RETURN_IF_ERROR(SyncPath(options_.data_dir).WithContext("compacted " + data));
  report.bytes_after = fs::file_size(data, ec);
  return report;
}

}  // namespace palimpsest
