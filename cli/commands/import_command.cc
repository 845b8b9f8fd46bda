// palimpsest import PATH... [--format auto|text|html|jsonl|warc] [--source NAME] [--batch N]
//                            [--dry-run] [--json] [--progress auto|always|never]
//
// Bulk import of captures from text and HTML files, JSON Lines and WARC files (each possibly
// .gz or .zst), directories (recursively, in sorted order) or standard input. Records are
// appended in input order, many per write transaction (import_pipeline.h); a bad record is
// reported as "FILE:LINE: reason" (or "FILE@OFFSET: reason" for WARC) and the rest go in;
// exit 6 when any record failed.
//
// Re-running an import adds nothing: every event id is derived from the document, the SHA-256
// of the raw bytes, the capture time, the source and the importer's fields (DeriveEventId), and
// an id already in the log is a no-op. So a killed import, run again, ends with the archive an
// uninterrupted one gives. Choices that keep that true:
//  - a text or HTML file's capture time is its modification time (whole seconds), not "now";
//  - a JSON Lines record without `captured_at` is captured at the import's start time, so such
//    records are NOT idempotent across runs (README: give captured_at).
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
// WARC redirect responses (301, 302, 303, 307, 308 with a Location) are recorded as `redirected` events in the
// stream of the address that redirected, the target resolved against it; a 3xx without a
// usable Location is skipped with a warning line.

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <ostream>
#include <unordered_map>

#include "cli/cli_context.h"
#include "cli/import/import_pipeline.h"
#include "cli/import/warc_references.h"
#include "cli/progress.h"
#include "cli/write_outcome.h"
#include "palimpsest/article.h"
#include "palimpsest/doc_id.h"
#include "palimpsest/extractor.h"
#include "palimpsest/input_stream.h"
#include "palimpsest/jsonl_reader.h"
#include "palimpsest/warc_reader.h"

namespace palimpsest::cli {

namespace {

constexpr uint64_t kMaxBatchBytes = uint64_t{64} << 20;
constexpr uint64_t kMaxFileRecordBytes = uint64_t{64} << 20;  // one text or HTML file

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

bool FormatFromName(const std::string& name, Format* format) {
  if (name == "text")
    *format = Format::kText;
  else if (name == "html")
    *format = Format::kHtml;
  else if (name == "jsonl")
    *format = Format::kJsonl;
  else if (name == "warc")
    *format = Format::kWarc;
  else
    return false;
  return true;
}

// By extension, after a .gz / .zst suffix is removed.
bool FormatFromPath(const std::string& path, Format* format) {
  std::string name(StripCompressionSuffix(path));
  const size_t dot = name.rfind('.');
  const size_t slash = name.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return false;
  std::string ext = name.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext == "txt" || ext == "text")
    *format = Format::kText;
  else if (ext == "html" || ext == "htm")
    *format = Format::kHtml;
  else if (ext == "jsonl" || ext == "ndjson")
    *format = Format::kJsonl;
  else if (ext == "warc")
    *format = Format::kWarc;
  else
    return false;
  return true;
}

// Expands PATH arguments: directories recursively (sorted; hidden entries and files of no
// known format skipped unless --format names one). Errors are usage errors (exit 1) and come
// before anything is written.
Result<std::vector<InputFile>> ExpandPaths(const ImportFlags& flags) {
  std::optional<Format> forced;
  if (flags.format != "auto") {
    Format f;
    if (!FormatFromName(flags.format, &f)) {
      return Status::InvalidArgument("--format must be auto, text, html, jsonl or warc");
    }
    forced = f;
  }
  std::vector<InputFile> files;
  namespace fs = std::filesystem;
  for (const std::string& path : flags.paths) {
    if (path == "-") {
      if (!forced)
        return Status::InvalidArgument("standard input (-) needs --format jsonl or warc");
      if (*forced != Format::kJsonl && *forced != Format::kWarc) {
        return Status::InvalidArgument(
            "standard input (-) can be imported as jsonl or warc; use `ingest -` for one page");
      }
      files.push_back({path, *forced});
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st))
      return Status::InvalidArgument("cannot read " + path + ": no such file or directory");
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      fs::recursive_directory_iterator it(path, fs::directory_options::follow_directory_symlink,
                                          ec);
      if (ec) return Status::InvalidArgument("cannot read directory " + path + ": " + ec.message());
      for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec)
          return Status::InvalidArgument("cannot read directory " + path + ": " + ec.message());
        const std::string name = it->path().filename().string();
        if (!name.empty() && name[0] == '.') {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file()) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      for (const std::string& f : found) {
        Format format;
        if (forced) {
          files.push_back({f, *forced});
        } else if (FormatFromPath(f, &format)) {
          files.push_back({f, format});
        }
      }
      continue;
    }
    Format format;
    if (forced) {
      files.push_back({path, *forced});
    } else if (FormatFromPath(path, &format)) {
      files.push_back({path, format});
    } else {
      return Status::InvalidArgument("cannot tell the format of " + path +
                                     " from its name; use --format text|html|jsonl|warc");
    }
  }
  return files;
}

