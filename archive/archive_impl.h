// The LMDB-backed Archive: one environment, named databases (bytes in schemas/README.md):
//   events     seq (u64 BE)                 → canonical event bytes
//   event_ids  event id (16 bytes)          → seq (u64 BE)
//   blobs      SHA-256 of content           → codec byte + stored bytes (content_store.h)
//   withheld   seq (u64 BE)                 → seq (u64 BE) of the redaction that withheld it
//   meta       "format"                     → "2" ("1": before projection formats)
//              "head"                       → seq (u64 BE), hash (32), recorded_at (i64 BE)
//              "checkpoint/<projection>"    → last seq applied (u64 BE)
//              "extractor_version"          → ASCII decimal (absent: 1)
//   streams, documents, revisions           → synchronous projections
//
// Concurrency: appends are serialized by write_mu_; every transaction holds map_mu_ shared,
// and growing the map takes it exclusively, because mdb_env_set_mapsize requires that no
// transaction of the process is active.

#ifndef PALIMPSEST_ARCHIVE_ARCHIVE_IMPL_H_
#define PALIMPSEST_ARCHIVE_ARCHIVE_IMPL_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "archive/content_store.h"
#include "archive/lmdb/lmdb.h"
#include "archive/lock_table_mark.h"
#include "archive/log/log_entry.h"
#include "archive/log/shared_log.h"
#include "archive/prepared_captures.h"
#include "archive/projections/article_projection.h"
#include "archive/projections/change_feed_projection.h"
#include "archive/projections/change_summary_projection.h"
#include "archive/projections/search_projection.h"
#include "archive/projections/stream_index.h"
#include "archive/projections/url_identity.h"
#include "archive/projections/watch_projection.h"
#include "archive/writer_lock.h"
#include "palimpsest/archive.h"

namespace palimpsest {

class ArchiveImpl : public Archive {
 public:
  static constexpr const char* kEvents = "events";
  static constexpr const char* kEventIds = "event_ids";
  static constexpr const char* kMeta = "meta";
  static constexpr const char* kWithheld = "withheld_events";

  ArchiveImpl(Options options, lmdb::Env env, std::optional<WriterLock> lock,
              std::optional<LockTableMark> mark);

  // Opens or creates the databases.
  Status Init();
  // Why projection `p` could not be opened read-only (`missing`, NotFound): Corruption when its
  // checkpoint says it was built, else `missing` (an archive older than the projection).
  Status MissingProjection(lmdb::Txn& txn, const Projection& p, const Status& missing);
  // Projection formats (archive/projection_format.cc): the format meta "format/<name>" records.
  Result<int> StoredProjectionFormat(lmdb::Txn& txn, const Projection& p);
  // OK when this version reads `p`'s databases: its current format, an older one of a
  // synchronous projection, or of an asynchronous one when `rebuilt_if_older`.
  Status RefuseUnreadableProjectionFormat(lmdb::Txn& txn, const Projection& p,
                                          bool rebuilt_if_older);
  bool IsAsynchronous(const Projection& p);
  // On a writable open: records every format in a `new_archive`, else rebuilds (empties, drops
  // the checkpoint of) asynchronous projections in an older format.
  Status MigrateProjectionFormats(lmdb::Txn& txn, bool new_archive);
  Status WriteProjectionFormat(lmdb::Txn& txn, const Projection& p);
  // Writes the format each projection is in where meta holds none (upgrading an archive of
  // format 1, which did not record them).
  Status RecordProjectionFormats(lmdb::Txn& txn);

