// palimpsest compact [--json]
//
// Rewrites the archive's file without its free pages (Archive::Compact), for an archive that
// shrank (after a redaction, a replay in a new layout) or grew free pages under concurrent
// readers. Needs the archive to itself: exit 5 while another process has it open.

#include <ostream>

#include "cli/cli_context.h"

namespace palimpsest::cli {

namespace {

int RunCompact(const CliContext& ctx, bool json) {
  auto archive = ctx.OpenArchive(OpenMode::kReadWrite, Durability::kSync, /*create=*/false);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto report = (*archive)->Compact();
  if (!report.ok()) return ctx.Fail(report.status());
  if (json) {
    ctx.PrintJson(boost::json::object{{"bytes_before", report->bytes_before},
                                      {"bytes_after", report->bytes_after}});
  } else {
    *ctx.out << "compacted " << ctx.data_dir << "/data.mdb: " << report->bytes_before << " -> "
             << report->bytes_after << " bytes\n";
  }
  return 0;
}

}  // namespace

void RegisterCompactCommand(CLI::App& app, CliContext& ctx) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "compact", "Rewrite the archive's file without free pages (needs the archive to itself)");
  cmd->add_flag("--json", *json, "Print {bytes_before, bytes_after}");
  cmd->callback([&ctx, json] { ctx.run = [&ctx, json] { return RunCompact(ctx, *json); }; });
}

}  // namespace palimpsest::cli
