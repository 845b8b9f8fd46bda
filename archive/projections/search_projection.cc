#include "archive/projections/search_projection.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "archive/lmdb/keys.h"
#include "palimpsest/search.h"

namespace palimpsest {

namespace {

using keys::ReadU32;
using keys::U32;

// Posting changes gathered before they are merged in mid-transaction (about 12 bytes each).
constexpr size_t kMaxPendingChanges = size_t{1} << 23;

// Reads a search_docs record: the stream's number, the ordinal of the revision it describes,
// and its term numbers ascending.
Status DecodeStreamRecord(std::string_view record, uint32_t* number, uint32_t* ordinal,
                          std::vector<uint32_t>* terms) {
  if (record.size() < 8) return Status::Corruption("search index: short stream record");
  *number = ReadU32(record);
  *ordinal = ReadU32(record.substr(4));
  std::string_view rest = record.substr(8);
  uint32_t count = 0;
  if (!GetVarint32(&rest, &count) || count > rest.size()) {
    return Status::Corruption("search index: bad stream record");
  }
  terms->clear();
  terms->reserve(count);
  uint64_t term = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t gap = 0;
    if (!GetVarint32(&rest, &gap) || gap == 0 || term + gap > UINT32_MAX) {
      return Status::Corruption("search index: bad stream record");
    }
    term += gap;
    terms->push_back(static_cast<uint32_t>(term));
  }
  if (!rest.empty()) return Status::Corruption("search index: bad stream record");
  return Status::OK();
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
  ArticleContent content;  // what the terms were collected from
};

}  // namespace

void CollectIndexedTerms(const ArticleContent& content, TermSet* terms) {
  terms->AddTermsOf(content.title, /*title=*/true);
  terms->AddTermsOf(content.byline);
  terms->AddTermsOf(content.body);
  for (const ArticleNote& n : content.notes) terms->AddTermsOf(n.text);
}

Status SearchProjection::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(terms_, txn.OpenDb(kTerms, create));
  PALIMPSEST_ASSIGN_OR_RETURN(docs_, txn.OpenDb(kDocs, create));
  PALIMPSEST_ASSIGN_OR_RETURN(streams_, txn.OpenDb(kStreams, create));
  PALIMPSEST_ASSIGN_OR_RETURN(vocabulary_db_, txn.OpenDb(kVocabulary, create));
  PALIMPSEST_ASSIGN_OR_RETURN(weights_db_, txn.OpenDb(kWeights, create));
  return Status::OK();
}

Result<std::unique_ptr<PreparedWork>> SearchProjection::Prepare(lmdb::Txn& txn,
                                                                const Event& event) {
  auto prepared = std::make_unique<PreparedTerms>();
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<StoredRevision> revision,
                              IntroducedRevision(txn, *articles_, event, &prepared->ordinal));
  if (!revision || revision->info.redacted) return std::unique_ptr<PreparedWork>();
  CollectIndexedTerms(revision->content, &prepared->terms);
  prepared->content = std::move(revision->content);
  return std::unique_ptr<PreparedWork>(std::move(prepared));
}

Status SearchProjection::Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) {
  return ApplyPrepared(txn, event, contents, nullptr);
}

Status SearchProjection::ApplyPrepared(lmdb::Txn& txn, const Event& event, ContentStore&,
                                       PreparedWork* work) {
  auto* prepared = dynamic_cast<PreparedTerms*>(work);
  uint32_t rev = 0;  // its recording ordinal: a backfill renumbers no posting
  if (prepared != nullptr && !prepared->check_content) {
    // The revision an event introduced keeps its content and its ordinal in the event's
    // stream for good: the same ordinal means the terms prepared are this revision's.
    PALIMPSEST_ASSIGN_OR_RETURN(rev, articles_->RecordingOrdinal(txn, event.doc_id, event.seq));
    if (rev != 0 && rev == prepared->ordinal) {
      return IndexRevision(txn, event.doc_id, rev, prepared->terms);
    }
  }
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<StoredRevision> revision,
                              IntroducedRevision(txn, *articles_, event, &rev));
  if (!revision) return Status::OK();
  if (prepared != nullptr && prepared->check_content && rev == prepared->ordinal &&
      !revision->info.redacted && revision->content == prepared->content) {
    return IndexRevision(txn, event.doc_id, rev, prepared->terms);
  }
  TermSet now;
  CollectIndexedTerms(revision->content, &now);
  return IndexRevision(txn, event.doc_id, rev, now);
}

