// palimpsest list [--as-of TIME] [--known-at TIME] [--source S] [--json]

#include <ostream>

#include "cli/cli_context.h"
#include "cli/json/json_format.h"

namespace palimpsest::cli {

namespace {

struct ListFlags {
  std::string as_of;
  std::string known_at;
  std::string source;
  bool json = false;
};

int RunList(const CliContext& ctx, const ListFlags& flags) {
  ListFilter filter;
  filter.source = flags.source;
  for (Status s :
       {ParseOptionalTimeFlag("--as-of", flags.as_of, DateOnly::kEndOfDay, &filter.as_of),
        ParseOptionalTimeFlag("--known-at", flags.known_at, DateOnly::kEndOfDay,
                              &filter.known_at)}) {
    if (!s.ok()) return ctx.Fail(s);
  }
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto docs = (*archive)->ListDocuments(filter);
  if (!docs.ok()) return ctx.Fail(docs.status());
  if (flags.json) {
    boost::json::array list;
    for (const DocumentSummary& s : *docs) list.push_back(SummaryJson(s));
    ctx.PrintJson(boost::json::object{{"documents", std::move(list)}});
    return 0;
  }
  TerminalWriter terminal(*ctx.out);
  for (const DocumentSummary& s : *docs) {
    terminal.stream() << s.id << "  rev " << s.rev << "  " << FormatTimestamp(s.last_change) << "  "
                      << (s.source.empty() ? "-" : s.source) << "  " << s.title
                      << (s.retracted ? "  [retracted]" : "") << "\n";
  }
  return 0;
}

}  // namespace

void RegisterListCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<ListFlags>();
  CLI::App* cmd = app.add_subcommand("list", "List documents, optionally as they stood at a time");
  cmd->add_option("--as-of", flags->as_of, "Each document's revision in effect at this time");
  cmd->add_option("--known-at", flags->known_at, "As the archive knew it at this time");
  cmd->add_option("--source", flags->source, "Only documents from this outlet");
  cmd->add_flag("--json", flags->json, "Print JSON: {documents: [...]}");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunList(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