class Importer {
 public:
  Importer(const CliContext& ctx, const ImportFlags& flags, Archive* archive, Progress& progress)
      : ctx_(ctx),
        flags_(flags),
        archive_(archive),
        progress_(progress),
        start_time_(Now()),
        actor_(CliActor()),
        correlation_id_(NewCorrelationId()),
        batcher_(
            archive, flags.batch, kMaxBatchBytes, counts_,
            [this](const std::string& line) {
              progress_.Clear();
              *ctx_.err << line << "\n";
            },
            [this](const std::string& doc_id) { warc_captures_.erase(doc_id); }) {
    batcher_.set_verbose(flags.verbose);
  }

  // Imports every file; a non-OK Status is fatal (storage).
  Status Run(const std::vector<InputFile>& files) {
    for (const InputFile& file : files) {
      PALIMPSEST_RETURN_IF_ERROR(ImportFile(file));
    }
    PALIMPSEST_RETURN_IF_ERROR(batcher_.Flush());
    progress_.Finish(counts_.records, counts_.bytes);
    return Status::OK();
  }

  const ImportCounts& counts() const { return counts_; }

 private:
  Status ImportFile(const InputFile& file) {
    const std::string name = file.path == "-" ? "stdin" : file.path;
    Result<std::unique_ptr<InputStream>> opened = file.path == "-"
                                                      ? InputStream::OpenIstream(*ctx_.in, name)
                                                      : InputStream::OpenFile(file.path);
    if (!opened.ok()) {
      ++counts_.records;
      batcher_.Fail(name, opened.status().message());
      return Status::OK();
    }
    InputStream& in = **opened;
    stream_ = &in;
    file_bytes_before_ = counts_.bytes;
    Status s;
    switch (file.format) {
      case Format::kText:
      case Format::kHtml:
        s = ImportPage(file, name, in);
        break;
      case Format::kJsonl:
        s = ImportJsonl(name, in);
        break;
      case Format::kWarc:
        s = ImportWarc(name, in);
        break;
    }
    TrackBytes();
    stream_ = nullptr;
    return s;
  }

  void TrackBytes() {
    if (stream_) counts_.bytes = file_bytes_before_ + stream_->source_bytes();
  }

  void Tick() {
    TrackBytes();
    progress_.Update(counts_.records, counts_.bytes);
  }

  // Damaged gzip members the stream passed over (it resumes at the next member): each is a
  // failed record, named by the compressed byte range skipped.
  void ReportSkippedInput(const std::string& name, InputStream& in) {
    for (const SkippedInput& s : in.TakeSkipped()) {
      ++counts_.records;
      batcher_.Fail(
          name + "@" + std::to_string(s.position),
          "damaged gzip data (" + s.reason + "): compressed bytes " + std::to_string(s.begin) +
              "-" + std::to_string(s.end) + " skipped" +
              (s.end < in.source_bytes() ? ", reading resumed at the next gzip member" : ""));
    }
  }

