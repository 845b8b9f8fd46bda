// The command line's exit codes (README.md "Exit codes"): one per class of failure, so scripts
// can tell bad input from a missing document from a full disk without reading stderr.

#ifndef PALIMPSEST_CLI_EXIT_CODES_H_
#define PALIMPSEST_CLI_EXIT_CODES_H_

#include "palimpsest/status.h"

namespace palimpsest::cli {

constexpr int kExitOk = 0;
constexpr int kExitBadInput = 1;   // bad input or usage
constexpr int kExitNotFound = 2;   // unknown document, revision or archive
constexpr int kExitConflict = 3;   // expected version does not match
constexpr int kExitIntegrity = 4;  // verify's findings, missing or damaged stored data
constexpr int kExitStorage = 5;    // lock timeout, disk full, permissions
constexpr int kExitPartial = 6;    // an import in which some records failed

// The exit code for a failed `status` (kExitOk for OK).
int ExitCodeFor(const Status& status);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_EXIT_CODES_H_
