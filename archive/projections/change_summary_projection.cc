#include "archive/projections/change_summary_projection.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "archive/lmdb/keys.h"
#include "codec/compression.h"
#include "palimpsest/diff.h"

namespace palimpsest {

namespace {

const char kRedacted[] = "{\"redacted\":true}";

// `text` without ASCII punctuation, symbols and whitespace: letters, digits and every byte of a
// multi-byte UTF-8 sequence (a change to any non-ASCII character is a real one).
std::string Wording(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || std::isalnum(b)) out.push_back(c);
  }
  return out;
}

// A change of punctuation or spacing inside paragraphs only: no field, note or paragraph came,
// went or moved, and every edited paragraph has the same wording before and after. (Whitespace
// alone and page chrome never make a revision: the content hash ignores them.)
bool IsCosmetic(const ArticleDiff& diff) {
  if (!diff.fields.empty() || !diff.notes.empty()) return false;
  bool changed = false;
  for (const BodyHunk& h : diff.body) {
    if (h.op == DiffOp::kEqual) continue;
    if (h.op != DiffOp::kReplace || Wording(h.before_text) != Wording(h.after_text)) return false;
    changed = true;
  }
  return changed;
}

std::string SummaryJson(const ArticleDiff& diff) {
  boost::json::array fields;
  for (const FieldChange& f : diff.fields) fields.emplace_back(f.field);
  size_t paragraphs = 0, moved = 0, sentences = 0, notes_added = 0, notes_removed = 0;
  for (const BodyHunk& h : diff.body) {
    if (h.op == DiffOp::kEqual) continue;
    if (h.op == DiffOp::kMove) {
      ++moved;
      continue;
    }
    ++paragraphs;
    for (const SentenceChange& s : h.sentences) sentences += s.op != DiffOp::kEqual;
  }
  for (const NoteChange& n : diff.notes) {
    if (n.op == DiffOp::kInsert) ++notes_added;
    if (n.op == DiffOp::kDelete) ++notes_removed;
  }
  return boost::json::serialize(boost::json::object{{"fields", std::move(fields)},
                                                    {"cosmetic", IsCosmetic(diff)},
                                                    {"paragraphs", paragraphs},
                                                    {"moved", moved},
                                                    {"sentences", sentences},
                                                    {"notes_added", notes_added},
                                                    {"notes_removed", notes_removed},
                                                    {"words_added", diff.words_added},
                                                    {"words_removed", diff.words_removed}});
}

}  // namespace

// The summary of the revision an event introduced against the one before it, as the
// revisions stood when it was prepared: valid while both are still the ones those seqs name.
struct PreparedSummary : PreparedWork {
  uint32_t rev = 0;
  uint64_t before_seq = 0;
  uint64_t after_seq = 0;
  std::string summary;
  ArticleContent before, after;  // what the summary was worked out from
};

Status ChangeSummaryProjection::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(dbi_, txn.OpenDb(kDatabase, create));
  return Status::OK();
}

Result<std::unique_ptr<PreparedWork>> ChangeSummaryProjection::Prepare(lmdb::Txn& txn,
                                                                       const Event& event) {
  if (std::holds_alternative<MergedEvent>(event.body) ||
      std::holds_alternative<RedactedEvent>(event.body)) {
    return std::unique_ptr<PreparedWork>();
  }
  auto prepared = std::make_unique<PreparedSummary>();
  PALIMPSEST_ASSIGN_OR_RETURN(prepared->rev,
                              articles_->RevisionIntroducedBy(txn, event.doc_id, event.seq));
  if (prepared->rev < 2) return std::unique_ptr<PreparedWork>();
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision before,
                              articles_->ReadRevision(txn, event.doc_id, prepared->rev - 1));
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision after,
                              articles_->ReadRevision(txn, event.doc_id, prepared->rev));
  if (before.info.redacted || after.info.redacted) return std::unique_ptr<PreparedWork>();
  prepared->before_seq = before.info.seq;
  prepared->after_seq = after.info.seq;
  prepared->summary = Summarize(before, after);
  prepared->before = std::move(before.content);
  prepared->after = std::move(after.content);
  return std::unique_ptr<PreparedWork>(std::move(prepared));
}

Status ChangeSummaryProjection::Apply(lmdb::Txn& txn, const Event& event, ContentStore& contents) {
  return ApplyPrepared(txn, event, contents, nullptr);
}

