// Archive: the append-only event log in LMDB and the projections derived from it.
//
// An Archive is opened on a data directory. Read-write opens take the writer lock (one writer
// process at a time; a second waits Options::lock_timeout_ms, then fails with IOError). Readers
// (OpenMode::kReadOnly) never block the writer and see consistent snapshots.
//
// Thread safety: all methods may be called from several threads of one process; writes are
// serialized internally. The Archive owns its LMDB environment; results are plain values the
// caller owns.

#ifndef PALIMPSEST_ARCHIVE_H_
#define PALIMPSEST_ARCHIVE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/blame.h"
#include "palimpsest/changes.h"
#include "palimpsest/documents.h"
#include "palimpsest/event.h"
#include "palimpsest/options.h"
#include "palimpsest/search.h"
#include "palimpsest/status.h"
#include "palimpsest/watches.h"

namespace palimpsest {

// One event to append. The caller sets event.id, doc_id, effective_at, actor, correlation_id
// and body; the archive assigns seq, version, recorded_at, prev_hash and schema_version.
struct AppendRequest {
  Event event;
  // When set, the append fails with Conflict unless the document is at this version (0: the
  // document must not exist yet). Within a batch, later events of the same document see the
  // versions earlier events produced.
  std::optional<uint64_t> expected_version;
  // The bytes the body's ContentRefs name. Each must hash to a ref in the body (or already be
  // stored).
  std::vector<std::string> contents;
  // Restore only: content the export left out because it was redacted, with the reason.
  std::vector<std::pair<Digest, std::string>> withheld_contents;
  // The front end derived event.doc_id from the capture's URL or file name rather than being
  // told it (URL identity): a capture, re-capture or redirect then lands in the document one
  // of its addresses already belongs to — the URL captured, the canonical URL the page
  // declares, a redirect's target — and AppendResult::doc_id says which. Ignored with
  // expected_version, which names a document's version.
  bool land_by_url = false;
  // For a capture: record it only if it introduces a new revision. A capture whose article text
  // is the one already recorded (the same page again, or a page whose only changes are outside
  // the article) fails with Conflict, detail kNoNewRevision, and writes nothing, so the
  // document's version stays as it was (the watch scheduler records such a check in the
  // watch's own stream instead).
  bool only_if_revised = false;
};

// What an event did to its document's revisions.
enum class AppendOutcome {
  kCreated,    // introduced the document's first revision
  kRevised,    // introduced a later revision (an update, correction, retraction ...)
  kUnchanged,  // no new revision: the same content seen again, a check, a redaction ...
};

// What one appended event did, decided once inside the write transaction, so no front end
// reads the archive back to say it (a read after the commit could see later writes).
struct AppendResult {
  std::string doc_id;      // the document the event is in (see AppendRequest::land_by_url)
  uint64_t seq = 0;        // the event's seq (the original's, for a duplicate)
  uint64_t version = 0;    // the document's stream version this event produced
  bool duplicate = false;  // the event id was already in the log with the same body
  // For a duplicate, what the original event did.
  AppendOutcome outcome = AppendOutcome::kUnchanged;
  // The revision the event introduced; when it introduced none, the revision the document
  // stood at (for a capture of known content, the one whose content it showed again). 0 when
  // the event has no document revision to name (a redirect of an unknown address).
  uint32_t rev = 0;
  std::string kind;      // that revision's kind ("original", "correction" ...)
  bool stealth = false;  // that revision changed the text without a note or a new date
  // That revision was captured before one the archive had recorded earlier: it was inserted
  // in capture order and the revisions after it were renumbered (a backfill).
  bool backfill = false;
  // A redirect that showed the event's document and another to be one article: the archive
  // merged the event's document into this one, by a merge event right after it (event.h,
  // MergedEvent). Empty otherwise.
  std::string merged_into;
};

struct ChainHead {
  uint64_t seq = 0;  // 0 for an empty archive
  Digest hash{};     // zeros for an empty archive
  Timestamp recorded_at = kNoTime;
};

struct VerifyReport {
  uint64_t events_checked = 0;
  uint64_t contents_checked = 0;
  uint64_t first_bad_seq = 0;         // 0 when every event is good
  std::vector<std::string> problems;  // one line each, first problems first; empty when OK
  ChainHead head;
  // True when the projections were rebuilt from the log and compared with the stored ones
  // (false when the log itself has problems, or the archive was not opened with kCheck).
  bool projections_checked = false;
  bool ok() const { return problems.empty(); }
};

struct CompactReport {
  uint64_t bytes_before = 0;  // size of data.mdb before and after
  uint64_t bytes_after = 0;
};

struct ReplayReport {
  uint64_t events_replayed = 0;
  // Per projection database: SHA-256 over its ordered keys and values, before and after.
  std::map<std::string, std::pair<Digest, Digest>> databases;
  bool identical() const;
};

struct ArchiveStats {
  ChainHead head;
  uint64_t events = 0;
  uint64_t documents = 0;
  uint64_t revisions = 0;
  uint64_t contents = 0;
  std::map<std::string, uint64_t> events_by_kind;
  uint64_t file_bytes = 0;  // data.mdb on disk
  // Where the bytes go: the pages each database occupies, and the file's free pages (reused by
  // later writes; `palimpsest compact` gives them back).
  std::map<std::string, uint64_t> database_bytes;
  uint64_t free_bytes = 0;
  uint64_t map_size = 0;
  std::string data_dir;
  int extractor_version = 0;  // the extractor the projections were built with (extractor.h)
};

// A node's place on the shared log (Options::log_url): entries are whole transactions.
struct SharedLogState {
  bool shared = false;
  std::string log;         // where it lives (the url)
  uint64_t applied = 0;    // the last entry this node applied
  uint64_t last = 0;       // the last entry in the log, when reachable
  bool reachable = false;  // the log answered just now
  std::string error;       // why not, when not
  uint64_t lag() const { return last > applied ? last - applied : 0; }
};

class Archive {
 public:
  // Opens (creating in kReadWrite mode) the archive in options.data_dir. NotFound when a
  // read-only open finds no archive; IOError when the writer lock is held past the timeout or
  // the directory cannot be used.
  static Result<std::unique_ptr<Archive>> Open(const Options& options);

