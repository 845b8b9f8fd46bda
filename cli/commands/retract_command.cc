// palimpsest retract DOC --note TEXT [--effective TIME] [--json]
//
// Retraction: the publisher withdrew the article; its history stays readable and `show` says
// it is retracted (withholding a revision's content is `redact`, redact_command.cc).

#include "cli/cli_context.h"
#include "cli/write_outcome.h"
#include "palimpsest/doc_id.h"

namespace palimpsest::cli {

namespace {

struct RetractFlags {
  std::string doc;
  std::string note;
  std::string effective;
  bool json = false;
};

int RunRetract(const CliContext& ctx, const RetractFlags& flags) {
  if (Status s = ValidateDocId(flags.doc); !s.ok()) return ctx.Fail(s);
  auto note = NormalizedFlagText("--note", flags.note);
  if (!note.ok()) return ctx.Fail(note.status());
  Timestamp effective = kNoTime;
  if (!flags.effective.empty()) {
    auto t = ParseTimeFlag("--effective", flags.effective, DateOnly::kStartOfDay);
    if (!t.ok()) return ctx.Fail(t.status());
    effective = *t;
  }
  auto archive = ctx.OpenArchive(OpenMode::kReadWrite, Durability::kSync, /*create=*/false);
  if (!archive.ok()) return ctx.Fail(archive.status());
  AppendRequest request;
  request.event.id = DeriveEventId({"retracted", flags.doc, *note, std::to_string(effective)});
  request.event.doc_id = flags.doc;
  request.event.effective_at = effective;
  request.event.body = RetractedEvent{*note};
  return AppendOneAndReport(ctx, **archive, std::move(request), flags.json);
}

}  // namespace

void RegisterRetractCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<RetractFlags>();
  CLI::App* cmd = app.add_subcommand("retract", "Record that the publisher withdrew a document");
  cmd->add_option("doc", flags->doc, "Document id")->required();
  cmd->add_option("--note", flags->note, "The retraction notice or reason")->required();
  cmd->add_option("--effective", flags->effective, "When it was withdrawn (default: now)");
  cmd->add_flag("--json", flags->json, "Print {id, rev, version, status, kind} as JSON");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunRetract(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
