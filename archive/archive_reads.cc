// ArchiveImpl, part 3 of 3: reads of the log — one event, the log from a seq, one document's
// stream, stored content, the chain head, and the statistics `palimpsest stats` prints.

#include <sys/stat.h>

#include <limits>
#include <string>
#include <vector>

#include "archive/archive_impl.h"
#include "archive/lmdb/keys.h"

namespace palimpsest {

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

Result<uint64_t> ArchiveImpl::StreamVersion(const std::string& requested_id) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  PALIMPSEST_ASSIGN_OR_RETURN(const std::string doc_id, articles_.Resolve(r.txn, requested_id));
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
  PALIMPSEST_ASSIGN_OR_RETURN(MDB_dbi docs, ProjectionDb(ArticleProjection::kDocuments));
  PALIMPSEST_ASSIGN_OR_RETURN(stats.documents, r.txn.Count(docs));
  PALIMPSEST_ASSIGN_OR_RETURN(MDB_dbi revs, ProjectionDb(ArticleProjection::kRevisions));
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
  std::vector<std::pair<std::string, MDB_dbi>> databases = {
      {kEvents, events_},
      {kEventIds, event_ids_},
      {kMeta, meta_},
      {ContentStore::kDatabase, contents_.dbi()},
      {kWithheld, withheld_}};
  if (std::optional<MDB_dbi> dictionaries = contents_.dictionaries_dbi()) {
    databases.emplace_back(ContentDictionaries::kDatabase, *dictionaries);
  }
  for (const auto& [name, dbi] : projection_dbs_) databases.emplace_back(name, dbi);
  for (const auto& [name, dbi] : databases) {
    PALIMPSEST_ASSIGN_OR_RETURN(stats.database_bytes[name], r.txn.Bytes(dbi));
  }
  PALIMPSEST_ASSIGN_OR_RETURN(stats.free_bytes, r.txn.FreeBytes());
  PALIMPSEST_ASSIGN_OR_RETURN(stats.extractor_version, ReadExtractorVersion(r.txn));
  return stats;
}

}  // namespace palimpsest
