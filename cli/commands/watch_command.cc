// palimpsest watch add URL... [--every DURATION | --adaptive] [--source S] [--json]
// palimpsest watch add-feed FEED_URL... [--every DURATION | --adaptive] [--source S] [--json]
// palimpsest watch remove URL... [--json]
// palimpsest watch list [--json]
// palimpsest watch run ...  (cli/commands/watch_run_command.cc)
//
// The watch list is kept as events in the log (watches.h): `add` records a WatchedEvent in the
// watch's own stream (again only when its settings change), `remove` an UnwatchedEvent. Every
// URL is checked before anything is written: one bad URL writes nothing.

#include <ostream>

#include "cli/cli_context.h"
#include "cli/json/watch_json.h"
#include "cli/watch/watch_list.h"

namespace palimpsest::cli {

namespace {

struct WatchAddFlags {
  std::vector<std::string> urls;
  WatchKind kind = WatchKind::kPage;
  std::string every;
  bool adaptive = false;
  std::string source;
  bool json = false;
};

int RunWatchAdd(const CliContext& ctx, const WatchAddFlags& flags) {
  int64_t every = 0;
  if (!flags.every.empty()) {
    auto parsed = ParseDuration("--every", flags.every);
    if (!parsed.ok()) return ctx.Fail(parsed.status());
    every = *parsed;
  }
  for (const std::string& url : flags.urls) {
    if (Status s = CheckWatchableUrl(url); !s.ok()) return ctx.Fail(s);
  }
  auto archive = ctx.OpenArchive(OpenMode::kReadWrite);
  if (!archive.ok()) return ctx.Fail(archive.status());
  std::vector<AppendRequest> batch;
  std::vector<std::string> status;
  for (const std::string& url : flags.urls) {
    auto change = AddWatchRequest(**archive, WatchedEvent{url, flags.kind, every, flags.source, ""},
                                  ctx.settings.actor);
    if (!change.ok()) return ctx.Fail(change.status());
    status.push_back(*change ? "added" : "unchanged");
    if (*change) batch.push_back(std::move(**change));
  }
  const std::string correlation = NewCorrelationId();
  for (AppendRequest& r : batch) r.event.correlation_id = correlation;
  if (!batch.empty()) {
    auto appended = (*archive)->Append(std::move(batch));
    if (!appended.ok()) return ctx.Fail(appended.status());
  }
  boost::json::array out;
  for (size_t i = 0; i < flags.urls.size(); ++i) {
    out.push_back(
        {{"url", flags.urls[i]}, {"id", WatchStreamId(flags.urls[i])}, {"status", status[i]}});
    if (!flags.json) {
      *ctx.out << (status[i] == "added" ? "watching " : "already watched: ") << flags.urls[i]
               << " (" << WatchKindName(flags.kind) << ", "
               << (every > 0 ? "every " + std::to_string(every) + "s" : "adaptive") << ")\n";
    }
  }
  if (flags.json) ctx.PrintJson(boost::json::object{{"watches", std::move(out)}});
  return 0;
}

int RunWatchRemove(const CliContext& ctx, const std::vector<std::string>& urls, bool json) {
  auto archive = ctx.OpenArchive(OpenMode::kReadWrite, Durability::kSync, /*create=*/false);
  if (!archive.ok()) return ctx.Fail(archive.status());
  std::vector<AppendRequest> batch;
  const std::string correlation = NewCorrelationId();
  for (const std::string& url : urls) {
    auto request = RemoveWatchRequest(**archive, url, ctx.settings.actor);
    if (!request.ok()) return ctx.Fail(request.status());
    request->event.correlation_id = correlation;
    batch.push_back(std::move(request).value());
  }
  auto appended = (*archive)->Append(std::move(batch));
  if (!appended.ok()) return ctx.Fail(appended.status());
  boost::json::array out;
  for (const std::string& url : urls) {
    out.push_back({{"url", url}, {"id", WatchStreamId(url)}, {"status", "removed"}});
    if (!json) *ctx.out << "no longer watching " << url << "\n";
  }
  if (json) ctx.PrintJson(boost::json::object{{"watches", std::move(out)}});
  return 0;
}

void PrintWatchTable(const CliContext& ctx, const std::vector<WatchInfo>& watches, Timestamp now,
                     const SchedulePolicy& policy) {
  TerminalWriter writer(*ctx.out);
  std::ostream& out = writer.stream();
  for (const WatchInfo& w : watches) {
    out << w.url << "  " << WatchKindName(w.kind) << "  "
        << (w.every_seconds > 0 ? "every " + std::to_string(w.every_seconds) + "s" : "adaptive")
        << "  next " << FormatTimestamp(NextCheckAt(w, now, policy));
    if (w.last_outcome) {
      out << "  last " << CheckOutcomeName(*w.last_outcome) << " at "
          << FormatTimestamp(w.last_check_at);
    } else {
      out << "  never checked";
    }
    if (w.last_change_at != kNoTime) out << "  changed " << FormatTimestamp(w.last_change_at);
    if (IsOverdue(w, now, policy)) out << "  OVERDUE";
    out << "\n";
  }
  if (watches.empty()) out << "no watches\n";
}

int RunWatchList(const CliContext& ctx, bool json) {
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto watches = (*archive)->Watches();
  if (!watches.ok()) return ctx.Fail(watches.status());
  const SchedulePolicy policy;
  const Timestamp now = Now();
  if (json) {
    ctx.PrintJson(WatchListJson(*watches, now, policy));
  } else {
    PrintWatchTable(ctx, *watches, now, policy);
  }
  return 0;
}

void RegisterAdd(CLI::App& watch, CliContext& ctx, const char* name, WatchKind kind,
                 const char* help) {
  auto flags = std::make_shared<WatchAddFlags>();
  flags->kind = kind;
  CLI::App* cmd = watch.add_subcommand(name, help);
  cmd->add_option("url", flags->urls, "URLs to watch (http or https)")->required();
  auto* every = cmd->add_option("--every", flags->every,
                                "A fixed recheck interval: 90s, 15m, 6h, 1d (default: adaptive)");
  cmd->add_flag("--adaptive", flags->adaptive, "Recheck on the adaptive schedule (the default)")
      ->excludes(every);
  cmd->add_option("--source", flags->source, "The outlet (default: the URL's host)");
  cmd->add_flag("--json", flags->json, "Print {watches: [{url, id, status}]}");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunWatchAdd(ctx, *flags); }; });
}

}  // namespace

