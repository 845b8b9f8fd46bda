#include "archive/archive_impl.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <unordered_map>

#include "archive/lmdb/keys.h"
#include "palimpsest/doc_id.h"
#include "palimpsest/event_text.h"

namespace palimpsest {

namespace {

constexpr const char* kFormatKey = "format";
constexpr const char* kFormatVersion = "1";
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
    PALIMPSEST_ASSIGN_OR_RETURN(
        lock, WriterLock::Acquire(options.data_dir, options.lock_timeout_ms));
  }
  const bool no_sync = options.durability == Durability::kNoSync;
  auto env = lmdb::Env::Open(options.data_dir, options.mode == OpenMode::kReadOnly, no_sync,
                             options.map_size, kMaxDbs);
  Options effective = options;
  if (options.mode == OpenMode::kCheck && !env.ok() && env.status().code() == StatusCode::kIOError) {
    // Files this user cannot write: check what can be checked, read-only.
    effective.mode = OpenMode::kReadOnly;
    env = lmdb::Env::Open(options.data_dir, true, no_sync, options.map_size, kMaxDbs);
  }
  PALIMPSEST_RETURN_IF_ERROR(env.status());
  if (lock) PALIMPSEST_RETURN_IF_ERROR(lock->WatchLmdbLockFile());
  auto archive =
      std::make_unique<ArchiveImpl>(effective, std::move(env).value(), std::move(lock));
  PALIMPSEST_RETURN_IF_ERROR(archive->Init());
  return std::unique_ptr<Archive>(std::move(archive));
}

ArchiveImpl::ArchiveImpl(Options options, lmdb::Env env, std::optional<WriterLock> lock)
    : options_(std::move(options)),
      env_(std::move(env)),
      lock_(std::move(lock)),
      read_only_(options_.mode != OpenMode::kReadWrite) {}

Status ArchiveImpl::Init() {
  auto open_all = [&](lmdb::Txn& txn, bool create) -> Status {
    PALIMPSEST_ASSIGN_OR_RETURN(events_, txn.OpenDb(kEvents, create));
    PALIMPSEST_ASSIGN_OR_RETURN(event_ids_, txn.OpenDb(kEventIds, create));
    PALIMPSEST_ASSIGN_OR_RETURN(meta_, txn.OpenDb(kMeta, create));
    if (!create) {
      PALIMPSEST_ASSIGN_OR_RETURN(withheld_, txn.OpenDb(kWithheld, false));
    }
    PALIMPSEST_RETURN_IF_ERROR(contents_.Open(txn, create));
    for (Projection* p : projections()) PALIMPSEST_RETURN_IF_ERROR(p->Open(txn, create));
    for (Projection* p : async_projections()) PALIMPSEST_RETURN_IF_ERROR(p->Open(txn, create));
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
      if (*format != kFormatVersion) {
        return Status::Corruption("archive format " + std::string(*format) +
                                  " is not supported (expected " + kFormatVersion + ")");
      }
      return Status::OK();
    }
    PALIMPSEST_RETURN_IF_ERROR(WriteExtractorVersion(txn));
    return txn.Put(meta_, kFormatKey, kFormatVersion);
  });
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
  ReadTxn r{std::shared_lock<std::shared_mutex>(map_mu_), {}};
  PALIMPSEST_ASSIGN_OR_RETURN(r.txn, lmdb::Txn::Begin(env_, /*read_only=*/true));
  return r;
}