  // A failing stream (damaged compression, read error) ends its file as one failed record.
  void StreamFailed(const std::string& where, const Status& status) {
    ++counts_.records;
    batcher_.Fail(where, status.message());
  }

  PendingRecord Capture(std::string where, const std::string& doc_id, std::string raw,
                        std::string media_type, const std::string& url, Timestamp captured_at,
                        Timestamp effective_at, const std::string& source,
                        std::vector<Field> fields) {
    CapturedEvent captured;
    captured.raw = {Sha256(raw), raw.size()};
    captured.media_type = std::move(media_type);
    captured.url = url;
    captured.captured_at = captured_at;
    captured.source = source;
    const std::string fields_key = FieldsDigest(fields);
    captured.fields = std::move(fields);
    PendingRecord record;
    record.where = std::move(where);
    Event& event = record.request.event;
    // As `ingest` derives it (same document, bytes, time and source → same id), plus the
    // importer's fields when there are any.
    const std::string time = std::to_string(captured_at);
    event.id = fields_key.empty()
                   ? DeriveEventId({"captured", doc_id, AsBytes(captured.raw.sha256), time, source})
                   : DeriveEventId({"captured", doc_id, AsBytes(captured.raw.sha256), time, source,
                                    fields_key});
    event.doc_id = doc_id;
    event.effective_at = effective_at == kNoTime ? captured_at : effective_at;
    event.actor = actor_;
    event.correlation_id = correlation_id_;
    event.body = std::move(captured);
    record.request.contents.push_back(std::move(raw));
    return record;
  }

  // ---- text and HTML files: one capture each, like `ingest`.
  Status ImportPage(const InputFile& file, const std::string& name, InputStream& in) {
    ++counts_.records;
    std::string raw;
    char buf[64 * 1024];
    for (;;) {
      auto got = in.Read(buf, sizeof(buf));
      if (!got.ok()) {
        batcher_.Fail(name, got.status().message());
        return Status::OK();
      }
      if (*got == 0) break;
      raw.append(buf, *got);
      if (raw.size() > kMaxFileRecordBytes) {
        batcher_.Fail(
            name, "larger than " + std::to_string(kMaxFileRecordBytes >> 20) + " MB; not imported");
        return Status::OK();
      }
    }
    Tick();
    if (!in.TakeSkipped().empty()) {
      batcher_.Fail(name, "damaged gzip data; the page is incomplete and not imported");
      return Status::OK();
    }
    if (file.path == "-") {
      batcher_.Fail(name, "a page needs a file name for its document id");
      return Status::OK();
    }
    const std::string doc_id = DocIdFromFileName(file.path);
    if (Status s = ValidateDocId(doc_id); !s.ok()) {
      batcher_.Fail(name, s.message());
      return Status::OK();
    }
    if (raw.empty()) {
      batcher_.Fail(name, "empty file");
      return Status::OK();
    }
    // The file's modification time (whole seconds): re-importing an unchanged file is a no-op.
    Timestamp captured_at = start_time_ / kMicrosPerSecond * kMicrosPerSecond;
    struct stat st {};
    if (::stat(file.path.c_str(), &st) == 0) {
      captured_at = static_cast<Timestamp>(st.st_mtime) * kMicrosPerSecond;
    }
    std::string media_type;
    if (file.format == Format::kText) {
      media_type = "text/plain";
      if (flags_.dry_run) {
        if (auto content = ExtractPlainText(raw, captured_at); !content.ok()) {
          batcher_.Reject(name, content.status());
          return Status::OK();
        }
      }
    } else {
      media_type = "text/html";
    }
    WarnAboutCapture(name, raw, media_type);
    return batcher_.Add(Capture(name, doc_id, std::move(raw), std::move(media_type), "",
                                captured_at, kNoTime, flags_.source, {}));
  }

