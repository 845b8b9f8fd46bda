// Watches: the URLs the archive fetches by itself (`palimpsest watch`), as the watch projection
// keeps them. Each watch is a stream of its own (WatchStreamId): its WatchedEvent, the checks
// made of it (CheckedEvent) and, when taken off the list, its UnwatchedEvent. Captures a check
// brings go to the article's stream through the same path as `ingest`.
//
// Thread safety: plain values and pure functions.

#ifndef PALIMPSEST_WATCHES_H_
#define PALIMPSEST_WATCHES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "palimpsest/event.h"
#include "palimpsest/hash.h"
#include "palimpsest/timestamp.h"

namespace palimpsest {

// The stream (doc id) of the watch of `url`: "watch:" and 24 hex digits of SHA-256 over the
// URL's canonical form (CanonicalUrl in doc_id.h), so every spelling of one address is one watch.
std::string WatchStreamId(std::string_view url);

// True for the ids WatchStreamId makes: they are never article documents.
bool IsWatchStreamId(std::string_view doc_id);

// The stream of the webhook of `url`: "hook:" and 24 hex digits, as WatchStreamId.
std::string HookStreamId(std::string_view url);
bool IsHookStreamId(std::string_view doc_id);

// A watch as its events left it.
struct WatchInfo {
  std::string id;  // its stream (WatchStreamId)
  std::string url;
  WatchKind kind = WatchKind::kPage;
  int64_t every_seconds = 0;  // 0: adaptive
  std::string source;
  std::string discovered_via;
  Timestamp added_at = kNoTime;  // recorded time of the (latest) WatchedEvent
  uint64_t version = 0;          // the watch stream's version

  // Checks so far, and of which kind.
  uint64_t checks = 0;
  uint64_t captures = 0;      // kCaptured
  uint64_t not_modified = 0;  // kNotModified: conditional requests the server answered 304
  uint64_t failures = 0;      // kFailed

  // The latest check.
  Timestamp last_check_at = kNoTime;
  std::optional<CheckOutcome> last_outcome;
  uint16_t last_status = 0;
  std::string last_error;
  int64_t retry_after_seconds = 0;  // asked for by the latest check's response
  // Failed checks in a row since the last one that got an answer (backoff).
  uint32_t consecutive_failures = 0;

  // Content: the latest body received and its validators (for conditional requests).
  std::optional<Digest> body_sha256;
  std::string etag;
  std::string last_modified;
  std::string final_url;  // where the redirects of the latest answered check ended
  std::string document;   // the article this watch feeds, once a check captured it

  // The first check that captured (the article's age), and the latest that found a change: a new
  // revision, or for a feed new links.
  Timestamp first_capture_at = kNoTime;
  Timestamp last_change_at = kNoTime;
};

// A webhook as its events left it: where it stands in the change feed and how its latest
// delivery went. Changes are delivered one at a time, in the change feed's order.
struct HookInfo {
  std::string id;  // its stream (HookStreamId)
  std::string url;
  std::string source;  // only changes of this source; "": all
  bool skip_cosmetic = false;
  Timestamp added_at = kNoTime;
  uint64_t version = 0;
  // The last change it is done with (delivered, or given up on); changes recorded after
  // (done_recorded_at, done_seq) in the change feed are still to go.
  uint64_t done_seq = 0;
  Timestamp done_recorded_at = kNoTime;
  // Failed attempts at the next change so far, and the latest attempt's time.
  uint32_t attempts = 0;
  Timestamp last_attempt_at = kNoTime;
  uint64_t delivered = 0;  // changes delivered
  uint64_t gave_up = 0;    // changes given up on
  uint16_t last_status = 0;
  std::string last_error;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_WATCHES_H_
