// The NATS plumbing under NatsLog: owning pointers to nats.c objects, the connection, the
// creation of the two streams and of the log stream's genesis message (stream layout and byte
// format: the top of nats_log.cc), and the statuses nats.c failures become.

#include "archive/log/nats_streams.h"

#include <nats/nats.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace palimpsest {
namespace nats_internal {
namespace {

// The genesis message of the log stream (see nats_log.cc).
constexpr char kGenesisMarker = 'G';
constexpr char kGenesisMsgId[] = "palimpsest-genesis";
// While opening: the longest wait for one request, and the pause before repeating one.
constexpr std::chrono::milliseconds kAttemptWait(2000);
constexpr std::chrono::milliseconds kRetryPause(50);

// The text of the failure nats.c reported for status `s` (and JetStream error `code`), on one
// line.
std::string NatsErrorText(natsStatus s, int code) {
  natsStatus last = NATS_OK;
  const char* text = nats_GetLastError(&last);
  std::string out = (last == s && text != nullptr && *text != '\0') ? text : natsStatus_GetText(s);
  // nats.c prefixes where it failed: "(js.c:535): wrong last sequence: 1".
  size_t origin_end = out.find("): ");
  if (!out.empty() && out[0] == '(' && origin_end != std::string::npos) {
    out.erase(0, origin_end + 3);
  }
  if (code != 0) out += " (JetStream error " + std::to_string(code) + ")";
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

// Parses one element of the url ("[nats://]HOST:PORT") into "nats://HOST:PORT".
Result<std::string> ParseServer(std::string_view element) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!element.empty() && space(element.front())) element.remove_prefix(1);
  while (!element.empty() && space(element.back())) element.remove_suffix(1);
  std::string_view rest = element;
  if (rest.substr(0, 7) == "nats://") rest.remove_prefix(7);
  size_t colon = rest.rfind(':');
  std::string_view host = rest.substr(0, colon == std::string_view::npos ? 0 : colon);
  std::string_view port = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
  bool ok = !host.empty() && rest.find("://") == std::string_view::npos &&
            std::none_of(host.begin(), host.end(),
                         [&](char c) { return space(c) || c == '/' || c == '@'; }) &&
            (host.front() != '[' || host.back() == ']') && !port.empty() && port.size() <= 5;
  int number = 0;
  for (char c : port) {
    ok = ok && c >= '0' && c <= '9';
    number = number * 10 + (c - '0');
  }
  if (!ok || number < 1 || number > 65535) {
    return Status::InvalidArgument("not HOST:PORT: \"" + std::string(element) + "\"");
  }
  return "nats://" + std::string(rest);
}

// Whether a failed request may work when repeated shortly: nobody answered in time or nobody
// listened, as while a stream (just created by a concurrent open, say) elects its leader.
bool Transient(natsStatus s) { return s == NATS_TIMEOUT || s == NATS_NO_RESPONDERS; }

// The wait for one request of a retry loop that ends at `deadline`.
int64_t AttemptWait(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::clamp<int64_t>(left.count(), 1, kAttemptWait.count());
}

// Request options for one attempt: it waits AttemptWait(deadline).
jsOptions AttemptOptions(Clock::time_point deadline) {
  jsOptions options;
  jsOptions_Init(&options);
  options.Wait = AttemptWait(deadline);
  return options;
}

// Sleeps a little before the next attempt; false when `deadline` has passed.
bool PauseBeforeRetry(Clock::time_point deadline) {
  if (Clock::now() >= deadline) return false;
  std::this_thread::sleep_for(kRetryPause);
  return true;
}

// Publishes the genesis message when the log stream is empty; *failed is the status of the
// request that failed (NATS_OK: none).
Status PublishGenesisIfEmpty(jsCtx* js, const std::string& url, const StreamNames& names,
                             Clock::time_point deadline, natsStatus* failed) {
  jsOptions options = AttemptOptions(deadline);
  jsStreamInfo* info = nullptr;
  jsErrCode code{};
  *failed = js_GetStreamInfo(&info, js, names.log_stream.c_str(), &options, &code);
  NatsPtr<jsStreamInfo> owned_info(info);
  if (*failed != NATS_OK)
    return Unavailable(url, "stream info of " + names.log_stream, *failed, code);
  if (info->State.LastSeq != 0) return Status::OK();
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MaxWait = AttemptWait(deadline);
  po.MsgId = kGenesisMsgId;
  po.ExpectNoMessage = true;
  jsPubAck* ack = nullptr;
  natsStatus s = js_Publish(&ack, js, names.log_subject.c_str(), &kGenesisMarker, 1, &po, &code);
  NatsPtr<jsPubAck> owned_ack(ack);
  // A wrong last sequence: another open stored the genesis (or something else) first.
  if (s == NATS_OK || code == JSStreamWrongLastSequenceErr) return Status::OK();
  *failed = s;
  return Unavailable(url, "cannot publish the genesis of " + names.log_stream, s, code);
}

// Checks that sequence 1 of the log stream holds the genesis; *failed as above.
Status CheckGenesis(jsCtx* js, const std::string& url, const StreamNames& names,
                    Clock::time_point deadline, natsStatus* failed) {
  jsOptions options = AttemptOptions(deadline);
  natsMsg* msg = nullptr;
  jsErrCode code{};
  natsStatus s = js_GetMsg(&msg, js, names.log_stream.c_str(), 1, &options, &code);
  NatsPtr<natsMsg> owned_msg(msg);
  *failed = s;
  std::string what = "nats log " + url + ": stream " + names.log_stream;
  if (s != NATS_OK && IsNotFound(s, code)) {
    return Status::Corruption(what + " is not a palimpsest log (no message at sequence 1)");
  }
  if (s != NATS_OK) return Unavailable(url, "cannot read " + names.log_stream + " #1", s, code);
  if (natsMsg_GetDataLength(msg) != 1 || natsMsg_GetData(msg)[0] != kGenesisMarker) {
    return Status::Corruption(what + " is not a palimpsest log (sequence 1 is not its genesis)");
  }
  return Status::OK();
}

}  // namespace