  // A page with invalid bytes, or HTML over the parser's limits, is recorded whole
  // (CaptureWarnings in extractor.h); the user is told.
  void WarnAboutCapture(const std::string& where, const std::string& raw,
                        const std::string& media_type) {
    for (const std::string& warning : CaptureWarnings(raw, media_type)) Warn(where, warning);
  }

  // One warning line, "WHERE: warning: WHAT", counted: the record is still recorded.
  void Warn(const std::string& where, const std::string& what) {
    ++counts_.warnings;
    progress_.Clear();
    *ctx_.err << where << ": warning: " << what << "\n";
  }

  // ---- JSON Lines.
  Status ImportJsonl(const std::string& name, InputStream& in) {
    JsonlReader reader(in);
    JsonlLine line;
    for (;;) {
      auto more = reader.Next(&line);
      ReportSkippedInput(name, in);
      if (!more.ok()) {
        StreamFailed(name + ":" + std::to_string(line.number + 1), more.status());
        return Status::OK();
      }
      if (!*more) return Status::OK();
      ++counts_.records;
      const std::string where = name + ":" + std::to_string(line.number);
      if (line.too_long) {
        batcher_.Fail(where,
                      "line of " + std::to_string(line.length) + " bytes is longer than the " +
                          std::to_string(kDefaultMaxJsonlLineBytes >> 20) + " MB limit; skipped");
      } else {
        PALIMPSEST_RETURN_IF_ERROR(JsonlRecord(where, line.text));
      }
      Tick();
    }
  }

  Status JsonlRecord(const std::string& where, const std::string& text) {
    JsonlOptions options;
    options.strict_times = flags_.strict;
    auto parsed = ParseJsonlArticle(text, options);
    if (!parsed.ok()) {
      batcher_.Fail(where, parsed.status().message());
      return Status::OK();
    }
    for (const std::string& warning : parsed->warnings) Warn(where, warning);
    const std::string record_source = parsed->source, record_url = parsed->url;
    const Timestamp record_effective_at = parsed->effective_at;
    auto capture = CaptureFromRecord(std::move(parsed).value(), start_time_);
    if (!capture.ok()) {
      batcher_.Fail(where, capture.status().message());
      return Status::OK();
    }
    RecordCapture& c = *capture;
    if (flags_.dry_run) {
      // What the archive would reject, a dry run reports: extraction failures included.
      if (auto content = ExtractCapture(c.raw, c.media_type, c.captured_at, c.fields);
          !content.ok()) {
        batcher_.Reject(where, content.status());
        return Status::OK();
      }
    }
    WarnAboutCapture(where, c.raw, c.media_type);
    const std::string source = record_source.empty() ? flags_.source : record_source;
    return batcher_.Add(Capture(where, c.doc_id, std::move(c.raw), std::move(c.media_type),
                                record_url, c.captured_at, record_effective_at, source,
                                std::move(c.fields)));
  }

  // ---- WARC.
  struct WarcCapture {
    std::string record_id;
    std::string payload_digest;
    ContentRef raw;
  };

  Status ImportWarc(const std::string& name, InputStream& in) {
    WarcReader reader(in);
    WarcRecord record;
    std::string problem;
    for (;;) {
      auto next = reader.Next(&record, &problem);
      if (!next.ok()) {
        StreamFailed(name + "@" + std::to_string(in.position()), next.status());
        return Status::OK();
      }
      ReportSkippedInput(name, in);
      if (*next == WarcNext::kEnd) return Status::OK();
      ++counts_.records;
      const std::string where = name + "@" + std::to_string(record.offset);
      if (*next == WarcNext::kMalformed) {
        batcher_.Fail(where, problem);
      } else if (*next == WarcNext::kSkipped) {
        ++counts_.skipped;  // over the size limit: not an article page
        progress_.Clear();
        *ctx_.err << where << ": " << problem << "\n";
      } else {
        PALIMPSEST_RETURN_IF_ERROR(WarcRecordIn(where, record));
      }
      Tick();
    }
  }

