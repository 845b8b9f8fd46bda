// Event: one immutable record of the log, in decoded form, and its byte encoding.
//
// The stored bytes of an event are the canonical Cap'n Proto encoding of schemas/event.capnp
// (see that file for the layout). EncodeEvent and DecodeEvent convert losslessly between this
// struct and those bytes, so decode → encode reproduces the stored bytes exactly, which is what
// export/restore relies on.
//
// Thread safety: pure functions over values.

#ifndef PALIMPSEST_EVENT_H_
#define PALIMPSEST_EVENT_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "palimpsest/hash.h"
#include "palimpsest/status.h"
#include "palimpsest/timestamp.h"

namespace palimpsest {

using EventId = std::array<uint8_t, 16>;

// Content stored beside the log, named by the SHA-256 of its uncompressed bytes.
struct ContentRef {
  Digest sha256{};
  uint64_t size = 0;
  bool operator==(const ContentRef&) const = default;
};

struct Field {
  std::string name;
  std::string value;
  bool operator==(const Field&) const = default;
};

struct CapturedEvent {
  ContentRef raw;
  std::string media_type;
  std::string url;
  Timestamp captured_at = kNoTime;
  std::string source;
  std::vector<Field> fields;
  bool operator==(const CapturedEvent&) const = default;
};

struct ObservedEvent {
  ContentRef raw;
  Timestamp captured_at = kNoTime;
  std::string url;
  std::string source;
  bool operator==(const ObservedEvent&) const = default;
};

enum class CorrectionKind { kCorrection = 0, kClarification = 1, kUpdate = 2, kEditorial = 3 };

struct CorrectedEvent {
  CorrectionKind kind = CorrectionKind::kCorrection;
  std::string note;
  bool has_text = false;
  ContentRef text;  // meaningful only when has_text
  bool operator==(const CorrectedEvent&) const = default;
};

struct RetractedEvent {
  std::string note;
  bool operator==(const RetractedEvent&) const = default;
};

struct RedactedEvent {
  uint64_t target_seq = 0;
  std::string reason;
  bool operator==(const RedactedEvent&) const = default;
};

// A capture of `url` answered with an HTTP redirect to `target` (absolute).
struct RedirectedEvent {
  std::string url;
  std::string target;
  uint16_t status = 0;
  Timestamp captured_at = kNoTime;
  std::string source;
  bool operator==(const RedirectedEvent&) const = default;
};

// Two documents are one: `from` (merged away) joins the event's document. The archive records
// it after the redirect at `redirect_seq`; an append that asks for one is refused.
struct MergedEvent {
  std::string from;
  uint64_t redirect_seq = 0;
  bool operator==(const MergedEvent&) const = default;
};

// Watches: URLs the archive fetches itself (schemas/event.capnp, "Watches"). Their events live
// in the watch's own stream (WatchStreamId in watches.h), never in an article's.
enum class WatchKind { kPage = 0, kFeed = 1 };

// A URL added to (or re-added with new settings to) the watch list.
struct WatchedEvent {
  std::string url;
  WatchKind kind = WatchKind::kPage;
  int64_t every_seconds = 0;  // a fixed recheck interval; 0: adaptive
  std::string source;
  std::string discovered_via;  // the feed that announced it; empty when added by hand
  bool operator==(const WatchedEvent&) const = default;
};

struct UnwatchedEvent {
  std::string url;
  bool operator==(const UnwatchedEvent&) const = default;
};

enum class CheckOutcome {
  kCaptured = 0,          // new content: a capture in the article's stream (capture_seq)
  kUnchanged = 1,         // the article text already recorded
  kNotModified = 2,       // 304 to a conditional request
  kFailed = 3,            // network error or HTTP error status
  kRobotsDisallowed = 4,  // robots.txt forbids the path; nothing was requested
  kGone = 5,              // 404 or 410: taken down
  kNotArticle = 6,        // no article in the page
  kFeedRead = 7,          // a feed read; new_links of its links became watches
};
inline constexpr int kCheckOutcomeCount = 8;

// One check of a watched URL.
struct CheckedEvent {
  std::string url;
  CheckOutcome outcome = CheckOutcome::kFailed;
  Timestamp checked_at = kNoTime;
  uint16_t http_status = 0;
  std::string error;
  std::string etag;
  std::string last_modified;
  std::optional<Digest> body_sha256;
  uint64_t body_bytes = 0;
  std::string final_url;
  int64_t retry_after_seconds = 0;
  std::string document;
  uint64_t capture_seq = 0;
  uint32_t new_links = 0;
  bool operator==(const CheckedEvent&) const = default;
};

// Webhooks: URLs every change is POSTed to (schemas/event.capnp, "Webhooks"), in hook streams
// (HookStreamId in watches.h).
struct HookAddedEvent {
  std::string url;
  std::string source;  // only changes of this source; empty: all
  bool skip_cosmetic = false;
  bool operator==(const HookAddedEvent&) const = default;
};

struct HookRemovedEvent {
  std::string url;
  bool operator==(const HookRemovedEvent&) const = default;
};

enum class DeliveryOutcome { kDelivered = 0, kFailed = 1, kGaveUp = 2 };

// One attempt to deliver one change to a hook.
struct DeliveredEvent {
  std::string url;
  DeliveryOutcome outcome = DeliveryOutcome::kFailed;
  uint64_t change_seq = 0;
  Timestamp change_recorded_at = kNoTime;
  std::string document;
  uint32_t rev = 0;
  uint32_t attempt = 0;
  Timestamp attempted_at = kNoTime;
  uint16_t http_status = 0;
  std::string error;
  bool operator==(const DeliveredEvent&) const = default;
};

using EventBody =
    std::variant<CapturedEvent, ObservedEvent, CorrectedEvent, RetractedEvent, RedactedEvent,
                 RedirectedEvent, MergedEvent, WatchedEvent, UnwatchedEvent, CheckedEvent,
                 HookAddedEvent, HookRemovedEvent, DeliveredEvent>;

inline constexpr uint16_t kEventSchemaVersion = 1;

struct Event {
  uint64_t seq = 0;
  EventId id{};
  std::string doc_id;
  uint64_t version = 0;
  Timestamp recorded_at = kNoTime;
  Timestamp effective_at = kNoTime;
  std::string actor;
  std::string correlation_id;
  Digest prev_hash{};
  uint16_t schema_version = kEventSchemaVersion;
  EventBody body;
  // Set on the withheld form of a redacted event (WithheldForm below): the hash the chain was
  // built with, since the withheld bytes no longer hash to it.
  std::optional<Digest> withheld_hash;

