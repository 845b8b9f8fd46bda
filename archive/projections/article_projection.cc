#include "archive/projections/article_projection.h"

#include <algorithm>
#include <set>

#include "archive/lmdb/keys.h"
#include "archive/projections/capture_change.h"
#include "codec/extract/learned_chrome.h"
#include "palimpsest/diff.h"
#include "palimpsest/extractor.h"

namespace palimpsest {

namespace {

// Why a revision's content cannot be read: the redaction's reason, else the failure itself.
std::string UnavailableReason(const Status& why) {
  return why.IsRedacted() ? why.redaction_reason() : why.message();
}

}  // namespace

Status ArticleProjection::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(documents_, txn.OpenDb(kDocuments, create));
  PALIMPSEST_ASSIGN_OR_RETURN(revisions_, txn.OpenDb(kRevisions, create));
  PALIMPSEST_RETURN_IF_ERROR(chrome_.Open(txn, create));
  PALIMPSEST_RETURN_IF_ERROR(times_.Open(txn, create));
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<MDB_dbi> aliases, txn.OpenOptionalDb(kAliases, create));
  aliases_open_ = aliases.has_value();
  aliases_ = aliases.value_or(0);
  return texts_.Open(txn, create);
}

Result<DocumentState> ArticleProjection::GetState(lmdb::Txn& txn, const std::string& doc_id) {
  auto value = txn.Get(documents_, doc_id);
  if (!value.ok()) {
    if (value.status().IsNotFound()) return Status::NotFound("no document '" + doc_id + "'");
    return value.status();
  }
  return DecodeDocumentState(*value);
}

Result<std::vector<StoredRevision>> ArticleProjection::Revisions(lmdb::Txn& txn,
                                                                 const std::string& doc_id,
                                                                 bool with_bodies) {
  std::vector<StoredRevision> revisions;
  PALIMPSEST_RETURN_IF_ERROR(ScanRevisions(txn, doc_id, [&](std::string_view record) -> Status {
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision r, DecodeRevision(record));
    if (with_bodies) PALIMPSEST_RETURN_IF_ERROR(LoadBody(txn, &r));
    revisions.push_back(std::move(r));
    return Status::OK();
  }));
  return revisions;
}

Result<std::vector<StoredRevision>> ArticleProjection::RevisionTimes(lmdb::Txn& txn,
                                                                     const std::string& doc_id) {
  std::vector<StoredRevision> revisions;
  PALIMPSEST_RETURN_IF_ERROR(ScanRevisions(txn, doc_id, [&](std::string_view record) -> Status {
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision r, DecodeRevisionTimes(record));
    revisions.push_back(std::move(r));
    return Status::OK();
  }));
  return revisions;
}

Status ArticleProjection::ScanRevisions(lmdb::Txn& txn, const std::string& doc_id,
                                        const std::function<Status(std::string_view)>& visit) {
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, revisions_));
  const std::string prefix = keys::DocPrefix(doc_id);
  for (bool ok = cursor.Seek(prefix); ok; ok = cursor.Next()) {
    if (cursor.key().substr(0, prefix.size()) != prefix) break;
    PALIMPSEST_RETURN_IF_ERROR(visit(cursor.value()));
  }
  return cursor.status();
}

Status ArticleProjection::PutRevision(lmdb::Txn& txn, const std::string& doc_id, uint32_t rev,
                                      const StoredRevision& revision) {
  const std::string key = keys::DocKey(doc_id, rev);
  std::optional<Timestamp> previous;
  auto stored = txn.Get(revisions_, key);
  if (stored.ok()) {
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision before, DecodeRevisionTimes(*stored));
    previous = before.info.effective_at;
  } else if (!stored.status().IsNotFound()) {
    return stored.status();
  }
  PALIMPSEST_ASSIGN_OR_RETURN(uint64_t count, txn.Count(revisions_));
  PALIMPSEST_RETURN_IF_ERROR(
      times_.Put(txn, doc_id, rev, revision.info.effective_at, previous, count));
  return txn.Put(revisions_, key, EncodeRevision(revision));
}

Status ArticleProjection::LoadBody(lmdb::Txn& txn, StoredRevision* revision) {
  if (!revision->has_body) return Status::OK();
  PALIMPSEST_ASSIGN_OR_RETURN(revision->content.body, texts_.Get(txn, revision->body_hash,
                                                                 ContentStore::Access::kInternal));
  return Status::OK();
}