  Status WarcRecordIn(const std::string& where, const WarcRecord& record) {
    const std::string type = record.type();
    if (type != "response" && type != "resource" && type != "revisit") {
      ++counts_.skipped;  // warcinfo, request, metadata, conversion, continuation
      return Status::OK();
    }
    const std::string uri = record.target_uri();
    const std::string scheme = uri.substr(0, uri.find(':'));
    if (scheme != "http" && scheme != "https") {
      ++counts_.skipped;  // e.g. wget's metadata://… log and manifest resources
      return Status::OK();
    }
    const std::string doc_id = DocIdFromUrl(uri);
    if (doc_id.empty() || !ValidateDocId(doc_id).ok()) {
      batcher_.Fail(where, "cannot derive a document id from WARC-Target-URI '" + uri + "'");
      return Status::OK();
    }
    auto date = ParseTimestamp(record.Header("WARC-Date"));
    if (!date.ok()) {
      batcher_.Fail(where, "WARC-Date: " + date.status().message());
      return Status::OK();
    }
    if (type == "revisit") {
      // A redirect seen again is a redirect; a revisit of a page names the capture it saw.
      auto head = ExtractWarcPayload(record);
      if (head.ok() && IsRedirect(head->http_status)) {
        return Redirect(where, doc_id, uri, *date, *head);
      }
      return Revisit(where, record, doc_id, uri, *date);
    }

    auto payload = ExtractWarcPayload(record);
    if (!payload.ok()) {
      batcher_.Fail(where, payload.status().message());
      return Status::OK();
    }
    const int http_status = payload->http_status;
    if (IsRedirect(http_status)) return Redirect(where, doc_id, uri, *date, *payload);
    std::vector<Field> fields;
    if (http_status >= 400) {
      // An error page: recorded as a check when the archive holds the document, else counted
      // as a page that is not an article (ExtractCapture reads the status).
      fields.push_back({"http_status", std::to_string(http_status)});
    } else if (http_status != 0 && (http_status < 200 || http_status > 299)) {
      ++counts_.skipped;  // 1xx, 304 Not Modified and the like: no page
      return Status::OK();
    }
    const std::string bare = BareMediaType(payload->content_type);
    std::string media_type;
    if (bare == "text/plain") {
      // With its charset parameter, if any: the text extractor reads it.
      media_type = payload->content_type;
    } else if (bare == "text/html" || bare == "application/xhtml+xml") {
      // As received: the HTML extractor reads the charset parameter.
      media_type = payload->content_type;
    } else {
      ++counts_.skipped;  // images, scripts, style sheets, …
      return Status::OK();
    }
    if (payload->body.empty()) {
      batcher_.Fail(where, "empty payload");
      return Status::OK();
    }
    WarnAboutCapture(where, payload->body, media_type);
    if (flags_.dry_run && media_type == "text/plain") {
      if (auto content = ExtractCapture(payload->body, media_type, *date, fields); !content.ok()) {
        batcher_.Reject(where, content.status());
        return Status::OK();
      }
    }
    PendingRecord pending = Capture(where, doc_id, std::move(payload->body), std::move(media_type),
                                    uri, *date, kNoTime, flags_.source, std::move(fields));
    if (warc_captures_.size() > 1'000'000) warc_captures_.clear();  // bounded memory
    warc_captures_[doc_id] = {record.Header("WARC-Record-ID"), record.Header("WARC-Payload-Digest"),
                              std::get<CapturedEvent>(pending.request.event.body).raw};
    return batcher_.Add(std::move(pending));
  }

  static bool IsRedirect(int http_status) {
    return http_status == 301 || http_status == 302 || http_status == 303 || http_status == 307 ||
           http_status == 308;
  }

