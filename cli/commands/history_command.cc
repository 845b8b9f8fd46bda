// palimpsest history DOC [--known-at TIME] [--json]

#include <ostream>

#include "cli/cli_context.h"
#include "cli/json/json_format.h"

namespace palimpsest::cli {

namespace {

struct HistoryFlags {
  std::string doc;
  std::string known_at;
  bool json = false;
};

int RunHistory(const CliContext& ctx, const HistoryFlags& flags) {
  Timestamp known_at = kNoTime;
  if (Status s =
          ParseOptionalTimeFlag("--known-at", flags.known_at, DateOnly::kEndOfDay, &known_at);
      !s.ok()) {
    return ctx.Fail(s);
  }
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto named = DocumentNamed(**archive, flags.doc);
  if (!named.ok()) return ctx.Fail(named.status());
  auto history = (*archive)->HistoryKnownAt(*named, known_at);
  if (!history.ok()) return ctx.Fail(history.status());
  auto urls = (*archive)->DocumentUrls(*named);
  if (!urls.ok()) return ctx.Fail(urls.status());
  auto doc = (*archive)->ResolveDocument(*named);
  if (!doc.ok()) return ctx.Fail(doc.status());
  if (flags.json) {
    ctx.PrintJson(HistoryJson(*doc, *urls, *history));
    return 0;
  }
  TerminalWriter terminal(*ctx.out);
  std::ostream& out = terminal.stream();
  out << doc->id << ": " << history->size() << " revision" << (history->size() == 1 ? "" : "s")
      << "\n";
  for (const DocumentUrl& u : *urls) {
    out << "  seen at " << u.url << "  " << FormatTimestamp(u.first_seen);
    if (u.last_seen != u.first_seen) out << " .. " << FormatTimestamp(u.last_seen);
    out << "\n";
  }
  for (const DocumentMerge& m : doc->merges) {
    out << "  merged in " << m.from << "  " << FormatTimestamp(m.recorded_at) << "  (seq " << m.seq
        << ")\n";
  }
  for (const RevisionInfo& r : *history) {
    out << "  rev " << r.rev << "  " << r.kind << (r.stealth ? " (stealth)" : "") << "  effective "
        << FormatTimestamp(r.effective_at) << "  recorded " << FormatTimestamp(r.recorded_at)
        << "  +" << r.words_added << "/-" << r.words_removed << " words\n";
    if (r.last_seen_at != kNoTime && r.last_seen_at != r.captured_at) {
      out << "         last seen " << FormatTimestamp(r.last_seen_at) << "\n";
    }
    if (!r.merged_from.empty()) out << "         from " << r.merged_from << "\n";
    if (!r.note.empty()) out << "         note: " << r.note << "\n";
    if (r.redacted)
      out << "         REDACTED by " << r.redaction_actor << ": " << r.redaction_reason << "\n";
  }
  return 0;
}

}  // namespace

void RegisterHistoryCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<HistoryFlags>();
  CLI::App* cmd = app.add_subcommand("history", "List a document's revisions");
  cmd->add_option("doc", flags->doc, "Document id, or a URL it was seen at")->required();
  cmd->add_option("--known-at", flags->known_at,
                  "The revisions recorded by this time, numbered as the archive knew them then");
  cmd->add_flag("--json", flags->json,
                "Print JSON: {id, urls: [...], merges: [...], revisions: [...]}");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunHistory(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
