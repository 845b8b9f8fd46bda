// Blame: which revision brought each paragraph of a revision, over the article projection
// (the attribution itself is ComputeBlame, codec/diff/blame.cc).

#include <string>
#include <utility>
#include <vector>

#include "archive/archive_impl.h"

namespace palimpsest {

Result<BlameView> ArchiveImpl::Blame(const std::string& requested_id, std::optional<uint32_t> rev) {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  PALIMPSEST_ASSIGN_OR_RETURN(const std::string doc_id, articles_.Resolve(r.txn, requested_id));
  PALIMPSEST_ASSIGN_OR_RETURN(DocumentState state, articles_.GetState(r.txn, doc_id));
  const uint32_t target = rev.value_or(state.current_rev);
  if (target == 0 || target > state.current_rev) {
    return Status::NotFound("document '" + doc_id + "' has no revision " + std::to_string(target) +
                            " (it has " + std::to_string(state.current_rev) + ")");
  }
  BlameView view;
  view.id = doc_id;
  view.rev = target;
  std::vector<BlameInput> inputs;
  for (uint32_t n = 1; n <= target; ++n) {
    PALIMPSEST_ASSIGN_OR_RETURN(StoredRevision stored, articles_.ReadRevision(r.txn, doc_id, n));
    BlameInput input;
    input.rev = n;
    input.available = !stored.info.redacted;
    if (input.available) input.body = std::move(stored.content.body);
    if (n == target && stored.info.redacted) {
      return Status::NotFound("document '" + doc_id + "': rev " + std::to_string(n) +
                              " is redacted: " + stored.info.redaction_reason);
    }
    inputs.push_back(std::move(input));
    view.revisions.push_back(std::move(stored.info));
  }
  view.paragraphs = ComputeBlame(inputs);
  return view;
}

}  // namespace palimpsest