  Result<std::vector<AppendResult>> Append(std::vector<AppendRequest> batch) override;
  Result<std::vector<Result<AppendResult>>> AppendEach(std::vector<AppendRequest> batch) override;
  Result<std::vector<Event>> ReadLog(uint64_t after_seq, size_t limit) override;
  Result<std::vector<Event>> ReadStream(const std::string& doc_id, uint64_t from_version) override;
  Result<uint64_t> StreamVersion(const std::string& doc_id) override;
  Result<std::string> ReadContent(const Digest& hash) override;
  Result<ChainHead> Head() override;
  Result<VerifyReport> Verify() override;
  Result<ReplayReport> Replay() override;
  Result<ReplayReport> ReplayProjections(const std::vector<std::string>& names) override;
  Result<uint64_t> CatchUp(uint64_t max_events) override;
  Status Restore(std::vector<AppendRequest> events, const Digest* expected_head) override;
  Result<uint64_t> FollowLog(int wait_ms) override;  // archive/shared_log_writes.cc
  Result<SharedLogState> LogState() override;        // archive/shared_log_writes.cc
  // Makes this archive a node of `log` (Options::log_url): refuses an archive that holds events
  // the shared log never had. Called once, right after Init.
  Status AttachLog(std::unique_ptr<SharedLog> log);
  Result<ArchiveStats> Stats() override;
  Result<int> ProjectionExtractorVersion() override;  // archive/extractor_version.cc
  Status Backup(const std::string& dest_dir, bool compact) override;  // archive/backup.cc
  Result<CompactReport> Compact() override;                           // archive/backup.cc
  Result<DocumentView> GetDocument(const std::string& doc_id,
                                   const RevisionSelector& selector) override;
  Result<std::vector<RevisionInfo>> History(const std::string& doc_id) override;
  Result<std::vector<RevisionInfo>> HistoryKnownAt(const std::string& doc_id,
                                                   Timestamp known_at) override;
  Result<std::vector<DocumentSummary>> ListDocuments(const ListFilter& filter) override;
  // archive/queries/document_urls_query.cc
  Result<std::vector<DocumentUrl>> DocumentUrls(const std::string& doc_id) override;
  Result<ResolvedDocument> ResolveDocument(const std::string& doc_id) override;
  Result<std::string> FindDocumentByUrl(std::string_view url) override;
  Result<BlameView> Blame(const std::string& doc_id, std::optional<uint32_t> rev) override;
  Result<std::vector<ChangeEntry>> Changes(const ChangeFilter& filter) override;
  // Sets e->diff and e->cosmetic from the change summaries (archive/queries/change_feed_query.cc).
  Status AddStoredDiff(lmdb::Txn& txn, ChangeEntry* e);
  Result<SearchResults> Search(const SearchRequest& request) override;  // search_query.cc
  Result<std::vector<WatchInfo>> Watches() override;  // archive/queries/watch_queries.cc
  Result<WatchInfo> GetWatch(std::string_view url) override;
  Result<std::vector<HookInfo>> Hooks() override;

 private:
  // A read transaction together with the shared map lock it needs.
  struct ReadTxn {
    std::shared_lock<std::shared_mutex> map_lock;
    lmdb::Txn txn;
  };
  // A read transaction; adopts a map another process grew (MDB_MAP_RESIZED) first.
  Result<ReadTxn> BeginRead();
  // Takes the map size another process grew the file to. Waits for this process's
  // transactions to end.
  Status AdoptMapSize();
  // InvalidArgument when the environment holds data but no palimpsest meta database (another
  // program's LMDB file): Init must not add its databases to it.
  Status RefuseForeignDatabase(lmdb::Txn& txn);

  // Runs `body` in a write transaction and commits it; on a full map grows the map and runs
  // `body` again from scratch. Requires write_mu_ held.
  Status WriteWithGrowth(const std::function<Status(lmdb::Txn&)>& body);
  Status GrowMap();

