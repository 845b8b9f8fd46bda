# The event log's record: one Event envelope (id, document, times, actor) with a union of
# kinds (captured, observed, corrected, retracted, redacted, ...).
#
# Evolution rules (see README.md here): ordinals are never reused or renumbered; new fields get
# new ordinals at the end; a field is never retyped; new kinds are new union members. Readers
# ignore fields they do not know, so old binaries read new logs.
#
# Stored form: the canonical Cap'n Proto encoding (capnp::canonicalize) of Event, a single
# segment without a segment table. The event's hash is SHA-256 over exactly those bytes.
# Content (raw captures, correction texts) is never inline: a ContentRef names it by the SHA-256
# of its uncompressed bytes, and the bytes live in the `blobs` database. So recompression,
# restore and redaction never change an event's bytes or break the hash chain.

@0x9b549f48a8012ee7;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("palimpsest::schema");

struct Event {
  seq @0 :UInt64;            # global sequence number, 1-based, dense
  eventId @1 :Data;          # 16 bytes, chosen by the writer; the idempotency key
  docId @2 :Text;
  version @3 :UInt64;        # the document stream's version after this event (1-based)
  recordedAt @4 :Int64;      # transaction time, µs since the epoch, non-decreasing along the log
  effectiveAt @5 :Int64;     # valid time, µs; INT64_MIN when the event names none
  actor @6 :Text;            # who wrote it: "cli:<user>", an API token's name, ...
  correlationId @7 :Text;    # groups the events of one import batch or request
  prevHash @8 :Data;         # SHA-256 of the previous event's stored bytes; 32 zero bytes for seq 1
  schemaVersion @9 :UInt16;
  body @10 :Body;
  # Set only on the withheld form of a redacted event (see README.md here, "Withheld events"):
  # the SHA-256 of the event's original stored bytes, which the next event's prevHash names.
  # The redactable fields of the body (URLs, sources, importer fields, notes) are empty.
  withheldHash @11 :Data;
}

struct Body {
  union {
    captured @0 :Captured;
    observed @1 :Observed;
    corrected @2 :Corrected;
    retracted @3 :Retracted;
    redacted @4 :Redacted;
    redirected @5 :Redirected;
    merged @6 :Merged;
    watched @7 :Watched;
    unwatched @8 :Unwatched;
    checked @9 :Checked;
    hookAdded @10 :HookAdded;
    hookRemoved @11 :HookRemoved;
    delivered @12 :Delivered;
  }
}

struct ContentRef {
  sha256 @0 :Data;           # 32 bytes, over the uncompressed content
  size @1 :UInt64;           # uncompressed length in bytes
}

struct Field {
  name @0 :Text;
  value @1 :Text;
}

# One capture of a document: the raw bytes as received. The article's fields are derived from
# them by the extractor (a projection).
struct Captured {
  raw @0 :ContentRef;
  mediaType @1 :Text;        # "text/plain", "text/html", ...
  url @2 :Text;
  capturedAt @3 :Int64;
  source @4 :Text;           # the outlet
  fields @5 :List(Field);    # fields the importer supplied (title, byline, dates ...)
}

# A re-capture whose raw bytes are identical to an earlier capture of the same document:
# the observation and its time are recorded, the bytes are not stored again.
struct Observed {
  raw @0 :ContentRef;
  capturedAt @1 :Int64;
  url @2 :Text;
  source @3 :Text;
}

enum CorrectionKind {
  correction @0;
  clarification @1;
  update @2;
  editorial @3;
}

# An explicit correction entered by a person. Without text it is a note-only correction.
struct Corrected {
  kind @0 :CorrectionKind;
  note @1 :Text;
  hasText @2 :Bool;
  text @3 :ContentRef;       # the new body text, when hasText
}

# The publisher withdrew the article; its history stays readable.
struct Retracted {
  note @0 :Text;
}

# A revision's content must no longer be served. `targetSeq` is the event that introduced the
# revision; the hash chain is untouched.
struct Redacted {
  targetSeq @0 :UInt64;
  reason @1 :Text;
}

# A capture of `url` answered with a redirect (an HTTP 3xx with a Location) to `target`, the
# Location resolved against `url`. Recorded in the stream of the document `url` names, which
# may hold nothing else: the URL-identity projection links the two addresses.
struct Redirected {
  url @0 :Text;
  target @1 :Text;
  status @2 :UInt16;         # 301, 302, 303, 307, 308, ...
  capturedAt @3 :Int64;
  source @4 :Text;
}