Result<uint32_t> ArticleProjection::RevisionIntroducedBy(lmdb::Txn& txn, const std::string& stream,
                                                         uint64_t seq) {
  PALIMPSEST_ASSIGN_OR_RETURN(const std::string doc_id, Resolve(txn, stream));
  auto state = GetState(txn, doc_id);
  if (state.status().IsNotFound()) return 0u;
  if (!state.ok()) return state.status();
  if (state->backfilled) {
    PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> times, RevisionTimes(txn, doc_id));
    for (const StoredRevision& r : times) {
      if (r.info.seq == seq) return r.info.rev;
    }
    return 0u;
  }
  uint32_t lo = 1, hi = state->current_rev;
  while (lo <= hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    PALIMPSEST_ASSIGN_OR_RETURN(std::string_view bytes,
                                txn.Get(revisions_, keys::DocKey(doc_id, mid)));
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision r, DecodeRevisionTimes(bytes));
    if (r.info.seq == seq) return mid;
    if (r.info.seq < seq) {
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return 0u;
}

Result<StoredRevision> ArticleProjection::ReadRevision(lmdb::Txn& txn, const std::string& doc_id,
                                                       uint32_t rev, bool with_body) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::string_view bytes,
                              txn.Get(revisions_, keys::DocKey(doc_id, rev)));
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision revision, DecodeRevision(bytes));
  if (with_body) PALIMPSEST_RETURN_IF_ERROR(LoadBody(txn, &revision));
  return revision;
}

Status ArticleProjection::ScanDocuments(
    lmdb::Txn& txn, const std::string& after_id,
    const std::function<Result<bool>(const std::string&, const DocumentState&)>& visit) {
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, documents_));
  bool ok = after_id.empty() ? cursor.First() : cursor.Seek(after_id);
  if (ok && !after_id.empty() && cursor.key() == after_id) ok = cursor.Next();
  for (; ok; ok = cursor.Next()) {
    const std::string id(cursor.key());
    PALIMPSEST_ASSIGN_OR_RETURN(DocumentState state, DecodeDocumentState(cursor.value()));
    PALIMPSEST_ASSIGN_OR_RETURN(bool more, visit(id, state));
    if (!more) return Status::OK();
  }
  return cursor.status();
}

Status ArticleProjection::Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) {
  declared_url_.clear();
  if (auto* c = std::get_if<CapturedEvent>(&event.body)) {
    const Result<ArticleContent>* extracted =
        prepared_ != nullptr && prepared_->extracted ? &*prepared_->extracted : nullptr;
    if (prepared_ != nullptr && prepared_->raw != nullptr) {
      return ApplyCapture(txn, event, *prepared_->raw, c->media_type, c->captured_at, c->fields,
                          extracted);
    }
    auto raw = contents.Get(txn, c->raw.sha256, ContentStore::Access::kInternal);
    if (raw.status().IsNotFound()) {
      // The bytes are gone (redacted before an export that was restored here): the revision
      // exists, its content cannot be derived.
      return ApplyUnavailableCapture(txn, event, raw.status());
    }
    if (!raw.ok()) return raw.status();
    return ApplyCapture(txn, event, *raw, c->media_type, c->captured_at, c->fields, extracted);
  }
  if (auto* o = std::get_if<ObservedEvent>(&event.body)) return ApplyObservation(txn, event, *o);
  if (auto* k = std::get_if<CorrectedEvent>(&event.body)) {
    return ApplyCorrection(txn, event, *k, contents);
  }
  if (auto* r = std::get_if<RetractedEvent>(&event.body)) return ApplyRetraction(txn, event, *r);
  if (auto* d = std::get_if<RedactedEvent>(&event.body)) return ApplyRedaction(txn, event, *d);
  if (std::holds_alternative<RedirectedEvent>(event.body)) return ApplyRedirect(txn, event);
  if (auto* m = std::get_if<MergedEvent>(&event.body)) return ApplyMerge(txn, event, *m);
  return Status::OK();
}

