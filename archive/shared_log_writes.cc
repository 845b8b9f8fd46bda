// ArchiveImpl and the shared log (Options::log_url, archive/log/shared_log.h): how a node
// writes through it and mirrors it.
//
// Protocol. The shared log is a sequence of entries; each is one archive transaction — the
// events it appended (seqs, versions, chain hashes exactly as on one machine) and the content
// they brought (schemas/log_entry.capnp). meta "log/position" (u64 BE) is the last entry this
// node applied; its local `events` database then equals the log's events up to that entry.
//  - Write: the batch runs in a local write transaction as always; before it commits, its events
//    are appended to the shared log at `position` (a compare-and-set on the whole log). When
//    another node got there first (kLogMoved), the local transaction is dropped, the missed
//    entries are applied, and the batch runs again — so expected versions, event-id
//    idempotency and URL identity are decided against everything before it in the log. A lost
//    acknowledgement (kLogUnavailable) is resolved the same way: the entry shows up in the log
//    (the retry then finds its event ids there: duplicates) or it does not (the retry appends).
//  - Follow: entries after `position` are read, checked to continue this node's chain, and
//    applied with their content, one local transaction each (StoreLogged, as restore does).
// Since every node applies the same entries in the same order through the same projections,
// every node's databases are byte-identical to a single-machine replay of the log.

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "archive/archive_impl.h"
#include "archive/lmdb/keys.h"