Status ArchiveImpl::WriteWithGrowth(const std::function<Status(lmdb::Txn&)>& body) {
  if (read_only_) return Status::InvalidArgument("archive is open read-only");
  if (lock_) PALIMPSEST_RETURN_IF_ERROR(lock_->IntactLmdbLockFile());
  for (;;) {
    Status s;
    {
      std::shared_lock<std::shared_mutex> map_lock(map_mu_);
      auto txn = lmdb::Txn::Begin(env_, /*read_only=*/false);
      if (!txn.ok()) return txn.status();
      s = body(*txn);
      if (s.ok()) s = txn->Commit();
    }
    if (!lmdb::IsMapFull(s)) return s;
    PALIMPSEST_RETURN_IF_ERROR(GrowMap());
  }
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

Result<Event> ArchiveImpl::ReadEvent(lmdb::Txn& txn, uint64_t seq) {
  auto bytes = txn.Get(events_, keys::U64(seq));
  if (!bytes.ok()) {
    if (bytes.status().IsNotFound()) return Status::NotFound("no event " + std::to_string(seq));
    return bytes.status();
  }
  auto event = DecodeEvent(*bytes);
  if (!event.ok()) return event.status().WithContext("event " + std::to_string(seq));
  return event;
}

Status ArchiveImpl::StoreContents(lmdb::Txn& txn, const AppendRequest& request) {
  const std::vector<ContentRef> refs = ReferencedContent(request.event.body);
  // Compress against the document's previous capture: consecutive captures share most bytes.
  std::optional<Digest> previous;
  if (!request.contents.empty()) {
    auto state = articles_.GetState(txn, request.event.doc_id);
    if (state.ok() && state->has_last_raw) previous = state->last_raw;
  }
  for (const std::string& bytes : request.contents) {
    PALIMPSEST_ASSIGN_OR_RETURN(ContentRef ref,
                                contents_.Put(txn, bytes, previous ? &*previous : nullptr));
    if (std::find(refs.begin(), refs.end(), ref) == refs.end()) {
      return Status::InvalidArgument("content " + DigestToString(ref.sha256) +
                                     " is not referenced by its event");
    }
  }
  for (const auto& [hash, reason] : request.withheld_contents) {
    if (!contents_.Contains(txn, hash))
      PALIMPSEST_RETURN_IF_ERROR(contents_.Withhold(txn, hash, reason));
  }
  for (const ContentRef& ref : refs) {
    if (!contents_.Contains(txn, ref.sha256)) {
      return Status::InvalidArgument("event refers to content " + DigestToString(ref.sha256) +
                                     " that is neither supplied nor stored");
    }
  }
  return Status::OK();
}

Status ArchiveImpl::StoreEvent(lmdb::Txn& txn, const Event& event, const std::string& encoded) {
  const std::string seq_key = keys::U64(event.seq);
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(events_, seq_key, encoded, MDB_APPEND));
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(
      event_ids_, std::string_view(reinterpret_cast<const char*>(event.id.data()), event.id.size()),
      seq_key, MDB_NOOVERWRITE));
  for (Projection* p : projections()) {
    Status s = p->Apply(txn, event, contents_);
    if (!s.ok()) return s.WithContext(std::string(p->name()) + " projection");
  }
  if (apply_async_inline_) PALIMPSEST_RETURN_IF_ERROR(ApplyAsyncInline(txn, event));
  if (std::holds_alternative<RedactedEvent>(event.body)) {
    PALIMPSEST_RETURN_IF_ERROR(WithholdRevision(txn, event));
  }
  return Status::OK();
}

Status ArchiveImpl::ApplyAsyncInline(lmdb::Txn& txn, const Event& event) {
  for (Projection* p : async_projections()) {
    Status s = p->Apply(txn, event, contents_);
    if (!s.ok()) return s.WithContext(std::string(p->name()) + " projection");
    PALIMPSEST_RETURN_IF_ERROR(
        txn.Put(meta_, std::string("checkpoint/") + p->name(), keys::U64(event.seq)));
  }
  return Status::OK();
}