  Status Redirect(const std::string& where, const std::string& doc_id, const std::string& uri,
                  Timestamp date, const WarcPayload& payload) {
    RedirectedEvent redirected;
    redirected.target = ResolveRedirectTarget(uri, payload.location);
    if (redirected.target.empty()) {
      ++counts_.skipped;
      Warn(where, "HTTP " + std::to_string(payload.http_status) +
                      (payload.location.empty() ? " without a Location"
                                                : " to an unusable Location '" +
                                                      payload.location.substr(0, 200) + "'") +
                      " (skipped)");
      return Status::OK();
    }
    redirected.url = uri;
    redirected.status = static_cast<uint16_t>(payload.http_status);
    redirected.captured_at = date;
    redirected.source = flags_.source;
    const EventId id = DeriveEventId(
        {"redirected", doc_id, redirected.target, std::to_string(date), flags_.source});
    return AddEvent(where, doc_id, id, date, std::move(redirected));
  }

  // Queues an event that brings no content of its own (an observation, a redirect).
  Status AddEvent(const std::string& where, const std::string& doc_id, const EventId& id,
                  Timestamp effective_at, EventBody body) {
    PendingRecord pending;
    pending.where = where;
    Event& event = pending.request.event;
    event.id = id;
    event.doc_id = doc_id;
    event.effective_at = effective_at;
    event.actor = actor_;
    event.correlation_id = correlation_id_;
    event.body = std::move(body);
    return batcher_.Add(std::move(pending));
  }

  // The capture a revisit saw again: one of this run, else one the archive stores.
  Result<std::optional<ContentRef>> RevisitedCapture(const WarcRecord& record,
                                                     const std::string& doc_id) {
    auto it = warc_captures_.find(doc_id);
    const std::string refers_to = record.Header("WARC-Refers-To");
    const std::string digest = record.Header("WARC-Payload-Digest");
    if (it != warc_captures_.end() && ((!refers_to.empty() && refers_to == it->second.record_id) ||
                                       (!digest.empty() && digest == it->second.payload_digest))) {
      return std::optional<ContentRef>(it->second.raw);
    }
    if (archive_ == nullptr || digest.empty()) return std::optional<ContentRef>();
    return FindRevisitedCapture(*archive_, doc_id, digest);
  }

