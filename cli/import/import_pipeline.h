// The write side of `palimpsest import`: records are gathered into batches, each committed in
// one write transaction through a CommitQueue (palimpsest/commit_queue.h) while the next batch
// is read, and each record's outcome is counted.
//
// One bad record never aborts an import. A record that fails for its own reason (bad input,
// an extraction error in the projection, an observation of an unknown document) is left out
// by its nested transaction and reported as "WHERE: reason" on standard error; every other
// record goes in, in input order. A storage failure (disk full, lock lost, corruption) is not
// a record's fault: it stops the import.
//
// Outcomes are counted from what each append reported (AppendResult): "created" (revision 1)
// or a revision (a correction when its kind is correction, clarification or editorial); a
// redirect is counted as one; any other new event is "unchanged"; a record already in the
// archive is a duplicate.

#ifndef PALIMPSEST_CLI_IMPORT_IMPORT_PIPELINE_H_
#define PALIMPSEST_CLI_IMPORT_IMPORT_PIPELINE_H_

#include <cstdint>
#include <functional>
#include <future>
#include <iosfwd>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "palimpsest/archive.h"
#include "palimpsest/commit_queue.h"

namespace palimpsest::cli {

struct ImportCounts {
  uint64_t records = 0;  // every record read, whatever became of it
  uint64_t documents_created = 0;
  uint64_t revisions = 0;  // new revisions of existing documents (corrections included)
  uint64_t corrections = 0;
  uint64_t merged = 0;      // redirects that showed two documents to be one: merged
  uint64_t backfilled = 0;  // of those, revisions older than one recorded before (backfill)
  uint64_t unchanged = 0;
  uint64_t duplicates = 0;  // already in the archive: nothing written
  uint64_t redirects = 0;   // WARC redirect responses, recorded as `redirected` events
  uint64_t failed = 0;
  uint64_t skipped = 0;       // not article content (WARC requests, images, 404s, …)
  uint64_t not_articles = 0;  // pages that are not articles (StatusDetail::kNotAnArticle) of
                              // documents the archive does not hold: nothing recorded
  uint64_t warnings = 0;      // recorded records with something left out or cut (one per line)
  uint64_t bytes = 0;         // input bytes read (as stored: compressed files count compressed)
};

// One record ready to append.
struct PendingRecord {
  std::string where;  // "FILE:LINE" or "FILE@OFFSET", for error lines
  AppendRequest request;
};

class ImportBatcher {
 public:
  // `archive` null means a dry run: records are validated and counted, nothing is written.
  // `report` prints one failure line ("WHERE: reason"); `on_failed` (optional) learns the doc
  // id of each record that failed to append.
  ImportBatcher(Archive* archive, size_t max_records, uint64_t max_bytes, ImportCounts& counts,
                std::function<void(const std::string&)> report,
                std::function<void(const std::string& doc_id)> on_failed = {});

  // Queues a record; submits the batch when it is full. A non-OK Status is fatal (storage).
  Status Add(PendingRecord record);
  // Submits whatever is queued, after the batch in flight has been committed and counted.
  Status Flush();
  // Waits for the batch in flight and counts it: afterwards the archive holds every record
  // submitted so far. A non-OK Status is fatal (storage).
  Status Settle();

  // Reports a record that failed before it could be queued and counts it.
  void Fail(const std::string& where, const std::string& reason);
  // A record that cannot be recorded: a page that is not an article is counted under
  // not_articles (and reported only when `verbose`), anything else fails as Fail does.
  void Reject(const std::string& where, const Status& status);
  void set_verbose(bool verbose) { verbose_ = verbose; }
  // Called after each batch the archive committed.
  void set_after_commit(std::function<void()> after_commit) {
    after_commit_ = std::move(after_commit);
  }

 private:
  // Counts an appended record by what its append reported.
  void Count(const PendingRecord& record, const AppendResult& result);
  // A record the archive rejected: reported and counted failed — except a revisit (an
  // observation) of a capture that failed in this run, which is counted skipped.
  void RecordFailed(const PendingRecord& record, const Status& status);

  Archive* archive_;
  std::unique_ptr<CommitQueue> queue_;  // null in a dry run
  // The batch being committed: its records (for reporting) and its outcome.
  std::vector<PendingRecord> in_flight_;
  std::future<Result<std::vector<Result<AppendResult>>>> in_flight_results_;
  size_t max_records_;
  uint64_t max_bytes_;
  ImportCounts& counts_;
  std::function<void(const std::string&)> report_;
  std::function<void(const std::string&)> on_failed_;
  std::function<void()> after_commit_;
  bool verbose_ = false;
  std::vector<PendingRecord> pending_;
  uint64_t pending_bytes_ = 0;
  std::unordered_set<std::string> failed_captures_;  // CaptureKey of captures that failed
};

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_IMPORT_IMPORT_PIPELINE_H_
