#include "archive/lmdb/lmdb.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

namespace palimpsest::lmdb {

Status FromCode(int rc, const char* op) {
  if (rc == MDB_SUCCESS) return Status::OK();
  std::string msg = std::string(op) + ": " + mdb_strerror(rc);
  switch (rc) {
    case MDB_NOTFOUND:
      return Status::NotFound(msg);
    case MDB_MAP_FULL:
      return Status::WithDetail(StatusCode::kIOError, StatusDetail::kMapFull, msg);
    case MDB_MAP_RESIZED:
      return Status::WithDetail(StatusCode::kIOError, StatusDetail::kMapResized, msg);
    case MDB_KEYEXIST:
      return Status::WithDetail(StatusCode::kIOError, StatusDetail::kKeyExists, msg);
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH:
    // The archive opens its databases with fixed flags, so a named database whose stored
    // flags disagree has a damaged record in the main database.
    case MDB_INCOMPATIBLE:
      return Status::Corruption(msg);
    case ENOSPC:
      return Status::IOError(std::string(op) + ": no space left on device");
    case EFBIG:
      return Status::IOError(std::string(op) + ": file size limit reached / disk full");
    case EIO:
      // LMDB reports a short write (the usual sign of a full disk or a file size limit hit
      // mid-write) as EIO.
      return Status::IOError(std::string(op) +
                             ": write failed (input/output error): disk full or file size limit "
                             "reached?");
    default:
      return Status::IOError(msg);
  }
}

bool IsMapFull(const Status& s) { return s.detail() == StatusDetail::kMapFull; }

Env::~Env() {
  if (env_ != nullptr) mdb_env_close(env_);
}

Env& Env::operator=(Env&& other) noexcept {
  if (this != &other) {
    if (env_ != nullptr) mdb_env_close(env_);
    env_ = other.env_;
    other.env_ = nullptr;
  }
  return *this;
}

namespace {

// A data file shorter than the pages its meta page says are in use would make the first read
// of a missing page fault (SIGBUS on the mapping) instead of failing.
Status CheckNotTruncated(MDB_env* env, const std::string& dir) {
  MDB_envinfo info;
  MDB_stat stat;
  if (mdb_env_info(env, &info) != 0 || mdb_env_stat(env, &stat) != 0) return Status::OK();
  struct stat st;
  const std::string path = dir + "/data.mdb";
  if (::stat(path.c_str(), &st) != 0) return Status::OK();
  const uint64_t needed = (static_cast<uint64_t>(info.me_last_pgno) + 1) * stat.ms_psize;
  if (static_cast<uint64_t>(st.st_size) < needed) {
    return Status::Corruption(path + " is truncated: " + std::to_string(st.st_size) +
                              " bytes, but its pages in use end at byte " + std::to_string(needed) +
                              " (restore it from a backup)");
  }
  return Status::OK();
}

}  // namespace

Result<Env> Env::Open(const std::string& dir, bool read_only, bool no_sync, uint64_t map_size,
                      unsigned max_dbs) {
  auto env = OpenOnce(dir, read_only, no_sync, map_size, max_dbs, /*no_lock=*/false);
  if (read_only && !env.ok() && env.status().code() == StatusCode::kIOError &&
      access((dir + "/data.mdb").c_str(), R_OK) == 0 && access(dir.c_str(), W_OK) != 0) {
    // A reader that may not write the directory cannot create or update lock.mdb: it reads
    // without registering in the reader table (a writer elsewhere could reuse pages it reads).
    env = OpenOnce(dir, read_only, no_sync, map_size, max_dbs, /*no_lock=*/true);
  }
  return env;
}

Result<Env> Env::OpenOnce(const std::string& dir, bool read_only, bool no_sync, uint64_t map_size,
                          unsigned max_dbs, bool no_lock) {
  Env env;
  PALIMPSEST_RETURN_IF_ERROR(FromCode(mdb_env_create(&env.env_), "mdb_env_create"));
  PALIMPSEST_RETURN_IF_ERROR(FromCode(mdb_env_set_maxdbs(env.env_, max_dbs), "mdb_env_set_maxdbs"));
  // Many concurrent readers (server threads, CLI processes).
  PALIMPSEST_RETURN_IF_ERROR(
      FromCode(mdb_env_set_maxreaders(env.env_, 512), "mdb_env_set_maxreaders"));
  if (!read_only) {
    PALIMPSEST_RETURN_IF_ERROR(
        FromCode(mdb_env_set_mapsize(env.env_, map_size), "mdb_env_set_mapsize"));
  }
  // MDB_NOTLS: read transactions are not tied to threads, so a thread pool can hand them on.
  unsigned flags = MDB_NOTLS;
  if (read_only) flags |= MDB_RDONLY;
  if (no_sync) flags |= MDB_NOSYNC;
  if (no_lock) flags |= MDB_NOLOCK;
  int rc = mdb_env_open(env.env_, dir.c_str(), flags, 0644);
  if (rc == ENOENT) return Status::NotFound("no archive at " + dir);
  if (rc == EACCES || rc == EROFS) {
    return Status::IOError("cannot open archive at " + dir + ": " + mdb_strerror(rc));
  }
  PALIMPSEST_RETURN_IF_ERROR(FromCode(rc, ("opening archive at " + dir).c_str()));
  PALIMPSEST_RETURN_IF_ERROR(CheckNotTruncated(env.env_, dir));
  return env;
}

Status Env::SetMapSize(uint64_t bytes) {
  return FromCode(mdb_env_set_mapsize(env_, bytes), "mdb_env_set_mapsize");
}

uint64_t Env::MapSize() const {
  MDB_envinfo info;
  mdb_env_info(env_, &info);
  return info.me_mapsize;
}

Status Env::CopyTo(const std::string& dir, bool compact) {
  return FromCode(mdb_env_copy2(env_, dir.c_str(), compact ? MDB_CP_COMPACT : 0), "mdb_env_copy2");
}

Txn& Txn::operator=(Txn&& other) noexcept {
  if (this != &other) {
    Abort();
    txn_ = other.txn_;
    other.txn_ = nullptr;
  }
  return *this;
}

Result<Txn> Txn::Begin(const Env& env, bool read_only) {
  Txn txn;
  PALIMPSEST_RETURN_IF_ERROR(FromCode(
      mdb_txn_begin(env.get(), nullptr, read_only ? MDB_RDONLY : 0, &txn.txn_), "mdb_txn_begin"));
  return txn;
}

Result<Txn> Txn::BeginChild(const Env& env, Txn& parent) {
  Txn txn;
  PALIMPSEST_RETURN_IF_ERROR(
      FromCode(mdb_txn_begin(env.get(), parent.txn_, 0, &txn.txn_), "mdb_txn_begin (nested)"));
  return txn;
}

Result<MDB_dbi> Txn::OpenDb(const char* name, bool create) {
  MDB_dbi dbi;
  int rc = mdb_dbi_open(txn_, name, create ? MDB_CREATE : 0, &dbi);
  if (rc == MDB_NOTFOUND) return Status::NotFound(std::string("database ") + name + " is missing");
  PALIMPSEST_RETURN_IF_ERROR(FromCode(rc, "mdb_dbi_open"));
  return dbi;
}

Result<std::optional<MDB_dbi>> Txn::OpenOptionalDb(const char* name, bool create) {
  auto dbi = OpenDb(name, create);
  if (!create && dbi.status().IsNotFound()) return std::optional<MDB_dbi>();
  PALIMPSEST_RETURN_IF_ERROR(dbi.status());
  return std::optional<MDB_dbi>(*dbi);
}

Result<std::string_view> Txn::Get(MDB_dbi dbi, std::string_view key) {
  MDB_val k = ToVal(key), v;
  int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return Status::NotFound("key not found");
  PALIMPSEST_RETURN_IF_ERROR(FromCode(rc, "mdb_get"));
  return FromVal(v);
}

Status Txn::Put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = ToVal(key), v = ToVal(value);
  return FromCode(mdb_put(txn_, dbi, &k, &v, flags), "mdb_put");
}

