// Webhook delivery: every change the change feed records (a new revision: capture, correction,
// retraction ...) is POSTed to each hook as signed JSON carrying its diff, in the feed's order,
// one change at a time per hook. Each attempt is recorded as a DeliveredEvent in the hook's own
// stream, so the log says what was delivered, what failed and when it was retried; a failed
// attempt is retried with exponential backoff and given up after max_attempts.
//
// The JSON body: {type: "palimpsest.change", id: "urn:palimpsest:change:DOC:SEQ", doc, rev,
// kind, note, stealth, cosmetic, title, source, recorded_at, effective_at, seq, diff}.
// Headers: Content-Type: application/json, X-Palimpsest-Event: change, X-Palimpsest-Delivery:
// the id, and X-Palimpsest-Signature: t=UNIX_SECONDS,v1=HEX where HEX is HMAC-SHA256 with the
// hook secret over "UNIX_SECONDS." followed by the body (the receiver recomputes it and checks
// that t is recent, against replays).
//
// Thread safety: DeliverHooks may run beside any other writer; not concurrently with itself.

#ifndef PALIMPSEST_CLI_WATCH_HOOK_DELIVERY_H_
#define PALIMPSEST_CLI_WATCH_HOOK_DELIVERY_H_

#include <cstdint>
#include <string>

#include "cli/watch/http_fetcher.h"
#include "palimpsest/archive.h"

namespace palimpsest::cli {

struct HookOptions {
  // The secret deliveries are signed with (`--hook-secret-file`); empty: nothing is delivered.
  std::string secret;
  uint32_t max_attempts = 8;
  // After n failed attempts at a change the next waits retry_base·2^(n-1), at most max_retry.
  int64_t retry_base_seconds = 5;
  int64_t max_retry_seconds = 3600;
  size_t max_per_round = 100;  // changes one hook is sent per round at most
};

struct DeliveryRound {
  uint64_t delivered = 0;
  uint64_t failed = 0;
  uint64_t gave_up = 0;
};

// The signature header value for `body` at `unix_seconds`: "t=...,v1=<hex HMAC-SHA256>".
std::string SignDelivery(const std::string& secret, int64_t unix_seconds, std::string_view body);

// Sends each hook the changes due to it at `now` and records every attempt. An error only when
// the archive could not be read or written; a receiver's failure is an outcome.
Result<DeliveryRound> DeliverHooks(Archive& archive, const HttpFetcher& fetcher,
                                   const HookOptions& options, Timestamp now,
                                   const std::string& actor);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_HOOK_DELIVERY_H_