  bool operator==(const Event&) const = default;
};

// Every ContentRef the body names (the raw capture, a correction's text).
std::vector<ContentRef> ReferencedContent(const EventBody& body);

// "captured", "observed", "corrected", "retracted", "redacted", "redirected", "merged",
// "watched", "unwatched", "checked", "hook_added", "hook_removed", "delivered".
const char* EventKindName(const EventBody& body);

const char* CorrectionKindName(CorrectionKind kind);
// "page", "feed".
const char* WatchKindName(WatchKind kind);
// "captured", "unchanged", "not_modified", "failed", "robots_disallowed", "gone",
// "not_article", "feed_read".
const char* CheckOutcomeName(CheckOutcome outcome);
// "delivered", "failed", "gave_up".
const char* DeliveryOutcomeName(DeliveryOutcome outcome);
// Parses "correction|clarification|update|editorial"; false otherwise.
bool ParseCorrectionKind(std::string_view name, CorrectionKind* kind);

// The canonical encoding of `event`: the bytes stored in the log and hashed into the chain.
std::string EncodeEvent(const Event& event);

// The canonical encoding of the body alone: used to tell a retried append (same id, same
// body) from a reused id (same id, different body).
std::string EncodeEventBody(const Event& event);

// Decodes stored bytes. Never reads unaligned (copies into an aligned buffer when needed) and
// applies explicit reader limits. Anything malformed → Corruption, never a crash.
Result<Event> DecodeEvent(std::string_view bytes);

// The chain hash of an event: SHA-256 over its stored bytes.
inline Digest EventHash(std::string_view encoded) { return Sha256(encoded); }

// The hash the chain links to for `event`: its withheld_hash when it is a withheld form, else
// EventHash(EncodeEvent(event)).
Digest ChainHash(const Event& event);

// The withheld form of a redacted event whose stored bytes hash to `chain_hash`: the envelope,
// kind, content references and times stay; every redactable field (URL, source, importer
// fields, a correction's note) is emptied, and withheld_hash is set. An event that already is
// a withheld form is returned unchanged. Redacted and retracted events have nothing to withhold.
Event WithheldForm(Event event, const Digest& chain_hash);

// Hex form of an event id (32 lower-case hex digits), and back.
std::string EventIdToString(const EventId& id);
bool EventIdFromString(std::string_view text, EventId* id);

// SHA-256 over importer fields (names and values, framed), as raw bytes for DeriveEventId;
// "" when there are none. Records that differ only in their fields are distinct events.
std::string FieldsDigest(const std::vector<Field>& fields);

// Derives a deterministic event id from `parts` (unambiguously framed): the first 16 bytes of
// their SHA-256.
EventId DeriveEventId(std::initializer_list<std::string_view> parts);

// The event of one capture of `raw`, with the id every front end derives for it — from the
// document, the SHA-256 of the bytes, the capture time, the source and the importer's fields
// (FieldsDigest, left out when there are none) — so the same capture is the same event however
// it arrives. effective_at is `effective_at`, else the capture time. The caller sets actor and
// correlation id, and appends `raw` as the event's content.
Event CaptureEvent(const std::string& doc_id, std::string_view raw, std::string media_type,
                   std::string url, Timestamp captured_at, Timestamp effective_at,
                   std::string source, std::vector<Field> fields);

}  // namespace palimpsest

#endif  // PALIMPSEST_EVENT_H_