namespace palimpsest {

namespace {

constexpr const char* kLogPositionKey = "log/position";
// How long a write keeps retrying while the shared log does not answer (a leader election
// takes a few seconds).
constexpr auto kUnavailableBudget = std::chrono::seconds(30);
// How many times in a row other nodes may win the race before a write gives up.
constexpr int kMaxMoves = 200;
// Entries applied per turn of FollowLog before local writers get theirs.
constexpr uint64_t kFollowTurn = 64;
// A push's entries: at most this many events or about this many bytes.
constexpr size_t kPushEvents = 512;
constexpr size_t kPushBytes = size_t{4} << 20;

struct DigestHash {
  size_t operator()(const Digest& d) const {
    size_t h;
    std::memcpy(&h, d.data(), sizeof h);
    return h;
  }
};

bool LogMoved(const Status& s) { return s.detail() == StatusDetail::kLogMoved; }
bool LogUnavailable(const Status& s) { return s.detail() == StatusDetail::kLogUnavailable; }

// Pauses a retry: 50 ms doubling up to 1 s.
void Backoff(int attempt) {
  const int ms = 50 << std::min(attempt, 4);
  std::this_thread::sleep_for(std::chrono::milliseconds(std::min(ms, 1000)));
}

Result<std::vector<Event>> DecodeEntryEvents(const LogEntry& entry) {
  std::vector<Event> events;
  events.reserve(entry.events.size());
  for (const std::string& bytes : entry.events) {
    PALIMPSEST_ASSIGN_OR_RETURN(Event e, DecodeEvent(bytes));
    events.push_back(std::move(e));
  }
  return events;
}

bool HasRedaction(const std::vector<Event>& events) {
  return std::any_of(events.begin(), events.end(),
                     [](const Event& e) { return std::holds_alternative<RedactedEvent>(e.body); });
}

}  // namespace

Status ArchiveImpl::AttachLog(std::unique_ptr<SharedLog> log) {
  auto read = BeginRead();
  PALIMPSEST_RETURN_IF_ERROR(read.status());
  PALIMPSEST_ASSIGN_OR_RETURN(const ChainHead head, ReadHead(read->txn));
  auto position = read->txn.Get(meta_, kLogPositionKey);
  if (position.status().IsNotFound() && head.seq != 0) {
    return Status::InvalidArgument(
        "the archive in " + options_.data_dir + " holds " + std::to_string(head.seq) +
        " events that are not in the shared log " + log->Describe() +
        "; move them with `palimpsest push`, or give this node an empty directory");
  }
  if (!position.ok() && !position.status().IsNotFound()) return position.status();
  if (position.ok()) {
    // A node that applied more entries than the log holds was built from another log.
    PALIMPSEST_ASSIGN_OR_RETURN(const uint64_t applied, ReadLogPosition(read->txn));
    PALIMPSEST_ASSIGN_OR_RETURN(const uint64_t last, log->LastPosition());
    if (applied > last) {
      return Status::InvalidArgument("the archive in " + options_.data_dir + " applied " +
                                     std::to_string(applied) + " entries of a shared log, but " +
                                     log->Describe() + " holds " + std::to_string(last) +
                                     ": it belongs to another log (--log, --log-stream)");
    }
  }
  log_ = std::move(log);
  return Status::OK();
}

Result<uint64_t> ArchiveImpl::ReadLogPosition(lmdb::Txn& txn) {
  auto value = txn.Get(meta_, kLogPositionKey);
  if (value.status().IsNotFound()) return uint64_t{0};
  PALIMPSEST_RETURN_IF_ERROR(value.status());
  if (value->size() != 8) return Status::Corruption("meta log/position has the wrong size");
  return keys::ReadU64(*value);
}

Status ArchiveImpl::RefuseLocalWriteOnNode(lmdb::Txn& txn) {
  auto position = txn.Get(meta_, kLogPositionKey);
  if (position.ok()) {
    return Status::InvalidArgument("the archive in " + options_.data_dir +
                                   " is a node of a shared log: write to it with --log");
  }
  return position.status().IsNotFound() ? Status::OK() : position.status();
}

Result<LogEntry> ArchiveImpl::EntryOf(lmdb::Txn& txn, uint64_t before, uint64_t last,
                                      const std::vector<AppendRequest>& batch,
                                      std::vector<Event>* events) {
  std::unordered_map<Digest, const std::string*, DigestHash> supplied;
  std::unordered_map<Digest, const std::string*, DigestHash> withheld;
  for (const AppendRequest& r : batch) {
    for (const std::string& bytes : r.contents) supplied.emplace(Sha256(bytes), &bytes);
    for (const auto& [hash, reason] : r.withheld_contents) withheld.emplace(hash, &reason);
  }
  LogEntry entry;
  events->clear();
  for (uint64_t seq = before + 1; seq <= last; ++seq) {
    PALIMPSEST_ASSIGN_OR_RETURN(std::string_view bytes, txn.Get(events_, keys::U64(seq)));
    PALIMPSEST_ASSIGN_OR_RETURN(Event event, DecodeEvent(bytes));
    entry.events.emplace_back(bytes);
    // Content an earlier entry brought is on every node already; this entry carries the rest.
    for (const ContentRef& ref : ReferencedContent(event.body)) {
      if (auto it = supplied.find(ref.sha256); it != supplied.end() && it->second != nullptr) {
        entry.contents.push_back(*it->second);
        it->second = nullptr;
      } else if (auto w = withheld.find(ref.sha256); w != withheld.end() && w->second) {
        entry.withheld.emplace_back(ref.sha256, *w->second);
        w->second = nullptr;
      }
    }
    events->push_back(std::move(event));
  }
  return entry;
}

Status ArchiveImpl::WriteThroughLog(const std::vector<AppendRequest>& batch,
                                    const std::function<Status(lmdb::Txn&)>& body) {
  auto through_log = [&](lmdb::Txn& txn) -> Status {
    PALIMPSEST_ASSIGN_OR_RETURN(const uint64_t position, ReadLogPosition(txn));
    PALIMPSEST_ASSIGN_OR_RETURN(const ChainHead before, ReadHead(txn));
    PALIMPSEST_RETURN_IF_ERROR(body(txn));
    PALIMPSEST_ASSIGN_OR_RETURN(const ChainHead after, ReadHead(txn));
    if (after.seq == before.seq) return Status::OK();  // nothing new: nothing to share
    std::vector<Event> events;
    PALIMPSEST_ASSIGN_OR_RETURN(const LogEntry entry,
                                EntryOf(txn, before.seq, after.seq, batch, &events));
    PALIMPSEST_ASSIGN_OR_RETURN(const uint64_t landed, log_->Append(EncodeLogEntry(entry), position,
                                                                    LogEntryDedupeId(events)));
    return txn.Put(meta_, kLogPositionKey, keys::U64(landed));
  };
  const auto deadline = std::chrono::steady_clock::now() + kUnavailableBudget;
  int moves = 0;
  for (int attempt = 0;; ++attempt) {
    Status s = WriteWithGrowth(through_log);
    if (!LogMoved(s) && !LogUnavailable(s)) return s;
    if (LogMoved(s) && ++moves > kMaxMoves) {
      return Status::WithDetail(StatusCode::kIOError, StatusDetail::kLogUnavailable,
                                "other nodes kept writing to the shared log first (" +
                                    std::to_string(kMaxMoves) + " times); try again");
    }
    if (LogUnavailable(s)) {
      if (std::chrono::steady_clock::now() > deadline) return s;
      Backoff(attempt);
    }
    // Whatever landed meanwhile — another node's writes, or this very entry when only its
    // acknowledgement was lost — is applied before the batch runs again.
    Status caught = ApplyLogEntriesLocked(UINT64_MAX).status();
    if (!caught.ok() && !LogUnavailable(caught)) return caught;
  }
}

Result<uint64_t> ArchiveImpl::ApplyLogEntriesLocked(uint64_t max_entries) {
  uint64_t applied = 0;
  while (applied < max_entries) {
    uint64_t position = 0;
    {
      PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn read, BeginRead());
      PALIMPSEST_ASSIGN_OR_RETURN(position, ReadLogPosition(read.txn));
    }
    auto bytes = log_->Read(position + 1);
    if (bytes.status().IsNotFound()) break;
    PALIMPSEST_RETURN_IF_ERROR(bytes.status());
    auto entry = DecodeLogEntry(*bytes);
    Result<std::vector<Event>> events =
        entry.ok() ? DecodeEntryEvents(*entry) : Result<std::vector<Event>>(entry.status());
    if (!events.ok()) {
      return events.status().WithContext("shared log entry " + std::to_string(position + 1));
    }
    // A redaction withholds text the asynchronous projections must have indexed first, as in
    // WriteBatch.
    // (A redacting batch of this node's that lost the race has them following inline already.)
    const bool inline_before = apply_async_inline_;
    const bool redacts = HasRedaction(*events);
    if (redacts && !inline_before) {
      PALIMPSEST_RETURN_IF_ERROR(CatchUpLocked(UINT64_MAX).status());
    }
    apply_async_inline_ = inline_before || redacts;
    Status s = WriteWithGrowth([&](lmdb::Txn& txn) -> Status {
      PALIMPSEST_ASSIGN_OR_RETURN(const uint64_t now_at, ReadLogPosition(txn));
      if (now_at != position) return Status::OK();  // another process here applied it
      return ApplyLogEntry(txn, position + 1, *entry, *events);
    });
    apply_async_inline_ = inline_before;
    PALIMPSEST_RETURN_IF_ERROR(s);
    ++applied;
  }
  return applied;
}