# Two documents turned out to be one: a redirect recorded in the stream of `from` (the event at
# `redirectSeq`) leads to an address this document owns. Recorded by the archive itself, in the
# surviving document's stream, in the redirect's transaction: `from`'s revisions join this
# document in capture order and `from` resolves here from then on (schemas/README.md, "Merges").
struct Merged {
  from @0 :Text;             # the merged-away document id
  redirectSeq @1 :UInt64;    # the redirect that joined them
}

# Watches (`palimpsest watch`): the URLs the archive fetches itself, and every check it made.
# They live in a watch's own stream, never in an article's: the doc id is "watch:" and the
# first 12 bytes of SHA-256 over the URL's canonical form (CanonicalUrl), in hex
# (WatchStreamId in watches.h). So a check that finds nothing new leaves the article's version
# alone, and a person's `correct --expect-version` never conflicts with the scheduler.

enum WatchKind {
  page @0;                   # an article page: each check may capture it
  feed @1;                   # an RSS or Atom feed or a sitemap: each check may add watches
}

# A URL added to the watch list, by hand or because a watched feed announced it. Recorded again
# to change its schedule or source.
struct Watched {
  url @0 :Text;
  kind @1 :WatchKind;
  everySeconds @2 :Int64;    # a fixed recheck interval; 0: the adaptive schedule
  source @3 :Text;           # the outlet its captures are recorded under
  discoveredVia @4 :Text;    # the feed that announced it; empty when added by hand
}

# A URL taken off the watch list; its stream and the checks in it stay.
struct Unwatched {
  url @0 :Text;
}

enum CheckOutcome {
  captured @0;               # new content: a capture event in the article's stream (captureSeq)
  unchanged @1;              # a body whose article text is the one already recorded
  notModified @2;            # the server answered 304 to a conditional request
  failed @3;                 # a network error or an HTTP error status (error, httpStatus)
  robotsDisallowed @4;       # robots.txt forbids the path; nothing was requested
  gone @5;                   # 404 or 410: the page was taken down
  notArticle @6;             # a page the extractor found no article in
  feedRead @7;               # a feed or sitemap read; newLinks of its links were new watches
}

# One check of a watched URL: what was asked and what came back.
struct Checked {
  url @0 :Text;
  outcome @1 :CheckOutcome;
  checkedAt @2 :Int64;       # when the request was sent, µs
  httpStatus @3 :UInt16;     # the final response's status; 0 when none arrived
  error @4 :Text;            # failed, notArticle: one line saying why
  etag @5 :Text;             # the final response's validators, sent back on the next check
  lastModified @6 :Text;
  bodySha256 @7 :Data;       # SHA-256 of the body received; empty when none
  bodyBytes @8 :UInt64;
  finalUrl @9 :Text;         # where the redirects ended; empty when there were none
  retryAfterSeconds @10 :Int64;  # the server's Retry-After, when it sent one
  document @11 :Text;        # captured, unchanged: the article document the watch feeds
  captureSeq @12 :UInt64;    # captured: the capture event
  newLinks @13 :UInt32;      # feedRead: links announced for the first time
}

# Webhooks (`palimpsest watch hook`): URLs every change is POSTed to, as signed JSON with its
# diff. Like watches they live in streams of their own: "hook:" and 24 hex digits of SHA-256
# over the URL (HookStreamId in watches.h). The secret that signs deliveries is never in the
# log: `watch run --hook-secret-file` reads it.

struct HookAdded {
  url @0 :Text;
  source @1 :Text;           # only changes of this source; empty: every change
  skipCosmetic @2 :Bool;     # leave out changes of punctuation only
}

struct HookRemoved {
  url @0 :Text;
}

enum DeliveryOutcome {
  delivered @0;              # the receiver answered 2xx
  failed @1;                 # an error or a non-2xx answer: retried with backoff
  gaveUp @2;                 # failed the last allowed attempt: the hook moves on
}

# One attempt to deliver one change to a hook.
struct Delivered {
  url @0 :Text;
  outcome @1 :DeliveryOutcome;
  changeSeq @2 :UInt64;      # the event that introduced the revision delivered
  changeRecordedAt @3 :Int64;  # its recorded time (where the hook's place in the change feed is)
  document @4 :Text;
  rev @5 :UInt32;
  attempt @6 :UInt32;        # 1 for the first
  attemptedAt @7 :Int64;
  httpStatus @8 :UInt16;     # 0 when no answer arrived
  error @9 :Text;
}