  virtual ~Archive() = default;

  // Appends `batch` in one transaction together with every synchronous projection: all events
  // or none. Every string of every event first passes NormalizeEventText (event_text.h): URLs
  // percent-encoded, control characters removed, and a string that is not UTF-8 fails the
  // batch with InvalidText (detail kInvalidText) naming the field. Retried event ids return their
  // original result and write nothing; a reused id with a different body is InvalidArgument; a
  // version mismatch is Conflict naming the current version. A full map is grown and the batch
  // retried; a full disk is IOError with nothing committed.
  virtual Result<std::vector<AppendResult>> Append(std::vector<AppendRequest> batch) = 0;

  // Appends the requests of `batch` in one transaction (one sync), each in a nested transaction
  // of its own, as Append would one by one: a request that fails for its own reason (bad text,
  // a reused id, a version conflict, an unknown document, a page that is not an article) gets
  // its Status and leaves no trace; the others are committed, in order, later ones seeing what
  // earlier ones wrote. Returns one Result per request. A storage failure (IOError, Corruption:
  // disk full, damage) is returned for the whole batch, with nothing committed. This is the
  // write path of import and of the server's group commit: no copies, no retries.
  // Thread safety: as Append.
  virtual Result<std::vector<Result<AppendResult>>> AppendEach(
      std::vector<AppendRequest> batch) = 0;

  // Events with seq > after_seq, at most `limit`, in log order.
  virtual Result<std::vector<Event>> ReadLog(uint64_t after_seq, size_t limit) = 0;

  // The document's events with version >= from_version. NotFound for an unknown document.
  virtual Result<std::vector<Event>> ReadStream(const std::string& doc_id,
                                                uint64_t from_version = 1) = 0;

  // The document's current version; 0 when unknown.
  virtual Result<uint64_t> StreamVersion(const std::string& doc_id) = 0;

  // Stored content by hash (verified). NotFound (message "redacted: …") after redaction;
  // Corruption when nothing is stored under the hash (every hash a caller holds came from the
  // log or a projection, so a gap is damage).
  virtual Result<std::string> ReadContent(const Digest& hash) = 0;

  virtual Result<ChainHead> Head() = 0;

  // Decodes every event, recomputes the hash chain, checks the id and stream indexes, stored
  // content and projection checkpoints. Problems are reported, not returned as errors; a
  // Status error means verify itself could not run.
  virtual Result<VerifyReport> Verify() = 0;

  // Empties every projection and rebuilds it from the log in one transaction.
  virtual Result<ReplayReport> Replay() = 0;
  // Replay of the named asynchronous projections only ("search", "change_summaries"): their
  // databases emptied and rebuilt from the log in one transaction, every other projection left
  // as it is (a new extractor needs the full Replay). InvalidArgument for any other name.
  virtual Result<ReplayReport> ReplayProjections(const std::vector<std::string>& names) = 0;

  // Advances the asynchronous projections (change summaries, search index) over at most
  // `max_events` log events, in transactions of their own; returns how many events were applied.
  // Appends never wait for these; a server runs this on a background thread, the CLI after its
  // writes.
  virtual Result<uint64_t> CatchUp(uint64_t max_events) = 0;

  // Loads events exactly as exported (seq, recorded_at, prev_hash kept) into an empty archive
  // in one transaction, so the chain head ends identical. InvalidArgument when the archive is
  // not empty or the events do not chain; Corruption (nothing committed) when `expected_head`
  // is given and the restored chain ends elsewhere.
  // With a shared log (Options::log_url) this is how an archive moves into a cluster: the
  // events are appended to the shared log after what it already holds, which must be the
  // start of the same chain (so an interrupted push continues where it stopped), in entries
  // of their own, and this node applies them as any node would. Conflict when another node
  // appends meanwhile; InvalidArgument when the log holds a different history.
  virtual Status Restore(std::vector<AppendRequest> events,
                         const Digest* expected_head = nullptr) = 0;