Status Txn::Del(MDB_dbi dbi, std::string_view key) {
  MDB_val k = ToVal(key);
  int rc = mdb_del(txn_, dbi, &k, nullptr);
  if (rc == MDB_NOTFOUND) return Status::OK();
  return FromCode(rc, "mdb_del");
}

Status Txn::Clear(MDB_dbi dbi) { return FromCode(mdb_drop(txn_, dbi, 0), "mdb_drop"); }

Result<uint64_t> Txn::Count(MDB_dbi dbi) {
  MDB_stat st;
  PALIMPSEST_RETURN_IF_ERROR(FromCode(mdb_stat(txn_, dbi, &st), "mdb_stat"));
  return static_cast<uint64_t>(st.ms_entries);
}

Result<uint64_t> Txn::Bytes(MDB_dbi dbi) {
  MDB_stat st;
  PALIMPSEST_RETURN_IF_ERROR(FromCode(mdb_stat(txn_, dbi, &st), "mdb_stat"));
  return static_cast<uint64_t>(st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages) *
         st.ms_psize;
}

Result<uint64_t> Txn::FreeBytes() {
  // Database 0 is the freelist: each value is a list of page numbers led by their count.
  constexpr MDB_dbi kFreeDbi = 0;
  MDB_stat st;
  PALIMPSEST_RETURN_IF_ERROR(FromCode(mdb_stat(txn_, kFreeDbi, &st), "mdb_stat"));
  PALIMPSEST_ASSIGN_OR_RETURN(Cursor cursor, Cursor::Open(*this, kFreeDbi));
  uint64_t pages = 0;
  for (bool ok = cursor.First(); ok; ok = cursor.Next()) {
    const std::string_view ids = cursor.value();
    if (ids.size() < sizeof(size_t)) continue;
    size_t count = 0;
    std::memcpy(&count, ids.data(), sizeof(count));
    pages += count;
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  return pages * st.ms_psize;
}

Status Txn::Commit() {
  if (txn_ == nullptr) return Status::IOError("commit of a finished transaction");
  int rc = mdb_txn_commit(txn_);
  txn_ = nullptr;  // LMDB frees the handle whether or not the commit succeeded.
  return FromCode(rc, "committing");
}

void Txn::Abort() {
  if (txn_ != nullptr) mdb_txn_abort(txn_);
  txn_ = nullptr;
}

Cursor::~Cursor() {
  if (cursor_ != nullptr) mdb_cursor_close(cursor_);
}

Result<Cursor> Cursor::Open(const Txn& txn, MDB_dbi dbi) {
  Cursor c;
  PALIMPSEST_RETURN_IF_ERROR(
      FromCode(mdb_cursor_open(txn.get(), dbi, &c.cursor_), "mdb_cursor_open"));
  return c;
}

bool Cursor::Move(MDB_cursor_op op) {
  int rc = mdb_cursor_get(cursor_, &key_, &value_, op);
  if (rc == MDB_NOTFOUND) return false;
  if (rc != MDB_SUCCESS) {
    status_ = FromCode(rc, "mdb_cursor_get");
    return false;
  }
  return true;
}

bool Cursor::Seek(std::string_view key) {
  key_ = ToVal(key);
  return Move(MDB_SET_RANGE);
}

Status DeletePrefix(Txn& txn, MDB_dbi dbi, std::string_view prefix) {
  std::vector<std::string> doomed;
  {
    PALIMPSEST_ASSIGN_OR_RETURN(Cursor cursor, Cursor::Open(txn, dbi));
    for (bool ok = cursor.Seek(prefix); ok && cursor.key().substr(0, prefix.size()) == prefix;
         ok = cursor.Next()) {
      doomed.emplace_back(cursor.key());
    }
    PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  }
  for (const std::string& key : doomed) PALIMPSEST_RETURN_IF_ERROR(txn.Del(dbi, key));
  return Status::OK();
}

}  // namespace palimpsest::lmdb
