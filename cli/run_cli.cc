#include <cstdlib>

#include "cli/cli_context.h"

namespace palimpsest::cli {

int RunCli(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err) {
  CliContext ctx;
  ctx.in = &in;
  ctx.out = &out;
  ctx.err = &err;

  CLI::App app{"palimpsest: an event-sourced archive of news articles and their corrections"};
  app.name("palimpsest");
  app.require_subcommand(1);
  app.fallthrough();
  std::string data_flag;
  app.add_option("--data", data_flag,
                 "Archive directory (default: $PALIMPSEST_DATA, else ./palimpsest-data)");
  std::string log_flag;
  app.add_option("--log", log_flag,
                 "Shared log this archive is a node of: nats://HOST:PORT[,HOST:PORT...] "
                 "(default: $PALIMPSEST_LOG, else the archive's own log)");
  app.add_option("--log-stream", ctx.log_stream,
                 "JetStream name prefix of the shared log (default PALIMPSEST)");

  RegisterIngestCommand(app, ctx);
  RegisterImportCommand(app, ctx);
  RegisterCorrectCommand(app, ctx);
  RegisterRetractCommand(app, ctx);
  RegisterRedactCommand(app, ctx);
  RegisterShowCommand(app, ctx);
  RegisterHistoryCommand(app, ctx);
  RegisterDiffCommand(app, ctx);
  RegisterBlameCommand(app, ctx);
  RegisterChangesCommand(app, ctx);
  RegisterSearchCommand(app, ctx);
  RegisterListCommand(app, ctx);
  RegisterLogCommand(app, ctx);
  RegisterStatsCommand(app, ctx);
  RegisterVerifyCommand(app, ctx);
  RegisterReplayCommand(app, ctx);
  RegisterExportCommand(app, ctx);
  RegisterRestoreCommand(app, ctx);
  RegisterServeCommand(app, ctx);
  RegisterCheckpointCommand(app, ctx);
  RegisterBackupCommand(app, ctx);
  RegisterCompactCommand(app, ctx);
  RegisterWatchCommand(app, ctx);
  RegisterPushCommand(app, ctx);
  RegisterSyncCommand(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    // Parse errors are usage errors: exit 1 (README.md, "Exit codes"), one line.
    err << "palimpsest: " << e.what() << " (see palimpsest --help)\n";
    return kExitBadInput;
  }
  auto settings = ReadSettings([](const char* name) { return std::getenv(name); });
  if (!settings.ok()) return ctx.Fail(settings.status());
  ctx.settings = std::move(settings).value();
  if (!data_flag.empty()) {
    ctx.data_dir = data_flag;
  } else if (!ctx.settings.data_dir.empty()) {
    ctx.data_dir = ctx.settings.data_dir;
  } else {
    ctx.data_dir = "palimpsest-data";
  }
  ctx.log_url = !log_flag.empty() ? log_flag : ctx.settings.log_url;
  if (!ctx.run) return kExitBadInput;
  return ctx.run();
}

}  // namespace palimpsest::cli
