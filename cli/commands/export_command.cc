// palimpsest export [--out FILE] — the whole log as JSON Lines (format:
// cli/json/export_format.h), read back by `restore` (restore_command.cc).

#include <fstream>
#include <ostream>

#include "cli/cli_context.h"
#include "cli/exported_events.h"
#include "cli/json/export_format.h"

namespace palimpsest::cli {

namespace {

constexpr size_t kEventsPerPage = 1000;

int RunExport(const CliContext& ctx, const std::string& out_path) {
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  // One snapshot would be ideal; the head read first bounds the export, so events appended
  // meanwhile are simply not included.
  auto head = (*archive)->Head();
  if (!head.ok()) return ctx.Fail(head.status());
  std::ofstream file;
  std::ostream* out = ctx.out;
  if (!out_path.empty() && out_path != "-") {
    file.open(out_path, std::ios::binary | std::ios::trunc);
    if (!file) return ctx.Fail(Status::IOError("cannot write " + out_path));
    out = &file;
  }
  *out << boost::json::serialize(boost::json::object{{"format", kExportFormat},
                                                     {"version", kExportVersion},
                                                     {"events", head->seq},
                                                     {"head_seq", head->seq},
                                                     {"head_hash", DigestToString(head->hash)}})
       << "\n";
  for (uint64_t after = 0; after < head->seq;) {
    auto page =
        ExportedEvents(**archive, after, std::min<uint64_t>(kEventsPerPage, head->seq - after));
    if (!page.ok()) return ctx.Fail(page.status());
    if (page->empty()) break;
    for (const AppendRequest& r : *page) {
      *out << boost::json::serialize(ExportRecord(r.event, r.contents, r.withheld_contents))
           << "\n";
      after = r.event.seq;
    }
  }
  out->flush();
  if (!*out) return ctx.Fail(Status::IOError("writing the export failed"));
  return 0;
}

}  // namespace

void RegisterExportCommand(CLI::App& app, CliContext& ctx) {
  auto out = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("export", "Write the whole log as JSON Lines");
  cmd->add_option("--out", *out, "Output file (default: standard output)");
  cmd->callback([&ctx, out] { ctx.run = [&ctx, out] { return RunExport(ctx, *out); }; });
}

}  // namespace palimpsest::cli
