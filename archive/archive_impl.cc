// ArchiveImpl, part 1 of 3: opening an archive (databases, format check, writer lock), the
// read and write transactions (map growth), and the chain head with the projection
// checkpoints. Appending is in archive_append.cc, the log reads in archive_reads.cc.

#include "archive/archive_impl.h"

#include <algorithm>
#include <filesystem>

#include "archive/lmdb/keys.h"
#include "archive/log/nats_log.h"

namespace palimpsest {

namespace {

constexpr const char* kFormatKey = "format";
// 3: the log's content store may compress captures with per-source dictionaries (codec 6,
// `content_dictionaries`); 2: every projection's layout format is recorded (meta
// "format/<projection>"); 1: archives written before. A writable open upgrades 1 and 2 (which
// then read as they are), so a binary that knows no codec 6 refuses to write to the archive.
constexpr const char* kFormatVersion = "3";
constexpr const char* kFormatBeforeDictionaries = "2";
constexpr const char* kFormatBeforeProjectionFormats = "1";
constexpr const char* kHeadKey = "head";
constexpr unsigned kMaxDbs = 32;

std::string CheckpointKey(const Projection& p) { return std::string("checkpoint/") + p.name(); }

}  // namespace

Result<std::unique_ptr<Archive>> Archive::Open(const Options& options) {
  const bool read_only = options.mode != OpenMode::kReadWrite;
  std::optional<WriterLock> lock;
  if ((read_only || !options.create_if_missing) &&
      !std::filesystem::exists(options.data_dir + "/data.mdb")) {
    return Status::NotFound("no archive at " + options.data_dir);
  }
  if (!read_only) {
    std::error_code ec;
    std::filesystem::create_directories(options.data_dir, ec);
    if (ec) {
      return Status::IOError("cannot create data directory " + options.data_dir + ": " +
                             ec.message());
    }
    PALIMPSEST_ASSIGN_OR_RETURN(lock, WriterLock::Open(options.data_dir));
  }
  const bool no_sync = options.durability == Durability::kNoSync;
  auto env = lmdb::Env::Open(options.data_dir, options.mode == OpenMode::kReadOnly, no_sync,
                             options.map_size, kMaxDbs);
  Options effective = options;
  if (options.mode == OpenMode::kCheck && !env.ok() &&
      env.status().code() == StatusCode::kIOError) {
    // Files this user cannot write: check what can be checked, read-only.
    effective.mode = OpenMode::kReadOnly;
    env = lmdb::Env::Open(options.data_dir, true, no_sync, options.map_size, kMaxDbs);
  }
  PALIMPSEST_RETURN_IF_ERROR(env.status());
  if (lock) PALIMPSEST_RETURN_IF_ERROR(lock->WatchLmdbLockFile());
  std::optional<LockTableMark> mark;
  auto placed = LockTableMark::Place(options.data_dir);
  if (placed.ok()) {
    mark = std::move(placed).value();
  } else if (lock) {
    return placed.status();  // A reader without lock.mdb (a read-only copy) needs no mark.
  }
  auto archive = std::make_unique<ArchiveImpl>(effective, std::move(env).value(), std::move(lock),
                                               std::move(mark));
  PALIMPSEST_RETURN_IF_ERROR(archive->Init());
  if (!read_only && !options.log_url.empty()) {
    NatsLogOptions log_options;
    log_options.url = options.log_url;
    log_options.stream_prefix = options.log_stream;
    PALIMPSEST_ASSIGN_OR_RETURN(std::unique_ptr<SharedLog> log, OpenNatsLog(log_options));
    PALIMPSEST_RETURN_IF_ERROR(archive->AttachLog(std::move(log)));
  }
  return std::unique_ptr<Archive>(std::move(archive));
}

ArchiveImpl::ArchiveImpl(Options options, lmdb::Env env, std::optional<WriterLock> lock,
                         std::optional<LockTableMark> mark)
    : options_(std::move(options)),
      env_(std::move(env)),
      lock_(std::move(lock)),
      mark_(std::move(mark)),
      read_only_(options_.mode != OpenMode::kReadWrite) {}

Status ArchiveImpl::MissingProjection(lmdb::Txn& txn, const Projection& p, const Status& missing) {
  // A projection that has a checkpoint was built here: its database cannot be missing unless the
  // file is damaged. Without one the archive predates it, and replay builds it.
  if (txn.Get(meta_, CheckpointKey(p)).ok()) {
    return Status::Corruption(std::string("the ") + p.name() +
                              " projection has a checkpoint but no database: " + missing.message());
  }
  return missing;
}

Status ArchiveImpl::Init() {
  auto open_all = [&](lmdb::Txn& txn, bool create) -> Status {
    PALIMPSEST_ASSIGN_OR_RETURN(events_, txn.OpenDb(kEvents, create));
    PALIMPSEST_ASSIGN_OR_RETURN(event_ids_, txn.OpenDb(kEventIds, create));
    auto meta = txn.OpenDb(kMeta, create);
    if (meta.status().IsNotFound())
      return Status::Corruption("the archive's meta database is missing");
    PALIMPSEST_ASSIGN_OR_RETURN(meta_, std::move(meta));
    if (!create) {
      PALIMPSEST_ASSIGN_OR_RETURN(withheld_, txn.OpenDb(kWithheld, false));
    }
    PALIMPSEST_RETURN_IF_ERROR(contents_.Open(txn, create));
    std::vector<Projection*> all = projections();
    for (Projection* p : async_projections()) all.push_back(p);
    for (Projection* p : all) {
      if (!create) PALIMPSEST_RETURN_IF_ERROR(RefuseUnreadableProjectionFormat(txn, *p, false));
      Status opened = p->Open(txn, create);
      if (opened.IsNotFound() && !create) return MissingProjection(txn, *p, opened);
      PALIMPSEST_RETURN_IF_ERROR(opened);
      for (const char* db : p->databases()) {
        auto dbi = txn.OpenDb(db, create);
        // An archive older than a database is read without it (ChromeLines); replay adds it.
        if (!dbi.ok() && !(dbi.status().IsNotFound() && !create)) return dbi.status();
        if (dbi.ok()) projection_dbs_[db] = *dbi;
      }
    }
    return Status::OK();
  };
  if (read_only_) {
    PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Txn txn, lmdb::Txn::Begin(env_, /*read_only=*/true));
    Status s = open_all(txn, false);
    if (s.IsNotFound()) {
      // The log exists but a projection database does not: written by an older version.
      if (txn.OpenDb(kEvents, false).ok()) {
        return Status::NotFound("the archive at " + options_.data_dir +
                                " lacks projections this version keeps; run `palimpsest replay` "
                                "to build them");
      }
      return Status::NotFound("no archive at " + options_.data_dir);
    }
    PALIMPSEST_RETURN_IF_ERROR(s);
    // Committing a read transaction makes its database handles usable by later ones.
    return txn.Commit();
  }
  std::lock_guard<std::mutex> write(write_mu_);
  return WriteWithGrowth([&](lmdb::Txn& txn) -> Status {
    PALIMPSEST_RETURN_IF_ERROR(RefuseForeignDatabase(txn));
    PALIMPSEST_RETURN_IF_ERROR(open_all(txn, true));
    PALIMPSEST_RETURN_IF_ERROR(OpenWithheldEvents(txn));
    auto format = txn.Get(meta_, kFormatKey);
    if (format.ok()) {
      const std::string found(*format);
      if (found != kFormatVersion && found != kFormatBeforeDictionaries &&
          found != kFormatBeforeProjectionFormats) {
        return Status::Corruption("archive format " + found + " is not supported (expected " +
                                  kFormatVersion + ")");
      }
      PALIMPSEST_RETURN_IF_ERROR(MigrateProjectionFormats(txn, /*new_archive=*/false));
      if (found == kFormatVersion) return Status::OK();
      if (found == kFormatBeforeProjectionFormats) {
        PALIMPSEST_RETURN_IF_ERROR(RecordProjectionFormats(txn));
      }
      return txn.Put(meta_, kFormatKey, kFormatVersion);
    }
    PALIMPSEST_RETURN_IF_ERROR(MigrateProjectionFormats(txn, /*new_archive=*/true));
    PALIMPSEST_RETURN_IF_ERROR(WriteExtractorVersion(txn));
    return txn.Put(meta_, kFormatKey, kFormatVersion);
  });
}

