# One entry of a shared log (archive/log/shared_log.h): the events one archive transaction
# appended, with the content they brought, so that every node applying the entry stores exactly
# what the node that wrote it stored. Written and read by archive/log/log_entry.cc; the way an
# entry travels on NATS JetStream (inline, or in chunks keyed by SHA-256) is documented at the
# top of archive/log/nats_log.cc.
#
# Stored as the canonical Cap'n Proto encoding (one segment, no segment table). Evolution rules
# as for event.capnp: fields are only ever added.

@0x8df5b30284d194c1;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("palimpsest::schema");

struct LogEntry {
  # The events in seq order, each in its canonical encoding (event.capnp) — the bytes the
  # chain hashes; a redacted event that was pushed from a single-machine archive travels in its
  # withheld form (withheldHash set), as `export` writes it.
  events @0 :List(Data);
  # The bytes of every content the events introduced (their raw captures, a correction's
  # text); content an earlier entry brought is not repeated.
  contents @1 :List(Data);
  # Content a redaction withheld before the events were pushed: its hash and the reason.
  withheld @2 :List(WithheldContent);
}

struct WithheldContent {
  sha256 @0 :Data;
  reason @1 :Text;
}
