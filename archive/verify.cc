// Verify's first part: one pass over the log checking its chain, ids, indexes and
// checkpoints (the projections are checked by rebuilding them, projection_check.cc).

#include <algorithm>
#include <unordered_map>

#include "archive/archive_impl.h"
#include "archive/lmdb/keys.h"

namespace palimpsest {

namespace {

constexpr size_t kMaxProblems = 50;

}  // namespace

Result<VerifyReport> ArchiveImpl::VerifyLog() {
  PALIMPSEST_ASSIGN_OR_RETURN(ReadTxn r, BeginRead());
  lmdb::Txn& txn = r.txn;
  VerifyReport report;
  auto problem = [&](uint64_t seq, const std::string& what) {
    if (report.first_bad_seq == 0 || (seq != 0 && seq < report.first_bad_seq)) {
      report.first_bad_seq = seq;
    }
    if (report.problems.size() < kMaxProblems) {
      report.problems.push_back(seq == 0 ? what : "seq " + std::to_string(seq) + ": " + what);
    }
  };

  PALIMPSEST_ASSIGN_OR_RETURN(ChainHead recorded_head, ReadHead(txn));
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, events_));
  Digest running{};
  std::vector<uint64_t> broken_links;
  uint64_t expected_seq = 1;
  Timestamp last_recorded = kNoTime;
  std::unordered_map<std::string, uint64_t> versions;
  std::vector<std::pair<uint64_t, std::string>> unaccounted_withheld;  // seq, doc id
  for (bool ok = cursor.First(); ok; ok = cursor.Next()) {
    if (cursor.key().size() != 8) {
      problem(expected_seq, "malformed log key");
      continue;
    }
    const uint64_t seq = keys::ReadU64(cursor.key());
    if (seq != expected_seq) {
      problem(expected_seq, seq > expected_seq ? "event missing from the log (next is seq " +
                                                     std::to_string(seq) + ")"
                                               : "log out of order");
    }
    expected_seq = seq + 1;
    ++report.events_checked;
    auto decoded = DecodeEvent(cursor.value());
    if (!decoded.ok()) {
      problem(seq, decoded.status().message());
      running = EventHash(cursor.value());
      continue;
    }
    const Event& e = *decoded;
    // A withheld form (restored from an export of a redacted event) links by the hash of the
    // bytes it replaced; a later redaction of its document must account for it.
    const Digest hash = e.withheld_hash ? *e.withheld_hash : EventHash(cursor.value());
    if (e.withheld_hash) unaccounted_withheld.emplace_back(seq, e.doc_id);
    if (const auto* redaction = std::get_if<RedactedEvent>(&e.body)) {
      std::erase_if(unaccounted_withheld, [&](const std::pair<uint64_t, std::string>& w) {
        return w.second == e.doc_id && w.first >= redaction->target_seq;
      });
    }
    if (e.seq != seq) problem(seq, "event records seq " + std::to_string(e.seq));
    // Link `seq` joins seq-1 to seq; which event is to blame is decided after the scan.
    if (e.prev_hash != running) broken_links.push_back(seq);
    running = hash;
    if (last_recorded != kNoTime && e.recorded_at < last_recorded) {
      problem(seq, "recorded time goes backwards");
    }
    last_recorded = e.recorded_at;
    const uint64_t version = ++versions[e.doc_id];
    if (e.version != version) {
      problem(seq, "stream version " + std::to_string(e.version) + ", expected " +
                       std::to_string(version));
    }
    auto by_id = txn.Get(event_ids_,
                         std::string_view(reinterpret_cast<const char*>(e.id.data()), e.id.size()));
    if (!by_id.ok() || by_id->size() != 8 || keys::ReadU64(*by_id) != seq) {
      problem(seq, "event id index does not point at this event");
    }
    auto by_stream = txn.Get(stream_index_.dbi(), keys::DocKey(e.doc_id, e.version));
    if (!by_stream.ok() || by_stream->size() != 8 || keys::ReadU64(*by_stream) != seq) {
      problem(seq,
              "stream index (database streams) does not point at this event "
              "(`palimpsest replay` rebuilds it)");
    }
    for (const ContentRef& ref : ReferencedContent(e.body)) {
      ++report.contents_checked;
      auto content = contents_.Get(txn, ref.sha256, ContentStore::Access::kInternal);
      if (content.ok()) {
        if (content->size() != ref.size) problem(seq, "content size does not match its event");
      } else if (!content.status().IsRedacted()) {
        problem(seq, content.status().message());
      }
    }
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  for (const auto& [seq, doc] : unaccounted_withheld) {
    problem(seq, "event is withheld, but no later redaction of '" + doc + "' covers it");
  }
  report.head = {expected_seq - 1, running, last_recorded};
  const bool head_matches =
      recorded_head.seq == report.head.seq && recorded_head.hash == report.head.hash;
  // An event whose bytes changed breaks both of its links (its own prev_hash no longer matches,
  // or its hash no longer matches the next event's prev_hash); a single broken link means the
  // earlier event changed. The head record is the link after the last event.
  auto link_broken = [&](uint64_t link) {
    if (link == report.head.seq + 1) return !head_matches && recorded_head.seq == report.head.seq;
    return std::find(broken_links.begin(), broken_links.end(), link) != broken_links.end();
  };
  for (uint64_t link : broken_links) {
    const uint64_t blamed = link_broken(link + 1) ? link : link - 1;
    problem(blamed == 0 ? link : blamed, "hash chain broken between seq " +
                                             std::to_string(link - 1) + " and " +
                                             std::to_string(link));
  }
  if (!head_matches) {
    problem(recorded_head.seq == report.head.seq ? report.head.seq : 0,
            "chain head in meta (seq " + std::to_string(recorded_head.seq) + ", " +
                DigestToString(recorded_head.hash) + ") does not match the log (seq " +
                std::to_string(report.head.seq) + ", " + DigestToString(report.head.hash) + ")");
  }
  PALIMPSEST_ASSIGN_OR_RETURN(uint64_t ids, txn.Count(event_ids_));
  PALIMPSEST_ASSIGN_OR_RETURN(uint64_t streams, txn.Count(stream_index_.dbi()));
  if (ids != report.events_checked)
    problem(0, "event id index has " + std::to_string(ids) + " entries for " +
                   std::to_string(report.events_checked) + " events");
  if (streams != report.events_checked)
    problem(0, "stream index has " + std::to_string(streams) + " entries for " +
                   std::to_string(report.events_checked) + " events");
  for (Projection* p : projections()) {
    auto checkpoint = txn.Get(meta_, std::string("checkpoint/") + p->name());
    uint64_t at = checkpoint.ok() && checkpoint->size() == 8 ? keys::ReadU64(*checkpoint) : 0;
    if (at != report.head.seq) {
      problem(0, std::string("projection ") + p->name() + " is at seq " + std::to_string(at) +
                     ", the log at " + std::to_string(report.head.seq) +
                     " (`palimpsest replay` rebuilds it)");
    }
  }
  // Asynchronous projections may lag, never lead.
  for (Projection* p : async_projections()) {
    auto checkpoint = txn.Get(meta_, std::string("checkpoint/") + p->name());
    uint64_t at = checkpoint.ok() && checkpoint->size() == 8 ? keys::ReadU64(*checkpoint) : 0;
    if (at > report.head.seq) {
      problem(0, std::string("projection ") + p->name() + " is at seq " + std::to_string(at) +
                     ", beyond the log's " + std::to_string(report.head.seq));
    }
  }
  return report;
}

}  // namespace palimpsest
