// palimpsest stats [--json]

#include <ostream>

#include "cli/cli_context.h"
#include "cli/json/json_format.h"

namespace palimpsest::cli {

namespace {

int RunStats(const CliContext& ctx, bool json) {
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto stats = (*archive)->Stats();
  if (!stats.ok()) return ctx.Fail(stats.status());
  const ArchiveStats& s = *stats;
  if (json) {
    boost::json::object kinds, databases;
    for (const auto& [kind, n] : s.events_by_kind) kinds[kind] = n;
    for (const auto& [name, bytes] : s.database_bytes) databases[name] = bytes;
    ctx.PrintJson(boost::json::object{{"data_dir", s.data_dir},
                                      {"events", s.events},
                                      {"documents", s.documents},
                                      {"revisions", s.revisions},
                                      {"contents", s.contents},
                                      {"events_by_kind", std::move(kinds)},
                                      {"head_seq", s.head.seq},
                                      {"head_hash", DigestToString(s.head.hash)},
                                      {"file_bytes", s.file_bytes},
                                      {"map_size", s.map_size},
                                      {"database_bytes", std::move(databases)},
                                      {"free_bytes", s.free_bytes},
                                      {"extractor_version", s.extractor_version}});
    return 0;
  }
  std::ostream& out = *ctx.out;
  out << "archive    " << s.data_dir << "\n"
      << "events     " << s.events << "\n";
  for (const auto& [kind, n] : s.events_by_kind) out << "  " << kind << " " << n << "\n";
  out << "documents  " << s.documents << "\n"
      << "revisions  " << s.revisions << "\n"
      << "contents   " << s.contents << "\n"
      << "head       seq " << s.head.seq << " " << DigestToString(s.head.hash) << "\n"
      << "disk       " << s.file_bytes << " bytes (map " << s.map_size << ")\n"
      << "extractor  version " << s.extractor_version << "\n"
      << "space      " << s.free_bytes << " bytes free for reuse; databases:\n";
  for (const auto& [name, bytes] : s.database_bytes) {
    out << "  " << name << " " << bytes << "\n";
  }
  return 0;
}

}  // namespace

void RegisterStatsCommand(CLI::App& app, CliContext& ctx) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("stats", "Counts, chain head and size on disk");
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([&ctx, json] { ctx.run = [&ctx, json] { return RunStats(ctx, *json); }; });
}

}  // namespace palimpsest::cli
