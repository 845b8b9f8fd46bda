// ArchiveImpl, part 2 of 3: appending to the log — content stored first, then each event
// validated (document id, expected version, id reuse), chained, stored and applied to the
// synchronous projections in the one write transaction; and Restore, which replays a backup's
// events with their original seqs and hashes.

#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "archive/archive_impl.h"
#include "archive/lmdb/keys.h"
#include "archive/projections/chrome_lines.h"
#include "palimpsest/doc_id.h"
#include "palimpsest/event_text.h"
#include "palimpsest/watches.h"

namespace palimpsest {

namespace {

// Watch and hook events live in their own streams and nothing else does (watches.h): a capture
// cannot create an article under a watch's id, nor a check land in an article's stream.
Status CheckStreamKind(const Event& event) {
  std::string expected;  // the stream the event's URL names; empty for a document event
  if (const auto* w = std::get_if<WatchedEvent>(&event.body)) expected = WatchStreamId(w->url);
  if (const auto* u = std::get_if<UnwatchedEvent>(&event.body)) expected = WatchStreamId(u->url);
  if (const auto* c = std::get_if<CheckedEvent>(&event.body)) expected = WatchStreamId(c->url);
  if (const auto* h = std::get_if<HookAddedEvent>(&event.body)) expected = HookStreamId(h->url);
  if (const auto* h = std::get_if<HookRemovedEvent>(&event.body)) expected = HookStreamId(h->url);
  if (const auto* d = std::get_if<DeliveredEvent>(&event.body)) expected = HookStreamId(d->url);
  if (expected.empty()) {
    if (IsWatchStreamId(event.doc_id) || IsHookStreamId(event.doc_id)) {
      return Status::InvalidArgument("'" + event.doc_id +
                                     "' is a watch's or hook's stream, not a document");
    }
    return Status::OK();
  }
  if (event.doc_id != expected) {
    return Status::InvalidArgument(std::string("a ") + EventKindName(event.body) +
                                   " event belongs in stream " + expected);
  }
  return Status::OK();
}

// A failure of the storage (disk full, I/O, damage), not of any one request.
bool IsStorageFailure(const Status& s) {
  return s.code() == StatusCode::kIOError || s.code() == StatusCode::kCorruption;
}

}  // namespace

Status ArchiveImpl::StoreContents(lmdb::Txn& txn, const AppendRequest& request) {
  const std::vector<ContentRef> refs = ReferencedContent(request.event.body);
  // Compress against the document's previous capture: consecutive captures share most bytes.
  std::optional<Digest> previous;
  if (!request.contents.empty()) {
    auto state = articles_.GetState(txn, request.event.doc_id);
    if (state.ok() && state->has_last_raw) previous = state->last_raw;
  }
  // A page's template repeats in its outlet's other pages: first captures are compressed with
  // the outlet's dictionary.
  std::optional<std::string> outlet;
  if (const auto* c = std::get_if<CapturedEvent>(&request.event.body)) {
    outlet = ChromeLines::SourceKey(c->source, c->url);
  } else if (const auto* o = std::get_if<ObservedEvent>(&request.event.body)) {
    outlet = ChromeLines::SourceKey(o->source, o->url);
  }
  for (const std::string& bytes : request.contents) {
    PALIMPSEST_ASSIGN_OR_RETURN(ContentRef ref,
                                contents_.Put(txn, bytes, previous ? &*previous : nullptr,
                                              /*capture=*/nullptr, outlet ? &*outlet : nullptr));
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
    // Bad input (binary data, a page that is not an article) is said as it is; anything else
    // names the projection that failed.
    if (!s.ok() && s.code() != StatusCode::kInvalidArgument) {
      return s.WithContext(std::string(p->name()) + " projection");
    }
    PALIMPSEST_RETURN_IF_ERROR(s);
  }
  if (apply_async_inline_) PALIMPSEST_RETURN_IF_ERROR(ApplyAsyncInline(txn, event));
  if (std::holds_alternative<RedactedEvent>(event.body)) {
    PALIMPSEST_RETURN_IF_ERROR(WithholdRevision(txn, event));
  }
  return Status::OK();
}

Status ArchiveImpl::ApplyAsyncInline(lmdb::Txn& txn, const Event& event) {
  for (Projection* p : async_projections()) {
    p->Discard();
    Status s = p->Apply(txn, event, contents_);
    if (s.ok()) s = p->Flush(txn);
    if (!s.ok()) return s.WithContext(std::string(p->name()) + " projection");
    PALIMPSEST_RETURN_IF_ERROR(
        txn.Put(meta_, std::string("checkpoint/") + p->name(), keys::U64(event.seq)));
  }
  return Status::OK();
}

Result<AppendResult> ArchiveImpl::AppendOneInTxn(lmdb::Txn& txn, AppendRequest& request,
                                                 const PreparedCapture& prepared,
                                                 AppendCursor& cursor) {
  Event& event = request.event;
  PALIMPSEST_RETURN_IF_ERROR(ValidateDocId(event.doc_id));
  if (event.withheld_hash) {
    return Status::InvalidArgument("a withheld event can only be restored, not appended");
  }
  if (std::holds_alternative<MergedEvent>(event.body)) {
    return Status::InvalidArgument(
        "a merge is recorded by the archive when a redirect joins two documents; it cannot be "
        "appended");
  }
  PALIMPSEST_RETURN_IF_ERROR(CheckStreamKind(event));
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<AppendResult> repeated, Repeated(txn, request));
  if (repeated) return std::move(*repeated);
  if (request.land_by_url && !request.expected_version) {
    PALIMPSEST_ASSIGN_OR_RETURN(event.doc_id, LandingDocument(txn, request, prepared, cursor));
  }
  PALIMPSEST_ASSIGN_OR_RETURN(const std::string document, articles_.Resolve(txn, event.doc_id));
  if (document != event.doc_id) {
    // A merged-away id names the document it joined; a version expected of it cannot hold.
    if (request.expected_version) {
      return Status::Conflict("document '" + event.doc_id + "' was merged into '" + document +
                              "'; read that document's version and retry");
    }
    event.doc_id = document;
  }
  PALIMPSEST_ASSIGN_OR_RETURN(const uint64_t version, CurrentVersion(txn, event.doc_id, cursor));
  if (request.expected_version && *request.expected_version != version) {
    return Status::Conflict("document '" + event.doc_id + "' is at version " +
                            std::to_string(version) + ", expected " +
                            std::to_string(*request.expected_version));
  }
  PALIMPSEST_RETURN_IF_ERROR(articles_.CheckAppendable(txn, event));
  PALIMPSEST_RETURN_IF_ERROR(StoreContents(txn, request));
  ChainHead head = cursor.head;
  PALIMPSEST_RETURN_IF_ERROR(StoreNext(txn, event, version, &prepared, head));
  AppendResult appended;
  appended.doc_id = event.doc_id;
  appended.seq = event.seq;
  appended.version = event.version;
  PALIMPSEST_RETURN_IF_ERROR(
      articles_.DescribeAppend(txn, event.doc_id, event.seq, /*latest=*/true, &appended));
  if (request.only_if_revised && appended.outcome == AppendOutcome::kUnchanged) {
    // Nothing is kept: the caller's transaction (a nested one in AppendEach) is abandoned.
    return Status::WithDetail(StatusCode::kConflict, StatusDetail::kNoNewRevision,
                              "document '" + event.doc_id + "' already shows this text");
  }
  std::optional<Event> merge;
  if (std::holds_alternative<RedirectedEvent>(event.body)) {
    PALIMPSEST_ASSIGN_OR_RETURN(merge, MergeAfter(txn, event));
  }
  if (merge) {
    PALIMPSEST_ASSIGN_OR_RETURN(const uint64_t into_version,
                                CurrentVersion(txn, merge->doc_id, cursor));
    PALIMPSEST_RETURN_IF_ERROR(StoreNext(txn, *merge, into_version, nullptr, head));
    appended.merged_into = merge->doc_id;
    cursor.versions[merge->doc_id] = merge->version;
  }
  // Only a request that went in moves the cursor.
  cursor.head = head;
  cursor.versions[event.doc_id] = event.version;
  cursor.wrote = true;
  return appended;
}

