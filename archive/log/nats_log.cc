// NatsLog: SharedLog on NATS JetStream.
//
// Streams (P = NatsLogOptions::stream_prefix, p = P lower-cased), both file storage, limits
// retention with no limits (nothing is ever discarded), message deletes and purges denied:
//   P_LOG      subject p.log: the log. Stream sequence 1 holds the genesis message; the entry
//              at log position n (n >= 1) is the message at stream sequence n + 1.
//   P_CONTENT  subjects p.content.>: the chunks of entries too large for one message, on
//              subject p.content.<64 lower-case hex of the entry's SHA-256>.<chunk index>
//              (index in decimal from 0). Only the last message on a subject counts.
//
// Why a genesis message: nats.c sends no Nats-Expected-Last-Sequence header when
// jsPubOptions.ExpectLastSeq is 0, so an append after position 0 could not be a
// compare-and-set. With the genesis at sequence 1, appending after position n expects last
// sequence n + 1 >= 1. The genesis is published at open when the stream is empty, expecting no
// message on p.log and with message id "palimpsest-genesis", so opens racing store one.
//
// Body of a P_LOG message (the message id header, Nats-Msg-Id, is the append's dedupe_id):
//   'G'                          the genesis (sequence 1 only; nothing else)
//   'E' <entry bytes>            an entry inline, when 1 + its size <= 900 KiB
//   'X' <32-byte SHA-256 of the entry> <u64 BE entry size> <u32 BE chunk count>
//                                an entry in chunks: count = ceil(size / 512 KiB); chunk i
//                                holds bytes [i * 512 KiB, min(size, (i + 1) * 512 KiB)).
// Chunks are published (message id "<hex>.<index>", so republishing after a lost
// acknowledgement stores nothing new) before the 'X' message that refers to them, so a log
// entry never refers to content that was not stored.
//
// WaitAfter listens with a plain NATS subscription on p.log: every publish there, stored or
// refused, wakes it; the caller reads the log to learn what happened.

#include "archive/log/nats_log.h"

#include <nats/nats.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/log/nats_streams.h"
#include "palimpsest/hash.h"

