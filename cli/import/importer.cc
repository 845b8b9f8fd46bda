// Importer (importer.h): the run over the input files, text and HTML pages, JSON Lines.

#include "cli/import/importer.h"

#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "cli/write_outcome.h"
#include "palimpsest/article.h"
#include "palimpsest/doc_id.h"
#include "palimpsest/extractor.h"
#include "palimpsest/jsonl_reader.h"

namespace palimpsest::cli {

namespace {

constexpr uint64_t kMaxBatchBytes = uint64_t{64} << 20;
constexpr uint64_t kMaxFileRecordBytes = uint64_t{64} << 20;  // one text or HTML file

}  // namespace

Importer::Importer(const CliContext& ctx, const ImportFlags& flags, Archive* archive,
                   Progress& progress)
    : ctx_(ctx),
      flags_(flags),
      archive_(archive),
      progress_(progress),
      start_time_(Now()),
      actor_(ctx.settings.actor),
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

Status Importer::Run(const std::vector<InputFile>& files) {
  Status status;
  for (const InputFile& file : files) {
    status = ImportFile(file);
    if (!status.ok()) break;
  }
  if (status.ok()) status = batcher_.Flush();
  // Whatever was submitted is committed (or failed) and counted before the summary.
  const Status settled = batcher_.Settle();
  PALIMPSEST_RETURN_IF_ERROR(status);
  PALIMPSEST_RETURN_IF_ERROR(settled);
  progress_.Finish(counts_.records, counts_.bytes);
  return Status::OK();
}

Status Importer::ImportFile(const InputFile& file) {
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

void Importer::TrackBytes() {
  if (stream_) counts_.bytes = file_bytes_before_ + stream_->source_bytes();
}

void Importer::Tick() {
  TrackBytes();
  progress_.Update(counts_.records, counts_.bytes);
}

void Importer::ReportSkippedInput(const std::string& name, InputStream& in) {
  for (const SkippedInput& s : in.TakeSkipped()) {
    ++counts_.records;
    batcher_.Fail(
        name + "@" + std::to_string(s.position),
        "damaged gzip data (" + s.reason + "): compressed bytes " + std::to_string(s.begin) + "-" +
            std::to_string(s.end) + " skipped" +
            (s.end < in.source_bytes() ? ", reading resumed at the next gzip member" : ""));
  }
}

void Importer::StreamFailed(const std::string& where, const Status& status) {
  ++counts_.records;
  batcher_.Fail(where, status.message());
}

PendingRecord Importer::Capture(std::string where, const std::string& doc_id, std::string raw,
                                std::string media_type, const std::string& url,
                                Timestamp captured_at, Timestamp effective_at,
                                const std::string& source, std::vector<Field> fields) {
  PendingRecord record;
  record.where = std::move(where);
  record.request.event = CaptureEvent(doc_id, raw, std::move(media_type), url, captured_at,
                                      effective_at, source, std::move(fields));
  record.request.event.actor = actor_;
  record.request.event.correlation_id = correlation_id_;
  record.request.contents.push_back(std::move(raw));
  return record;
}

Status Importer::ImportPage(const InputFile& file, const std::string& name, InputStream& in) {
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
  PendingRecord pending = Capture(name, doc_id, std::move(raw), std::move(media_type), "",
                                  captured_at, kNoTime, flags_.source, {});
  // A page whose canonical URL a document already has joins it; the file name is only a guess.
  pending.request.land_by_url = true;
  return batcher_.Add(std::move(pending));
}

void Importer::WarnAboutCapture(const std::string& where, const std::string& raw,
                                const std::string& media_type) {
  // Unreadable bytes are the append's to report, as a failed record.
  auto warnings = CaptureWarnings(raw, media_type);
  if (!warnings.ok()) return;
  for (const std::string& warning : *warnings) Warn(where, warning);
}

void Importer::Warn(const std::string& where, const std::string& what) {
  ++counts_.warnings;
  progress_.Clear();
  *ctx_.err << where << ": warning: " << what << "\n";
}

Status Importer::ImportJsonl(const std::string& name, InputStream& in) {
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
      batcher_.Fail(where, "line of " + std::to_string(line.length) + " bytes is longer than the " +
                               std::to_string(kDefaultMaxJsonlLineBytes >> 20) +
                               " MB limit; skipped");
    } else {
      PALIMPSEST_RETURN_IF_ERROR(JsonlRecord(where, line.text));
    }
    Tick();
  }
}

Status Importer::JsonlRecord(const std::string& where, const std::string& text) {
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
  PendingRecord pending =
      Capture(where, c.doc_id, std::move(c.raw), std::move(c.media_type), record_url, c.captured_at,
              record_effective_at, source, std::move(c.fields));
  pending.request.land_by_url = c.doc_id_derived;
  return batcher_.Add(std::move(pending));
}

}  // namespace palimpsest::cli