Status ArticleProjection::ApplyCapture(lmdb::Txn& txn, const Event& event, const std::string& raw,
                                       const std::string& media_type, Timestamp captured_at,
                                       const std::vector<Field>& fields,
                                       const Result<ArticleContent>* prepared) {
  const auto* captured = std::get_if<CapturedEvent>(&event.body);
  DocumentState state;
  std::optional<StoredRevision> prev;
  auto existing = GetState(txn, event.doc_id);
  if (existing.ok()) {
    state = std::move(existing).value();
    PALIMPSEST_ASSIGN_OR_RETURN(prev, ReadRevision(txn, event.doc_id, state.current_rev));
  } else if (!existing.status().IsNotFound()) {
    return existing.status();
  }

  // Chrome learned from earlier captures of the same source; this capture's lines teach it.
  const std::string source_key =
      ChromeLines::SourceKey(captured->source.empty() ? state.source : captured->source,
                             captured->url.empty() ? state.url : captured->url);
  ChromeLines::View learned(&chrome_, &txn, source_key, event.doc_id);
  std::vector<std::string> page_lines;
  TextExtractContext context;
  if (!source_key.empty()) {
    context.learned = &learned;
    context.page_lines = &page_lines;
  }
  Result<ArticleContent> extracted =
      prepared != nullptr ? *prepared
                          : ExtractCapture(raw, media_type, captured_at, fields, context);
  PALIMPSEST_RETURN_IF_ERROR(learned.status());
  if (!extracted.ok() && context.learned != nullptr && prepared == nullptr) {
    // Nothing but known chrome (a sign-in wall, say): the page is still the capture's
    // content, as it would be with nothing learned.
    page_lines.clear();
    context.learned = nullptr;
    extracted = ExtractCapture(raw, media_type, captured_at, fields, context);
  }
  if (!extracted.ok() && extracted.status().IsNotAnArticle() && prev) {
    // A wall, an error page or a front served at the article's address: the check is recorded
    // (the event and its raw bytes are in the log), the article has no new revision, and no
    // revision was seen.
    state.version = event.version;
    return txn.Put(documents_, event.doc_id, EncodeDocumentState(state));
  }
  if (!extracted.ok()) return extracted.status();
  ArticleContent content = std::move(extracted).value();
  declared_url_ = content.canonical_url;
  const bool same_bytes = state.has_last_raw && state.last_raw == captured->raw.sha256;
  if (!page_lines.empty() && !same_bytes) {
    PALIMPSEST_RETURN_IF_ERROR(chrome_.Record(txn, source_key, event.doc_id, page_lines));
  }
  CaptureFacts facts;
  facts.captured_at = captured_at;
  for (const Field& f : fields) {
    if (f.name == "kind") facts.declared_kind = f.value;  // an importer's (JSON Lines)
  }
  if (event.effective_at != captured_at) facts.declared_effective = event.effective_at;
  if (prev && captured_at < CaptureOrderTime(prev->info)) {
    // Older than what the document shows now: a backfill, put where it belongs.
    StoredRevision backfilled;
    backfilled.content = std::move(content);
    backfilled.capture_url = captured->url;
    return InsertCapture(txn, event, std::move(state), std::move(backfilled), facts);
  }
  const std::string hash = ContentHash(content);
  if (!captured->source.empty()) state.source = captured->source;
  if (!captured->url.empty()) state.url = captured->url;
  state.has_last_raw = true;
  state.last_raw = captured->raw.sha256;
  const bool same_as_last_capture = state.last_capture_hash == hash;
  state.last_capture_hash = hash;

  const bool seen_current =
      prev && (prev->info.content_hash == hash ||
               (!prev->info.redacted && SameButChrome(prev->content, content)));
  if (seen_current || (prev && same_as_last_capture)) {
    // The same content observed again: not a revision, but the observation counts — for the
    // revision whose content the page showed, which after a person's correction is an earlier
    // one than the current.
    state.version = event.version;
    if (seen_current) {
      prev->info.last_seen_at = std::max(prev->info.last_seen_at, captured_at);
      if (!captured->url.empty()) prev->capture_url = captured->url;
      PALIMPSEST_RETURN_IF_ERROR(PutRevision(txn, event.doc_id, prev->info.rev, *prev));
    } else {
      PALIMPSEST_RETURN_IF_ERROR(MarkSeen(
          txn, event.doc_id, [&](const RevisionInfo& r) { return r.content_hash == hash; },
          captured_at));
    }
    return txn.Put(documents_, event.doc_id, EncodeDocumentState(state));
  }

  StoredRevision rev;
  RevisionInfo& info = rev.info;
  DeriveCaptureChange(prev ? &prev->content : nullptr, content, facts, &info);
  info.content_hash = hash;
  info.captured_at = captured_at;
  info.last_seen_at = captured_at;
  info.has_raw = true;
  info.raw_hash = captured->raw.sha256;
  rev.content = std::move(content);
  rev.capture_url = captured->url;
  return AppendRevision(txn, event, std::move(state), std::move(rev));
}