Status SearchProjection::IndexRevision(lmdb::Txn& txn, const std::string& stream, uint32_t rev,
                                       TermSet& now) {
  // The stream's number and the terms of the revision last indexed (decoded, so copied out of
  // the map before any write).
  uint32_t number = 0, ordinal = 0;
  std::vector<uint32_t> before;
  auto doc = txn.Get(docs_, stream);
  if (doc.ok()) {
    PALIMPSEST_RETURN_IF_ERROR(DecodeStreamRecord(*doc, &number, &ordinal, &before));
  } else if (doc.status().IsNotFound()) {
    PALIMPSEST_ASSIGN_OR_RETURN(number, NumberNewStream(txn, stream));
  } else {
    return doc.status();
  }
  // Each term's number and weight: occurrences (at most 2^30) << 1 | whether in the title.
  std::vector<std::pair<uint32_t, uint32_t>> after;
  after.reserve(now.size());
  for (const TermSet::Entry& entry : now.Entries()) {
    PALIMPSEST_ASSIGN_OR_RETURN(uint32_t id, TermNumber(txn, entry.term));
    const uint32_t count = std::min<uint32_t>(entry.count, uint32_t{1} << 30);
    after.emplace_back(id, count << 1 | (entry.in_title ? 1 : 0));
  }
  std::sort(after.begin(), after.end());
  // Terms only before are gone (their runs close), terms only after came (runs open).
  for (size_t i = 0, j = 0; i < before.size() || j < after.size();) {
    if (j == after.size() || (i < before.size() && before[i] < after[j].first)) {
      postings_.Close(before[i++], number, rev);
    } else if (i == before.size() || after[j].first < before[i]) {
      postings_.Open(after[j++].first, number, rev);
    } else {
      ++i, ++j;
    }
  }
  std::string record = U32(number);
  record.append(U32(rev));
  PutVarint32(static_cast<uint32_t>(after.size()), &record);
  std::string weights;
  uint32_t previous = 0;
  for (const auto& [id, weight] : after) {
    PutVarint32(id - previous, &record);
    PutVarint32(weight, &weights);
    previous = id;
  }
  // Two values, each small enough for a leaf page (one would often need an overflow page).
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(docs_, stream, record));
  PALIMPSEST_RETURN_IF_ERROR(txn.Put(weights_db_, stream, weights));
  // A whole replay gathers in one transaction: bound the memory it takes.
  if (postings_.pending() >= kMaxPendingChanges) return postings_.Flush(txn, terms_);
  return Status::OK();
}

void SearchProjection::Discard() {
  postings_.Discard();
  vocabulary_.Clear();
  next_term_ = 0;
}

Result<uint32_t> SearchProjection::TermNumber(lmdb::Txn& txn, std::string_view term) {
  if (const uint32_t known = vocabulary_.Find(term); known != 0) return known;
  uint32_t id = 0;
  auto stored = txn.Get(vocabulary_db_, term);
  if (stored.ok()) {
    if (stored->size() != 4) return Status::Corruption("search index: bad term number");
    id = ReadU32(*stored);
    if (id == 0) return Status::Corruption("search index: bad term number");
  } else if (stored.status().IsNotFound()) {
    // Numbers are dense from 1 and never reused (replay empties the vocabulary first).
    if (next_term_ == 0) {
      PALIMPSEST_ASSIGN_OR_RETURN(uint64_t count, txn.Count(vocabulary_db_));
      if (count >= UINT32_MAX) return Status::Corruption("search index: term numbers exhausted");
      next_term_ = static_cast<uint32_t>(count) + 1;
    }
    id = next_term_++;
    PALIMPSEST_RETURN_IF_ERROR(txn.Put(vocabulary_db_, term, U32(id), MDB_NOOVERWRITE));
  } else {
    return stored.status();
  }
  vocabulary_.Insert(term, id);
  return id;
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
  auto stored = txn.Get(vocabulary_db_, term);
  if (stored.status().IsNotFound()) return out;
  PALIMPSEST_RETURN_IF_ERROR(stored.status());
  if (stored->size() != 4) return Status::Corruption("search index: bad term number");
  const std::string prefix(*stored);
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, terms_));
  for (bool ok = cursor.Seek(prefix); ok; ok = cursor.Next()) {
    const std::string_view key = cursor.key();
    if (key.substr(0, prefix.size()) != prefix) break;
    if (key.size() != 8) return Status::Corruption("search index: bad block key");
    PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StreamPostings> block,
                                DecodePostingsBlock(cursor.value(), ReadU32(key.substr(4))));
    if (!out.empty() && !block.empty() && block.front().stream <= out.back().stream) {
      return Status::Corruption("search index: postings blocks overlap");
    }
    for (StreamPostings& p : block) out.push_back(std::move(p));
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  return out;
}