Status ArchiveImpl::ApplyLogEntry(lmdb::Txn& txn, uint64_t position, const LogEntry& entry,
                                  const std::vector<Event>& events) {
  std::unordered_map<Digest, const std::string*, DigestHash> contents;
  for (const std::string& bytes : entry.contents) contents.emplace(Sha256(bytes), &bytes);
  std::unordered_map<Digest, const std::string*, DigestHash> withheld;
  for (const auto& [hash, reason] : entry.withheld) withheld.emplace(hash, &reason);
  PALIMPSEST_ASSIGN_OR_RETURN(ChainHead head, ReadHead(txn));
  for (const Event& event : events) {
    AppendRequest request;
    request.event = event;
    for (const ContentRef& ref : ReferencedContent(event.body)) {
      if (auto it = contents.find(ref.sha256); it != contents.end()) {
        request.contents.push_back(*it->second);
      } else if (auto w = withheld.find(ref.sha256); w != withheld.end()) {
        request.withheld_contents.emplace_back(ref.sha256, *w->second);
      }
    }
    Status s = StoreLogged(txn, request, head);
    if (!s.ok()) {
      // The log is the truth every node shares: an entry that does not continue this node's
      // chain means this directory followed another log, or was changed behind its back.
      const std::string where = "shared log entry " + std::to_string(position) + " (" +
                                log_->Describe() + ") does not continue this archive";
      return s.code() == StatusCode::kInvalidArgument
                 ? Status::Corruption(where + ": " + s.message())
                 : s.WithContext(where);
    }
  }
  PALIMPSEST_RETURN_IF_ERROR(WriteHead(txn, head));
  return txn.Put(meta_, kLogPositionKey, keys::U64(position));
}

Result<uint64_t> ArchiveImpl::FollowLog(int wait_ms) {
  if (!log_) return Status::InvalidArgument("this archive has no shared log (--log)");
  uint64_t total = 0;
  for (bool waited = false;;) {
    uint64_t applied = 0;
    {
      std::lock_guard<std::mutex> write(write_mu_);
      PALIMPSEST_ASSIGN_OR_RETURN(applied, ApplyLogEntriesLocked(kFollowTurn));
    }
    total += applied;
    if (applied == kFollowTurn) continue;  // more may be waiting; let writers in between
    if (total > 0 || waited || wait_ms <= 0) return total;
    uint64_t position = 0;
    {
      PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn read, BeginRead());
      PALIMPSEST_ASSIGN_OR_RETURN(position, ReadLogPosition(read.txn));
    }
    PALIMPSEST_RETURN_IF_ERROR(log_->WaitAfter(position, std::chrono::milliseconds(wait_ms)));
    waited = true;
  }
}

