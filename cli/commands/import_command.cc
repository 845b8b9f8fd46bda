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

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <ostream>
#include <unordered_map>

#include "cli/catch_up_loop.h"
#include "cli/cli_context.h"
#include "cli/import/importer.h"
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

void PrintSummary(const CliContext& ctx, const ImportCounts& c, double seconds, bool json,
                  bool dry_run) {
  if (json) {
    ctx.PrintJson(boost::json::object{{"records", c.records},
                                      {"documents_created", c.documents_created},
                                      {"revisions", c.revisions},
                                      {"unchanged", c.unchanged},
                                      {"corrections", c.corrections},
                                      {"backfilled", c.backfilled},
                                      {"duplicates", c.duplicates},
                                      {"redirects", c.redirects},
                                      {"merged", c.merged},
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
           << c.revisions << " revisions (" << c.corrections << " corrections, " << c.backfilled
           << " backfilled), " << c.unchanged << " unchanged, " << c.duplicates
           << " already recorded, " << c.failed << " failed, " << c.skipped << " skipped";
  if (c.redirects != 0) *ctx.out << ", " << c.redirects << " redirects";
  if (c.merged != 0) *ctx.out << " (" << c.merged << " merged two documents)";
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
  Status status;
  {
    // Change summaries and the search index follow the imported events batch by batch, on a
    // thread of their own (with what it prepares ahead, on the other core); the reported time
    // includes that work, since the import is not done before it is.
    std::optional<CatchUpLoop> catch_up;
    if (archive != nullptr) {
      catch_up.emplace(*archive, *ctx.err);
      importer.AfterEachCommit([&catch_up] { catch_up->Wake(); });
    }
    status = importer.Run(*files);
  }
  if (status.ok() && archive != nullptr) CatchUpAfterWrite(ctx, *archive);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  progress.Clear();
  PrintSummary(ctx, importer.counts(), seconds, flags.json, flags.dry_run);
  if (!status.ok()) return ctx.Fail(status);
  const ImportCounts& c = importer.counts();
  if (c.failed > 0) {
    *ctx.err << "palimpsest: " << c.failed << " of " << c.records << " records failed\n";
    return kExitPartial;
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