Status ArchiveImpl::AppendInTxn(lmdb::Txn& txn, std::vector<AppendRequest>& batch,
                                std::vector<AppendResult>* results) {
  PALIMPSEST_ASSIGN_OR_RETURN(ChainHead head, ReadHead(txn));
  std::unordered_map<std::string, uint64_t> versions;
  results->clear();
  bool wrote = false;
  for (AppendRequest& request : batch) {
    Event& event = request.event;
    PALIMPSEST_RETURN_IF_ERROR(ValidateDocId(event.doc_id));
    if (event.withheld_hash) {
      return Status::InvalidArgument("a withheld event can only be restored, not appended");
    }
    const std::string_view id_key(reinterpret_cast<const char*>(event.id.data()), event.id.size());
    if (auto existing = txn.Get(event_ids_, id_key); existing.ok()) {
      const uint64_t seq = keys::ReadU64(*existing);
      PALIMPSEST_ASSIGN_OR_RETURN(Event original, ReadEvent(txn, seq));
      if (EncodeEventBody(original) != EncodeEventBody(event)) {
        return Status::InvalidArgument("event id " + EventIdToString(event.id) +
                                       " was already used for a different event (seq " +
                                       std::to_string(seq) + ")");
      }
      results->push_back({seq, original.version, /*duplicate=*/true});
      continue;
    } else if (!existing.status().IsNotFound()) {
      return existing.status();
    }
    auto it = versions.find(event.doc_id);
    if (it == versions.end()) {
      PALIMPSEST_ASSIGN_OR_RETURN(uint64_t v, stream_index_.Version(txn, event.doc_id));
      it = versions.emplace(event.doc_id, v).first;
    }
    if (request.expected_version && *request.expected_version != it->second) {
      return Status::Conflict("document '" + event.doc_id + "' is at version " +
                              std::to_string(it->second) + ", expected " +
                              std::to_string(*request.expected_version));
    }
    PALIMPSEST_RETURN_IF_ERROR(StoreContents(txn, request));
    event.seq = head.seq + 1;
    event.version = ++it->second;
    event.recorded_at = std::max(options_.clock(), head.recorded_at);
    event.prev_hash = head.hash;
    event.schema_version = kEventSchemaVersion;
    const std::string encoded = EncodeEvent(event);
    PALIMPSEST_RETURN_IF_ERROR(StoreEvent(txn, event, encoded));
    head = {event.seq, EventHash(encoded), event.recorded_at};
    results->push_back({event.seq, event.version, /*duplicate=*/false});
    wrote = true;
  }
  if (!wrote) return Status::OK();
  return WriteHead(txn, head);
}

Result<std::vector<AppendResult>> ArchiveImpl::Append(std::vector<AppendRequest> batch) {
  for (AppendRequest& request : batch) {
    // Before the id lookup, so a retried request compares its cleaned body with the stored one.
    PALIMPSEST_RETURN_IF_ERROR(NormalizeEventText(&request.event));
  }
  std::lock_guard<std::mutex> write(write_mu_);
  const bool redacts = std::any_of(batch.begin(), batch.end(), [](const AppendRequest& r) {
    return std::holds_alternative<RedactedEvent>(r.event.body);
  });
  if (redacts) PALIMPSEST_RETURN_IF_ERROR(CatchUpLocked(UINT64_MAX).status());
  apply_async_inline_ = redacts;
  std::vector<AppendResult> results;
  Status s = WriteWithGrowth([&](lmdb::Txn& txn) { return AppendInTxn(txn, batch, &results); });
  apply_async_inline_ = false;
  PALIMPSEST_RETURN_IF_ERROR(s);
  return results;
}

Status ArchiveImpl::Restore(std::vector<AppendRequest> events, const Digest* expected_head) {
  std::lock_guard<std::mutex> write(write_mu_);
  // The archive is empty, so every projection follows the events as replay would.
  apply_async_inline_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{apply_async_inline_};
  return WriteWithGrowth([&](lmdb::Txn& txn) -> Status {
    PALIMPSEST_ASSIGN_OR_RETURN(ChainHead head, ReadHead(txn));
    if (head.seq != 0) {
      return Status::InvalidArgument("restore needs an empty archive; this one holds " +
                                     std::to_string(head.seq) + " events");
    }
    std::unordered_map<std::string, uint64_t> versions;
    for (const AppendRequest& request : events) {
      const Event& event = request.event;
      const std::string where = "restoring seq " + std::to_string(event.seq);
      PALIMPSEST_RETURN_IF_ERROR(ValidateDocId(event.doc_id).WithContext(where));
      if (event.seq != head.seq + 1) {
        return Status::InvalidArgument(where + ": expected seq " + std::to_string(head.seq + 1));
      }
      if (event.prev_hash != head.hash) {
        return Status::InvalidArgument(where + ": previous hash does not match the chain");
      }
      if (event.version != ++versions[event.doc_id]) {
        return Status::InvalidArgument(where + ": stream version out of order");
      }
      if (head.recorded_at != kNoTime && event.recorded_at < head.recorded_at) {
        return Status::InvalidArgument(where + ": recorded time goes backwards");
      }
      PALIMPSEST_RETURN_IF_ERROR(StoreContents(txn, request).WithContext(where));
      const std::string encoded = EncodeEvent(event);
      Status s = StoreEvent(txn, event, encoded);
      if (s.code() == StatusCode::kIOError && !lmdb::IsMapFull(s) &&
          s.message().find("MDB_KEYEXIST") != std::string::npos) {
        return Status::InvalidArgument(where + ": duplicate event id");
      }
      PALIMPSEST_RETURN_IF_ERROR(s);
      head = {event.seq, event.withheld_hash ? *event.withheld_hash : EventHash(encoded),
              event.recorded_at};
    }
    if (expected_head != nullptr && head.hash != *expected_head) {
      return Status::Corruption("restored chain head " + DigestToString(head.hash) +
                                " differs from the expected " + DigestToString(*expected_head) +
                                "; nothing was restored");
    }
    return WriteHead(txn, head);
  });
}

