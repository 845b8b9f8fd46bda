// palimpsest --log URL sync — applies everything the shared log holds that this node's
// directory has not applied yet (a new node builds itself from the log this way), then brings
// the search index and change summaries up to date. Prints {"applied", "position", "last",
// "head_seq"}.

#include "cli/cli_context.h"
#include "cli/write_outcome.h"

namespace palimpsest::cli {

namespace {

int RunSync(const CliContext& ctx) {
  if (ctx.log_url.empty()) {
    return ctx.Fail(Status::InvalidArgument("sync needs the shared log: --log nats://HOST:PORT"));
  }
  auto archive = ctx.OpenArchive(OpenMode::kReadWrite);
  if (!archive.ok()) return ctx.Fail(archive.status());
  uint64_t applied = 0;
  for (;;) {
    auto n = (*archive)->FollowLog(0);
    if (!n.ok()) return ctx.Fail(n.status());
    if (*n == 0) break;
    applied += *n;
  }
  CatchUpAfterWrite(ctx, **archive);
  auto state = (*archive)->LogState();
  if (!state.ok()) return ctx.Fail(state.status());
  auto head = (*archive)->Head();
  if (!head.ok()) return ctx.Fail(head.status());
  ctx.PrintJson(boost::json::object{{"applied", applied},
                                    {"position", state->applied},
                                    {"last", state->last},
                                    {"head_seq", head->seq}});
  return 0;
}

}  // namespace

void RegisterSyncCommand(CLI::App& app, CliContext& ctx) {
  CLI::App* cmd =
      app.add_subcommand("sync", "Apply what the shared log (--log) holds and this node lacks");
  cmd->callback([&ctx] { ctx.run = [&ctx] { return RunSync(ctx); }; });
}

}  // namespace palimpsest::cli