Result<SharedLogState> ArchiveImpl::LogState() {
  SharedLogState state;
  if (!log_) return state;
  state.shared = true;
  state.log = log_->Describe();
  {
    PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn read, BeginRead());
    PALIMPSEST_ASSIGN_OR_RETURN(state.applied, ReadLogPosition(read.txn));
  }
  auto last = log_->LastPosition();
  state.reachable = last.ok();
  if (last.ok()) {
    state.last = *last;
  } else {
    state.error = last.status().message();
  }
  return state;
}

Status ArchiveImpl::PushEntry(const LogEntry& entry, const std::vector<Event>& events) {
  const auto deadline = std::chrono::steady_clock::now() + kUnavailableBudget;
  for (int attempt = 0;; ++attempt) {
    PALIMPSEST_RETURN_IF_ERROR(ApplyLogEntriesLocked(UINT64_MAX).status());
    ChainHead head;
    uint64_t position = 0;
    {
      PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn read, BeginRead());
      PALIMPSEST_ASSIGN_OR_RETURN(head, ReadHead(read.txn));
      PALIMPSEST_ASSIGN_OR_RETURN(position, ReadLogPosition(read.txn));
    }
    if (head.seq >= events.back().seq) return Status::OK();  // landed (a lost acknowledgement)
    if (head.seq + 1 != events.front().seq) {
      return Status::Conflict(
          "another node appended to the shared log during the push (it now "
          "ends at seq " +
          std::to_string(head.seq) + ")");
    }
    auto landed = log_->Append(EncodeLogEntry(entry), position, LogEntryDedupeId(events));
    if (landed.ok() || LogMoved(landed.status())) continue;  // apply it (or the other's), check
    if (!LogUnavailable(landed.status()) || std::chrono::steady_clock::now() > deadline) {
      return landed.status();
    }
    Backoff(attempt);
  }
}

Status ArchiveImpl::RestoreThroughLog(std::vector<AppendRequest>& events,
                                      const Digest* expected_head) {
  if (events.empty()) return Status::OK();
  // The events must chain among themselves (and end at `expected_head`) before any is shared.
  for (size_t i = 1; i < events.size(); ++i) {
    if (events[i].event.seq != events[i - 1].event.seq + 1 ||
        events[i].event.prev_hash != ChainHash(events[i - 1].event)) {
      return Status::InvalidArgument("restoring seq " + std::to_string(events[i].event.seq) +
                                     ": the events do not chain");
    }
  }
  if (expected_head != nullptr && ChainHash(events.back().event) != *expected_head) {
    return Status::Corruption("the events end at chain head " +
                              DigestToString(ChainHash(events.back().event)) + ", expected " +
                              DigestToString(*expected_head) + "; nothing was pushed");
  }
  PALIMPSEST_RETURN_IF_ERROR(ApplyLogEntriesLocked(UINT64_MAX).status());
  ChainHead head;
  {
    PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn read, BeginRead());
    PALIMPSEST_ASSIGN_OR_RETURN(head, ReadHead(read.txn));
  }
  // What the log holds already must be the start of these events (an interrupted push).
  size_t next = 0;
  while (next < events.size() && events[next].event.seq <= head.seq) ++next;
  const bool continues = next == events.size() || (events[next].event.seq == head.seq + 1 &&
                                                   events[next].event.prev_hash == head.hash);
  if (!continues) {
    return Status::InvalidArgument("the shared log " + log_->Describe() + " holds " +
                                   std::to_string(head.seq) +
                                   " events of a different history; push into an empty log");
  }
  while (next < events.size()) {
    LogEntry entry;
    std::vector<Event> chunk;
    while (next < events.size() && chunk.size() < kPushEvents && entry.ByteSize() < kPushBytes) {
      AppendRequest& r = events[next++];
      entry.events.push_back(EncodeEvent(r.event));
      for (std::string& c : r.contents) entry.contents.push_back(std::move(c));
      for (auto& w : r.withheld_contents) entry.withheld.push_back(std::move(w));
      chunk.push_back(std::move(r.event));
    }
    PALIMPSEST_RETURN_IF_ERROR(PushEntry(entry, chunk));
  }
  return Status::OK();
}

}  // namespace palimpsest