Result<std::vector<Event>> ArchiveImpl::ReadLog(uint64_t after_seq, size_t limit) {
  std::vector<Event> events;
  // No seq follows the largest one; `after_seq + 1` would wrap to 0 and return the whole log.
  if (after_seq == std::numeric_limits<uint64_t>::max()) return events;
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(r.txn, events_));
  for (bool ok = cursor.Seek(keys::U64(after_seq + 1)); ok && events.size() < limit;
       ok = cursor.Next()) {
    PALIMPSEST_ASSIGN_OR_RETURN(Event event,
                                PublicEvent(r.txn, keys::ReadU64(cursor.key()), cursor.value()));
    events.push_back(std::move(event));
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  return events;
}

Result<std::vector<Event>> ArchiveImpl::ReadStream(const std::string& doc_id,
                                                   uint64_t from_version) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs,
                              stream_index_.Seqs(r.txn, doc_id, from_version));
  if (seqs.empty() && from_version <= 1) return Status::NotFound("no document '" + doc_id + "'");
  std::vector<Event> events;
  for (uint64_t seq : seqs) {
    PALIMPSEST_ASSIGN_OR_RETURN(std::string_view bytes, r.txn.Get(events_, keys::U64(seq)));
    PALIMPSEST_ASSIGN_OR_RETURN(Event e, PublicEvent(r.txn, seq, bytes));
    events.push_back(std::move(e));
  }
  return events;
}

Result<uint64_t> ArchiveImpl::StreamVersion(const std::string& doc_id) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  return stream_index_.Version(r.txn, doc_id);
}

Result<std::string> ArchiveImpl::ReadContent(const Digest& hash) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  return contents_.Get(r.txn, hash);
}

Result<ChainHead> ArchiveImpl::Head() {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  return ReadHead(r.txn);
}

Result<ArchiveStats> ArchiveImpl::Stats() {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  ArchiveStats stats;
  stats.data_dir = options_.data_dir;
  PALIMPSEST_ASSIGN_OR_RETURN(stats.head, ReadHead(r.txn));
  PALIMPSEST_ASSIGN_OR_RETURN(stats.events, r.txn.Count(events_));
  PALIMPSEST_ASSIGN_OR_RETURN(MDB_dbi docs, r.txn.OpenDb(ArticleProjection::kDocuments, false));
  PALIMPSEST_ASSIGN_OR_RETURN(stats.documents, r.txn.Count(docs));
  PALIMPSEST_ASSIGN_OR_RETURN(MDB_dbi revs, r.txn.OpenDb(ArticleProjection::kRevisions, false));
  PALIMPSEST_ASSIGN_OR_RETURN(stats.revisions, r.txn.Count(revs));
  PALIMPSEST_ASSIGN_OR_RETURN(stats.contents, r.txn.Count(contents_.dbi()));
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(r.txn, events_));
  for (bool ok = cursor.First(); ok; ok = cursor.Next()) {
    auto event = DecodeEvent(cursor.value());
    ++stats.events_by_kind[event.ok() ? EventKindName(event->body) : "undecodable"];
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  struct stat st;
  if (stat((options_.data_dir + "/data.mdb").c_str(), &st) == 0) {
    stats.file_bytes = static_cast<uint64_t>(st.st_blocks) * 512;
  }
  stats.map_size = env_.MapSize();
  PALIMPSEST_ASSIGN_OR_RETURN(stats.extractor_version, ReadExtractorVersion(r.txn));
  return stats;
}

}  // namespace palimpsest