Status ArticleProjection::ApplyUnavailableCapture(lmdb::Txn& txn, const Event& event,
                                                  const Status& why) {
  const auto& captured = std::get<CapturedEvent>(event.body);
  DocumentState state;
  auto existing = GetState(txn, event.doc_id);
  if (existing.ok()) {
    state = std::move(existing).value();
  } else if (!existing.status().IsNotFound()) {
    return existing.status();
  }
  state.has_last_raw = true;
  state.last_raw = captured.raw.sha256;
  state.last_capture_hash = "unavailable:" + DigestToString(captured.raw.sha256);
  StoredRevision rev;
  rev.info.kind = state.current_rev == 0 ? "original" : "update";
  rev.info.effective_at = captured.captured_at;
  rev.info.captured_at = captured.captured_at;
  rev.info.last_seen_at = captured.captured_at;
  rev.info.content_hash = state.last_capture_hash;
  rev.info.has_raw = true;
  rev.info.raw_hash = captured.raw.sha256;
  rev.info.redacted = true;
  rev.info.redaction_reason = UnavailableReason(why);
  return AppendRevision(txn, event, std::move(state), std::move(rev));
}

Status ArticleProjection::ApplyCorrection(lmdb::Txn& txn, const Event& event,
                                          const CorrectedEvent& corrected, ContentStore& contents) {
  PALIMPSEST_ASSIGN_OR_RETURN(DocumentState state, GetState(txn, event.doc_id));
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision prev,
                              ReadRevision(txn, event.doc_id, state.current_rev));
  StoredRevision rev;
  rev.content = prev.content;
  if (corrected.has_text) {
    auto text = contents.Get(txn, corrected.text.sha256, ContentStore::Access::kInternal);
    if (text.status().IsNotFound()) {
      // The text is gone (redacted before an export that was restored here): the revision
      // exists, its content cannot be derived.
      rev.content = ArticleContent{};
      rev.info.redacted = true;
      rev.info.redaction_reason = UnavailableReason(text.status());
    } else {
      if (!text.ok()) return text.status();
      PALIMPSEST_ASSIGN_OR_RETURN(rev.content.body, NormalizeBodyText(*text));
    }
  }
  const Timestamp effective = FirstSet({event.effective_at, event.recorded_at});
  if (!corrected.note.empty()) rev.content.notes.push_back({corrected.note, effective});
  RevisionInfo& info = rev.info;
  info.kind = CorrectionKindName(corrected.kind);
  info.note = corrected.note;
  info.effective_at = effective;
  WordDiffStats words = CountWordChanges(prev.content.body, rev.content.body);
  info.words_added = words.words_added;
  info.words_removed = words.words_removed;
  info.content_hash = ContentHash(rev.content);
  return AppendRevision(txn, event, std::move(state), std::move(rev));
}

Status ArticleProjection::ApplyRetraction(lmdb::Txn& txn, const Event& event,
                                          const RetractedEvent& retracted) {
  PALIMPSEST_ASSIGN_OR_RETURN(DocumentState state, GetState(txn, event.doc_id));
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision prev,
                              ReadRevision(txn, event.doc_id, state.current_rev));
  StoredRevision rev;
  rev.content = prev.content;
  rev.retracted = true;
  rev.info.kind = "retraction";
  rev.info.note = retracted.note;
  rev.info.effective_at = FirstSet({event.effective_at, event.recorded_at});
  rev.info.content_hash = prev.info.content_hash;
  state.retracted = true;
  return AppendRevision(txn, event, std::move(state), std::move(rev));
}