Result<uint32_t> SearchProjection::FindTermNumber(lmdb::Txn& txn, const std::string& term) {
  auto stored = txn.Get(vocabulary_db_, term);
  if (stored.status().IsNotFound()) return 0;
  PALIMPSEST_RETURN_IF_ERROR(stored.status());
  if (stored->size() != 4) return Status::Corruption("search index: bad term number");
  return ReadU32(*stored);
}

Result<SearchProjection::IndexedRevision> SearchProjection::NewestIndexed(
    lmdb::Txn& txn, const std::string& stream, const std::vector<uint32_t>& terms) {
  IndexedRevision out;
  out.counts.assign(terms.size(), 0);
  out.in_title.assign(terms.size(), false);
  auto doc = txn.Get(docs_, stream);
  if (doc.status().IsNotFound()) return out;
  PALIMPSEST_RETURN_IF_ERROR(doc.status());
  const Status bad = Status::Corruption("search index: bad stream record");
  if (doc->size() < 8) return Status::Corruption("search index: short stream record");
  out.ordinal = ReadU32(doc->substr(4));
  // A query asks for a few of the revision's hundreds of terms: the term numbers (ascending
  // gaps) and the weights (in the same order) are read only as far as the greatest one asked.
  std::vector<std::pair<uint32_t, size_t>> wanted;  // (term number, index in `terms`)
  for (size_t i = 0; i < terms.size(); ++i) {
    if (terms[i] != 0) wanted.emplace_back(terms[i], i);
  }
  std::sort(wanted.begin(), wanted.end());
  std::string_view ids = doc->substr(8);
  uint32_t count = 0;
  if (!GetVarint32(&ids, &count) || count > ids.size()) return bad;
  std::vector<std::pair<uint32_t, size_t>> positions;  // (position in the record, index)
  uint64_t term = 0;
  size_t next = 0;
  for (uint32_t position = 0; position < count && next < wanted.size(); ++position) {
    uint32_t gap = 0;
    if (!GetVarint32(&ids, &gap) || gap == 0 || term + gap > UINT32_MAX) return bad;
    term += gap;
    while (next < wanted.size() && wanted[next].first < term) ++next;
    for (; next < wanted.size() && wanted[next].first == term; ++next) {
      positions.emplace_back(position, wanted[next].second);
    }
  }
  if (positions.empty()) return out;
  PALIMPSEST_ASSIGN_OR_RETURN(std::string_view weights, txn.Get(weights_db_, stream));
  size_t at = 0;
  for (uint32_t position = 0; at < positions.size(); ++position) {
    uint32_t weight = 0;
    if (!GetVarint32(&weights, &weight) || weight < 2) {
      return Status::Corruption("search index: bad weights record");
    }
    for (; at < positions.size() && positions[at].first == position; ++at) {
      out.counts[positions[at].second] = weight >> 1;
      out.in_title[positions[at].second] = (weight & 1) != 0;
    }
  }
  return out;
}

Result<std::string> SearchProjection::StreamDocId(lmdb::Txn& txn, uint32_t stream) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::string_view doc_id, txn.Get(streams_, U32(stream)));
  return std::string(doc_id);
}

}  // namespace palimpsest
