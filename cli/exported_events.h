// The log as `export` writes it and `push` moves it: each event in its public form (a redacted
// one withheld), with the bytes of the content it names, or — for content a redaction withheld
// — the content's hash and the reason.

#ifndef PALIMPSEST_CLI_EXPORTED_EVENTS_H_
#define PALIMPSEST_CLI_EXPORTED_EVENTS_H_

#include <cstdint>
#include <vector>

#include "palimpsest/archive.h"

namespace palimpsest::cli {

// The events with seq > after_seq, at most `limit`, in log order, ready for Archive::Restore.
// Errors as ReadLog and ReadContent (a missing content names the event's seq).
Result<std::vector<AppendRequest>> ExportedEvents(Archive& archive, uint64_t after_seq,
                                                  size_t limit);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_EXPORTED_EVENTS_H_