  // Verify's first part (archive/verify.cc): the log, its chain, indexes and checkpoints.
  Result<VerifyReport> VerifyLog();
  // Verify's second part (archive/projection_check.cc): rebuilds every projection from the log
  // in a write transaction that is aborted and adds a problem line per database that differs
  // from the stored one. Requires an archive opened with kCheck; takes write_mu_.
  Status CheckProjections(uint64_t head, std::vector<std::string>* problems);
  Status CheckProjectionsInTxn(lmdb::Txn& txn, uint64_t head, std::vector<std::string>* problems);
  // Applies the asynchronous projections up to `head` inside `txn`, moving their checkpoints.
  Status CatchUpInTxn(lmdb::Txn& txn, uint64_t head);
  // Clears every projection database and applies the whole log to them inside `txn`.
  Status RebuildProjections(lmdb::Txn& txn, uint64_t* events_replayed);
  // The same for `selected` only (in applying order; asynchronous ones after the others).
  Status RebuildProjections(lmdb::Txn& txn, const std::vector<Projection*>& selected,
                            uint64_t* events_replayed);
  // Replay of `selected`; `everything`: every projection (the extractor version is recorded).
  Result<ReplayReport> ReplaySelected(const std::vector<Projection*>& selected, bool everything);
  // SHA-256 over a database's ordered keys and values: equal digests mean equal contents.
  Result<Digest> DigestDatabase(lmdb::Txn& txn, const char* name);
  // CatchUp with write_mu_ already held (nothing prepared ahead).
  Result<uint64_t> CatchUpLocked(uint64_t max_events);
  // What the asynchronous projections prepared (Projection::Prepare) for a run of seqs.
  struct PreparedBatch {
    uint64_t first_seq = 0;
    // work[p][i]: async_projections()[p]'s work for seq first_seq + i (null: none).
    std::vector<std::vector<std::unique_ptr<PreparedWork>>> work;
    PreparedWork* For(size_t projection, uint64_t seq) {
      if (projection >= work.size() || seq < first_seq) return nullptr;
      const uint64_t i = seq - first_seq;
      return i < work[projection].size() ? work[projection][i].get() : nullptr;
    }
  };
  // The last seq an asynchronous projection applied (0: none yet, or no checkpoint).
  uint64_t Checkpoint(lmdb::Txn& txn, const Projection& projection);
  // The lowest checkpoint of the asynchronous projections.
  Result<uint64_t> SlowestCheckpoint();
  // Prepares the events after `after_seq`, at most `count` of them, in a read transaction of
  // its own (thread-safe; never takes write_mu_). Fails soft: whatever it could not prepare is
  // left null. For a replay (`replayed` non-null: the projections it rebuilds, the only ones
  // prepared for), whose writer holds its transaction open while it waits for the batch, the
  // read transaction never waits to adopt a new map size (nothing is prepared then), and the
  // work is marked PreparedWork::check_content.
  PreparedBatch PrepareCatchUp(uint64_t after_seq, uint64_t count,
                               const std::vector<Projection*>* replayed = nullptr);
  // One transaction of catch-up: at most 256 events (and `max_events`) per projection, with
  // `prepared` (may be null); returns how many the furthest-behind projection advanced.
  // Requires write_mu_.
  Result<uint64_t> CatchUpOneBatch(uint64_t max_events, PreparedBatch* prepared);