Status ArticleProjection::ApplyRedaction(lmdb::Txn& txn, const Event& event,
                                         const RedactedEvent& redacted) {
  PALIMPSEST_ASSIGN_OR_RETURN(DocumentState state, GetState(txn, event.doc_id));
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> revisions, Revisions(txn, event.doc_id));
  auto target = std::find_if(revisions.begin(), revisions.end(), [&](const StoredRevision& r) {
    return r.info.seq == redacted.target_seq;
  });
  if (target == revisions.end()) {
    return Status::InvalidArgument("no revision of '" + event.doc_id + "' was introduced by seq " +
                                   std::to_string(redacted.target_seq));
  }
  StoredRevision& r = *target;
  // The notes this revision brought: its own and those its page printed first.
  std::set<std::string> notes;
  if (!r.info.note.empty()) notes.insert(r.info.note);
  const StoredRevision* before = nullptr;  // the newest earlier revision still shown
  for (auto it = revisions.begin(); it != target; ++it) {
    if (!it->info.redacted) before = &*it;
  }
  for (const ArticleNote& n : r.content.notes) {
    const bool inherited =
        before != nullptr && std::any_of(before->content.notes.begin(), before->content.notes.end(),
                                         [&](const ArticleNote& b) { return b.text == n.text; });
    if (!inherited) notes.insert(n.text);
  }
  const bool url_was_current = !r.capture_url.empty() && r.capture_url == state.url;
  r.info.redacted = true;
  r.info.redaction_reason = redacted.reason;
  r.info.redaction_actor = event.actor;
  // Every field the revision brought is withheld, its note included: a note is often exactly
  // the sensitive sentence (show, history, blame and the change feed all read it from here).
  r.info.note.clear();
  r.content = ArticleContent{};
  r.capture_url.clear();
  if (r.has_body) {
    // Kept (withheld) only because later bodies may be stored as deltas against it.
    PALIMPSEST_RETURN_IF_ERROR(texts_.Withhold(txn, r.body_hash, redacted.reason));
    r.has_body = false;
  }
  if (r.info.rev == state.current_rev) state.title.clear();
  PALIMPSEST_RETURN_IF_ERROR(PutRevision(txn, event.doc_id, r.info.rev, r));
  // Later revisions carry the notes of earlier ones (a correction keeps the notes it follows):
  // the notes the redacted revision brought leave them too.
  for (StoredRevision& later : revisions) {
    if (notes.empty() || later.info.rev <= r.info.rev) continue;
    const size_t count = later.content.notes.size();
    std::erase_if(later.content.notes, [&](const ArticleNote& n) { return notes.count(n.text); });
    if (later.content.notes.size() == count) continue;
    PALIMPSEST_RETURN_IF_ERROR(PutRevision(txn, event.doc_id, later.info.rev, later));
  }
  // The document's URL never comes from a redacted capture: fall back to the newest
  // unredacted revision that knows one.
  if (url_was_current) {
    state.url.clear();
    for (auto it = revisions.rbegin(); it != revisions.rend(); ++it) {
      if (it->info.redacted || it->capture_url.empty()) continue;
      state.url = it->capture_url;
      break;
    }
  }
  state.version = event.version;
  return txn.Put(documents_, event.doc_id, EncodeDocumentState(state));
}

Status ArticleProjection::AppendRevision(lmdb::Txn& txn, const Event& event, DocumentState state,
                                         StoredRevision revision) {
  // The body is stored apart, compressed against the previous revision's body.
  std::optional<Digest> previous_body;
  if (state.current_rev > 0) {
    PALIMPSEST_ASSIGN_OR_RETURN(std::string_view bytes,
                                txn.Get(revisions_, keys::DocKey(event.doc_id, state.current_rev)));
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision prev, DecodeRevision(bytes));
    if (prev.has_body) previous_body = prev.body_hash;
  }
  // The raw capture the body was extracted from, when the event brought one.
  std::optional<ContentRef> capture;
  if (const auto* captured = std::get_if<CapturedEvent>(&event.body)) capture = captured->raw;
  revision.has_body = false;
  if (!revision.content.body.empty()) {
    PALIMPSEST_ASSIGN_OR_RETURN(
        ContentRef body,
        texts_.Put(txn, revision.content.body, previous_body ? &*previous_body : nullptr,
                   capture ? &*capture : nullptr));
    revision.has_body = true;
    revision.body_hash = body.sha256;
  }
  revision.info.rev = state.current_rev + 1;
  revision.info.recorded_at = event.recorded_at;
  revision.info.seq = event.seq;
  revision.info.version = event.version;
  state.current_rev = revision.info.rev;
  state.version = event.version;
  state.title = revision.content.title;
  state.last_change = event.recorded_at;
  state.retracted = revision.retracted;
  PALIMPSEST_RETURN_IF_ERROR(PutRevision(txn, event.doc_id, revision.info.rev, revision));
  return txn.Put(documents_, event.doc_id, EncodeDocumentState(state));
}

}  // namespace palimpsest