Result<std::optional<AppendResult>> ArchiveImpl::Repeated(lmdb::Txn& txn, AppendRequest& request) {
  Event& event = request.event;
  const std::string_view id_key(reinterpret_cast<const char*>(event.id.data()), event.id.size());
  auto existing = txn.Get(event_ids_, id_key);
  if (existing.status().IsNotFound()) return std::optional<AppendResult>();
  if (!existing.ok()) return existing.status();
  const uint64_t seq = keys::ReadU64(*existing);
  PALIMPSEST_ASSIGN_OR_RETURN(Event original, ReadEvent(txn, seq));
  // A capture that landed by URL was written under the document it landed in.
  if (request.land_by_url && !request.expected_version) event.doc_id = original.doc_id;
  if (EncodeEventBody(original) != EncodeEventBody(event)) {
    return Status::WithDetail(StatusCode::kInvalidArgument, StatusDetail::kEventIdReused,
                              "event id " + EventIdToString(event.id) +
                                  " was already used for a different event (seq " +
                                  std::to_string(seq) + ")");
  }
  AppendResult duplicate;
  // The document it is in now: a merge since may have joined it to another.
  PALIMPSEST_ASSIGN_OR_RETURN(duplicate.doc_id, articles_.Resolve(txn, original.doc_id));
  duplicate.seq = seq;
  duplicate.version = original.version;
  duplicate.duplicate = true;
  PALIMPSEST_RETURN_IF_ERROR(
      articles_.DescribeAppend(txn, duplicate.doc_id, seq, /*latest=*/false, &duplicate));
  return std::optional<AppendResult>(std::move(duplicate));
}

