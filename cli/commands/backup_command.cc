// palimpsest backup DEST [--compact] [--json]
//
// A consistent hot copy of the archive (Archive::Backup: one LMDB snapshot, safe while another
// process writes). The archive is opened read-only, so a backup never waits for the writer
// lock. DEST must not exist or be an empty directory (exit 1 otherwise). The copy is then
// opened and verified like `palimpsest verify`; exit 4 if it does not verify.

#include <sys/stat.h>

#include <ostream>

#include "cli/cli_context.h"

namespace palimpsest::cli {

namespace {

struct BackupFlags {
  std::string dest;
  bool compact = false;
  bool json = false;
};

int RunBackup(CliContext& ctx, const BackupFlags& flags) {
  {
    auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
    if (!archive.ok()) return ctx.Fail(archive.status());
    if (Status s = (*archive)->Backup(flags.dest, flags.compact); !s.ok()) return ctx.Fail(s);
  }
  // The copy must open and verify on its own.
  CliContext copy_ctx = ctx;
  copy_ctx.data_dir = flags.dest;
  auto copy = copy_ctx.OpenArchive(OpenMode::kReadOnly);
  if (!copy.ok()) {
    return ctx.Fail(Status::Corruption("the backup in " + flags.dest +
                                       " does not open: " + copy.status().message()));
  }
  auto report = (*copy)->Verify();
  if (!report.ok()) return ctx.Fail(report.status().WithContext("verifying the backup"));
  if (!report->ok()) {
    return ctx.Fail(Status::Corruption("the backup in " + flags.dest +
                                       " does not verify: " + report->problems.front()));
  }
  uint64_t bytes = 0;
  struct stat st;
  if (stat((flags.dest + "/data.mdb").c_str(), &st) == 0) bytes = static_cast<uint64_t>(st.st_size);
  const ChainHead& head = report->head;
  if (flags.json) {
    ctx.PrintJson(boost::json::object{{"dest", flags.dest},
                                      {"compact", flags.compact},
                                      {"events", report->events_checked},
                                      {"contents", report->contents_checked},
                                      {"head_seq", head.seq},
                                      {"head_hash", DigestToString(head.hash)},
                                      {"bytes", bytes},
                                      {"verified", true}});
  } else {
    *ctx.out << "backup: " << flags.dest << ": " << report->events_checked << " events, " << bytes
             << " bytes, chain head seq " << head.seq << " " << DigestToString(head.hash)
             << " (verified)\n";
  }
  return 0;
}

}  // namespace

void RegisterBackupCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<BackupFlags>();
  CLI::App* cmd = app.add_subcommand(
      "backup", "Copy the archive (a consistent hot copy, safe while writing) and verify the copy");
  cmd->add_option("dest", flags->dest, "A new or empty directory for the copy")->required();
  cmd->add_flag("--compact", flags->compact, "Leave out free pages (smaller, slower)");
  cmd->add_flag("--json", flags->json, "Print {dest, compact, events, head_seq, head_hash, bytes}");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunBackup(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
