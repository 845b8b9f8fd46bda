#include "archive/projections/search_projection.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "archive/lmdb/keys.h"
#include "palimpsest/search.h"

namespace palimpsest {

namespace {

std::string U32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 3; i >= 0; --i) {
    s[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return s;
}

uint32_t ReadU32(std::string_view s) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[i]);
  return v;
}

std::string EncodeRuns(const std::vector<RevisionRun>& runs) {
  std::string out;
  out.reserve(runs.size() * 8);
  for (const RevisionRun& r : runs) out += U32(r.start) + U32(r.end);
  return out;
}

Result<std::vector<RevisionRun>> DecodeRuns(std::string_view bytes) {
  if (bytes.size() % 8 != 0) return Status::Corruption("search index: runs of the wrong size");
  std::vector<RevisionRun> runs;
  for (size_t i = 0; i < bytes.size(); i += 8) {
    runs.push_back({ReadU32(bytes.substr(i)), ReadU32(bytes.substr(i + 4))});
  }
  return runs;
}

std::string TermKey(std::string_view term, std::string_view doc_id) {
  std::string key(term);
  key.push_back('\0');
  key.append(doc_id);
  return key;
}

// The revision `event` introduced, if any, with its body, and its recording ordinal in the
// event's stream (which a merge since may have joined to another document).
Result<std::optional<StoredRevision>> IntroducedRevision(lmdb::Txn& txn,
                                                         ArticleProjection& articles,
                                                         const Event& event, uint32_t* ordinal) {
  PALIMPSEST_ASSIGN_OR_RETURN(uint32_t rev,
                              articles.RevisionIntroducedBy(txn, event.doc_id, event.seq));
  if (rev == 0) return std::optional<StoredRevision>();
  PALIMPSEST_ASSIGN_OR_RETURN(*ordinal, articles.RecordingOrdinal(txn, event.doc_id, event.seq));
  PALIMPSEST_ASSIGN_OR_RETURN(const std::string doc_id, articles.Resolve(txn, event.doc_id));
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision full, articles.ReadRevision(txn, doc_id, rev));
  return std::optional<StoredRevision>(std::move(full));
}

// The terms of the revision an event introduced, and its recording ordinal.
struct PreparedTerms : PreparedWork {
  uint32_t ordinal = 0;
  TermSet terms;
};

}  // namespace

void CollectIndexedTerms(const ArticleContent& content, TermSet* terms) {
  terms->AddTermsOf(content.title);
  terms->AddTermsOf(content.byline);
  terms->AddTermsOf(content.body);
  for (const ArticleNote& n : content.notes) terms->AddTermsOf(n.text);
}

Status SearchProjection::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(terms_, txn.OpenDb(kTerms, create));
  PALIMPSEST_ASSIGN_OR_RETURN(docs_, txn.OpenDb(kDocs, create));
  return Status::OK();
}

Result<std::unique_ptr<PreparedWork>> SearchProjection::Prepare(lmdb::Txn& txn,
                                                                const Event& event) {
  auto prepared = std::make_unique<PreparedTerms>();
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<StoredRevision> revision,
                              IntroducedRevision(txn, *articles_, event, &prepared->ordinal));
  if (!revision || revision->info.redacted) return std::unique_ptr<PreparedWork>();
  CollectIndexedTerms(revision->content, &prepared->terms);
  return std::unique_ptr<PreparedWork>(std::move(prepared));
}

Status SearchProjection::Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) {
  return ApplyPrepared(txn, event, contents, nullptr);
}

Status SearchProjection::ApplyPrepared(lmdb::Txn& txn, const Event& event, ContentStore&,
                                       PreparedWork* work) {
  auto* prepared = dynamic_cast<PreparedTerms*>(work);
  uint32_t rev = 0;  // its recording ordinal: a backfill renumbers no posting
  if (prepared != nullptr) {
    // The revision an event introduced keeps its content and its ordinal in the event's
    // stream for good: the same ordinal means the terms prepared are this revision's.
    PALIMPSEST_ASSIGN_OR_RETURN(rev, articles_->RecordingOrdinal(txn, event.doc_id, event.seq));
    if (rev == 0 || rev != prepared->ordinal) prepared = nullptr;
  }
  if (prepared != nullptr) return IndexRevision(txn, event.doc_id, rev, prepared->terms);
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<StoredRevision> revision,
                              IntroducedRevision(txn, *articles_, event, &rev));
  if (!revision) return Status::OK();
  TermSet now;
  CollectIndexedTerms(revision->content, &now);
  return IndexRevision(txn, event.doc_id, rev, now);
}

