// palimpsest watch run [--once] [--allow-private-addresses] [--workers N]
//                      [--host-spacing SECONDS] [--timeout SECONDS] [--min-interval DURATION]
//                      [--max-interval DURATION] [--source-interval SOURCE=MIN:MAX]...
//                      [--hook-secret-file FILE] [--json]
//
// The scheduler (cli/watch/watcher.h): checks every watch when it is due, until SIGINT or
// SIGTERM (or, with --once, after one round of the checks due now). Each round that checked
// something prints one line (one JSON object with --json). The archive is opened for writing
// but the writer lock is taken per transaction, so `import`, `ingest`, `correct` and
// `watch add` work beside it; the search index follows its captures (CatchUpLoop).

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <ostream>
#include <thread>

#include "cli/catch_up_loop.h"
#include "cli/cli_context.h"
#include "cli/json/json_format.h"
#include "cli/watch/watcher.h"

namespace palimpsest::cli {

namespace {

struct WatchRunFlags {
  bool once = false;
  bool allow_private = false;
  unsigned workers = 4;
  double host_spacing = 1.0;
  double timeout = 30;
  std::string min_interval;
  std::string max_interval;
  std::vector<std::string> source_intervals;
  std::string hook_secret_file;
  bool json = false;
};

// Parses --source-interval SOURCE=MIN:MAX into `policy`.
Status AddSourceBounds(const std::string& value, SchedulePolicy* policy) {
  const size_t eq = value.rfind('=');
  const size_t colon = eq == std::string::npos ? eq : value.find(':', eq);
  if (eq == std::string::npos || eq == 0 || colon == std::string::npos) {
    return Status::InvalidArgument("--source-interval must be SOURCE=MIN:MAX, e.g. wire=1h:2d");
  }
  IntervalBounds bounds;
  PALIMPSEST_ASSIGN_OR_RETURN(
      bounds.min_seconds, ParseDuration("--source-interval", value.substr(eq + 1, colon - eq - 1)));
  PALIMPSEST_ASSIGN_OR_RETURN(bounds.max_seconds,
                              ParseDuration("--source-interval", value.substr(colon + 1)));
  if (bounds.min_seconds > bounds.max_seconds) {
    return Status::InvalidArgument("--source-interval " + value + ": MIN is longer than MAX");
  }
  policy->source_bounds[value.substr(0, eq)] = bounds;
  return Status::OK();
}

Result<WatcherOptions> OptionsFrom(const WatchRunFlags& flags, const CliContext& ctx) {
  WatcherOptions options;
  if (flags.workers < 1 || flags.workers > 64) {
    return Status::InvalidArgument("--workers must be between 1 and 64");
  }
  if (!(flags.host_spacing >= 0 && flags.host_spacing <= 3600)) {
    return Status::InvalidArgument("--host-spacing must be between 0 and 3600 seconds");
  }
  if (!(flags.timeout > 0 && flags.timeout <= 600)) {
    return Status::InvalidArgument("--timeout must be between 0 and 600 seconds");
  }
  options.workers = flags.workers;
  options.host_spacing_seconds = flags.host_spacing;
  options.fetch.timeout_ms = static_cast<int>(flags.timeout * 1000);
  options.fetch.connect_timeout_ms = std::min(options.fetch.timeout_ms, 10'000);
  options.fetch.allow_private_addresses = flags.allow_private;
  if (!flags.min_interval.empty()) {
    PALIMPSEST_ASSIGN_OR_RETURN(options.schedule.min_interval_seconds,
                                ParseDuration("--min-interval", flags.min_interval));
  }
  if (!flags.max_interval.empty()) {
    PALIMPSEST_ASSIGN_OR_RETURN(options.schedule.max_interval_seconds,
                                ParseDuration("--max-interval", flags.max_interval));
  }
  if (options.schedule.min_interval_seconds > options.schedule.max_interval_seconds) {
    return Status::InvalidArgument("--min-interval is longer than --max-interval");
  }
  for (const std::string& value : flags.source_intervals) {
    PALIMPSEST_RETURN_IF_ERROR(AddSourceBounds(value, &options.schedule));
  }
  options.actor = ctx.settings.actor;
  PALIMPSEST_ASSIGN_OR_RETURN(options.hooks.secret, ReadHookSecret(flags.hook_secret_file));
  return options;
}

void PrintRound(const CliContext& ctx, const WatchRound& round, bool json) {
  if (json) {
    boost::json::object outcomes;
    for (const auto& [outcome, n] : round.outcomes) outcomes[CheckOutcomeName(outcome)] = n;
    ctx.PrintJson(boost::json::object{{"checks", round.checks},
                                      {"outcomes", std::move(outcomes)},
                                      {"new_links", round.new_links},
                                      {"hooks",
                                       {{"delivered", round.deliveries.delivered},
                                        {"failed", round.deliveries.failed},
                                        {"gave_up", round.deliveries.gave_up}}},
                                      {"next_due", TimeJson(round.next_due)}});
    return;
  }
  if (round.checks + round.deliveries.delivered + round.deliveries.failed +
          round.deliveries.gave_up ==
      0) {
    return;
  }
  *ctx.out << "checked " << round.checks << ":";
  const char* sep = " ";
  for (const auto& [outcome, n] : round.outcomes) {
    *ctx.out << sep << CheckOutcomeName(outcome) << " " << n;
    sep = ", ";
  }
  if (round.new_links > 0) *ctx.out << "; " << round.new_links << " new links watched";
  const DeliveryRound& d = round.deliveries;
  if (d.delivered + d.failed + d.gave_up > 0) {
    *ctx.out << "; hooks: " << d.delivered << " delivered, " << d.failed << " failed, " << d.gave_up
             << " given up";
  }
  *ctx.out << std::endl;
}

int RunWatchRun(const CliContext& ctx, const WatchRunFlags& flags) {
  auto options = OptionsFrom(flags, ctx);
  if (!options.ok()) return ctx.Fail(options.status());
  auto archive = ctx.OpenArchive(OpenMode::kReadWrite);
  if (!archive.ok()) return ctx.Fail(archive.status());
  Watcher watcher(**archive, *options, WatchClock::System());
  if (flags.once) {
    auto round = watcher.RunDue();
    if (!round.ok()) return ctx.Fail(round.status());
    PrintRound(ctx, *round, flags.json);
    if (auto caught = (*archive)->CatchUp(UINT64_MAX); !caught.ok()) {
      return ctx.Fail(caught.status());
    }
    return 0;
  }
  CatchUpLoop catch_up(**archive, *ctx.err);
  boost::asio::io_context signals_context;
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([&watcher](const boost::system::error_code& ec, int) {
    if (!ec) watcher.Stop();
  });
  std::thread signal_thread([&signals_context] { signals_context.run(); });
  Status run = watcher.Run([&](const WatchRound& round) {
    PrintRound(ctx, round, flags.json);
    if (round.checks > 0) catch_up.Wake();
  });
  signals.cancel();
  signal_thread.join();
  if (!run.ok()) return ctx.Fail(run);
  *ctx.err << "palimpsest: stopped" << std::endl;
  return 0;
}

}  // namespace

void RegisterWatchRunCommand(CLI::App& watch, CliContext& ctx) {
  auto flags = std::make_shared<WatchRunFlags>();
  CLI::App* cmd = watch.add_subcommand("run", "Check watches when due, until stopped");
  cmd->add_flag("--once", flags->once, "One round of the checks due now, then exit");
  cmd->add_flag("--allow-private-addresses", flags->allow_private,
                "Fetch from loopback, private and link-local addresses (tests, intranets)");
  cmd->add_option("--workers", flags->workers, "Hosts checked at once (default 4)");
  cmd->add_option("--host-spacing", flags->host_spacing,
                  "Seconds between two requests to one host (default 1; robots.txt "
                  "Crawl-delay may ask for more)");
  cmd->add_option("--timeout", flags->timeout, "Seconds a fetch may take (default 30)");
  cmd->add_option("--min-interval", flags->min_interval, "Shortest adaptive interval (default 5m)");
  cmd->add_option("--max-interval", flags->max_interval, "Longest adaptive interval (default 7d)");
  cmd->add_option("--source-interval", flags->source_intervals,
                  "Adaptive interval bounds for one source: SOURCE=MIN:MAX, e.g. wire=1h:2d "
                  "(repeatable)");
  cmd->add_option("--hook-secret-file", flags->hook_secret_file,
                  "The secret webhook deliveries are signed with (its first line); without "
                  "it nothing is delivered");
  cmd->add_flag("--json", flags->json,
                "Print each round as {checks, outcomes, new_links, next_due}");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunWatchRun(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