void RegisterWatchCommand(CLI::App& app, CliContext& ctx) {
  CLI::App* watch = app.add_subcommand("watch", "Fetch pages and feeds on a schedule");
  watch->require_subcommand(1);
  RegisterAdd(*watch, ctx, "add", WatchKind::kPage, "Watch article pages");
  RegisterAdd(*watch, ctx, "add-feed", WatchKind::kFeed,
              "Watch an RSS or Atom feed or a sitemap: the articles it announces are watched");
  auto urls = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  CLI::App* remove = watch->add_subcommand("remove", "Stop watching URLs (their checks stay)");
  remove->add_option("url", *urls, "Watched URLs")->required();
  remove->add_flag("--json", *json, "Print {watches: [{url, id, status}]}");
  remove->callback([&ctx, urls, json] {
    ctx.run = [&ctx, urls, json] { return RunWatchRemove(ctx, *urls, *json); };
  });
  auto list_json = std::make_shared<bool>(false);
  CLI::App* list =
      watch->add_subcommand("list", "The watch list: next check, last result, overdue");
  list->add_flag("--json", *list_json, "Print {watches: [...], overdue}");
  list->callback(
      [&ctx, list_json] { ctx.run = [&ctx, list_json] { return RunWatchList(ctx, *list_json); }; });
  RegisterWatchRunCommand(*watch, ctx);
  RegisterWatchHookCommand(*watch, ctx);
}

}  // namespace palimpsest::cli
