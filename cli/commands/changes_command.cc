// palimpsest changes [--since TIME] [--until TIME] [--effective] [--source S] [--limit N] [--json]
//
// The global change feed: every revision recorded (or, with --effective, taking effect) in
// [since, until), oldest first.

#include <ostream>

#include "cli/cli_context.h"
#include "cli/json/feed_json.h"
#include "cli/json/json_format.h"

namespace palimpsest::cli {

namespace {

struct ChangesFlags {
  std::string since;
  std::string until;
  bool effective = false;
  std::string source;
  size_t limit = 0;
  bool json = false;
};

int RunChanges(const CliContext& ctx, const ChangesFlags& flags) {
  ChangeFilter filter;
  if (Status s =
          ParseOptionalTimeFlag("--since", flags.since, DateOnly::kStartOfDay, &filter.since);
      !s.ok()) {
    return ctx.Fail(s);
  }
  if (Status s =
          ParseOptionalTimeFlag("--until", flags.until, DateOnly::kStartOfDay, &filter.until);
      !s.ok()) {
    return ctx.Fail(s);
  }
  if (filter.since != kNoTime && filter.until != kNoTime && filter.until < filter.since) {
    return ctx.Fail(Status::InvalidArgument("--until is before --since"));
  }
  filter.axis = flags.effective ? TimeAxis::kEffective : TimeAxis::kRecorded;
  filter.source = flags.source;
  filter.limit = flags.limit;
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto changes = (*archive)->Changes(filter);
  if (!changes.ok()) return ctx.Fail(changes.status());
  if (flags.json) {
    ctx.PrintJson(ChangesJson(*changes));
    return 0;
  }
  TerminalWriter terminal(*ctx.out);
  std::ostream& out = terminal.stream();
  for (const ChangeEntry& c : *changes) {
    out << FormatTimestamp(flags.effective ? c.effective_at : c.recorded_at) << "  " << c.id
        << "  rev " << c.rev << "  " << c.kind << (c.stealth ? " (stealth)" : "")
        << (c.redacted ? "  REDACTED" : "");
    if (!c.title.empty()) out << "  \"" << c.title << "\"";
    out << "\n";
    if (!c.note.empty()) out << "    note: " << c.note << "\n";
  }
  if (changes->empty()) out << "no changes in that window\n";
  return 0;
}

}  // namespace

void RegisterChangesCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<ChangesFlags>();
  CLI::App* cmd = app.add_subcommand("changes", "List revisions recorded in a window of time");
  cmd->add_option("--since", flags->since, "From this time (inclusive; default: the beginning)");
  cmd->add_option("--until", flags->until, "Up to this time (exclusive; default: now)");
  cmd->add_flag("--effective", flags->effective,
                "Use effective time (when the change took effect) instead of recorded time");
  cmd->add_option("--source", flags->source, "Only documents of this source");
  cmd->add_option("--limit", flags->limit, "At most N revisions");
  cmd->add_flag("--json", flags->json, "Print JSON: {changes: [...]}");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunChanges(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