Result<uint64_t> ArchiveImpl::CurrentVersion(lmdb::Txn& txn, const std::string& doc_id,
                                             const AppendCursor& cursor) {
  if (auto it = cursor.versions.find(doc_id); it != cursor.versions.end()) return it->second;
  return stream_index_.Version(txn, doc_id);
}

Status ArchiveImpl::StoreNext(lmdb::Txn& txn, Event& event, uint64_t version,
                              const PreparedCapture* prepared, ChainHead& head) {
  event.seq = head.seq + 1;
  event.version = version + 1;
  event.recorded_at = std::max(options_.clock(), head.recorded_at);
  event.prev_hash = head.hash;
  event.schema_version = kEventSchemaVersion;
  const std::string encoded = EncodeEvent(event);
  articles_.UsePrepared(prepared);
  Status stored = StoreEvent(txn, event, encoded);
  articles_.UsePrepared(nullptr);
  PALIMPSEST_RETURN_IF_ERROR(stored);
  head = {event.seq, EventHash(encoded), event.recorded_at};
  return Status::OK();
}

Result<std::string> ArchiveImpl::LandingDocument(lmdb::Txn& txn, const AppendRequest& request,
                                                 const PreparedCapture& prepared,
                                                 const AppendCursor& cursor) {
  const Event& event = request.event;
  std::string_view address;   // where the event was captured
  std::string_view declared;  // where it says the document lives
  if (const auto* c = std::get_if<CapturedEvent>(&event.body)) {
    address = c->url;
    if (prepared.extracted && prepared.extracted->ok())
      declared = (*prepared.extracted)->canonical_url;
  } else if (const auto* o = std::get_if<ObservedEvent>(&event.body)) {
    address = o->url;
  } else if (const auto* r = std::get_if<RedirectedEvent>(&event.body)) {
    address = r->url;
    declared = r->target;
  } else {
    return event.doc_id;
  }
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<std::string> owner, url_identity_.Owner(txn, address));
  if (owner) return *owner;
  // A document that already has events keeps its captures (an archive indexed before URL
  // identity, or an id the importer chose); only a new one joins the declared address's.
  PALIMPSEST_ASSIGN_OR_RETURN(const uint64_t version, CurrentVersion(txn, event.doc_id, cursor));
  if (version > 0 || declared.empty()) return event.doc_id;
  PALIMPSEST_ASSIGN_OR_RETURN(owner, url_identity_.Owner(txn, declared));
  return owner ? *owner : event.doc_id;
}

