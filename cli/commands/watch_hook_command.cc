// palimpsest watch hook add URL [--source S] [--skip-cosmetic] [--json]
// palimpsest watch hook remove URL [--json]
// palimpsest watch hook list [--json]
//
// Webhooks (cli/watch/hook_delivery.h): every change is POSTed to each hook as signed JSON with
// its diff by `watch run --hook-secret-file FILE` (or `serve --watch --hook-secret-file FILE`).
// The hook list is kept as events in each hook's own stream; the secret never enters the log.

#include <ostream>

#include "cli/cli_context.h"
#include "cli/json/json_format.h"
#include "cli/watch/watch_list.h"

namespace palimpsest::cli {

namespace {

struct HookFlags {
  std::string url;
  std::string source;
  bool skip_cosmetic = false;
  bool json = false;
};

AppendRequest HookRequest(const CliContext& ctx, const std::string& stream, uint64_t version,
                          EventBody body) {
  AppendRequest request;
  request.event.doc_id = stream;
  request.event.id = DeriveEventId({"hook", stream, std::to_string(version), NewCorrelationId()});
  request.event.effective_at = Now();
  request.event.actor = ctx.settings.actor;
  request.event.correlation_id = NewCorrelationId();
  request.event.body = std::move(body);
  request.expected_version = version;
  return request;
}

// Appends `request`; prints {url, id, status}.
int Commit(const CliContext& ctx, Archive& archive, AppendRequest request, const HookFlags& flags,
           const char* status) {
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(request));
  if (auto appended = archive.Append(std::move(batch)); !appended.ok()) {
    return ctx.Fail(appended.status());
  }
  if (flags.json) {
    ctx.PrintJson(boost::json::object{
        {"url", flags.url}, {"id", HookStreamId(flags.url)}, {"status", status}});
  } else {
    *ctx.out << "hook " << status << ": " << flags.url << "\n";
  }
  return 0;
}

int RunHookAdd(const CliContext& ctx, const HookFlags& flags) {
  if (Status s = CheckWatchableUrl(flags.url); !s.ok()) return ctx.Fail(s);
  auto archive = ctx.OpenArchive(OpenMode::kReadWrite);
  if (!archive.ok()) return ctx.Fail(archive.status());
  const std::string stream = HookStreamId(flags.url);
  auto version = (*archive)->StreamVersion(stream);
  if (!version.ok()) return ctx.Fail(version.status());
  return Commit(ctx, **archive,
                HookRequest(ctx, stream, *version,
                            HookAddedEvent{flags.url, flags.source, flags.skip_cosmetic}),
                flags, "added");
}

int RunHookRemove(const CliContext& ctx, const HookFlags& flags) {
  auto archive = ctx.OpenArchive(OpenMode::kReadWrite, Durability::kSync, /*create=*/false);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto hooks = (*archive)->Hooks();
  if (!hooks.ok()) return ctx.Fail(hooks.status());
  const std::string stream = HookStreamId(flags.url);
  for (const HookInfo& h : *hooks) {
    if (h.id != stream) continue;
    return Commit(ctx, **archive, HookRequest(ctx, stream, h.version, HookRemovedEvent{h.url}),
                  flags, "removed");
  }
  return ctx.Fail(Status::NotFound("no hook for '" + flags.url + "'"));
}

int RunHookList(const CliContext& ctx, bool json) {
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto hooks = (*archive)->Hooks();
  if (!hooks.ok()) return ctx.Fail(hooks.status());
  boost::json::array list;
  TerminalWriter writer(*ctx.out);
  for (const HookInfo& h : *hooks) {
    list.push_back(boost::json::object{{"id", h.id},
                                       {"url", h.url},
                                       {"source", h.source},
                                       {"skip_cosmetic", h.skip_cosmetic},
                                       {"added_at", TimeJson(h.added_at)},
                                       {"delivered", h.delivered},
                                       {"gave_up", h.gave_up},
                                       {"pending_attempts", h.attempts},
                                       {"last_attempt", TimeJson(h.last_attempt_at)},
                                       {"last_status", h.last_status},
                                       {"last_error", h.last_error},
                                       {"done_seq", h.done_seq}});
    if (!json) {
      writer.stream() << h.url << "  delivered " << h.delivered << ", gave up " << h.gave_up;
      if (h.attempts > 0) writer.stream() << ", retrying (" << h.last_error << ")";
      writer.stream() << "\n";
    }
  }
  if (json) ctx.PrintJson(boost::json::object{{"hooks", std::move(list)}});
  if (!json && hooks->empty()) writer.stream() << "no hooks\n";
  return 0;
}

}  // namespace

void RegisterWatchHookCommand(CLI::App& watch, CliContext& ctx) {
  CLI::App* hook =
      watch.add_subcommand("hook", "Webhooks: POST every change, signed, with its diff");
  hook->require_subcommand(1);
  auto add_flags = std::make_shared<HookFlags>();
  CLI::App* add = hook->add_subcommand("add", "Deliver every change to URL");
  add->add_option("url", add_flags->url, "The receiver (http or https)")->required();
  add->add_option("--source", add_flags->source, "Only changes of this source");
  add->add_flag("--skip-cosmetic", add_flags->skip_cosmetic, "Leave out punctuation-only changes");
  add->add_flag("--json", add_flags->json, "Print {url, id, status}");
  add->callback(
      [&ctx, add_flags] { ctx.run = [&ctx, add_flags] { return RunHookAdd(ctx, *add_flags); }; });
  auto remove_flags = std::make_shared<HookFlags>();
  CLI::App* remove = hook->add_subcommand("remove", "Stop delivering to URL");
  remove->add_option("url", remove_flags->url, "A hook's URL")->required();
  remove->add_flag("--json", remove_flags->json, "Print {url, id, status}");
  remove->callback([&ctx, remove_flags] {
    ctx.run = [&ctx, remove_flags] { return RunHookRemove(ctx, *remove_flags); };
  });
  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = hook->add_subcommand("list", "The hooks and how their deliveries went");
  list->add_flag("--json", *list_json, "Print {hooks: [...]}");
  list->callback(
      [&ctx, list_json] { ctx.run = [&ctx, list_json] { return RunHookList(ctx, *list_json); }; });
}

}  // namespace palimpsest::cli