Result<MDB_dbi> ArchiveImpl::ProjectionDb(std::string_view name) const {
  auto it = projection_dbs_.find(name);
  if (it == projection_dbs_.end()) {
    return Status::NotFound("this archive has no database '" + std::string(name) +
                            "'; run `palimpsest replay` to build it");
  }
  return it->second;
}

Status ArchiveImpl::RefuseForeignDatabase(lmdb::Txn& txn) {
  if (txn.OpenDb(kMeta, false).ok()) return Status::OK();
  // No meta database: a new archive, unless the file already holds another program's data.
  constexpr MDB_dbi kMainDbi = 1;  // LMDB's unnamed main database
  PALIMPSEST_ASSIGN_OR_RETURN(uint64_t entries, txn.Count(kMainDbi));
  if (entries == 0) return Status::OK();
  return Status::InvalidArgument(options_.data_dir +
                                 "/data.mdb is an LMDB file of another program, not a palimpsest "
                                 "archive; nothing was written (choose another --data)");
}

Result<ArchiveImpl::ReadTxn> ArchiveImpl::BeginRead() {
  for (;;) {
    ReadTxn r{std::shared_lock<std::shared_mutex>(map_mu_), {}};
    auto txn = lmdb::Txn::Begin(env_, /*read_only=*/true);
    if (txn.ok()) {
      r.txn = std::move(txn).value();
      return r;
    }
    if (txn.status().detail() != StatusDetail::kMapResized) return txn.status();
    r.map_lock.unlock();
    PALIMPSEST_RETURN_IF_ERROR(AdoptMapSize());
  }
}

