#include "archive/projections/search_projection.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "archive/lmdb/keys.h"
#include "palimpsest/search.h"

namespace palimpsest {

namespace {

// Lets the term set be probed with a view of the reused term buffer.
struct TermHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

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

}  // namespace

std::vector<std::string> IndexedTerms(const ArticleContent& content) {
  // An article repeats most of its words: dedupe while reading (no copy for a term seen
  // before), then sort only the distinct ones.
  std::unordered_set<std::string, TermHash, std::equal_to<>> distinct;
  auto add = [&distinct](std::string_view text) {
    VisitTerms(text, [&distinct](const TermOccurrence& t) {
      if (distinct.find(std::string_view(t.term)) == distinct.end()) distinct.insert(t.term);
    });
  };
  add(content.title);
  add(content.byline);
  add(content.body);
  for (const ArticleNote& n : content.notes) add(n.text);
  std::vector<std::string> terms;
  terms.reserve(distinct.size());
  while (!distinct.empty()) terms.push_back(std::move(distinct.extract(distinct.begin()).value()));
  std::sort(terms.begin(), terms.end());
  return terms;
}

Status SearchProjection::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(terms_, txn.OpenDb(kTerms, create));
  PALIMPSEST_ASSIGN_OR_RETURN(docs_, txn.OpenDb(kDocs, create));
  return Status::OK();
}

Status SearchProjection::Apply(lmdb::Txn& txn, const Event& event, ContentStore&) {
  uint32_t rev = 0;  // its recording ordinal: a backfill renumbers no posting
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<StoredRevision> revision,
                              IntroducedRevision(txn, *articles_, event, &rev));
  if (!revision) return Status::OK();
  const std::vector<std::string> now = IndexedTerms(revision->content);

  std::vector<std::string> before;
  auto doc = txn.Get(docs_, event.doc_id);
  if (doc.ok()) {
    if (doc->size() < 4) return Status::Corruption("search index: short document record");
    std::string_view rest = doc->substr(4);
    while (!rest.empty()) {
      const size_t nul = rest.find('\0');
      if (nul == std::string_view::npos) return Status::Corruption("search index: bad term list");
      before.emplace_back(rest.substr(0, nul));
      rest.remove_prefix(nul + 1);
    }
  } else if (!doc.status().IsNotFound()) {
    return doc.status();
  }

  // Both lists are sorted: one merge finds the terms that left and the ones that came.
  size_t i = 0, j = 0;
  while (i < before.size() || j < now.size()) {
    const bool gone = j == now.size() || (i < before.size() && before[i] < now[j]);
    const bool came = i == before.size() || (j < now.size() && now[j] < before[i]);
    if (!gone && !came) {  // in both: its open run continues
      ++i, ++j;
      continue;
    }
    const std::string& term = gone ? before[i++] : now[j++];
    const std::string key = TermKey(term, event.doc_id);
    std::vector<RevisionRun> runs;
    auto value = txn.Get(terms_, key);
    if (value.ok()) {
      PALIMPSEST_ASSIGN_OR_RETURN(runs, DecodeRuns(*value));
    } else if (!value.status().IsNotFound()) {
      return value.status();
    }
    if (gone) {
      if (runs.empty() || runs.back().end != 0) {
        return Status::Corruption("search index: term '" + term + "' of '" + event.doc_id +
                                  "' has no open run");
      }
      runs.back().end = rev;
    } else {
      runs.push_back({rev, 0});
    }
    PALIMPSEST_RETURN_IF_ERROR(txn.Put(terms_, key, EncodeRuns(runs)));
  }

  std::string record = U32(rev);
  for (const std::string& t : now) {
    record += t;
    record.push_back('\0');
  }
  return txn.Put(docs_, event.doc_id, record);
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