  // One attempt at Append inside `txn`; results are filled in on success.
  // What an append carries from one event to the next within a transaction.
  struct AppendCursor {
    ChainHead head;
    std::unordered_map<std::string, uint64_t> versions;  // documents written in this batch
    bool wrote = false;
  };
  // The document `request` lands in (AppendRequest::land_by_url): the owner of the address it
  // was captured at; else, for a document with no events yet, the owner of the canonical URL
  // the page declares (`prepared`) or of a redirect's target; else the request's own.
  Result<std::string> LandingDocument(lmdb::Txn& txn, const AppendRequest& request,
                                      const PreparedCapture& prepared, const AppendCursor& cursor);
  // What a request whose event id is already in the log gets: the original's result when the
  // body is the same (a retry, a re-import), kEventIdReused otherwise; nullopt for a new id.
  Result<std::optional<AppendResult>> Repeated(lmdb::Txn& txn, AppendRequest& request);
  // The document's stream version as this batch left it so far.
  Result<uint64_t> CurrentVersion(lmdb::Txn& txn, const std::string& doc_id,
                                  const AppendCursor& cursor);
  // Chains `event` after `head` as the next version of its document after `version`, stores
  // and applies it (with `prepared`, may be null), and moves `head` past it.
  Status StoreNext(lmdb::Txn& txn, Event& event, uint64_t version, const PreparedCapture* prepared,
                   ChainHead& head);
  // The merge `redirect`, just applied, calls for (archive/document_merges.cc), or nullopt.
  Result<std::optional<Event>> MergeAfter(lmdb::Txn& txn, const Event& redirect);
  // The document's addresses (CanonicalUrl form) that only events a redaction withheld, or
  // redacted revisions, named: read paths leave them out (archive/queries/document_urls_query.cc).
  Result<std::set<std::string>> HiddenAddresses(lmdb::Txn& txn, const std::string& doc_id);
  // The document's addresses without the hidden ones.
  Result<std::vector<DocumentUrl>> PublicUrls(lmdb::Txn& txn, const std::string& doc_id);
  // Reads the head (and catches up the asynchronous projections when a redaction is appended).
  Result<AppendCursor> StartAppend(lmdb::Txn& txn);
  // Appends one request in `txn`, with what PrepareBatch made for it; moves `cursor` only
  // when it succeeds.
  Result<AppendResult> AppendOneInTxn(lmdb::Txn& txn, AppendRequest& request,
                                      const PreparedCapture& prepared, AppendCursor& cursor);
  // Before the write transaction: extracts the batch's captures (prepared_captures.h), all but
  // the requests `refused` (may be null) and those whose event id is already in the log.
  std::vector<PreparedCapture> PrepareBatch(const std::vector<AppendRequest>& batch,
                                            const std::vector<Status>* refused);
  // Each request not `refused` in a child transaction of `txn`: its own failure aborts only
  // the child; a storage failure is returned (and the caller aborts everything).
  Status AppendEachInTxn(lmdb::Txn& txn, std::vector<AppendRequest>& batch,
                         const std::vector<PreparedCapture>& prepared,
                         const std::vector<Status>& refused,
                         std::vector<Result<AppendResult>>* results);
  // Runs `body` for `batch` under the writer mutex, with WriteWithGrowth, redactions handled.
  Status WriteBatch(const std::vector<AppendRequest>& batch,
                    const std::function<Status(lmdb::Txn&)>& body);
  Status AppendInTxn(lmdb::Txn& txn, std::vector<AppendRequest>& batch,
                     const std::vector<PreparedCapture>& prepared,
                     std::vector<AppendResult>* results);
  // The shared log (archive/shared_log_writes.cc). With one, WriteBatch runs `body` through
  // WriteThroughLog: the transaction's events are appended to the shared log at this node's
  // position before the local commit; when another node wrote first, this node applies what it
  // missed and runs `body` again (expected versions and event ids then see those writes).
  Status WriteThroughLog(const std::vector<AppendRequest>& batch,
                         const std::function<Status(lmdb::Txn&)>& body);
  // The entry for the events `txn` wrote after `before` (seqs before+1 .. last), with the
  // content `batch` supplied for them; `events` receives them decoded.
  Result<LogEntry> EntryOf(lmdb::Txn& txn, uint64_t before, uint64_t last,
                           const std::vector<AppendRequest>& batch, std::vector<Event>* events);
  // meta "log/position": the last shared-log entry applied (0: none).
  Result<uint64_t> ReadLogPosition(lmdb::Txn& txn);
  // InvalidArgument when this archive is a node of a shared log but was opened without it: a
  // local write would fork its history from the cluster's.
  Status RefuseLocalWriteOnNode(lmdb::Txn& txn);
  // Applies the shared log's entries after this node's position, at most `max_entries`, one
  // transaction each; returns how many. Requires write_mu_.
  Result<uint64_t> ApplyLogEntriesLocked(uint64_t max_entries);
  // Applies entry `position` (decoded as `events`) in `txn`.
  Status ApplyLogEntry(lmdb::Txn& txn, uint64_t position, const LogEntry& entry,
                       const std::vector<Event>& events);
  // Restore through the shared log (see Archive::Restore). Requires write_mu_.
  Status RestoreThroughLog(std::vector<AppendRequest>& events, const Digest* expected_head);
  // Appends `entry` at this node's position and applies it; retries while the log is
  // unreachable. Requires write_mu_.
  Status PushEntry(const LogEntry& entry, const std::vector<Event>& events);
  // Stores an event exactly as given (seq, version, prev_hash and recorded_at checked against
  // `head` and the document's stream), as restore and shared-log entries bring them, and moves
  // `head` past it. InvalidArgument naming the seq when it does not continue the chain.
  Status StoreLogged(lmdb::Txn& txn, const AppendRequest& request, ChainHead& head);
  // Stores `event` (fully formed) at event.seq and applies the projections.
  Status StoreEvent(lmdb::Txn& txn, const Event& event, const std::string& encoded);
  Status WriteHead(lmdb::Txn& txn, const ChainHead& head);
  // meta "extractor_version" (archive/extractor_version.cc).
  Status WriteExtractorVersion(lmdb::Txn& txn);
  Result<int> ReadExtractorVersion(lmdb::Txn& txn);
  Result<ChainHead> ReadHead(lmdb::Txn& txn);
  Result<Event> ReadEvent(lmdb::Txn& txn, uint64_t seq);
  Status StoreContents(lmdb::Txn& txn, const AppendRequest& request);
  // The seqs a redaction withholds: the event that introduced the revision and the unchanged
  // captures and observations of it that followed, up to the next revision.
  Result<std::vector<uint64_t>> RedactionScope(lmdb::Txn& txn, const Event& redaction);
  // After a redaction: withholds the revision's contents and the redactable fields of its
  // events (the `withheld_events` database) from every read path.
  Status WithholdRevision(lmdb::Txn& txn, const Event& redaction);
  // Opens `withheld_events`; when an archive written before it existed lacks it, creates it and
  // records the scope of every redaction already in the log. Requires a write transaction.
  Status OpenWithheldEvents(lmdb::Txn& txn);
  // What ReadLog and ReadStream hand out for the event stored as `bytes` at `seq`: the event
  // itself, or its withheld form (WithheldForm) when a redaction withheld it.
  Result<Event> PublicEvent(lmdb::Txn& txn, uint64_t seq, std::string_view bytes);

