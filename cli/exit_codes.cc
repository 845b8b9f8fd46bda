#include "cli/exit_codes.h"

namespace palimpsest::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
      return kExitBadInput;
    case StatusCode::kNotFound:
      // Withheld content is missing on purpose, not unknown: still "not found" to a script.
      return kExitNotFound;
    case StatusCode::kConflict:
      return kExitConflict;
    case StatusCode::kCorruption:
      return kExitIntegrity;
    case StatusCode::kIOError:
      return kExitStorage;
  }
  return kExitStorage;
}

}  // namespace palimpsest::cli