Status ArchiveImpl::WriteWithGrowth(const std::function<Status(lmdb::Txn&)>& body) {
  if (read_only_) return Status::InvalidArgument("archive is open read-only");
  std::optional<WriterLock::Hold> hold;
  if (lock_) {
    PALIMPSEST_RETURN_IF_ERROR(lock_->IntactLmdbLockFile());
    auto taken = lock_->Take(options_.lock_timeout_ms);
    if (!taken.ok()) return taken.status();
    hold.emplace(std::move(taken).value());
    PALIMPSEST_RETURN_IF_ERROR(lock_->IntactDataFile());
    if (mark_) PALIMPSEST_RETURN_IF_ERROR(mark_->AloneOnThisLockTable());
  }
  for (;;) {
    Status s;
    {
      std::shared_lock<std::shared_mutex> map_lock(map_mu_);
      auto txn = lmdb::Txn::Begin(env_, /*read_only=*/false);
      s = txn.status();
      if (s.ok()) s = body(*txn);
      if (s.ok()) s = txn->Commit();
    }
    if (s.detail() == StatusDetail::kMapResized) {
      PALIMPSEST_RETURN_IF_ERROR(AdoptMapSize());
    } else if (lmdb::IsMapFull(s)) {
      PALIMPSEST_RETURN_IF_ERROR(GrowMap());
    } else {
      return s;
    }
  }
}

Status ArchiveImpl::AdoptMapSize() {
  std::unique_lock<std::shared_mutex> map_lock(map_mu_);
  return env_.SetMapSize(0);
}

Status ArchiveImpl::GrowMap() {
  std::unique_lock<std::shared_mutex> map_lock(map_mu_);
  const uint64_t current = env_.MapSize();
  if (current >= options_.max_map_size) {
    return Status::IOError("archive map is full at its maximum size of " +
                           std::to_string(options_.max_map_size) + " bytes");
  }
  return env_.SetMapSize(std::min(current * 2, options_.max_map_size));
}

Result<ChainHead> ArchiveImpl::ReadHead(lmdb::Txn& txn) {
  auto value = txn.Get(meta_, kHeadKey);
  if (!value.ok()) {
    if (value.status().IsNotFound()) return ChainHead{};
    return value.status();
  }
  if (value->size() != 48) return Status::Corruption("chain head record has the wrong size");
  ChainHead head;
  head.seq = keys::ReadU64(*value);
  std::copy(value->begin() + 8, value->begin() + 40, head.hash.begin());
  head.recorded_at = keys::ReadI64(value->substr(40));
  return head;
}

Status ArchiveImpl::WriteHead(lmdb::Txn& txn, const ChainHead& head) {
  std::string value =
      keys::U64(head.seq) + std::string(AsBytes(head.hash)) + keys::I64(head.recorded_at);
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(meta_, kHeadKey, value));
  for (Projection* p : projections()) {
    PALIMPSEST_RETURN_IF_ERROR(txn.Put(meta_, CheckpointKey(*p), keys::U64(head.seq)));
  }
  return Status::OK();
}
}  // namespace palimpsest
