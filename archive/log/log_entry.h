// LogEntry: one archive transaction as it travels on a shared log (byte layout:
// schemas/log_entry.capnp).

#ifndef PALIMPSEST_ARCHIVE_LOG_LOG_ENTRY_H_
#define PALIMPSEST_ARCHIVE_LOG_LOG_ENTRY_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "palimpsest/event.h"
#include "palimpsest/hash.h"
#include "palimpsest/status.h"

namespace palimpsest {

struct LogEntry {
  std::vector<std::string> events;                       // canonical event bytes, in seq order
  std::vector<std::string> contents;                     // content bytes the events introduced
  std::vector<std::pair<Digest, std::string>> withheld;  // withheld content: hash, reason

  size_t ByteSize() const;  // about what the encoding takes
};

// The canonical encoding of `entry`.
std::string EncodeLogEntry(const LogEntry& entry);

// Decodes an entry read from a shared log. Corruption for anything malformed (never a crash).
Result<LogEntry> DecodeLogEntry(std::string_view bytes);

// The duplicate-window id of an entry holding `events`: hex SHA-256 over their event ids, so a
// retry of the same transaction carries the same id whatever seqs it was given.
std::string LogEntryDedupeId(const std::vector<Event>& events);

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_LOG_LOG_ENTRY_H_
