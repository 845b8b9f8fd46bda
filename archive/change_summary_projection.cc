#include "archive/change_summary_projection.h"

#include <boost/json.hpp>

#include "archive/keys.h"
#include "palimpsest/diff.h"

namespace palimpsest {

namespace {

const char kRedacted[] = "{\"redacted\":true}";

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
                                                    {"paragraphs", paragraphs},
                                                    {"moved", moved},
                                                    {"sentences", sentences},
                                                    {"notes_added", notes_added},
                                                    {"notes_removed", notes_removed},
                                                    {"words_added", diff.words_added},
                                                    {"words_removed", diff.words_removed}});
}

}  // namespace

Status ChangeSummaryProjection::Open(lmdb::Txn& txn, bool create) {
  PALIMPSEST_ASSIGN_OR_RETURN(dbi_, txn.OpenDb(kDatabase, create));
  return Status::OK();
}

Status ChangeSummaryProjection::Apply(lmdb::Txn& txn, const Event& event, ContentStore&) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> revisions,
                              articles_->Revisions(txn, event.doc_id));
  if (const auto* redacted = std::get_if<RedactedEvent>(&event.body)) {
    // Neither the diff into nor out of a redacted revision may show its content.
    for (size_t i = 0; i < revisions.size(); ++i) {
      if (revisions[i].info.seq != redacted->target_seq) continue;
      for (size_t j : {i, i + 1}) {
        if (j == 0 || j >= revisions.size()) continue;
        PALIMPSEST_RETURN_IF_ERROR(
            txn.Put(dbi_, keys::DocKey(event.doc_id, revisions[j].info.rev), kRedacted));
      }
    }
    return Status::OK();
  }
  // The revision this event introduced, if any. Revisions are immutable apart from redaction
  // (handled above, whenever it comes), so reading them after the fact gives what they were.
  for (size_t i = 1; i < revisions.size(); ++i) {
    if (revisions[i].info.seq != event.seq) continue;
    const StoredRevision& before = revisions[i - 1];
    const StoredRevision& after = revisions[i];
    const std::string value = before.info.redacted || after.info.redacted
                                  ? std::string(kRedacted)
                                  : SummaryJson(DiffArticles(before.content, after.content));
    return txn.Put(dbi_, keys::DocKey(event.doc_id, after.info.rev), value);
  }
  return Status::OK();
}

Result<std::string> ChangeSummaryProjection::Summary(lmdb::Txn& txn, const std::string& doc_id,
                                                     uint32_t rev) {
  auto value = txn.Get(dbi_, keys::DocKey(doc_id, rev));
  if (value.status().IsNotFound()) return std::string();
  if (!value.ok()) return value.status();
  return std::string(*value);
}

}  // namespace palimpsest
