// Status and Result<T>: errors as values.
//
// Every fallible function in Palimpsest returns a Status or a Result<T>. No exception crosses
// a header in include/palimpsest/. A Status carries a code (the class of failure), a detail
// for the failures callers act on, and a one-line human message meant for people only: no
// caller decides anything from the message. Front ends map code and detail onto their own
// vocabulary (cli/exit_codes.h, cli/http/problem.h).
//
// Thread safety: Status and Result are values; distinct objects may be used from distinct
// threads freely.

#ifndef PALIMPSEST_STATUS_H_
#define PALIMPSEST_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace palimpsest {

enum class StatusCode {
  kOk,
  kInvalidArgument,  // bad input or usage
  kNotFound,         // unknown document, revision, seq or archive
  kConflict,         // expected stream version does not match
  kCorruption,       // integrity failure: undecodable event, broken chain, bad index
  kIOError,          // storage failure: disk full, lock timeout, permissions
};

// What a failure is about, beyond its code, for callers that act on it. Front ends map a
// detail (not the message) onto exit codes and HTTP statuses.
enum class StatusDetail : int {
  kNone = 0,
  // A string of an event (doc id, URL, source, actor, note, field, reason ...) is not valid
  // UTF-8 text. Code kInvalidArgument: exit 1, HTTP 400.
  kInvalidText = 1,
  // A capture that is a web page but not an article (a section front, a tag page, search
  // results, an empty page): nothing to make a revision of. Code kInvalidArgument: exit 1,
  // HTTP 400; `import` counts it under not_articles, never as a failed record.
  kNotAnArticle = 2,
  // The storage map is full (LMDB's MDB_MAP_FULL): the archive grows it and retries. Code
  // kIOError.
  kMapFull = 3,
  // A key that must be new is already stored (LMDB's MDB_KEYEXIST). Code kIOError.
  kKeyExists = 4,
  // Content withheld by a redaction; redaction_reason() says why. Code kNotFound.
  kRedacted = 5,
  // An event id already names a different event in the log (an idempotency key reused for
  // another request). Code kInvalidArgument.
  kEventIdReused = 6,
  // Another process grew the storage map (LMDB's MDB_MAP_RESIZED): the archive adopts the new
  // size and retries; callers outside it never see this. Code kIOError.
  kMapResized = 7,
  // A capture asked to be recorded only if it brings a new revision
  // (AppendRequest::only_if_revised) showed the text already recorded: nothing was written.
  // Code kConflict.
  kNoNewRevision = 8,
  // The shared log (Options::log_url) gained entries after the position this node appended at:
  // another node wrote first. The archive applies them and retries; callers outside it never
  // see this. Code kConflict.
  kLogMoved = 9,
  // The shared log could not be reached, or did not acknowledge an append in time (so the
  // append may or may not be in the log). Code kIOError: exit 5, HTTP 503.
  kLogUnavailable = 10,
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return Status(StatusCode::kInvalidArgument, std::move(msg));
  }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status Conflict(std::string msg) { return Status(StatusCode::kConflict, std::move(msg)); }
  static Status Corruption(std::string msg) {
    return Status(StatusCode::kCorruption, std::move(msg));
  }
  static Status IOError(std::string msg) { return Status(StatusCode::kIOError, std::move(msg)); }
  // InvalidArgument with detail kInvalidText.
  static Status InvalidText(std::string msg) {
    Status s(StatusCode::kInvalidArgument, std::move(msg));
    s.detail_ = StatusDetail::kInvalidText;
    return s;
  }
  // InvalidArgument with detail kNotAnArticle; `reason` says why ("a list of links: …").
  static Status NotAnArticle(std::string reason) {
    Status s(StatusCode::kInvalidArgument, "not an article: " + std::move(reason));
    s.detail_ = StatusDetail::kNotAnArticle;
    return s;
  }
  bool IsNotAnArticle() const { return detail_ == StatusDetail::kNotAnArticle; }
  // `code` with `detail`, for the details that need no more than a message.
  static Status WithDetail(StatusCode code, StatusDetail detail, std::string msg) {
    Status s(code, std::move(msg));
    s.detail_ = detail;
    return s;
  }
  // NotFound with detail kRedacted: content withheld because of `reason`.
  static Status Redacted(std::string reason) {
    Status s(StatusCode::kNotFound, "redacted: " + reason);
    s.detail_ = StatusDetail::kRedacted;
    s.reason_ = std::move(reason);
    return s;
  }
  bool IsRedacted() const { return detail_ == StatusDetail::kRedacted; }
  // The reason a redaction gave; empty unless IsRedacted().
  const std::string& redaction_reason() const { return reason_; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  StatusDetail detail() const { return detail_; }
  bool IsNotFound() const { return code_ == StatusCode::kNotFound; }
  bool IsConflict() const { return code_ == StatusCode::kConflict; }
  bool IsCorruption() const { return code_ == StatusCode::kCorruption; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is prefixed with `context` and ": ".
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    Status s = *this;
    s.message_ = context + ": " + message_;
    return s;
  }

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}

  StatusCode code_ = StatusCode::kOk;
  StatusDetail detail_ = StatusDetail::kNone;
  std::string message_;
  std::string reason_;  // kRedacted only
};

// Either a value of type T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok());
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // Requires ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace palimpsest

// Evaluates `expr` (a Status); returns it from the enclosing function when not OK.
#define PALIMPSEST_RETURN_IF_ERROR(expr) \
  do {                                   \
    ::palimpsest::Status _st = (expr);   \
    if (!_st.ok()) return _st;           \
  } while (0)

#define PALIMPSEST_CONCAT_INNER(a, b) a##b
#define PALIMPSEST_CONCAT(a, b) PALIMPSEST_CONCAT_INNER(a, b)

// Evaluates `rexpr` (a Result<T>); on error returns its Status, else moves the value into `lhs`.
#define PALIMPSEST_ASSIGN_OR_RETURN(lhs, rexpr) \
  PALIMPSEST_ASSIGN_OR_RETURN_IMPL(PALIMPSEST_CONCAT(_result_, __LINE__), lhs, rexpr)
#define PALIMPSEST_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                     \
  if (!tmp.ok()) return tmp.status();                     \
  lhs = std::move(tmp).value()

#endif  // PALIMPSEST_STATUS_H_