namespace palimpsest {
namespace {

using nats_internal::Clock;
using nats_internal::Connect;
using nats_internal::EnsureGenesis;
using nats_internal::EnsureStream;
using nats_internal::IsNotFound;
using nats_internal::LogMoved;
using nats_internal::MakeStreamNames;
using nats_internal::NatsHandles;
using nats_internal::NatsPtr;
using nats_internal::ParseUrl;
using nats_internal::StreamNames;
using nats_internal::Unavailable;

constexpr char kInlineMarker = 'E';
constexpr char kChunkedMarker = 'X';
// A JetStream message is at most 1 MiB by default (max_payload); headers need some room.
constexpr size_t kMaxInlineBody = 900 * 1024;
constexpr size_t kChunkSize = 512 * 1024;
constexpr size_t kChunkedBodySize = 1 + 32 + 8 + 4;
// Positions past this would overflow the stream sequence arithmetic.
constexpr uint64_t kMaxPosition = UINT64_MAX - 2;
// Messages (and bytes) the WaitAfter subscription queues before it drops new ones. Dropping is
// harmless: a queued message already wakes the next WaitAfter.
constexpr int kWakePendingMsgs = 1024;
constexpr int kWakePendingBytes = 16 * 1024 * 1024;

void PutBigEndian(uint64_t v, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetBigEndian(std::string_view in, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

uint64_t ChunkCount(uint64_t size) { return size / kChunkSize + (size % kChunkSize != 0); }

// The SharedLog on the streams `names` of the connection `h` (see the top of this file).
class NatsLog final : public SharedLog {
 public:
  NatsLog(std::string url, StreamNames names, std::chrono::milliseconds timeout, NatsHandles h)
      : url_(std::move(url)), names_(std::move(names)), timeout_(timeout), h_(std::move(h)) {}

  Result<uint64_t> Append(std::string_view entry, uint64_t expected,
                          std::string_view dedupe_id) override;
  Result<std::string> Read(uint64_t position) override;
  Result<uint64_t> LastPosition() override;
  Status WaitAfter(uint64_t position, std::chrono::milliseconds timeout) override;
  std::string Describe() const override { return url_; }

 private:
  // Publishes `body` on `subject` with `options` (MaxWait set here); *ack holds the
  // acknowledgement when the result is NATS_OK.
  natsStatus Publish(const std::string& subject, std::string_view body, jsPubOptions* options,
                     NatsPtr<jsPubAck>* ack, jsErrCode* code);
  // Publishes the chunks of `entry` to the content stream; returns the 'X' body naming them.
  Result<std::string> PublishChunks(std::string_view entry);
  // The message at sequence `seq` of the log stream; NotFound when there is none.
  Result<NatsPtr<natsMsg>> GetLogMessage(uint64_t seq);
  // The entry an 'X' `body` at `position` names, fetched from the content stream and verified.
  Result<std::string> ReadChunked(uint64_t position, std::string_view body);

  const std::string url_;
  const StreamNames names_;
  const std::chrono::milliseconds timeout_;
  NatsHandles h_;
  std::mutex wait_mu_;  // serializes WaitAfter's use of h_.wake
};

natsStatus NatsLog::Publish(const std::string& subject, std::string_view body,
                            jsPubOptions* options, NatsPtr<jsPubAck>* ack, jsErrCode* code) {
  options->MaxWait = timeout_.count();
  jsPubAck* raw = nullptr;
  *code = jsErrCode{};
  natsStatus s = js_Publish(&raw, h_.js.get(), subject.c_str(), body.data(),
                            static_cast<int>(body.size()), options, code);
  ack->reset(raw);
  return s;
}

Result<std::string> NatsLog::PublishChunks(std::string_view entry) {
  uint64_t count = ChunkCount(entry.size());
  if (count > UINT32_MAX) return Status::InvalidArgument("log entry too large");
  Digest digest = Sha256(entry);
  std::string hex = ToHex(digest);
  for (uint64_t i = 0; i < count; ++i) {
    std::string id = hex + "." + std::to_string(i);
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MsgId = id.c_str();
    NatsPtr<jsPubAck> ack;
    jsErrCode code;
    natsStatus s = Publish(names_.content_prefix + id, entry.substr(i * kChunkSize, kChunkSize),
                           &po, &ack, &code);
    if (s != NATS_OK) {
      return Unavailable(
          url_, "cannot publish chunk " + std::to_string(i) + " of " + DigestToString(digest), s,
          code);
    }
  }
  std::string body(1, kChunkedMarker);
  body.append(AsBytes(digest));
  PutBigEndian(entry.size(), 8, &body);
  PutBigEndian(count, 4, &body);
  return body;
}

Result<uint64_t> NatsLog::Append(std::string_view entry, uint64_t expected,
                                 std::string_view dedupe_id) {
  if (expected >= kMaxPosition) {
    return Status::InvalidArgument("nats log " + url_ + ": append after position " +
                                   std::to_string(expected) + ": out of range");
  }
  if (dedupe_id.find_first_of("\r\n") != std::string_view::npos) {
    return Status::InvalidArgument("nats log " + url_ + ": a dedupe id is one line");
  }
  std::string body;
  if (1 + entry.size() <= kMaxInlineBody) {
    body.reserve(1 + entry.size());
    body.push_back(kInlineMarker);
    body.append(entry);
  } else {
    PALIMPSEST_ASSIGN_OR_RETURN(body, PublishChunks(entry));
  }
  std::string id(dedupe_id);
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MsgId = id.c_str();
  po.ExpectLastSeq = expected + 1;
  NatsPtr<jsPubAck> ack;
  jsErrCode code;
  natsStatus s = Publish(names_.log_subject, body, &po, &ack, &code);
  std::string what = "append after position " + std::to_string(expected);
  if (s != NATS_OK && code == JSStreamWrongLastSequenceErr) {
    return LogMoved(url_, what + ": the log has moved on");
  }
  if (s != NATS_OK) return Unavailable(url_, what, s, code);
  // A duplicate's acknowledgement names the message stored first under this id — perhaps
  // another node's entry for the same events (a retry from a node that missed the original),
  // whose seqs and times differ from this one's even when it sits exactly at expected + 1. The
  // caller must read it, never take it for its own; nats-server 2.9.10 checks the id before the
  // expected sequence.
  if (ack->Duplicate) {
    return LogMoved(url_, what + ": \"" + id + "\" is already at position " +
                              std::to_string(ack->Sequence - 1));
  }
  if (ack->Sequence == expected + 2) return expected + 1;
  // Not a compare-and-set after all (a stream not made by this file?): the entry is in the log,
  // but not where the caller asked.
  return Status::WithDetail(StatusCode::kIOError, StatusDetail::kLogUnavailable,
                            "nats log " + url_ + ": " + what + ": stored at stream sequence " +
                                std::to_string(ack->Sequence));
}

Result<NatsPtr<natsMsg>> NatsLog::GetLogMessage(uint64_t seq) {
  natsMsg* raw = nullptr;
  jsErrCode code{};
  natsStatus s = js_GetMsg(&raw, h_.js.get(), names_.log_stream.c_str(), seq, nullptr, &code);
  NatsPtr<natsMsg> msg(raw);
  if (s == NATS_OK) return msg;
  if (IsNotFound(s, code)) {
    return Status::NotFound("nats log " + url_ + ": no entry at position " +
                            std::to_string(seq - 1));
  }
  return Unavailable(url_, "read position " + std::to_string(seq - 1), s, code);
}

Result<std::string> NatsLog::Read(uint64_t position) {
  if (position == 0) {
    return Status::InvalidArgument("nats log " + url_ + ": read position 0: positions start at 1");
  }
  if (position > kMaxPosition) {
    return Status::NotFound("nats log " + url_ + ": no entry at position " +
                            std::to_string(position));
  }
  PALIMPSEST_ASSIGN_OR_RETURN(NatsPtr<natsMsg> msg, GetLogMessage(position + 1));
  std::string_view body(natsMsg_GetData(msg.get()),
                        static_cast<size_t>(natsMsg_GetDataLength(msg.get())));
  if (!body.empty() && body[0] == kInlineMarker) return std::string(body.substr(1));
  if (!body.empty() && body[0] == kChunkedMarker) return ReadChunked(position, body);
  return Status::Corruption("nats log " + url_ + ": position " + std::to_string(position) +
                            ": not a log entry");
}

Result<std::string> NatsLog::ReadChunked(uint64_t position, std::string_view body) {
  std::string what = "nats log " + url_ + ": position " + std::to_string(position);
  if (body.size() != kChunkedBodySize) return Status::Corruption(what + ": bad chunk list");
  Digest digest;
  std::memcpy(digest.data(), body.data() + 1, digest.size());
  uint64_t size = GetBigEndian(body.substr(33), 8);
  uint64_t count = GetBigEndian(body.substr(41), 4);
  if (count != ChunkCount(size)) return Status::Corruption(what + ": bad chunk count");
  std::string hex = ToHex(digest);
  std::string entry;
  entry.reserve(std::min<uint64_t>(size, 64 * 1024 * 1024));
  for (uint64_t i = 0; i < count; ++i) {
    std::string subject = names_.content_prefix + hex + "." + std::to_string(i);
    natsMsg* raw = nullptr;
    jsErrCode code{};
    natsStatus s = js_GetLastMsg(&raw, h_.js.get(), names_.content_stream.c_str(), subject.c_str(),
                                 nullptr, &code);
    NatsPtr<natsMsg> chunk(raw);
    std::string which = "chunk " + std::to_string(i) + " of " + DigestToString(digest);
    if (s != NATS_OK && IsNotFound(s, code)) {
      return Status::Corruption(what + ": " + which + " is missing");
    }
    if (s != NATS_OK) {
      return Unavailable(url_, "read position " + std::to_string(position) + " " + which, s, code);
    }
    entry.append(natsMsg_GetData(raw), static_cast<size_t>(natsMsg_GetDataLength(raw)));
    if (entry.size() > size) return Status::Corruption(what + ": chunks longer than the entry");
  }
  if (entry.size() != size) return Status::Corruption(what + ": chunks shorter than the entry");
  if (Sha256(entry) != digest) {
    return Status::Corruption(what + ": content does not match " + DigestToString(digest));
  }
  return entry;
}

Result<uint64_t> NatsLog::LastPosition() {
  jsStreamInfo* raw = nullptr;
  jsErrCode code{};
  natsStatus s = js_GetStreamInfo(&raw, h_.js.get(), names_.log_stream.c_str(), nullptr, &code);
  NatsPtr<jsStreamInfo> info(raw);
  if (s != NATS_OK) return Unavailable(url_, "stream info of " + names_.log_stream, s, code);
  uint64_t last = info->State.LastSeq;
  return last <= 1 ? 0 : last - 1;
}

Status NatsLog::WaitAfter(uint64_t position, std::chrono::milliseconds timeout) {
  (void)position;  // any publish on the log subject wakes the waiter
  std::lock_guard<std::mutex> lock(wait_mu_);
  natsSubscription* wake = h_.wake.get();
  natsMsg* raw = nullptr;
  natsStatus s = natsSubscription_NextMsg(&raw, wake, std::max<int64_t>(0, timeout.count()));
  NatsPtr<natsMsg> msg(raw);
  if (s == NATS_TIMEOUT) return Status::OK();
  // A slow consumer lost messages: something was published, which is all the caller needs.
  if (s != NATS_OK && s != NATS_SLOW_CONSUMER) {
    return Unavailable(url_, "wait for entries after " + std::to_string(position), s);
  }
  // Drain what is already queued (without waiting): the caller reads the log anyway.
  uint64_t queued = 0;
  if (natsSubscription_QueuedMsgs(wake, &queued) == NATS_OK) {
    for (uint64_t i = 0; i < queued; ++i) {
      raw = nullptr;
      if (natsSubscription_NextMsg(&raw, wake, 0) != NATS_OK) break;
      natsMsg_Destroy(raw);
    }
  }
  return Status::OK();
}

// Subscribes to the log subject for WaitAfter.
Status SubscribeWake(NatsHandles* h, const std::string& url, const StreamNames& names) {
  natsSubscription* sub = nullptr;
  natsStatus s = natsConnection_SubscribeSync(&sub, h->conn.get(), names.log_subject.c_str());
  h->wake.reset(sub);
  if (s == NATS_OK) s = natsSubscription_SetPendingLimits(sub, kWakePendingMsgs, kWakePendingBytes);
  if (s != NATS_OK) return Unavailable(url, "cannot subscribe to " + names.log_subject, s);
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<SharedLog>> OpenNatsLog(const NatsLogOptions& options) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<std::string> servers, ParseUrl(options.url));
  PALIMPSEST_ASSIGN_OR_RETURN(StreamNames names, MakeStreamNames(options.stream_prefix));
  if (options.replicas < 0 || options.replicas > 5) {
    return Status::InvalidArgument("nats log replicas " + std::to_string(options.replicas) +
                                   ": want 0 to 5");
  }
  if (options.timeout.count() <= 0) {
    return Status::InvalidArgument("nats log timeout: want a positive duration");
  }
  int replicas = options.replicas != 0 ? options.replicas
                                       : static_cast<int>(std::min<size_t>(servers.size(), 3));
  const std::string& url = options.url;
  PALIMPSEST_ASSIGN_OR_RETURN(NatsHandles h, Connect(url, servers, options.timeout));
  // Setting up the streams gets its own `timeout` after the connection.
  Clock::time_point deadline = Clock::now() + options.timeout;
  jsCtx* js = h.js.get();
  PALIMPSEST_RETURN_IF_ERROR(
      EnsureStream(js, url, names.log_stream, names.log_subject, replicas, deadline));
  PALIMPSEST_RETURN_IF_ERROR(
      EnsureStream(js, url, names.content_stream, names.content_subjects, replicas, deadline));
  PALIMPSEST_RETURN_IF_ERROR(EnsureGenesis(js, url, names, deadline));
  PALIMPSEST_RETURN_IF_ERROR(SubscribeWake(&h, url, names));
  return std::unique_ptr<SharedLog>(
      new NatsLog(url, std::move(names), options.timeout, std::move(h)));
}

}  // namespace palimpsest
