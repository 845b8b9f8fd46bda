// SharedLog: the event log kept outside this machine, on a replicated engine, so that several
// nodes append to one history and each keeps its projections locally (README "Running a
// cluster"). The archive's own LMDB `events` database stays the default log; an archive opened
// with Options::log_url writes every transaction through a SharedLog first and mirrors the
// shared log's entries into its local database in order.
//
// An entry is one archive transaction (the events of one batch, with the content they need),
// opaque bytes here (archive/log/log_entry.h owns their layout). Positions count entries from
// 1; position 0 is "before the first entry".

#ifndef PALIMPSEST_ARCHIVE_LOG_SHARED_LOG_H_
#define PALIMPSEST_ARCHIVE_LOG_SHARED_LOG_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "palimpsest/status.h"

namespace palimpsest {

// Thread safety: every method may be called from several threads at once, except WaitAfter,
// which one thread at a time calls.
class SharedLog {
 public:
  virtual ~SharedLog() = default;

  // Appends `entry` as the entry right after position `expected` — a compare-and-set on the
  // whole log — and returns its position (expected + 1). `dedupe_id` names the entry for the
  // engine's duplicate window (the same id twice within it is stored once).
  // Errors: Conflict with detail kLogMoved when the log already holds an entry after
  // `expected` (nothing was appended); IOError with detail kLogUnavailable when the log could
  // not be reached or did not acknowledge in time — the entry may or may not have been
  // appended, so the caller reads the log before deciding anything.
  virtual Result<uint64_t> Append(std::string_view entry, uint64_t expected,
                                  std::string_view dedupe_id) = 0;

  // The entry at `position` (≥ 1), verified against the hash it was published with when it
  // travelled in chunks. NotFound when the log ends before `position`; IOError with detail
  // kLogUnavailable when the log cannot be reached; Corruption when the stored bytes do not
  // match their hash.
  virtual Result<std::string> Read(uint64_t position) = 0;

  // The position of the last entry (0: the log is empty). IOError/kLogUnavailable as Read.
  virtual Result<uint64_t> LastPosition() = 0;

  // Returns once an entry after `position` may have been appended (by any node), or after
  // `timeout`. Never an error for a timeout: the caller reads the log to find out.
  virtual Status WaitAfter(uint64_t position, std::chrono::milliseconds timeout) = 0;

  // Where the log lives, for messages ("nats://127.0.0.1:4222,...").
  virtual std::string Describe() const = 0;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_LOG_SHARED_LOG_H_
