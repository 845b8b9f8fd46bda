// palimpsest log [--after SEQ] [--doc DOC] [--limit N] [--json]

#include <ostream>

#include "cli/cli_context.h"
#include "cli/json_format.h"

namespace palimpsest::cli {

namespace {

struct LogFlags {
  uint64_t after = 0;
  std::string doc;
  uint64_t limit = 1000;
  bool json = false;
};

int RunLog(const CliContext& ctx, const LogFlags& flags) {
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  std::vector<Event> events;
  if (!flags.doc.empty()) {
    auto stream = (*archive)->ReadStream(flags.doc);
    if (!stream.ok()) return ctx.Fail(stream.status());
    for (Event& e : *stream) {
      if (e.seq > flags.after && events.size() < flags.limit) events.push_back(std::move(e));
    }
  } else {
    auto log = (*archive)->ReadLog(flags.after, flags.limit);
    if (!log.ok()) return ctx.Fail(log.status());
    events = std::move(log).value();
  }
  for (const Event& e : events) {
    if (flags.json) {
      ctx.PrintJson(EventJson(e));
      continue;
    }
    *ctx.out << e.seq << "  " << FormatTimestamp(e.recorded_at) << "  " << EventKindName(e.body)
             << "  " << e.doc_id << " v" << e.version << "  " << EscapeForTerminal(e.actor) << "  "
             << DigestToString(EventHash(EncodeEvent(e))).substr(0, 19) << "\n";
  }
  return 0;
}

}  // namespace

void RegisterLogCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<LogFlags>();
  CLI::App* cmd = app.add_subcommand("log", "Print the event log");
  cmd->add_option("--after", flags->after, "Only events after this seq");
  cmd->add_option("--doc", flags->doc, "Only this document's events");
  cmd->add_option("--limit", flags->limit, "At most this many events (default 1000)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", flags->json, "One JSON object per line");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunLog(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
