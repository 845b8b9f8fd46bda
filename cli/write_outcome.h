// What the write commands share: appending one event as the CLI's user, and reporting the
// document's revision after the append and whether the event created the document, revised it,
// or changed nothing.

#ifndef PALIMPSEST_CLI_WRITE_OUTCOME_H_
#define PALIMPSEST_CLI_WRITE_OUTCOME_H_

#include <string>
#include <string_view>

#include "cli/cli_context.h"

namespace palimpsest::cli {

// "created", "revised" or "unchanged": the `status` of a write in CLI and HTTP output.
std::string_view OutcomeName(AppendOutcome outcome);

// Advances the asynchronous projections after a committed write; failures are warnings.
void CatchUpAfterWrite(const CliContext& ctx, Archive& archive);

// Prints `{"id","rev","version","status":"created|revised|unchanged","kind","seq","duplicate"}`
// (or a line of text) for the event `appended` of `doc_id`, as the append reported it;
// returns the exit code.
// `status_override` replaces the derived status (e.g. "redacted") when non-empty.
int ReportWriteOutcome(const CliContext& ctx, Archive& archive, const std::string& doc_id,
                       const AppendResult& appended, bool json,
                       const std::string& status_override = "");

// Appends `request` for an existing document as this CLI user (actor and a fresh correlation
// id filled in), then reports it as ReportWriteOutcome does; returns the exit code.
int AppendOneAndReport(const CliContext& ctx, Archive& archive, AppendRequest request, bool json,
                       const std::string& status_override = "");

// The text of a free-text flag (`flag` names it in messages): NFC with whitespace collapsed.
// InvalidArgument when it is not valid UTF-8 or nothing is left.
Result<std::string> NormalizedFlagText(const std::string& flag, const std::string& text);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WRITE_OUTCOME_H_
