// Thin move-only RAII wrappers over LMDB: environment, transaction, cursor.
//
// Every LMDB error becomes a Status: MDB_NOTFOUND → NotFound, MDB_MAP_FULL → IOError with
// detail kMapFull (IsMapFull(); the archive grows the map and retries), MDB_KEYEXIST → IOError
// with detail kKeyExists, MDB_CORRUPTED/MDB_PAGE_NOTFOUND/MDB_INVALID → Corruption, everything
// else → IOError naming the operation.
//
// Thread safety: an LmdbEnv may be shared by threads; a transaction and its cursors belong to
// the thread that began them.

#ifndef PALIMPSEST_ARCHIVE_LMDB_LMDB_H_
#define PALIMPSEST_ARCHIVE_LMDB_LMDB_H_

#include <lmdb.h>

#include <optional>
#include <string>
#include <string_view>

#include "palimpsest/status.h"

namespace palimpsest::lmdb {

// Converts an LMDB return code from `op` into a Status.
Status FromCode(int rc, const char* op);
bool IsMapFull(const Status& s);

inline MDB_val ToVal(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
inline std::string_view FromVal(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

class Env {
 public:
  Env() = default;
  ~Env();
  Env(Env&& other) noexcept : env_(other.env_) { other.env_ = nullptr; }
  Env& operator=(Env&& other) noexcept;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  // Opens (creating when !read_only) the environment in directory `dir`. A read-only open of a
  // directory this user may not write falls back to reading without LMDB's lock file.
  // Corruption when data.mdb is shorter than the pages it says are in use.
  static Result<Env> Open(const std::string& dir, bool read_only, bool no_sync, uint64_t map_size,
                          unsigned max_dbs);

  // Requires that no transaction of this process is active.
  Status SetMapSize(uint64_t bytes);
  uint64_t MapSize() const;
  // Copies the environment to `dir` (a consistent hot copy); `compact` omits free pages.
  Status CopyTo(const std::string& dir, bool compact);

  MDB_env* get() const { return env_; }

 private:
  static Result<Env> OpenOnce(const std::string& dir, bool read_only, bool no_sync,
                              uint64_t map_size, unsigned max_dbs, bool no_lock);
  MDB_env* env_ = nullptr;
};

class Txn {
 public:
  Txn() = default;
  ~Txn() { Abort(); }
  Txn(Txn&& other) noexcept : txn_(other.txn_) { other.txn_ = nullptr; }
  Txn& operator=(Txn&& other) noexcept;
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  static Result<Txn> Begin(const Env& env, bool read_only);
  // A write transaction nested in `parent`: its writes join the parent's on Commit, vanish on
  // Abort. The parent must not be used until the child ends.
  static Result<Txn> BeginChild(const Env& env, Txn& parent);

  // Opens (creating when `create`) a named database. NotFound when missing and !create.
  Result<MDB_dbi> OpenDb(const char* name, bool create);
  // Opens a database that archives written before it was added lack: nullopt when it is missing
  // and !create (such an archive is read without it), else as OpenDb.
  Result<std::optional<MDB_dbi>> OpenOptionalDb(const char* name, bool create);

  // Returns NotFound when the key is absent. The view is valid until the transaction ends or
  // the next write.
  Result<std::string_view> Get(MDB_dbi dbi, std::string_view key);
  Status Put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags = 0);
  Status Del(MDB_dbi dbi, std::string_view key);
  // Empties the database (keeps the handle).
  Status Clear(MDB_dbi dbi);
  Result<uint64_t> Count(MDB_dbi dbi);
  // Bytes of the pages the database occupies (branch, leaf and overflow pages).
  Result<uint64_t> Bytes(MDB_dbi dbi);
  // Bytes of the file's pages that are free for reuse (LMDB's freelist).
  Result<uint64_t> FreeBytes();

  Status Commit();
  void Abort();

  MDB_txn* get() const { return txn_; }

 private:
  MDB_txn* txn_ = nullptr;
};

// A cursor over one database. Positioning calls return false at the end of the database (or
// when the key is absent); errors other than "not found" are reported through status().
class Cursor {
 public:
  Cursor() = default;
  ~Cursor();
  Cursor(Cursor&& other) noexcept : cursor_(other.cursor_), status_(std::move(other.status_)) {
    other.cursor_ = nullptr;
  }
  Cursor& operator=(Cursor&&) = delete;
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  static Result<Cursor> Open(const Txn& txn, MDB_dbi dbi);

  bool First() { return Move(MDB_FIRST); }
  bool Last() { return Move(MDB_LAST); }
  bool Next() { return Move(MDB_NEXT); }
  bool Prev() { return Move(MDB_PREV); }
  // Positions at the first key >= `key`.
  bool Seek(std::string_view key);

  std::string_view key() const { return FromVal(key_); }
  std::string_view value() const { return FromVal(value_); }
  const Status& status() const { return status_; }

 private:
  bool Move(MDB_cursor_op op);

  MDB_cursor* cursor_ = nullptr;
  MDB_val key_{0, nullptr};
  MDB_val value_{0, nullptr};
  Status status_;
};

// Deletes every key of `dbi` that starts with `prefix`.
Status DeletePrefix(Txn& txn, MDB_dbi dbi, std::string_view prefix);

}  // namespace palimpsest::lmdb

#endif  // PALIMPSEST_ARCHIVE_LMDB_LMDB_H_
