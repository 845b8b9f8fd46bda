// palimpsest replay [--only NAME]... [--json] — rebuild every projection from the log, or only
// the named asynchronous ones (search, change_summaries).

#include <ostream>

#include "cli/cli_context.h"
#include "palimpsest/extractor.h"

namespace palimpsest::cli {

namespace {

int RunReplay(const CliContext& ctx, const std::vector<std::string>& only, bool json) {
  auto archive = ctx.OpenArchive(OpenMode::kReadWrite, Durability::kSync, /*create=*/false,
                                 /*stale_hint=*/false);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto report = only.empty() ? (*archive)->Replay() : (*archive)->ReplayProjections(only);
  if (!report.ok()) return ctx.Fail(report.status());
  if (json) {
    boost::json::object dbs;
    for (const auto& [name, digests] : report->databases) {
      dbs[name] = boost::json::object{{"before", DigestToString(digests.first)},
                                      {"after", DigestToString(digests.second)},
                                      {"identical", digests.first == digests.second}};
    }
    ctx.PrintJson(boost::json::object{{"events", report->events_replayed},
                                      {"extractor_version", kExtractorVersion},
                                      {"identical", report->identical()},
                                      {"databases", std::move(dbs)}});
    return 0;
  }
  *ctx.out << "replayed " << report->events_replayed << " events into " << report->databases.size()
           << " projection databases: "
           << (report->identical() ? "identical to before"
                                   : "changed (the extractor or projections differ)")
           << "\n";
  return 0;
}

}  // namespace

void RegisterReplayCommand(CLI::App& app, CliContext& ctx) {
  auto json = std::make_shared<bool>(false);
  auto only = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand("replay", "Drop and rebuild every projection from the log");
  cmd->add_option("--only", *only,
                  "Rebuild only this asynchronous projection (search, change_summaries); "
                  "repeatable");
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([&ctx, json, only] {
    ctx.run = [&ctx, json, only] { return RunReplay(ctx, *only, *json); };
  });
}

}  // namespace palimpsest::cli
