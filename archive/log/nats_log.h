// NatsLog: the SharedLog kept in NATS JetStream (nats-server 2.9 or later, clustered or not).
//
// The log is one stream whose sequence numbers are the log's positions (shifted by the genesis
// message, see nats_log.cc); entries too large for one JetStream message travel in chunks
// through a second, content-addressed stream. Appends are compare-and-set on the stream's
// last sequence, so several nodes may append to one log and each learns when another wrote
// first.
//
// Thread safety: as SharedLog.

#ifndef PALIMPSEST_ARCHIVE_LOG_NATS_LOG_H_
#define PALIMPSEST_ARCHIVE_LOG_NATS_LOG_H_

#include <chrono>
#include <memory>
#include <string>

#include "archive/log/shared_log.h"
#include "palimpsest/status.h"

namespace palimpsest {

struct NatsLogOptions {
  // "nats://HOST:PORT[,HOST:PORT...]" (the nats:// prefix may be on each element or only the
  // first).
  std::string url;
  // Streams are <prefix>_LOG and <prefix>_CONTENT; subjects <prefix lower-cased>.log and
  // <prefix lower-cased>.content.>.
  std::string stream_prefix = "PALIMPSEST";
  // Replicas of each stream when this open creates it; 0: one per server the url names, at
  // most 3.
  int replicas = 0;
  // How long a request (publish acknowledgement, get, stream info) may take.
  std::chrono::milliseconds timeout{5000};
};

// Connects and creates the two streams when missing (file storage, never discarding).
// InvalidArgument for a malformed url; IOError with detail kLogUnavailable when no server
// answers within options.timeout; Corruption when the log stream exists but is not a
// palimpsest log.
Result<std::unique_ptr<SharedLog>> OpenNatsLog(const NatsLogOptions& options);

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_LOG_NATS_LOG_H_
