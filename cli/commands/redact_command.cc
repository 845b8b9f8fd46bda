// palimpsest redact DOC --rev N --reason TEXT [--json]
//
// Redaction: one revision's content is no longer served by any read path (show, diff, export);
// history lists it as redacted with reason and actor; verify still passes.

#include "cli/cli_context.h"
#include "cli/write_outcome.h"
#include "palimpsest/doc_id.h"

namespace palimpsest::cli {

namespace {

struct RedactFlags {
  std::string doc;
  uint32_t rev = 0;
  std::string reason;
  bool json = false;
};

int RunRedact(const CliContext& ctx, const RedactFlags& flags) {
  if (Status s = ValidateDocId(flags.doc); !s.ok()) return ctx.Fail(s);
  auto reason = NormalizedFlagText("--reason", flags.reason);
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
  return AppendOneAndReport(ctx, **archive, std::move(request), flags.json, "redacted");
}

}  // namespace

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
