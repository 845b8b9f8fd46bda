# Records of the synchronous article projections (archive/projections/article_projection.cc).
#
# Stored as canonical Cap'n Proto encodings (capnp::canonicalize, one segment, no segment
# table), which are deterministic, so a replay rebuilds byte-identical databases.
# Evolution rules as for event.capnp. Projections may change their format freely together with
# a bump of the projection format version in `meta`, since `replay` rebuilds them.

@0xc3f1a8a7d2e94b51;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("palimpsest::schema");

struct Note {
  text @0 :Text;
  effectiveAt @1 :Int64;
}

# Database `documents`: key = doc id; one per document.
struct DocumentRecord {
  source @0 :Text;
  url @1 :Text;
  currentRev @2 :UInt32;
  version @3 :UInt64;        # stream version after the last event applied
  title @4 :Text;            # of the current revision
  lastChange @5 :Int64;      # recorded time of the current revision
  retracted @6 :Bool;
  lastRawHash @7 :Data;      # raw bytes of the latest capture (delta compression base)
  lastCaptureHash @8 :Text;  # content hash of what the latest capture showed
  backfilled @9 :Bool;       # a capture was inserted before an earlier-recorded revision,
                             # or another document merged in: revision numbers no longer rise
                             # with their events' seqs
  merges @10 :List(Merge);   # documents merged into this one, oldest merge first (a merged
                             # document's own merges follow it)
}

# A document merged into another (event.capnp, Merged). Database `document_aliases`: key = the
# merged-away doc id, value = the id of the document it was merged into (which may itself have
# been merged since: readers follow the chain).
struct Merge {
  from @0 :Text;
  seq @1 :UInt64;            # the Merged event
  recordedAt @2 :Int64;
  into @3 :Text;             # the document it joined then (this one, or one merged into it since)
}

# Database `revisions`: key = doc id, NUL, rev (u64 BE).
# Database `revision_texts`: a ContentStore (archive/content_store.h) of revision bodies.
struct RevisionRecord {
  rev @0 :UInt32;
  kind @1 :Text;
  note @2 :Text;
  stealth @3 :Bool;
  effectiveAt @4 :Int64;
  recordedAt @5 :Int64;
  capturedAt @6 :Int64;
  lastSeenAt @7 :Int64;
  contentHash @8 :Text;
  wordsAdded @9 :UInt64;
  wordsRemoved @10 :UInt64;
  seq @11 :UInt64;
  version @12 :UInt64;
  rawHash @13 :Data;         # empty when the revision has no capture of its own
  redacted @14 :Bool;
  redactionReason @15 :Text;
  redactionActor @16 :Text;
  # The extracted content; emptied by redaction.
  title @17 :Text;
  byline @18 :Text;
  publishedAt @19 :Int64;
  updatedAt @20 :Int64;
  body @21 :Text;
  notes @22 :List(Note);
  retracted @23 :Bool;
  bodyHash @24 :Data;        # the body lives in `revision_texts`, delta-compressed against the
                             # previous revision's body; `body` above stays empty
  # Further extracted fields (extractor version 2); set only when non-empty.
  dek @25 :Text;
  dateline @26 :Text;
  outlet @27 :Text;
  canonicalUrl @28 :Text;
  chrome @29 :List(Text);    # page lines the extractor removed as chrome
  captureUrl @30 :Text;      # the URL of the latest capture that showed this revision; set only
                             # when known. Redaction empties it and the document's URL falls
                             # back to the newest unredacted revision's.
  language @31 :Text;        # the language the page declares (extractor version 6); set only
                             # when known
  # Set only on a revision another document's stream introduced, which a merge brought here:
  # that document's id, and the recorded time of the merge (the latest one, after several).
  mergedFrom @32 :Text;
  joinedAt @33 :Int64;
}

# Database `watches`: key = the watch's stream id (WatchStreamId: "watch:" and 24 hex digits),
# one per watched URL; deleted when the URL is unwatched. The fields mirror WatchInfo
# (include/palimpsest/watches.h).
struct WatchRecord {
  url @0 :Text;
  kind @1 :UInt8;            # WatchKind
  everySeconds @2 :Int64;
  source @3 :Text;
  discoveredVia @4 :Text;
  addedAt @5 :Int64;
  version @6 :UInt64;        # the watch stream's version after the last event applied
  checks @7 :UInt64;
  captures @8 :UInt64;
  notModified @9 :UInt64;
  failures @10 :UInt64;
  lastCheckAt @11 :Int64;
  lastOutcome @12 :Int8;     # CheckOutcome; -1 before the first check
  lastStatus @13 :UInt16;
  lastError @14 :Text;
  retryAfterSeconds @15 :Int64;
  consecutiveFailures @16 :UInt32;
  bodySha256 @17 :Data;
  etag @18 :Text;
  lastModified @19 :Text;
  finalUrl @20 :Text;
  document @21 :Text;
  firstCaptureAt @22 :Int64;
  lastChangeAt @23 :Int64;
}

# Database `hooks`: key = the hook's stream id (HookStreamId: "hook:" and 24 hex digits), one
# per webhook; deleted when removed. The fields mirror HookInfo (include/palimpsest/watches.h).
struct HookRecord {
  url @0 :Text;
  source @1 :Text;
  skipCosmetic @2 :Bool;
  addedAt @3 :Int64;
  version @4 :UInt64;
  doneSeq @5 :UInt64;
  doneRecordedAt @6 :Int64;
  attempts @7 :UInt32;
  lastAttemptAt @8 :Int64;
  delivered @9 :UInt64;
  gaveUp @10 :UInt64;
  lastStatus @11 :UInt16;
  lastError @12 :Text;
}
