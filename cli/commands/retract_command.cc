// palimpsest retract DOC --note TEXT [--effective TIME] [--json]
// palimpsest redact DOC --rev N --reason TEXT [--json]
//
// Retraction: the publisher withdrew the article; its history stays readable and `show` says
// it is retracted. Redaction: one revision's content is no longer served by any read path
// (show, diff, export); history lists it as redacted with reason and actor; verify still passes.

#include "cli/cli_context.h"
#include "cli/write_outcome.h"
#include "palimpsest/article.h"
#include "palimpsest/doc_id.h"

namespace palimpsest::cli {

namespace {

struct RetractFlags {
  std::string doc;
  std::string note;
  std::string effective;
  bool json = false;
};

struct RedactFlags {
  std::string doc;
  uint32_t rev = 0;
  std::string reason;
  bool json = false;
};

// Appends one event for an existing document; returns the exit code.
int AppendToExisting(const CliContext& ctx, Archive& archive, AppendRequest request, bool json,
                     const std::string& status_override = "") {
  const std::string doc = request.event.doc_id;
  request.event.actor = CliActor();
  request.event.correlation_id = NewCorrelationId();
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(request));
  auto appended = archive.Append(std::move(batch));
  if (!appended.ok()) return ctx.Fail(appended.status());
  return ReportWriteOutcome(ctx, archive, doc, appended->front(), json, status_override);
}

Result<std::string> NormalizedText(const std::string& flag, const std::string& text) {
  auto nfc = NormalizeNfc(text);
  if (!nfc.ok()) return nfc.status().WithContext(flag);
  std::string collapsed = CollapseWhitespace(*nfc);
  if (collapsed.empty()) return Status::InvalidArgument(flag + " is empty");
  return collapsed;
}

int RunRetract(const CliContext& ctx, const RetractFlags& flags) {
  if (Status s = ValidateDocId(flags.doc); !s.ok()) return ctx.Fail(s);
  auto note = NormalizedText("--note", flags.note);
  if (!note.ok()) return ctx.Fail(note.status());
  Timestamp effective = kNoTime;
  if (!flags.effective.empty()) {
    auto t = ParseTimeFlag("--effective", flags.effective, DateOnly::kStartOfDay);
    if (!t.ok()) return ctx.Fail(t.status());
    effective = *t;
  }
  auto archive = ctx.OpenArchive(OpenMode::kReadWrite, Durability::kSync, /*create=*/false);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto current = (*archive)->GetDocument(flags.doc, {});
  if (!current.ok()) return ctx.Fail(current.status());
  if (current->retracted) {
    return ctx.Fail(Status::Conflict("document '" + flags.doc + "' is already retracted"));
  }
  AppendRequest request;
  request.event.id = DeriveEventId({"retracted", flags.doc, *note, std::to_string(effective)});
  request.event.doc_id = flags.doc;
  request.event.effective_at = effective;
  request.event.body = RetractedEvent{*note};
  return AppendToExisting(ctx, **archive, std::move(request), flags.json);
}

int RunRedact(const CliContext& ctx, const RedactFlags& flags) {
  if (Status s = ValidateDocId(flags.doc); !s.ok()) return ctx.Fail(s);
  auto reason = NormalizedText("--reason", flags.reason);
  if (!reason.ok()) return ctx.Fail(reason.status());
  auto archive = ctx.OpenArchive(OpenMode::kReadWrite, Durability::kSync, /*create=*/false);
  if (!archive.ok()) return ctx.Fail(archive.status());
  RevisionSelector selector;
  selector.rev = flags.rev;
  auto target = (*archive)->GetDocument(flags.doc, selector);
  if (!target.ok()) return ctx.Fail(target.status());
  AppendRequest request;
  request.event.id =
      DeriveEventId({"redacted", flags.doc, std::to_string(target->revision.seq), *reason});
  request.event.doc_id = flags.doc;
  request.event.body = RedactedEvent{target->revision.seq, *reason};
  return AppendToExisting(ctx, **archive, std::move(request), flags.json, "redacted");
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

void RegisterRedactCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<RedactFlags>();
  CLI::App* cmd = app.add_subcommand("redact", "Stop serving one revision's content");
  cmd->add_option("doc", flags->doc, "Document id")->required();
  cmd->add_option("--rev", flags->rev, "The revision to redact")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--reason", flags->reason, "Why (legal, personal data …); shown in history")
      ->required();
  cmd->add_flag("--json", flags->json, "Print {id, rev, version, status, kind} as JSON");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunRedact(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
