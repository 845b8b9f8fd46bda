// palimpsest show DOC [--rev N | --seq S | --as-of TIME] [--known-at TIME] [--raw] [--json]

#include <ostream>

#include "cli/cli_context.h"
#include "cli/json/json_format.h"

namespace palimpsest::cli {

namespace {

struct ShowFlags {
  std::string doc;
  int64_t rev = -1;
  int64_t seq = -1;
  std::string as_of;
  std::string known_at;
  bool raw = false;
  bool json = false;
};

void PrintText(std::ostream& out, const DocumentView& v) {
  const RevisionInfo& r = v.revision;
  out << v.content.title << "\n";
  if (!v.content.dek.empty()) out << v.content.dek << "\n";
  if (!v.content.byline.empty()) out << "By " << v.content.byline << "\n";
  out << "id " << v.id << " · rev " << r.rev << " (" << r.kind << (r.stealth ? ", stealth" : "")
      << ") · version " << v.version << "\n";
  if (v.content.published_at != kNoTime) {
    out << "published " << FormatTimestamp(v.content.published_at) << "\n";
  }
  if (v.content.updated_at != kNoTime) {
    out << "updated " << FormatTimestamp(v.content.updated_at) << "\n";
  }
  out << "effective " << FormatTimestamp(r.effective_at) << " · recorded "
      << FormatTimestamp(r.recorded_at) << "\n";
  if (!v.content.dateline.empty()) out << "dateline " << v.content.dateline << "\n";
  if (!v.content.outlet.empty()) out << "outlet " << v.content.outlet << "\n";
  if (!v.source.empty()) out << "source " << v.source << "\n";
  if (!v.url.empty()) out << "url " << v.url << "\n";
  if (!v.content.canonical_url.empty() && v.content.canonical_url != v.url) {
    out << "canonical " << v.content.canonical_url << "\n";
  }
  if (v.retracted) out << "RETRACTED" << (r.note.empty() ? "" : ": " + r.note) << "\n";
  if (r.redacted) {
    out << "REDACTED: " << r.redaction_reason << "\n";
    return;
  }
  out << "\n" << v.content.body << "\n";
  for (const ArticleNote& n : v.content.notes) {
    out << "\nNote";
    if (n.effective_at != kNoTime)
      out << " (" << FormatTimestamp(n.effective_at).substr(0, 10) << ")";
    out << ": " << n.text << "\n";
  }
}

int RunShow(const CliContext& ctx, const ShowFlags& flags) {
  RevisionSelector selector;
  if (flags.rev >= 0) selector.rev = static_cast<uint32_t>(flags.rev);
  if (flags.seq >= 0) selector.seq = static_cast<uint64_t>(flags.seq);
  for (Status s :
       {ParseOptionalTimeFlag("--as-of", flags.as_of, DateOnly::kEndOfDay, &selector.as_of),
        ParseOptionalTimeFlag("--known-at", flags.known_at, DateOnly::kEndOfDay,
                              &selector.known_at)}) {
    if (!s.ok()) return ctx.Fail(s);
  }
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto named = DocumentNamed(**archive, flags.doc);
  if (!named.ok()) return ctx.Fail(named.status());
  auto view = (*archive)->GetDocument(*named, selector);
  if (!view.ok()) return ctx.Fail(view.status());
  if (flags.raw) {
    const RevisionInfo& r = view->revision;
    if (r.redacted) {
      return ctx.Fail(Status::NotFound("rev " + std::to_string(r.rev) + " of '" + *named +
                                       "' is redacted: " + r.redaction_reason));
    }
    if (!r.has_raw) {
      return ctx.Fail(Status::NotFound("rev " + std::to_string(r.rev) + " of '" + *named +
                                       "' is a " + r.kind + " entered by hand; it has no capture"));
    }
    auto raw = (*archive)->ReadContent(r.raw_hash);
    if (!raw.ok()) return ctx.Fail(raw.status());
    ctx.out->write(raw->data(), static_cast<std::streamsize>(raw->size()));
    return 0;
  }
  if (flags.json) {
    ctx.PrintJson(DocumentJson(*view));
  } else {
    TerminalWriter terminal(*ctx.out);
    PrintText(terminal.stream(), *view);
  }
  return 0;
}

}  // namespace

void RegisterShowCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<ShowFlags>();
  CLI::App* cmd =
      app.add_subcommand("show", "Show a document: current, a revision, or as of a time");
  cmd->add_option("doc", flags->doc, "Document id, or a URL it was seen at")->required();
  auto* rev = cmd->add_option("--rev", flags->rev, "Revision number")->check(CLI::PositiveNumber);
  auto* as_of = cmd->add_option("--as-of", flags->as_of,
                                "The revision in effect at this time (a date means its end)");
  auto* seq = cmd->add_option("--seq", flags->seq,
                              "The revision the event at this seq introduced (a reference no "
                              "backfill renumbers)")
                  ->check(CLI::PositiveNumber);
  rev->excludes(as_of);
  seq->excludes(rev);
  seq->excludes(as_of);
  cmd->add_option("--known-at", flags->known_at,
                  "As the archive knew it at this time (recorded time; combines with the others)");
  cmd->add_flag("--raw", flags->raw, "Print the capture's bytes exactly as ingested");
  cmd->add_flag("--json", flags->json, "Print JSON");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunShow(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