Status SearchProjection::IndexRevision(lmdb::Txn& txn, const std::string& stream, uint32_t rev,
                                       TermSet& now) {
  // The stream's terms as last indexed, copied: a Put may move the page the record is on.
  std::string before;
  auto doc = txn.Get(docs_, stream);
  if (doc.ok()) {
    if (doc->size() < 4) return Status::Corruption("search index: short document record");
    before.assign(doc->substr(4));
  } else if (!doc.status().IsNotFound()) {
    return doc.status();
  }
  // Without a record the stream has no posting yet: nothing to read back.
  const bool indexed_before = doc.ok();

  // A term of the last record is either still here (marked) or gone; the unmarked ones came.
  // (Marks of an earlier attempt of this transaction, which a full map restarts, go first.)
  now.ClearMarks();
  std::vector<std::string_view> kept, gone;
  for (std::string_view rest = before; !rest.empty();) {
    const size_t nul = rest.find('\0');
    if (nul == std::string_view::npos) return Status::Corruption("search index: bad term list");
    (now.Mark(rest.substr(0, nul)) ? kept : gone).push_back(rest.substr(0, nul));
    rest.remove_prefix(nul + 1);
  }
  std::vector<std::string_view> came = now.Unmarked();
  for (std::string_view term : gone) {
    PALIMPSEST_RETURN_IF_ERROR(CloseRun(txn, term, stream, rev));
  }
  for (std::string_view term : came) {
    PALIMPSEST_RETURN_IF_ERROR(OpenRun(txn, term, stream, rev, indexed_before));
  }
  // The record lists the terms in byte order: the kept ones already are (the last record's
  // order), so only the new ones are sorted, and merged in.
  std::sort(came.begin(), came.end());
  std::vector<std::string_view> terms(kept.size() + came.size());
  std::merge(kept.begin(), kept.end(), came.begin(), came.end(), terms.begin());
  std::string record = U32(rev);
  for (std::string_view t : terms) {
    record += t;
    record.push_back('\0');
  }
  return txn.Put(docs_, stream, record);
}

Status SearchProjection::CloseRun(lmdb::Txn& txn, std::string_view term, const std::string& stream,
                                  uint32_t rev) {
  const std::string key = TermKey(term, stream);
  auto value = txn.Get(terms_, key);
  if (!value.ok() && !value.status().IsNotFound()) return value.status();
  std::vector<RevisionRun> runs;
  if (value.ok()) {
    PALIMPSEST_ASSIGN_OR_RETURN(runs, DecodeRuns(*value));
  }
  if (runs.empty() || runs.back().end != 0) {
    return Status::Corruption("search index: term '" + std::string(term) + "' of '" + stream +
                              "' has no open run");
  }
  runs.back().end = rev;
  return txn.Put(terms_, key, EncodeRuns(runs));
}

Status SearchProjection::OpenRun(lmdb::Txn& txn, std::string_view term, const std::string& stream,
                                 uint32_t rev, bool may_exist) {
  const std::string key = TermKey(term, stream);
  std::vector<RevisionRun> runs;
  if (may_exist) {
    auto value = txn.Get(terms_, key);
    if (value.ok()) {
      PALIMPSEST_ASSIGN_OR_RETURN(runs, DecodeRuns(*value));
    } else if (!value.status().IsNotFound()) {
      return value.status();
    }
  }
  runs.push_back({rev, 0});
  return txn.Put(terms_, key, EncodeRuns(runs));
}

Result<std::map<std::string, std::vector<RevisionRun>>> SearchProjection::Postings(
    lmdb::Txn& txn, const std::string& term) {
  std::map<std::string, std::vector<RevisionRun>> out;
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, terms_));
  const std::string prefix = TermKey(term, "");
  for (bool ok = cursor.Seek(prefix); ok; ok = cursor.Next()) {
    const std::string_view key = cursor.key();
    if (key.substr(0, prefix.size()) != prefix) break;
    PALIMPSEST_ASSIGN_OR_RETURN(out[std::string(key.substr(prefix.size()))],
                                DecodeRuns(cursor.value()));
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  return out;
}

}  // namespace palimpsest
