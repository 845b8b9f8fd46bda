// palimpsest log [--after SEQ] [--doc DOC] [--limit N] [--json]
//
// The plain view stops at 1,000 events unless --limit says otherwise; --json has no default
// limit (a script auditing the log must get all of it). Whenever a limit cut the output short,
// a notice on stderr names the seq to continue after.

#include <algorithm>
#include <limits>
#include <optional>
#include <ostream>

#include "cli/cli_context.h"
#include "cli/json/json_format.h"

namespace palimpsest::cli {

namespace {

constexpr uint64_t kDefaultPlainLimit = 1000;
// Events read per ReadLog call while paging through the log.
constexpr size_t kPageSize = 1000;

struct LogFlags {
  uint64_t after = 0;
  std::string doc;
  std::optional<uint64_t> limit;
  bool json = false;
};

void PrintEvent(const CliContext& ctx, const LogFlags& flags, const Event& e) {
  if (flags.json) {
    ctx.PrintJson(EventJson(e));
    return;
  }
  *ctx.out << e.seq << "  " << FormatTimestamp(e.recorded_at) << "  " << EventKindName(e.body)
           << "  " << e.doc_id << " v" << e.version << "  " << EscapeForTerminal(e.actor) << "  "
           << DigestToString(ChainHash(e)).substr(0, 19) << "\n";
}

// Prints the events after `flags.after` in pages, at most `limit`. Returns the seq of the last
// event printed when more events follow it, else nullopt.
Result<std::optional<uint64_t>> PrintLog(const CliContext& ctx, Archive& archive,
                                         const LogFlags& flags, uint64_t limit) {
  uint64_t after = flags.after;
  uint64_t printed = 0;
  while (true) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(kPageSize, limit - printed + 1));
    PALIMPSEST_ASSIGN_OR_RETURN(std::vector<Event> page, archive.ReadLog(after, want));
    for (const Event& e : page) {
      if (printed == limit) return std::optional<uint64_t>(after);
      PrintEvent(ctx, flags, e);
      after = e.seq;
      ++printed;
    }
    if (page.size() < want) return std::optional<uint64_t>();
  }
}

Result<std::optional<uint64_t>> PrintStream(const CliContext& ctx, Archive& archive,
                                            const LogFlags& flags, uint64_t limit) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<Event> stream, archive.ReadStream(flags.doc));
  uint64_t printed = 0;
  uint64_t last = flags.after;
  for (const Event& e : stream) {
    if (e.seq <= flags.after) continue;
    if (printed == limit) return std::optional<uint64_t>(last);
    PrintEvent(ctx, flags, e);
    last = e.seq;
    ++printed;
  }
  return std::optional<uint64_t>();
}

int RunLog(const CliContext& ctx, const LogFlags& flags) {
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  uint64_t limit = flags.limit.value_or(flags.json ? std::numeric_limits<uint64_t>::max() - 1
                                                   : kDefaultPlainLimit);
  auto more = flags.doc.empty() ? PrintLog(ctx, **archive, flags, limit)
                                : PrintStream(ctx, **archive, flags, limit);
  if (!more.ok()) return ctx.Fail(more.status());
  if (more->has_value()) {
    *ctx.err << "palimpsest: stopped after " << limit << " events; more follow (continue with"
             << " --after " << **more << ", or raise --limit)\n";
  }
  return 0;
}

}  // namespace

void RegisterLogCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<LogFlags>();
  CLI::App* cmd = app.add_subcommand("log", "Print the event log");
  cmd->add_option("--after", flags->after, "Only events after this seq");
  cmd->add_option("--doc", flags->doc, "Only this document's events");
  cmd->add_option("--limit", flags->limit,
                  "At most this many events (default 1000 for the plain view, all with --json)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", flags->json, "One JSON object per line");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunLog(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
