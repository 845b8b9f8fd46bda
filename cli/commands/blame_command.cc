// palimpsest blame DOC [--rev N] [--json]
//
// Which revision introduced each sentence of the document's body (the current revision, or
// revision N), with that revision's kind and note.

#include <algorithm>
#include <ostream>

#include "cli/cli_context.h"
#include "cli/json/feed_json.h"
#include "cli/json/json_format.h"

namespace palimpsest::cli {

namespace {

struct BlameFlags {
  std::string doc;
  uint32_t rev = 0;  // 0: the current revision
  bool json = false;
};

int RunBlame(const CliContext& ctx, const BlameFlags& flags) {
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  std::optional<uint32_t> rev;
  if (flags.rev != 0) rev = flags.rev;
  auto blame = (*archive)->Blame(flags.doc, rev);
  if (!blame.ok()) return ctx.Fail(blame.status());
  if (flags.json) {
    ctx.PrintJson(BlameJson(*blame));
    return 0;
  }
  TerminalWriter terminal(*ctx.out);
  std::ostream& out = terminal.stream();
  size_t kind_width = 0;
  for (const RevisionInfo& r : blame->revisions) kind_width = std::max(kind_width, r.kind.size());
  const size_t rev_width = std::to_string(blame->rev).size();
  out << blame->id << " rev " << blame->rev << ": which revision introduced each sentence\n";
  for (size_t p = 0; p < blame->paragraphs.size(); ++p) {
    if (p > 0) out << "\n";
    for (const BlameSentence& s : blame->paragraphs[p].sentences) {
      const RevisionInfo& r = blame->revisions.at(s.rev - 1);
      std::string rev_text = std::to_string(s.rev);
      out << "r" << std::string(rev_width - rev_text.size(), ' ') << rev_text << " " << r.kind
          << std::string(kind_width - r.kind.size(), ' ') << " | " << s.text << "\n";
    }
  }
  out << "\nrevisions:\n";
  for (const RevisionInfo& r : blame->revisions) {
    out << "  r" << r.rev << " " << r.kind << (r.stealth ? " (stealth)" : "") << ", effective "
        << FormatTimestamp(r.effective_at);
    if (r.redacted) out << ", REDACTED";
    if (!r.note.empty()) out << ": " << r.note;
    out << "\n";
  }
  return 0;
}

}  // namespace

void RegisterBlameCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<BlameFlags>();
  CLI::App* cmd =
      app.add_subcommand("blame", "Show which revision introduced each sentence of a document");
  cmd->add_option("doc", flags->doc, "Document id")->required();
  cmd->add_option("--rev", flags->rev, "Blame revision N (default: the current one)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", flags->json, "Print JSON: {id, rev, paragraphs, revisions}");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunBlame(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
