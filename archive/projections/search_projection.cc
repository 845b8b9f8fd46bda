#include "archive/projections/search_projection.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "archive/lmdb/keys.h"
#include "codec/compression.h"
#include "palimpsest/search.h"

namespace palimpsest {

namespace {

// Posting changes gathered before they are merged in mid-transaction (about 12 bytes each).
constexpr size_t kMaxPendingChanges = size_t{1} << 23;

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

// The terms of a search_docs record, NUL-terminated, decompressed.
Result<std::string> RecordTerms(std::string_view record) {
  if (record.size() < 8) return Status::Corruption("search index: short document record");
  return ZstdDecompress(record.substr(8), {}, size_t{1} << 28);
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
  PALIMPSEST_ASSIGN_OR_RETURN(streams_, txn.OpenDb(kStreams, create));
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
  // The stream's number and its terms as last indexed (copied out of the map).
  uint32_t number = 0;
  std::string before;
  auto doc = txn.Get(docs_, stream);
  if (doc.ok()) {
    PALIMPSEST_ASSIGN_OR_RETURN(before, RecordTerms(*doc));
    number = ReadU32(*doc);
  } else if (doc.status().IsNotFound()) {
    PALIMPSEST_ASSIGN_OR_RETURN(number, NumberNewStream(txn, stream));
  } else {
    return doc.status();
  }

  // A term of the last record is either still here (marked) or gone; the unmarked ones came.
  // (Marks of an earlier attempt of this transaction, which a full map restarts, go first.)
  now.ClearMarks();
  std::vector<std::string_view> kept;
  for (std::string_view rest = before; !rest.empty();) {
    const size_t nul = rest.find('\0');
    if (nul == std::string_view::npos) return Status::Corruption("search index: bad term list");
    const std::string_view term = rest.substr(0, nul);
    if (now.Mark(term)) {
      kept.push_back(term);
    } else {
      postings_.Close(term, number, rev);
    }
    rest.remove_prefix(nul + 1);
  }
  std::vector<std::string_view> came = now.Unmarked();
  for (std::string_view term : came) postings_.Open(term, number, rev);
  // The record lists the terms in byte order: the kept ones already are (the last record's
  // order), so only the new ones are sorted, and merged in.
  std::sort(came.begin(), came.end());
  std::vector<std::string_view> terms(kept.size() + came.size());
  std::merge(kept.begin(), kept.end(), came.begin(), came.end(), terms.begin());
  std::string list;
  for (std::string_view t : terms) {
    list.append(t);
    list.push_back('\0');
  }
  std::string record = U32(number);
  record.append(U32(rev));
  record.append(ZstdCompress(list, {}, 1));
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(docs_, stream, record));
  // A whole replay gathers in one transaction: bound the memory it takes.
  if (postings_.pending() >= kMaxPendingChanges) return postings_.Flush(txn, terms_);
  return Status::OK();
}

Result<uint32_t> SearchProjection::NumberNewStream(lmdb::Txn& txn, const std::string& stream) {
  uint32_t number = 1;
  {
    PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, streams_));
    if (cursor.Last()) {
      if (cursor.key().size() != 4) return Status::Corruption("search index: bad stream key");
      number = ReadU32(cursor.key()) + 1;
    }
    PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  }
  if (number == 0) return Status::Corruption("search index: stream numbers exhausted");
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(streams_, U32(number), stream, MDB_APPEND));
  return number;
}

Result<std::vector<StreamPostings>> SearchProjection::Postings(lmdb::Txn& txn,
                                                               const std::string& term) {
  std::vector<StreamPostings> out;
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, terms_));
  const std::string prefix = term + std::string(1, '\0');
  for (bool ok = cursor.Seek(prefix); ok; ok = cursor.Next()) {
    const std::string_view key = cursor.key();
    if (key.substr(0, prefix.size()) != prefix) break;
    if (key.size() != prefix.size() + 4) return Status::Corruption("search index: bad block key");
    PALIMPSEST_ASSIGN_OR_RETURN(
        std::vector<StreamPostings> block,
        DecodePostingsBlock(cursor.value(), ReadU32(key.substr(prefix.size()))));
    if (!out.empty() && !block.empty() && block.front().stream <= out.back().stream) {
      return Status::Corruption("search index: postings blocks overlap");
    }
    for (StreamPostings& p : block) out.push_back(std::move(p));
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  return out;
}

Result<std::string> SearchProjection::StreamDocId(lmdb::Txn& txn, uint32_t stream) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::string_view doc_id, txn.Get(streams_, U32(stream)));
  return std::string(doc_id);
}

}  // namespace palimpsest
