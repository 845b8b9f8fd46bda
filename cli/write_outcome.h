// What a write command reports: the document's revision after the append and whether the
// event created the document, revised it, or changed nothing.

#ifndef PALIMPSEST_CLI_WRITE_OUTCOME_H_
#define PALIMPSEST_CLI_WRITE_OUTCOME_H_

#include <string>

#include "cli/cli_context.h"

namespace palimpsest::cli {

// Advances the asynchronous projections after a committed write; failures are warnings.
void CatchUpAfterWrite(const CliContext& ctx, Archive& archive);

// Prints `{"id","rev","version","status":"created|revised|unchanged","kind"}` (or a line of
// text) for the event `appended` of `doc_id`; returns the exit code.
// `status_override` replaces the derived status (e.g. "redacted") when non-empty.
int ReportWriteOutcome(const CliContext& ctx, Archive& archive, const std::string& doc_id,
                       const AppendResult& appended, bool json,
                       const std::string& status_override = "");

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WRITE_OUTCOME_H_