Status Unavailable(const std::string& url, const std::string& what, natsStatus s, int code) {
  return Status::WithDetail(StatusCode::kIOError, StatusDetail::kLogUnavailable,
                            "nats log " + url + ": " + what + ": " + NatsErrorText(s, code));
}

Status LogMoved(const std::string& url, const std::string& what) {
  return Status::WithDetail(StatusCode::kConflict, StatusDetail::kLogMoved,
                            "nats log " + url + ": " + what);
}

bool IsNotFound(natsStatus s, jsErrCode code) {
  return code == JSNoMessageFoundErr || (code == 0 && s == NATS_NOT_FOUND);
}

// Splits "nats://HOST:PORT[,HOST:PORT...]" into one "nats://HOST:PORT" per server.
Result<std::vector<std::string>> ParseUrl(const std::string& url) {
  std::vector<std::string> servers;
  size_t start = 0;
  while (true) {
    size_t comma = url.find(',', start);
    std::string_view element(url.data() + start,
                             (comma == std::string::npos ? url.size() : comma) - start);
    Result<std::string> server = ParseServer(element);
    if (!server.ok()) return server.status().WithContext("malformed nats url \"" + url + "\"");
    servers.push_back(std::move(*server));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return servers;
}

Result<StreamNames> MakeStreamNames(const std::string& prefix) {
  bool ok = !prefix.empty() && std::all_of(prefix.begin(), prefix.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (!ok) {
    return Status::InvalidArgument("nats stream prefix \"" + prefix +
                                   "\": want letters, digits, '_' or '-'");
  }
  std::string lower = prefix;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  StreamNames names;
  names.log_stream = prefix + "_LOG";
  names.content_stream = prefix + "_CONTENT";
  names.log_subject = lower + ".log";
  names.content_prefix = lower + ".content.";
  names.content_subjects = names.content_prefix + ">";
  return names;
}

// Connects to `servers` (trying each for its share of `timeout`) and makes the JetStream
// context, whose requests wait `timeout`.
Result<NatsHandles> Connect(const std::string& url, const std::vector<std::string>& servers,
                            std::chrono::milliseconds timeout) {
  NatsHandles h;
  natsOptions* options = nullptr;
  natsStatus s = natsOptions_Create(&options);
  h.options.reset(options);
  std::vector<const char*> server_ptrs;
  for (const std::string& server : servers) server_ptrs.push_back(server.c_str());
  int64_t per_server = std::max<int64_t>(1, timeout.count() / static_cast<int64_t>(servers.size()));
  if (s == NATS_OK) {
    s = natsOptions_SetServers(options, server_ptrs.data(), static_cast<int>(server_ptrs.size()));
  }
  if (s == NATS_OK) s = natsOptions_SetTimeout(options, per_server);
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(options, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(options, 100);
  if (s == NATS_OK) s = natsOptions_SetRetryOnFailedConnect(options, false, nullptr, nullptr);
  if (s == NATS_OK) s = natsOptions_SetFailRequestsOnDisconnect(options, true);
  if (s != NATS_OK) return Unavailable(url, "cannot set connection options", s);
  natsConnection* conn = nullptr;
  s = natsConnection_Connect(&conn, options);
  h.conn.reset(conn);
  if (s != NATS_OK) return Unavailable(url, "cannot connect", s);
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = timeout.count();
  jsCtx* js = nullptr;
  s = natsConnection_JetStream(&js, conn, &js_options);
  h.js.reset(js);
  if (s != NATS_OK) return Unavailable(url, "cannot make a JetStream context", s);
  return h;
}

// Creates stream `name` on `subject` unless it exists. Looks before creating and retries
// transient failures until `deadline`: nats-server 2.9 may leave one of several concurrent
// creations of a stream unanswered, or answer that the stream does not exist.
Status EnsureStream(jsCtx* js, const std::string& url, const std::string& name,
                    const std::string& subject, int replicas, Clock::time_point deadline) {
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  const char* subjects[] = {subject.c_str()};
  config.Name = name.c_str();
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Retention = js_LimitsPolicy;
  config.Discard = js_DiscardNew;
  config.Storage = js_FileStorage;
  config.Replicas = replicas;
  config.DenyDelete = true;
  config.DenyPurge = true;
  while (true) {
    jsOptions options = AttemptOptions(deadline);
    jsStreamInfo* info = nullptr;
    jsErrCode code{};
    natsStatus s = js_GetStreamInfo(&info, js, name.c_str(), &options, &code);
    jsStreamInfo_Destroy(info);
    if (s == NATS_OK) return Status::OK();  // used as it is, whatever its configuration
    if (code == JSStreamNotFoundErr) {
      info = nullptr;
      s = js_AddStream(&info, js, &config, &options, &code);
      jsStreamInfo_Destroy(info);
      // Another open created it first (JSStreamNameExistErr unless the configurations match).
      if (s == NATS_OK || code == JSStreamNameExistErr) return Status::OK();
    }
    // JSStreamNotFoundErr from js_AddStream: a concurrent creation is under way (nats-server
    // before 2.10.2 answers so).
    bool retry = Transient(s) || code == JSStreamNotFoundErr;
    if (!retry || !PauseBeforeRetry(deadline)) {
      return Unavailable(url, "cannot create stream " + name, s, code);
    }
  }
}

// Publishes the genesis message when the log stream is empty, then checks that sequence 1
// holds it; retries transient failures until `deadline`.
Status EnsureGenesis(jsCtx* js, const std::string& url, const StreamNames& names,
                     Clock::time_point deadline) {
  while (true) {
    natsStatus failed = NATS_OK;
    Status status = PublishGenesisIfEmpty(js, url, names, deadline, &failed);
    if (status.ok()) status = CheckGenesis(js, url, names, deadline, &failed);
    if (status.ok() || !Transient(failed) || !PauseBeforeRetry(deadline)) return status;
  }
}

}  // namespace nats_internal
}  // namespace palimpsest