  // Synchronous: applied in the append transaction.
  std::vector<Projection*> projections() {
    return {&stream_index_, &articles_, &url_identity_, &change_feed_, &watches_};
  }
  // Asynchronous: applied by CatchUp, each with its own checkpoint.
  std::vector<Projection*> async_projections() { return {&change_summaries_, &search_}; }
  // Applies the asynchronous projections to `event` inside the append transaction (they must
  // be caught up to event.seq - 1) and moves their checkpoints to it.
  Status ApplyAsyncInline(lmdb::Txn& txn, const Event& event);
  // The handle of projection database `name` (one of some projection's databases()), resolved
  // at open time; NotFound when this archive lacks it.
  Result<MDB_dbi> ProjectionDb(std::string_view name) const;

  Options options_;
  lmdb::Env env_;
  std::optional<WriterLock> lock_;
  std::optional<LockTableMark> mark_;  // which lock.mdb this process uses (all modes)
  std::unique_ptr<SharedLog> log_;     // null: the local log (Options::log_url empty)
  bool read_only_;
  MDB_dbi events_ = 0, event_ids_ = 0, meta_ = 0, withheld_ = 0;
  // Every projection database's handle by name, resolved once at open time: LMDB forbids
  // mdb_dbi_open in transactions that may run concurrently, as reads on server threads do.
  std::map<std::string, MDB_dbi, std::less<>> projection_dbs_;
  ContentStore contents_;
  StreamIndex stream_index_;
  ArticleProjection articles_{&contents_};
  UrlIdentity url_identity_{&articles_};
  ChangeFeedProjection change_feed_{&articles_};
  WatchProjection watches_;
  ChangeSummaryProjection change_summaries_{&articles_};
  SearchProjection search_{&articles_};
  // Set while a batch holding a redaction is appended: the asynchronous projections then
  // follow each event in the same transaction, so they index every revision from its content
  // as it was before the redaction — exactly what replay does.
  bool apply_async_inline_ = false;
  std::mutex write_mu_;
  std::shared_mutex map_mu_;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_ARCHIVE_IMPL_H_
