// palimpsest correct DOC [--file F] --note TEXT [--kind K] [--effective TIME]
//                        [--expect-version N] [--json]
//
// An explicit correction entered by a person: the new body text (plain text, not a page to
// extract) or, without --file, a note-only correction.

#include "cli/cli_context.h"
#include "cli/write_outcome.h"
#include "palimpsest/article.h"
#include "palimpsest/doc_id.h"

namespace palimpsest::cli {

namespace {

struct CorrectFlags {
  std::string doc;
  std::string file;
  std::string note;
  std::string kind = "correction";
  std::string effective;
  int64_t expect_version = -1;
  bool json = false;
};

int RunCorrect(const CliContext& ctx, const CorrectFlags& flags) {
  if (Status s = ValidateDocId(flags.doc); !s.ok()) return ctx.Fail(s);
  CorrectedEvent corrected;
  if (!ParseCorrectionKind(flags.kind, &corrected.kind)) {
    return ctx.Fail(Status::InvalidArgument(
        "--kind must be correction, clarification, update or editorial, not '" + flags.kind + "'"));
  }
  auto note = NormalizeNfc(flags.note);
  if (!note.ok()) return ctx.Fail(note.status().WithContext("--note"));
  corrected.note = CollapseWhitespace(*note);
  if (corrected.note.empty()) return ctx.Fail(Status::InvalidArgument("--note is empty"));
  Timestamp effective = kNoTime;
  if (!flags.effective.empty()) {
    auto t = ParseTimeFlag("--effective", flags.effective, DateOnly::kStartOfDay);
    if (!t.ok()) return ctx.Fail(t.status());
    effective = *t;
  }
  std::string text;
  if (!flags.file.empty()) {
    auto read = ReadInput(ctx, flags.file);
    if (!read.ok()) return ctx.Fail(read.status());
    text = std::move(read).value();
    if (CollapseWhitespace(text).empty()) {
      return ctx.Fail(Status::InvalidArgument(flags.file + " is empty"));
    }
    if (!LooksLikeText(text)) {
      return ctx.Fail(Status::InvalidArgument(flags.file + " is not UTF-8 text"));
    }
    corrected.has_text = true;
    corrected.text = {Sha256(text), text.size()};
  }

  auto archive = ctx.OpenArchive(OpenMode::kReadWrite, Durability::kSync, /*create=*/false);
  if (!archive.ok()) return ctx.Fail(archive.status());
  AppendRequest request;
  if (flags.expect_version >= 0) request.expected_version = flags.expect_version;
  Event& event = request.event;
  event.id = DeriveEventId(
      {"corrected", flags.doc, CorrectionKindName(corrected.kind), corrected.note,
       corrected.has_text ? AsBytes(corrected.text.sha256) : "", std::to_string(effective)});
  event.doc_id = flags.doc;
  event.effective_at = effective;
  event.actor = ctx.settings.actor;
  event.correlation_id = NewCorrelationId();
  event.body = std::move(corrected);
  if (!text.empty()) request.contents.push_back(std::move(text));
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(request));
  auto appended = (*archive)->Append(std::move(batch));
  if (!appended.ok()) return ctx.Fail(appended.status());
  return ReportWriteOutcome(ctx, **archive, appended->front().doc_id, appended->front(),
                            flags.json);
}

}  // namespace

void RegisterCorrectCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<CorrectFlags>();
  CLI::App* cmd = app.add_subcommand("correct", "Record an explicit correction of a document");
  cmd->add_option("doc", flags->doc, "Document id")->required();
  cmd->add_option("--file", flags->file, "The corrected body as plain text (- for stdin)");
  cmd->add_option("--note", flags->note, "The correction note, as published")->required();
  cmd->add_option("--kind", flags->kind, "correction (default), clarification, update, editorial");
  cmd->add_option("--effective", flags->effective, "When it took effect (default: now)");
  cmd->add_option("--expect-version", flags->expect_version,
                  "Fail with exit 3 unless the document is at this version")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--json", flags->json, "Print {id, rev, version, status, kind} as JSON");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunCorrect(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
