// palimpsest ingest FILE|- [--id ID] [--url URL] [--source NAME] [--captured TIME] [--json]
//
// Appends one `captured` event. The article projection decides what it means: a new document
// (created), a new revision (revised), or the same content seen again (unchanged).

#include <cctype>
#include <cstring>

#include "cli/cli_context.h"
#include "cli/write_outcome.h"
#include "palimpsest/article.h"
#include "palimpsest/doc_id.h"
#include "palimpsest/extractor.h"

namespace palimpsest::cli {

namespace {

struct IngestFlags {
  std::string path;
  std::string id;
  std::string url;
  std::string source;
  std::string captured;
  std::string media_type;
  bool json = false;
};

// text/html for .html/.htm/.xhtml files and pages that start like HTML; else text/plain.
std::string GuessMediaType(const std::string& path, std::string_view raw) {
  std::string lower_path = path;
  for (char& c : lower_path) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* ext : {".html", ".htm", ".xhtml"}) {
    const size_t n = std::strlen(ext);
    if (lower_path.size() > n && lower_path.compare(lower_path.size() - n, n, ext) == 0) {
      return "text/html";
    }
  }
  std::string head;
  for (char c : raw.substr(0, 512)) {
    if (!head.empty() || !std::isspace(static_cast<unsigned char>(c))) {
      head.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (head.rfind("\xef\xbb\xbf", 0) == 0) head.erase(0, 3);
  if (head.rfind("<!doctype html", 0) == 0 || head.rfind("<html", 0) == 0) return "text/html";
  return "text/plain";
}

int RunIngest(const CliContext& ctx, const IngestFlags& flags) {
  // Everything about the input is checked before the archive is touched, so bad input writes
  // nothing.
  std::string doc_id = flags.id;
  if (doc_id.empty() && !flags.url.empty()) doc_id = DocIdFromUrl(flags.url);
  if (doc_id.empty() && flags.path != "-") doc_id = DocIdFromFileName(flags.path);
  if (doc_id.empty()) {
    return ctx.Fail(Status::InvalidArgument("--id (or --url) is required when reading stdin"));
  }
  if (Status s = ValidateDocId(doc_id); !s.ok()) return ctx.Fail(s);
  Timestamp captured_at = Now();
  if (!flags.captured.empty()) {
    auto t = ParseTimeFlag("--captured", flags.captured, DateOnly::kStartOfDay);
    if (!t.ok()) return ctx.Fail(t.status());
    captured_at = *t;
  }
  auto raw = ReadInput(ctx, flags.path);
  if (!raw.ok()) return ctx.Fail(raw.status());
  const std::string name = flags.path == "-" ? "standard input" : flags.path;
  if (raw->empty()) return ctx.Fail(Status::InvalidArgument(name + " is empty"));
  const std::string media_type =
      flags.media_type.empty() ? GuessMediaType(flags.path, *raw) : flags.media_type;
  // Binary data and unknown charsets fail here, before the archive is touched. Text in another
  // charset, or with invalid bytes, is read as a browser reads it and recorded whole with a
  // warning (as is HTML over the parser's limits). Whether it is an article is decided once,
  // by the append's extraction.
  auto warnings = CaptureWarnings(*raw, media_type);
  if (!warnings.ok()) return ctx.Fail(warnings.status().WithContext(name));
  for (const std::string& warning : *warnings) {
    *ctx.err << "palimpsest: warning: " << name << ": " << warning << "\n";
  }

  auto archive = ctx.OpenArchive(OpenMode::kReadWrite, Durability::kSync, /*create=*/false);
  if (archive.status().IsNotFound()) {
    // No archive yet: one is created only for a page that will go into it. (Otherwise the
    // append's extraction is the only one.)
    if (auto content = ExtractCapture(*raw, media_type, captured_at, {}); !content.ok()) {
      return ctx.Fail(content.status().WithContext(name));
    }
    archive = ctx.OpenArchive(OpenMode::kReadWrite);
  }
  if (!archive.ok()) return ctx.Fail(archive.status());

  AppendRequest request;
  // Same document, bytes, time and source → same id: re-running an ingest is a no-op.
  request.event =
      CaptureEvent(doc_id, *raw, media_type, flags.url, captured_at, kNoTime, flags.source, {});
  request.event.actor = ctx.settings.actor;
  request.event.correlation_id = NewCorrelationId();
  // An id the user gave names the document; one derived here may belong to a document already
  // seen at another of the page's addresses.
  request.land_by_url = flags.id.empty();
  request.contents.push_back(std::move(raw).value());
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(request));
  auto appended = (*archive)->Append(std::move(batch));
  if (!appended.ok()) {
    const Status& s = appended.status();
    return ctx.Fail(s.code() == StatusCode::kInvalidArgument ? s.WithContext(name) : s);
  }
  return ReportWriteOutcome(ctx, **archive, appended->front().doc_id, appended->front(),
                            flags.json);
}

}  // namespace

void RegisterIngestCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<IngestFlags>();
  CLI::App* cmd = app.add_subcommand("ingest", "Record one capture of an article (a text page)");
  cmd->add_option("file", flags->path, "The captured page, or - for standard input")->required();
  cmd->add_option("--id", flags->id, "Document id (default: from --url, else the file name)");
  cmd->add_option("--url", flags->url, "Where the page was captured");
  cmd->add_option("--source", flags->source, "The outlet");
  cmd->add_option("--media-type", flags->media_type,
                  "text/plain, text/html (default: from the file name or the content)");
  cmd->add_option("--captured", flags->captured,
                  "Capture time (default: now), e.g. 2023-07-20T12:00:00Z");
  cmd->add_flag("--json", flags->json, "Print {id, rev, version, status, kind} as JSON");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunIngest(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
