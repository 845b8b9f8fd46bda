// The read side of `palimpsest import`: one Importer walks the input files in order, turns
// each record (a text or HTML file, a JSON Lines line, a WARC record) into an event, and hands
// it to the ImportBatcher (import_pipeline.h), counting what became of every record. The text,
// HTML and JSON Lines readers live in importer.cc, the WARC reader in warc_import.cc.
//
// WARC `revisit` records: a revisit is recorded as an `observed` event (an unchanged
// observation) of the capture it refers to: one imported earlier in the same run (matched by
// WARC-Refers-To record id or by WARC-Payload-Digest, for the same document), else a stored
// capture of the same document whose bytes have the revisit's payload digest (a crawl
// imported by an earlier run). A revisit of nothing the archive holds is counted as skipped.
//
// A WARC response with an error status (4xx, 5xx) is an error page served at the address:
// captured with an `http_status` field, so that the archive records it as a check of a
// document it holds and counts it as a page that is not an article otherwise.
//
// WARC redirect responses (301, 302, 303, 307, 308 with a Location) are recorded as `redirected`
// events in the stream of the address that redirected, the target resolved against it; a 3xx
// without a usable Location is skipped with a warning line.
//
// Thread safety: one Importer per import, used from one thread.

#ifndef PALIMPSEST_CLI_IMPORT_IMPORTER_H_
#define PALIMPSEST_CLI_IMPORT_IMPORTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli/cli_context.h"
#include "cli/import/import_pipeline.h"
#include "cli/progress.h"
#include "palimpsest/archive.h"
#include "palimpsest/input_stream.h"
#include "palimpsest/warc_reader.h"

namespace palimpsest::cli {

struct ImportFlags {
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string source;
  size_t batch = 500;
  bool dry_run = false;
  bool strict = false;
  bool json = false;
  bool verbose = false;
  std::string progress = "auto";
};

enum class Format { kText, kHtml, kJsonl, kWarc };

struct InputFile {
  std::string path;  // "-" for standard input
  Format format;
};

class Importer {
 public:
  // `ctx`, `flags`, `archive` (null for a dry run) and `progress` must outlive the importer.
  Importer(const CliContext& ctx, const ImportFlags& flags, Archive* archive, Progress& progress);

  // Calls `after_commit` after each batch the archive committed.
  void AfterEachCommit(std::function<void()> after_commit) {
    batcher_.set_after_commit(std::move(after_commit));
  }

  // Imports every file; a non-OK Status is fatal (storage).
  Status Run(const std::vector<InputFile>& files);

  const ImportCounts& counts() const { return counts_; }

 private:
  struct WarcCapture {
    std::string record_id;
    std::string payload_digest;
    ContentRef raw;
  };

  // ---- the run (importer.cc)
  Status ImportFile(const InputFile& file);
  void TrackBytes();  // counts_.bytes from the current stream's position
  void Tick();        // TrackBytes and a progress update
  // Damaged gzip members the stream passed over (it resumes at the next member): each is a
  // failed record, named by the compressed byte range skipped.
  void ReportSkippedInput(const std::string& name, InputStream& in);
  // A failing stream (damaged compression, read error) ends its file as one failed record.
  void StreamFailed(const std::string& where, const Status& status);
  // A capture event of `raw` (its bytes travel with the request), the id derived as `ingest`
  // derives it, plus the importer's fields when there are any.
  PendingRecord Capture(std::string where, const std::string& doc_id, std::string raw,
                        std::string media_type, const std::string& url, Timestamp captured_at,
                        Timestamp effective_at, const std::string& source,
                        std::vector<Field> fields);
  // A page with invalid bytes, or HTML over the parser's limits, is recorded whole
  // (CaptureWarnings in extractor.h); the user is told.
  void WarnAboutCapture(const std::string& where, const std::string& raw,
                        const std::string& media_type);
  // One warning line, "WHERE: warning: WHAT", counted: the record is still recorded.
  void Warn(const std::string& where, const std::string& what);

  // ---- text and HTML files: one capture each, like `ingest` (importer.cc)
  Status ImportPage(const InputFile& file, const std::string& name, InputStream& in);

  // ---- JSON Lines (importer.cc)
  Status ImportJsonl(const std::string& name, InputStream& in);
  Status JsonlRecord(const std::string& where, const std::string& text);

  // ---- WARC (warc_import.cc)
  Status ImportWarc(const std::string& name, InputStream& in);
  Status WarcRecordIn(const std::string& where, const WarcRecord& record);
  // A `response` or `resource` record: a capture, an error page or a redirect.
  Status Response(const std::string& where, const WarcRecord& record, const std::string& doc_id,
                  const std::string& uri, Timestamp date);
  // 301, 302, 303, 307, 308: the statuses whose Location names where the page is now.
  static bool IsRedirect(int http_status);
  Status Redirect(const std::string& where, const std::string& doc_id, const std::string& uri,
                  Timestamp date, const WarcPayload& payload);
  // Queues an event that brings no content of its own (an observation, a redirect).
  Status AddEvent(const std::string& where, const std::string& doc_id, const EventId& id,
                  Timestamp effective_at, EventBody body);
  // The capture a revisit of `uri` saw again: one of this run, else one the archive stores in
  // the document that owns the address (URL identity), else in `doc_id`'s.
  Result<std::optional<ContentRef>> RevisitedCapture(const WarcRecord& record,
                                                     const std::string& doc_id,
                                                     const std::string& uri);
  Status Revisit(const std::string& where, const WarcRecord& record, const std::string& doc_id,
                 const std::string& uri, Timestamp date);

  const CliContext& ctx_;
  const ImportFlags& flags_;
  Archive* const archive_;  // null in a dry run
  Progress& progress_;
  const Timestamp start_time_;
  const std::string actor_;
  const std::string correlation_id_;
  ImportCounts counts_;
  ImportBatcher batcher_;
  InputStream* stream_ = nullptr;
  uint64_t file_bytes_before_ = 0;
  // Per document, the last WARC capture of this run (for revisits).
  std::unordered_map<std::string, WarcCapture> warc_captures_;
};

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_IMPORT_IMPORTER_H_