  Status Revisit(const std::string& where, const WarcRecord& record, const std::string& doc_id,
                 const std::string& uri, Timestamp date) {
    PALIMPSEST_ASSIGN_OR_RETURN(std::optional<ContentRef> raw, RevisitedCapture(record, doc_id));
    if (!raw) {
      ++counts_.skipped;  // refers to a capture the archive does not hold
      return Status::OK();
    }
    ObservedEvent observed;
    observed.raw = *raw;
    observed.captured_at = date;
    observed.url = uri;
    observed.source = flags_.source;
    const EventId id = DeriveEventId(
        {"observed", doc_id, AsBytes(observed.raw.sha256), std::to_string(date), flags_.source});
    return AddEvent(where, doc_id, id, date, std::move(observed));
  }

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

void PrintSummary(const CliContext& ctx, const ImportCounts& c, double seconds, bool json,
                  bool dry_run) {
  if (json) {
    ctx.PrintJson(boost::json::object{{"records", c.records},
                                      {"documents_created", c.documents_created},
                                      {"revisions", c.revisions},
                                      {"unchanged", c.unchanged},
                                      {"corrections", c.corrections},
                                      {"duplicates", c.duplicates},
                                      {"redirects", c.redirects},
                                      {"failed", c.failed},
                                      {"skipped", c.skipped},
                                      {"not_articles", c.not_articles},
                                      {"warnings", c.warnings},
                                      {"seconds", seconds},
                                      {"bytes", c.bytes}});
    return;
  }
  char secs[32];
  std::snprintf(secs, sizeof(secs), "%.2f", seconds);
  if (dry_run) {
    *ctx.out << "dry run: " << c.records << " records read, " << c.failed << " would fail, "
             << c.skipped << " skipped, " << c.not_articles << " not articles; nothing written ("
             << c.bytes << " bytes in " << secs << " s)\n";
    return;
  }
  *ctx.out << c.records << " records: " << c.documents_created << " documents created, "
           << c.revisions << " revisions (" << c.corrections << " corrections), " << c.unchanged
           << " unchanged, " << c.duplicates << " already recorded, " << c.failed << " failed, "
           << c.skipped << " skipped";
  if (c.redirects != 0) *ctx.out << ", " << c.redirects << " redirects";
  if (c.not_articles != 0) *ctx.out << ", " << c.not_articles << " not articles";
  if (c.warnings != 0) *ctx.out << ", " << c.warnings << " warnings";
  *ctx.out << " (" << c.bytes << " bytes in " << secs << " s)\n";
}

int RunImport(const CliContext& ctx, const ImportFlags& flags) {
  const auto started = std::chrono::steady_clock::now();
  ProgressMode mode;
  if (!ParseProgressMode(flags.progress, &mode)) {
    return ctx.Fail(Status::InvalidArgument("--progress must be auto, always or never"));
  }
  auto files = ExpandPaths(flags);
  if (!files.ok()) return ctx.Fail(files.status());

  std::unique_ptr<Archive> archive;
  if (!flags.dry_run) {
    auto opened = ctx.OpenArchive(OpenMode::kReadWrite, Durability::kSync);
    if (!opened.ok()) return ctx.Fail(opened.status());
    archive = std::move(opened).value();
  }

  Progress progress(*ctx.err, mode, ::isatty(STDERR_FILENO) == 1);
  std::optional<uint64_t> total = 0;
  for (const InputFile& f : *files) {
    struct stat st {};
    if (f.path == "-" || ::stat(f.path.c_str(), &st) != 0) {
      total.reset();
      break;
    }
    *total += static_cast<uint64_t>(st.st_size);
  }
  progress.SetTotalBytes(total);

  Importer importer(ctx, flags, archive.get(), progress);
  Status status = importer.Run(*files);
  // Change summaries and the search index follow the imported events; the reported time
  // includes that work, since the import is not done before it is.
  if (status.ok() && archive != nullptr) CatchUpAfterWrite(ctx, *archive);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  progress.Clear();
  PrintSummary(ctx, importer.counts(), seconds, flags.json, flags.dry_run);
  if (!status.ok()) return ctx.Fail(status);
  const ImportCounts& c = importer.counts();
  if (c.failed > 0) {
    *ctx.err << "palimpsest: " << c.failed << " of " << c.records << " records failed\n";
    return static_cast<int>(StatusCode::kPartial);
  }
  return 0;
}

}  // namespace

void RegisterImportCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<ImportFlags>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Bulk import of text, HTML, JSON Lines and WARC files (.gz/.zst too), directories or -");
  cmd->add_option("paths", flags->paths, "Files, directories (recursive) or - for standard input")
      ->required();
  cmd->add_option("--format", flags->format, "auto (by file extension), text, html, jsonl or warc")
      ->check(CLI::IsMember({"auto", "text", "html", "jsonl", "warc"}));
  cmd->add_option("--source", flags->source, "The outlet (a JSON Lines record's `source` wins)");
  cmd->add_option("--batch", flags->batch, "Records per write transaction (default 500)")
      ->check(CLI::Range(1, 1'000'000));
  cmd->add_flag("--dry-run", flags->dry_run, "Read and validate everything, write nothing");
  cmd->add_flag("--strict", flags->strict,
                "Times in JSON Lines fields must be RFC 3339 or dates; others fail the record");
  cmd->add_flag("--json", flags->json, "Print the summary as JSON");
  cmd->add_flag("--verbose", flags->verbose,
                "Also name each page that is not an article, with the reason");
  cmd->add_option("--progress", flags->progress,
                  "auto (a bar on a terminal, lines otherwise), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunImport(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
