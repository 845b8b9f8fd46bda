// palimpsest search QUERY [--all-revisions | --as-of TIME] [--limit N] [--json]
//
// Full-text search: words are ANDed, "quoted phrases" must appear as written (case and
// accents ignored). Searches each document's current revision, the one in effect at --as-of,
// or every revision.

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/cli_context.h"
#include "cli/json/feed_json.h"
#include "cli/json/json_format.h"

namespace palimpsest::cli {

namespace {

struct SearchFlags {
  std::string query;
  bool all_revisions = false;
  std::string as_of;
  size_t limit = 20;
  bool json = false;
};

// The snippet with its matches in bold on a terminal.
std::string Highlighted(const CliContext& ctx, const SearchHit& hit) {
  if (ctx.out != &std::cout || isatty(STDOUT_FILENO) != 1 || ctx.settings.no_color) {
    return EscapeForTerminal(hit.snippet);
  }
  std::string out;
  size_t at = 0;
  for (const auto& [offset, length] : hit.highlights) {
    out += EscapeForTerminal(hit.snippet.substr(at, offset - at)) + "\033[1m" +
           EscapeForTerminal(hit.snippet.substr(offset, length)) + "\033[0m";
    at = offset + length;
  }
  return out + EscapeForTerminal(hit.snippet.substr(at));
}

int RunSearch(const CliContext& ctx, const SearchFlags& flags) {
  SearchRequest request;
  request.query = flags.query;
  request.all_revisions = flags.all_revisions;
  request.limit = flags.limit;
  if (Status s = ParseOptionalTimeFlag("--as-of", flags.as_of, DateOnly::kEndOfDay, &request.as_of);
      !s.ok()) {
    return ctx.Fail(s);
  }
  if (request.all_revisions && request.as_of != kNoTime) {
    return ctx.Fail(Status::InvalidArgument("give at most one of --all-revisions and --as-of"));
  }
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto results = (*archive)->Search(request);
  if (!results.ok()) return ctx.Fail(results.status());
  if (results->indexed_seq < results->head_seq) {
    *ctx.err << "palimpsest: note: the search index has reached event " << results->indexed_seq
             << " of " << results->head_seq
             << "; the newest changes may be missing (the next write command or a running "
                "`palimpsest serve` brings it up to date)\n";
  }
  if (flags.json) {
    ctx.PrintJson(SearchJson(flags.query, *results, flags.all_revisions));
    return 0;
  }
  std::ostream& out = *ctx.out;
  for (const SearchHit& hit : results->hits) {
    out << hit.id << "  rev " << hit.rev << "  " << hit.kind << "  effective "
        << FormatTimestamp(hit.effective_at);
    if (flags.all_revisions) {
      out << "  (revs";
      for (uint32_t r : hit.revs) out << " " << r;
      out << ")";
    }
    out << "\n  " << EscapeForTerminal(hit.title) << "\n  " << Highlighted(ctx, hit) << "\n";
  }
  out << results->hits.size() << " of " << results->total << " matching document"
      << (results->total == 1 ? "" : "s") << "\n";
  return 0;
}

}  // namespace

void RegisterSearchCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<SearchFlags>();
  CLI::App* cmd = app.add_subcommand("search", "Full-text search over current and past revisions");
  cmd->add_option("query", flags->query, "Words (all must match); \"a phrase\" in quotes")
      ->required();
  cmd->add_flag("--all-revisions", flags->all_revisions,
                "Search every revision, not only the current one");
  cmd->add_option("--as-of", flags->as_of, "Search the revisions in effect at this time");
  cmd->add_option("--limit", flags->limit, "At most N results (default 20)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", flags->json, "Print JSON: {query, results: [...], total, ...}");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunSearch(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
