// ArticleProjection at the append: whether a new event may be appended given the document's
// state, and what an appended event did to its revisions, told once from the transaction that
// applied it.

#include <algorithm>
#include <variant>

#include "archive/projections/article_projection.h"

namespace palimpsest {

namespace {

void Describe(const RevisionInfo& info, AppendOutcome outcome, AppendResult* result) {
  result->outcome = outcome;
  result->rev = info.rev;
  result->kind = info.kind;
  result->stealth = info.stealth;
  result->backfill = false;
}

}  // namespace

Status ArticleProjection::CheckAppendable(lmdb::Txn& txn, const Event& event) {
  const bool needs_document = std::holds_alternative<CorrectedEvent>(event.body) ||
                              std::holds_alternative<RetractedEvent>(event.body) ||
                              std::holds_alternative<RedactedEvent>(event.body);
  if (!needs_document) return Status::OK();
  auto state = GetState(txn, event.doc_id);
  if (state.status().IsNotFound()) return Status::NotFound("no document '" + event.doc_id + "'");
  if (!state.ok()) return state.status();
  if (std::holds_alternative<RetractedEvent>(event.body) && state->retracted) {
    return Status::Conflict("document '" + event.doc_id + "' is already retracted");
  }
  if (const auto* redacted = std::get_if<RedactedEvent>(&event.body)) {
    PALIMPSEST_ASSIGN_OR_RETURN(std::vector<StoredRevision> revisions,
                                RevisionTimes(txn, event.doc_id));
    const bool known = std::any_of(revisions.begin(), revisions.end(), [&](const auto& r) {
      return r.info.seq == redacted->target_seq;
    });
    if (!known) {
      return Status::InvalidArgument("no revision of '" + event.doc_id +
                                     "' was introduced by seq " +
                                     std::to_string(redacted->target_seq));
    }
  }
  return Status::OK();
}

Status ArticleProjection::DescribeAppend(lmdb::Txn& txn, const std::string& doc_id, uint64_t seq,
                                         bool latest, AppendResult* result) {
  result->outcome = AppendOutcome::kUnchanged;
  result->rev = 0;
  result->kind.clear();
  result->stealth = false;
  result->backfill = false;
  auto state = GetState(txn, doc_id);
  if (state.status().IsNotFound()) return Status::OK();  // e.g. a redirect of an unknown page
  if (!state.ok()) return state.status();
  PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision current,
                              ReadRevision(txn, doc_id, state->current_rev, /*with_body=*/false));
  const RevisionInfo* introduced = current.info.seq == seq ? &current.info : nullptr;
  StoredRevision earlier;
  if (introduced == nullptr && (!latest || state->backfilled)) {
    PALIMPSEST_ASSIGN_OR_RETURN(uint32_t rev, RevisionIntroducedBy(txn, doc_id, seq));
    if (rev != 0) {
      PALIMPSEST_ASSIGN_OR_RETURN(earlier, ReadRevision(txn, doc_id, rev, /*with_body=*/false));
      introduced = &earlier.info;
    }
  }
  if (introduced == nullptr) {
    Describe(current.info, AppendOutcome::kUnchanged, result);
  } else {
    // The event that created the document brought its first revision in log order, which a
    // backfill may have moved from number 1.
    bool created = introduced->rev == 1;
    if (state->backfilled) {
      PALIMPSEST_ASSIGN_OR_RETURN(uint32_t ordinal, RecordingOrdinal(txn, doc_id, seq));
      created = ordinal == 1;
    }
    Describe(*introduced, created ? AppendOutcome::kCreated : AppendOutcome::kRevised, result);
    if (introduced->rev < state->current_rev) {
      PALIMPSEST_ASSIGN_OR_RETURN(
          StoredRevision next, ReadRevision(txn, doc_id, introduced->rev + 1, /*with_body=*/false));
      result->backfill = next.info.seq < seq;
    }
  }
  return Status::OK();
}

}  // namespace palimpsest