  // Applies the entries other nodes appended to the shared log (Options::log_url) since this
  // node's last, waiting up to `wait_ms` for a first one when there is none; the asynchronous
  // projections follow by CatchUp as after local writes. Returns how many entries it applied.
  // InvalidArgument without a shared log; IOError (detail kLogUnavailable) when the log cannot
  // be reached; Corruption when an entry does not continue this node's chain.
  // Thread safety: as Append (it takes the writer's turn per entry batch).
  virtual Result<uint64_t> FollowLog(int wait_ms) = 0;

  // Where this node stands on the shared log. Without one: shared = false.
  virtual Result<SharedLogState> LogState() = 0;

  virtual Result<ArchiveStats> Stats() = 0;

  // The extractor version (kExtractorVersion in extractor.h) the projections were built with:
  // recorded when the archive is created and by Replay; appends keep it. Older than the
  // current one means revisions derived since differ from what `replay` would derive.
  virtual Result<int> ProjectionExtractorVersion() = 0;

  // Writes a consistent copy of the whole archive (one LMDB snapshot: every committed event and
  // every projection as of one transaction) into `dest_dir`, which must not exist or be an
  // empty directory (InvalidArgument otherwise); it is created, and removed again on failure.
  // Safe while other threads or processes write (a hot copy); works on a read-only open too.
  // `compact` leaves out free pages (a smaller file; slower). The copy is synced to disk
  // before this returns. IOError when the copy cannot be written (disk full, permissions).
  virtual Status Backup(const std::string& dest_dir, bool compact) = 0;

  // Rewrites data.mdb without its free pages (`palimpsest compact`): a compacting copy made
  // under the writer lock, synced, then renamed over data.mdb. Needs the archive opened for
  // writing and no other process (nor another Archive) having it open: IOError otherwise, with
  // nothing changed. A crash leaves either file whole. Protocol for anyone who opened the old
  // file anyway (in the moment before the swap): it keeps reading the old file's last
  // snapshot, which nothing writes again, and its writes are refused (writer_lock.h) until it
  // opens the archive again. The same holds for this Archive once Compact returns: close it.
  virtual Result<CompactReport> Compact() = 0;

  // Document queries over the synchronous projections (see documents.h).
  virtual Result<DocumentView> GetDocument(const std::string& doc_id,
                                           const RevisionSelector& selector) = 0;
  virtual Result<std::vector<RevisionInfo>> History(const std::string& doc_id) = 0;
  // The revisions the archive had recorded by `known_at` (a recorded time), numbered and
  // derived against each other as it knew them then: a backfill recorded later is left out and
  // the revisions it renumbered or re-derived are told as they were. NotFound for an unknown
  // document or one with no revision known then.
  virtual Result<std::vector<RevisionInfo>> HistoryKnownAt(const std::string& doc_id,
                                                           Timestamp known_at) = 0;
  virtual Result<std::vector<DocumentSummary>> ListDocuments(const ListFilter& filter) = 0;
  // Every address the document has been seen at (DocumentUrl), oldest sighting first; an
  // address only redacted events named is left out. NotFound for an unknown document.
  virtual Result<std::vector<DocumentUrl>> DocumentUrls(const std::string& doc_id) = 0;
  // What `doc_id` names now: itself, or — when a redirect showed it to be another document and
  // the archive merged them — the document it joined (following later merges), with the
  // documents merged into that one. Every query taking a doc id resolves it this way. NotFound
  // for an unknown document.
  virtual Result<ResolvedDocument> ResolveDocument(const std::string& doc_id) = 0;
  // The document seen first at `url` — in any of its forms: either scheme, with or without
  // tracking parameters, default port or fragment (CanonicalUrl in doc_id.h). NotFound when no
  // document was seen there.
  virtual Result<std::string> FindDocumentByUrl(std::string_view url) = 0;

  // Which revision introduced each sentence of revision `rev` (the current one when nullopt),
  // computed on demand from the revision bodies (blame.h). NotFound for an unknown document or
  // revision, and for a redacted revision.
  virtual Result<BlameView> Blame(const std::string& doc_id, std::optional<uint32_t> rev) = 0;

  // Revisions introduced in [filter.since, filter.until) on the chosen time axis, oldest first
  // (the synchronous change-feed projection: always up to date).
  virtual Result<std::vector<ChangeEntry>> Changes(const ChangeFilter& filter) = 0;

  // The watch list (watches.h), in stream-id order; empty for an archive without watches.
  virtual Result<std::vector<WatchInfo>> Watches() = 0;
  // The watch of `url` (any spelling of it: WatchStreamId). NotFound when it is not watched.
  virtual Result<WatchInfo> GetWatch(std::string_view url) = 0;
  // The webhooks (watches.h), in stream-id order.
  virtual Result<std::vector<HookInfo>> Hooks() = 0;

  // Full-text search (search.h) over the asynchronous search index; results reflect the log up
  // to SearchResults::indexed_seq. Never returns a redacted revision. InvalidArgument for a
  // query without words.
  virtual Result<SearchResults> Search(const SearchRequest& request) = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_H_