Result<ArchiveImpl::AppendCursor> ArchiveImpl::StartAppend(lmdb::Txn& txn) {
  AppendCursor cursor;
  PALIMPSEST_ASSIGN_OR_RETURN(cursor.head, ReadHead(txn));
  // Another process may have appended since this one caught up (the writer lock is held per
  // transaction): the asynchronous projections must follow the log up to here first.
  if (apply_async_inline_) PALIMPSEST_RETURN_IF_ERROR(CatchUpInTxn(txn, cursor.head.seq));
  return cursor;
}

Status ArchiveImpl::AppendInTxn(lmdb::Txn& txn, std::vector<AppendRequest>& batch,
                                const std::vector<PreparedCapture>& prepared,
                                std::vector<AppendResult>* results) {
  PALIMPSEST_ASSIGN_OR_RETURN(AppendCursor cursor, StartAppend(txn));
  results->clear();
  for (size_t i = 0; i < batch.size(); ++i) {
    PALIMPSEST_ASSIGN_OR_RETURN(AppendResult result,
                                AppendOneInTxn(txn, batch[i], prepared[i], cursor));
    results->push_back(std::move(result));
  }
  return cursor.wrote ? WriteHead(txn, cursor.head) : Status::OK();
}

Status ArchiveImpl::AppendEachInTxn(lmdb::Txn& txn, std::vector<AppendRequest>& batch,
                                    const std::vector<PreparedCapture>& prepared,
                                    const std::vector<Status>& refused,
                                    std::vector<Result<AppendResult>>* results) {
  PALIMPSEST_ASSIGN_OR_RETURN(AppendCursor cursor, StartAppend(txn));
  results->clear();
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!refused[i].ok()) {
      results->push_back(refused[i]);
      continue;
    }
    PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Txn child, lmdb::Txn::BeginChild(env_, txn));
    Result<AppendResult> result = AppendOneInTxn(child, batch[i], prepared[i], cursor);
    if (!result.ok() && IsStorageFailure(result.status())) return result.status();
    if (result.ok()) {
      PALIMPSEST_RETURN_IF_ERROR(child.Commit());
    } else {
      child.Abort();  // A request's own failure takes back only its own writes.
    }
    results->push_back(std::move(result));
  }
  return cursor.wrote ? WriteHead(txn, cursor.head) : Status::OK();
}

Result<std::vector<AppendResult>> ArchiveImpl::Append(std::vector<AppendRequest> batch) {
  for (AppendRequest& request : batch) {
    // Before the id lookup, so a retried request compares its cleaned body with the stored one.
    PALIMPSEST_RETURN_IF_ERROR(NormalizeEventText(&request.event));
  }
  const std::vector<PreparedCapture> prepared = PrepareBatch(batch, nullptr);
  std::vector<AppendResult> results;
  PALIMPSEST_RETURN_IF_ERROR(WriteBatch(
      batch, [&](lmdb::Txn& txn) { return AppendInTxn(txn, batch, prepared, &results); }));
  return results;
}

Result<std::vector<Result<AppendResult>>> ArchiveImpl::AppendEach(
    std::vector<AppendRequest> batch) {
  std::vector<Status> refused;
  refused.reserve(batch.size());
  for (AppendRequest& request : batch) refused.push_back(NormalizeEventText(&request.event));
  const std::vector<PreparedCapture> prepared = PrepareBatch(batch, &refused);
  std::vector<Result<AppendResult>> results;
  PALIMPSEST_RETURN_IF_ERROR(WriteBatch(batch, [&](lmdb::Txn& txn) {
    return AppendEachInTxn(txn, batch, prepared, refused, &results);
  }));
  return results;
}

