// Archive::Backup: a consistent hot copy through LMDB's copy API (mdb_env_copy2).
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

}  // namespace palimpsest
