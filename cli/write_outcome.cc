#include "cli/write_outcome.h"

#include <ostream>
#include <utility>
#include <vector>

#include "palimpsest/article.h"

namespace palimpsest::cli {

std::string_view OutcomeName(AppendOutcome outcome) {
  switch (outcome) {
    case AppendOutcome::kCreated:
      return "created";
    case AppendOutcome::kRevised:
      return "revised";
    case AppendOutcome::kUnchanged:
      break;
  }
  return "unchanged";
}

void CatchUpAfterWrite(const CliContext& ctx, Archive& archive) {
  // The write is committed and reported; bringing the asynchronous projections up to date is
  // follow-up work that cannot undo it, so a failure here is a warning.
  auto caught_up = archive.CatchUp(UINT64_MAX);
  if (!caught_up.ok()) {
    *ctx.err << "palimpsest: warning: change summaries and search index not updated: "
             << caught_up.status().message() << "\n";
  }
}

int ReportWriteOutcome(const CliContext& ctx, Archive& archive, const std::string& doc_id,
                       const AppendResult& appended, bool json,
                       const std::string& status_override) {
  if (appended.rev == 0) {
    return ctx.Fail(Status::Corruption("document '" + doc_id + "' has events but no revision"));
  }
  const std::string status =
      !status_override.empty() ? status_override : std::string(OutcomeName(appended.outcome));
  if (json) {
    ctx.PrintJson(boost::json::object{{"id", doc_id},
                                      {"rev", appended.rev},
                                      {"version", appended.version},
                                      {"status", status},
                                      {"kind", appended.kind},
                                      {"seq", appended.seq},
                                      {"duplicate", appended.duplicate}});
    CatchUpAfterWrite(ctx, archive);
    return 0;
  }
  *ctx.out << doc_id << ": " << status << ", rev " << appended.rev << " (" << appended.kind
           << (appended.stealth ? ", stealth" : "") << "), version " << appended.version
           << (appended.duplicate ? " — already recorded, nothing written" : "") << "\n";
  CatchUpAfterWrite(ctx, archive);
  return 0;
}

int AppendOneAndReport(const CliContext& ctx, Archive& archive, AppendRequest request, bool json,
                       const std::string& status_override) {
  request.event.actor = ctx.settings.actor;
  request.event.correlation_id = NewCorrelationId();
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(request));
  auto appended = archive.Append(std::move(batch));
  if (!appended.ok()) return ctx.Fail(appended.status());
  // The document written: a merge may have joined the one named to another.
  return ReportWriteOutcome(ctx, archive, appended->front().doc_id, appended->front(), json,
                            status_override);
}

Result<std::string> NormalizedFlagText(const std::string& flag, const std::string& text) {
  auto nfc = NormalizeNfc(text);
  if (!nfc.ok()) return nfc.status().WithContext(flag);
  std::string collapsed = CollapseWhitespace(*nfc);
  if (collapsed.empty()) return Status::InvalidArgument(flag + " is empty");
  return collapsed;
}

}  // namespace palimpsest::cli
