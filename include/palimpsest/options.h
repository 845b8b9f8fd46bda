// Options for opening an Archive.

#ifndef PALIMPSEST_OPTIONS_H_
#define PALIMPSEST_OPTIONS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "palimpsest/timestamp.h"

namespace palimpsest {

enum class Durability {
  kSync,    // every commit is fsynced before Append returns (default)
  kNoSync,  // no fsync: for bulk loads that can be re-run; a crash may lose recent commits
};

enum class OpenMode {
  kReadWrite,  // takes the writer lock; creates the archive if missing
  kReadOnly,   // never writes, never blocks a writer; the archive must exist
  // Reads, plus write transactions that are always aborted (verify rebuilds the projections in
  // one to compare them with the stored ones). No writer lock; never commits; a running writer
  // waits while such a transaction is open. Falls back to kReadOnly where the archive's files
  // cannot be written (verify then checks the log only). The archive must exist.
  kCheck,
};

struct Options {
  std::string data_dir = "palimpsest-data";
  OpenMode mode = OpenMode::kReadWrite;
  // kReadWrite only: create the archive when the directory holds none (else NotFound).
  bool create_if_missing = true;
  Durability durability = Durability::kSync;

  // Initial LMDB map size. The map is sparse: this reserves address space, not disk. When a
  // write does not fit, the archive grows the map (doubling) and retries the batch.
  uint64_t map_size = uint64_t{1} << 30;
  // Upper bound for growth.
  uint64_t max_map_size = uint64_t{1} << 40;

  // How long a second writer waits for the writer lock before failing with IOError.
  int lock_timeout_ms = 10'000;

  // Threads that extract a batch's captures before its write transaction (the writer then
  // only applies them); 0: one per core.
  unsigned extract_threads = 0;

  // The shared log (archive/log/shared_log.h) this archive is a node of, as
  // "nats://HOST:PORT[,HOST:PORT...]" (NATS JetStream); empty: the archive's own LMDB log.
  // Read-write opens only: every transaction is appended to the shared log before it commits
  // locally, and FollowLog applies what other nodes appended. Read-only opens read the local
  // projections as they are.
  std::string log_url;
  // The JetStream streams' name prefix: <prefix>_LOG and <prefix>_CONTENT.
  std::string log_stream = "PALIMPSEST";
  // Source of recorded time; the archive keeps recorded times non-decreasing regardless.
  std::function<Timestamp()> clock = Now;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_OPTIONS_H_
