// palimpsest verify [--json] — exit 0 when intact, 4 on any integrity problem.

#include <ostream>

#include "cli/cli_context.h"

namespace palimpsest::cli {

namespace {

int RunVerify(const CliContext& ctx, bool json) {
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto report = (*archive)->Verify();
  if (!report.ok()) return ctx.Fail(report.status());
  const VerifyReport& r = *report;
  if (json) {
    boost::json::array problems;
    for (const std::string& p : r.problems) problems.push_back(boost::json::string(p));
    boost::json::object o{{"ok", r.ok()},
                          {"events", r.events_checked},
                          {"contents", r.contents_checked},
                          {"head_seq", r.head.seq},
                          {"head_hash", DigestToString(r.head.hash)},
                          {"problems", std::move(problems)}};
    if (!r.ok()) o["first_bad_seq"] = r.first_bad_seq;
    ctx.PrintJson(o);
  } else if (r.ok()) {
    *ctx.out << "ok: " << r.events_checked << " events, " << r.contents_checked
             << " contents, chain head seq " << r.head.seq << " " << DigestToString(r.head.hash)
             << "\n";
  } else {
    *ctx.err << "palimpsest: integrity failure"
             << (r.first_bad_seq ? " at seq " + std::to_string(r.first_bad_seq) : "") << ": "
             << r.problems.front() << "\n";
    for (size_t i = 1; i < r.problems.size(); ++i) *ctx.err << "  " << r.problems[i] << "\n";
  }
  return r.ok() ? 0 : static_cast<int>(StatusCode::kCorruption);
}

}  // namespace

void RegisterVerifyCommand(CLI::App& app, CliContext& ctx) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("verify", "Check every event, the hash chain and the indexes");
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([&ctx, json] { ctx.run = [&ctx, json] { return RunVerify(ctx, *json); }; });
}

}  // namespace palimpsest::cli