std::vector<PreparedCapture> ArchiveImpl::PrepareBatch(const std::vector<AppendRequest>& batch,
                                                       const std::vector<Status>* refused) {
  std::vector<bool> skip(batch.size(), false);
  // A retry or re-import of events already in the log costs an id lookup, not an extraction.
  // (Should the lookup fail, everything is prepared: the transaction decides anyway.)
  if (Result<ReadTxn> r = BeginRead(); r.ok()) {
    for (size_t i = 0; i < batch.size(); ++i) {
      const EventId& id = batch[i].event.id;
      std::string_view key(reinterpret_cast<const char*>(id.data()), id.size());
      skip[i] = (refused != nullptr && !(*refused)[i].ok()) || r->txn.Get(event_ids_, key).ok();
    }
  }
  const unsigned threads = options_.extract_threads != 0
                               ? options_.extract_threads
                               : std::max(1u, std::thread::hardware_concurrency());
  return PrepareCaptures(batch, skip, threads);
}

Status ArchiveImpl::WriteBatch(const std::vector<AppendRequest>& batch,
                               const std::function<Status(lmdb::Txn&)>& body) {
  std::lock_guard<std::mutex> write(write_mu_);
  const bool redacts = std::any_of(batch.begin(), batch.end(), [](const AppendRequest& r) {
    return std::holds_alternative<RedactedEvent>(r.event.body);
  });
  if (redacts) PALIMPSEST_RETURN_IF_ERROR(CatchUpLocked(UINT64_MAX).status());
  apply_async_inline_ = redacts;
  Status s = log_ ? WriteThroughLog(batch, body) : WriteWithGrowth([&](lmdb::Txn& txn) {
    PALIMPSEST_RETURN_IF_ERROR(RefuseLocalWriteOnNode(txn));
    return body(txn);
  });
  apply_async_inline_ = false;
  return s;
}

Status ArchiveImpl::StoreLogged(lmdb::Txn& txn, const AppendRequest& request, ChainHead& head) {
  const Event& event = request.event;
  const std::string where = "seq " + std::to_string(event.seq);
  PALIMPSEST_RETURN_IF_ERROR(ValidateDocId(event.doc_id).WithContext(where));
  if (event.seq != head.seq + 1) {
    return Status::InvalidArgument(where + ": expected seq " + std::to_string(head.seq + 1));
  }
  if (event.prev_hash != head.hash) {
    return Status::InvalidArgument(where + ": previous hash does not match the chain");
  }
  PALIMPSEST_ASSIGN_OR_RETURN(const uint64_t version, stream_index_.Version(txn, event.doc_id));
  if (event.version != version + 1) {
    return Status::InvalidArgument(where + ": stream version out of order");
  }
  if (head.recorded_at != kNoTime && event.recorded_at < head.recorded_at) {
    return Status::InvalidArgument(where + ": recorded time goes backwards");
  }
  PALIMPSEST_RETURN_IF_ERROR(StoreContents(txn, request).WithContext(where));
  const std::string encoded = EncodeEvent(event);
  Status s = StoreEvent(txn, event, encoded);
  if (s.detail() == StatusDetail::kKeyExists) {
    return Status::InvalidArgument(where + ": duplicate event id");
  }
  PALIMPSEST_RETURN_IF_ERROR(s);
  head = {event.seq, event.withheld_hash ? *event.withheld_hash : EventHash(encoded),
          event.recorded_at};
  return Status::OK();
}

Status ArchiveImpl::Restore(std::vector<AppendRequest> events, const Digest* expected_head) {
  std::lock_guard<std::mutex> write(write_mu_);
  if (log_) return RestoreThroughLog(events, expected_head);
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
    for (const AppendRequest& request : events) {
      PALIMPSEST_RETURN_IF_ERROR(StoreLogged(txn, request, head).WithContext("restoring"));
    }
    if (expected_head != nullptr && head.hash != *expected_head) {
      return Status::Corruption("restored chain head " + DigestToString(head.hash) +
                                " differs from the expected " + DigestToString(*expected_head) +
                                "; nothing was restored");
    }
    return WriteHead(txn, head);
  });
}

}  // namespace palimpsest
