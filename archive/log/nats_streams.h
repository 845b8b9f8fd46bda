// The NATS plumbing under NatsLog (nats_log.cc): owning pointers to nats.c objects, the
// connection, the two streams and the genesis message of the log stream (the stream layout
// and byte format are described at the top of nats_log.cc), and the statuses a nats.c failure
// becomes. Internal to archive/log.

#ifndef PALIMPSEST_ARCHIVE_LOG_NATS_STREAMS_H_
#define PALIMPSEST_ARCHIVE_LOG_NATS_STREAMS_H_

#include <nats/nats.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "palimpsest/status.h"

namespace palimpsest {
namespace nats_internal {

using Clock = std::chrono::steady_clock;

// unique_ptr deleters for the nats.c objects NatsLog owns.
struct NatsDeleter {
  void operator()(natsOptions* p) const { natsOptions_Destroy(p); }
  void operator()(natsConnection* p) const { natsConnection_Destroy(p); }
  void operator()(jsCtx* p) const { jsCtx_Destroy(p); }
  void operator()(natsSubscription* p) const { natsSubscription_Destroy(p); }
  void operator()(natsMsg* p) const { natsMsg_Destroy(p); }
  void operator()(jsPubAck* p) const { jsPubAck_Destroy(p); }
  void operator()(jsStreamInfo* p) const { jsStreamInfo_Destroy(p); }
};
template <typename T>
using NatsPtr = std::unique_ptr<T, NatsDeleter>;

// The connection objects of one log; members destroyed in reverse order of declaration.
struct NatsHandles {
  NatsPtr<natsOptions> options;
  NatsPtr<natsConnection> conn;
  NatsPtr<jsCtx> js;
  NatsPtr<natsSubscription> wake;  // core subscription on the log subject
};

// Stream names and subjects derived from NatsLogOptions::stream_prefix.
struct StreamNames {
  std::string log_stream;
  std::string content_stream;
  std::string log_subject;
  std::string content_subjects;  // "<p>.content.>"
  std::string content_prefix;    // "<p>.content."
};

// IOError with detail kLogUnavailable: "nats log <url>: <what>: " and the text of the failure
// nats.c reported for status `s` (and JetStream error `code`, unless 0), on one line.
Status Unavailable(const std::string& url, const std::string& what, natsStatus s, int code = 0);

// Conflict with detail kLogMoved: "nats log <url>: <what>".
Status LogMoved(const std::string& url, const std::string& what);

// Whether a failed get (status `s`, JetStream error `code`) found no message.
bool IsNotFound(natsStatus s, jsErrCode code);

// Splits "nats://HOST:PORT[,HOST:PORT...]" (the nats:// prefix optional on each element) into
// one "nats://HOST:PORT" per server. InvalidArgument when malformed.
Result<std::vector<std::string>> ParseUrl(const std::string& url);

// The stream names and subjects for `prefix`. InvalidArgument unless `prefix` is non-empty
// letters, digits, '_' and '-'.
Result<StreamNames> MakeStreamNames(const std::string& prefix);

// Connects to `servers` (trying each for its share of `timeout`, reconnecting forever once
// connected) and makes the JetStream context, whose requests wait `timeout`. The result's wake
// is null. Unavailable (naming `url`) on failure.
Result<NatsHandles> Connect(const std::string& url, const std::vector<std::string>& servers,
                            std::chrono::milliseconds timeout);

// Creates stream `name` on `subject` (file storage, limits retention, never discarding,
// deletes and purges denied, `replicas` replicas) unless it exists; an existing stream is used
// whatever its configuration. Retries transient failures until `deadline`. Unavailable on
// failure.
Status EnsureStream(jsCtx* js, const std::string& url, const std::string& name,
                    const std::string& subject, int replicas, Clock::time_point deadline);

// Publishes the genesis message when the log stream of `names` is empty (so concurrent opens
// store one), then checks that sequence 1 holds it; retries transient failures until
// `deadline`. Corruption when sequence 1 is missing or not the genesis; Unavailable on other
// failures.
Status EnsureGenesis(jsCtx* js, const std::string& url, const StreamNames& names,
                     Clock::time_point deadline);

}  // namespace nats_internal
}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_LOG_NATS_STREAMS_H_