Status ChangeSummaryProjection::ApplyPrepared(lmdb::Txn& txn, const Event& event, ContentStore&,
                                              PreparedWork* work) {
  const auto* prepared = dynamic_cast<const PreparedSummary*>(work);
  auto state = articles_->GetState(txn, event.doc_id);
  if (!state.ok()) return state.status().IsNotFound() ? Status::OK() : state.status();
  const uint32_t newest = state->current_rev;
  if (const auto* merged = std::get_if<MergedEvent>(&event.body)) {
    // Every revision may have a new neighbour: the merged-away numbers go, all are derived again.
    PALIMPSEST_RETURN_IF_ERROR(lmdb::DeletePrefix(txn, dbi_, keys::DocPrefix(merged->from)));
    for (uint32_t r = 2; r <= newest; ++r) {
      PALIMPSEST_RETURN_IF_ERROR(PutSummary(txn, event.doc_id, r));
    }
    return Status::OK();
  }
  if (const auto* redacted = std::get_if<RedactedEvent>(&event.body)) {
    // Neither the diff into nor out of a redacted revision may show its content.
    PALIMPSEST_ASSIGN_OR_RETURN(
        uint32_t rev, articles_->RevisionIntroducedBy(txn, event.doc_id, redacted->target_seq));
    if (rev == 0) return Status::OK();
    PALIMPSEST_ASSIGN_OR_RETURN(const std::string doc_id, articles_->Resolve(txn, event.doc_id));
    for (uint32_t affected : {rev, rev + 1}) {
      if (affected < 2 || affected > newest) continue;
      PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision before,
                                  articles_->ReadRevision(txn, doc_id, affected - 1, false));
      PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision after,
                                  articles_->ReadRevision(txn, doc_id, affected, false));
      PALIMPSEST_RETURN_IF_ERROR(
          txn.Put(dbi_, keys::DocKey(doc_id, affected),
                  keys::U64(before.info.seq) + keys::U64(after.info.seq) + kRedacted));
    }
    return Status::OK();
  }
  // The revision this event introduced, if any. Revisions are immutable apart from redaction
  // (handled above, whenever it comes) and backfill, so reading them after the fact gives what
  // they are now.
  PALIMPSEST_ASSIGN_OR_RETURN(uint32_t rev,
                              articles_->RevisionIntroducedBy(txn, event.doc_id, event.seq));
  if (rev == 0) return Status::OK();
  uint32_t last = rev;
  if (state->backfilled && rev < newest) {
    // Inserted before a revision recorded earlier: every later revision was renumbered, and
    // the next one follows this one now.
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision next,
                                articles_->ReadRevision(txn, event.doc_id, rev + 1, false));
    if (next.info.seq < event.seq) last = newest;
  }
  for (uint32_t r = std::max(rev, 2u); r <= last; ++r) {
    if (prepared != nullptr && prepared->rev == r) {
      PALIMPSEST_ASSIGN_OR_RETURN(bool used, PutPreparedSummary(txn, event.doc_id, *prepared));
      if (used) continue;
    }
    PALIMPSEST_RETURN_IF_ERROR(PutSummary(txn, event.doc_id, r));
  }
  return Status::OK();
}

Result<bool> ChangeSummaryProjection::PutPreparedSummary(lmdb::Txn& txn, const std::string& doc_id,
                                                         const PreparedSummary& prepared) {
  // Revisions keep their content for good (redaction aside): the same two seqs, neither
  // redacted, mean the same two texts — within one log's projections. Work prepared from a
  // state being rebuilt is checked against the texts themselves.
  const bool with_body = prepared.check_content;
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision before,
                              articles_->ReadRevision(txn, doc_id, prepared.rev - 1, with_body));
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision after,
                              articles_->ReadRevision(txn, doc_id, prepared.rev, with_body));
  if (before.info.seq != prepared.before_seq || after.info.seq != prepared.after_seq ||
      before.info.redacted || after.info.redacted) {
    return false;
  }
  if (with_body && (before.content != prepared.before || after.content != prepared.after)) {
    return false;
  }
  PALIMPSEST_RETURN_IF_ERROR(
      txn.Put(dbi_, keys::DocKey(doc_id, prepared.rev),
              keys::U64(prepared.before_seq) + keys::U64(prepared.after_seq) + prepared.summary));
  return true;
}

Status ChangeSummaryProjection::PutSummary(lmdb::Txn& txn, const std::string& doc_id,
                                           uint32_t rev) {
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision before, articles_->ReadRevision(txn, doc_id, rev - 1));
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision after, articles_->ReadRevision(txn, doc_id, rev));
  return txn.Put(dbi_, keys::DocKey(doc_id, rev),
                 keys::U64(before.info.seq) + keys::U64(after.info.seq) + Summarize(before, after));
}

std::string ChangeSummaryProjection::Summarize(const StoredRevision& before,
                                               const StoredRevision& after) {
  if (before.info.redacted || after.info.redacted) return std::string(kRedacted);
  const ArticleDiff diff = DiffArticles(before.content, after.content);
  return SummaryJson(diff) + '\0' + ZstdCompress(RenderArticleText(diff, /*color=*/false));
}

Result<std::string_view> ChangeSummaryProjection::StoredRecord(lmdb::Txn& txn,
                                                               const std::string& doc_id,
                                                               uint32_t rev, uint64_t before_seq,
                                                               uint64_t seq) {
  auto value = txn.Get(dbi_, keys::DocKey(doc_id, rev));
  if (value.status().IsNotFound()) return std::string_view();
  if (!value.ok()) return value.status();
  if (!value->empty() && value->front() == '{') return *value;  // without seqs
  if (value->size() < 16) return Status::Corruption("change summary: short record");
  if (keys::ReadU64(*value) != before_seq || keys::ReadU64(value->substr(8)) != seq) {
    return std::string_view();  // derived under another numbering: not caught up yet
  }
  return value->substr(16);
}

Result<std::string> ChangeSummaryProjection::DiffText(lmdb::Txn& txn, const std::string& doc_id,
                                                      uint32_t rev, uint64_t before_seq,
                                                      uint64_t seq) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::string_view record,
                              StoredRecord(txn, doc_id, rev, before_seq, seq));
  const size_t nul = record.find('\0');
  if (nul == std::string_view::npos) return std::string();  // redacted, or none yet
  auto text = ZstdDecompress(record.substr(nul + 1));
  if (!text.ok()) return Status::Corruption("change summary: undecodable diff");
  return text;
}

Result<std::string> ChangeSummaryProjection::Summary(lmdb::Txn& txn, const std::string& doc_id,
                                                     uint32_t rev, uint64_t before_seq,
                                                     uint64_t seq) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::string_view record,
                              StoredRecord(txn, doc_id, rev, before_seq, seq));
  return std::string(record.substr(0, record.find('\0')));
}

}  // namespace palimpsest
