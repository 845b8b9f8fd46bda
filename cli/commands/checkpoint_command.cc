// palimpsest checkpoint [--json]
//
// Prints the chain head — the last event's seq, its hash (SHA-256 of its stored bytes, the
// value the next event's prev_hash chains to) and its recorded time — for keeping somewhere
// else (a notebook, another machine, a signed message). A log truncated at its tail still
// verifies on its own; `palimpsest verify --checkpoint FILE` with this output proves the log
// still holds that exact prefix.
//
// Text output, one "key value" line each (what verify --checkpoint reads back):
//   seq 42
//   hash sha256:<64 hex>
//   recorded_at 2024-01-01T00:00:00Z
// --json: {"seq","hash","recorded_at"} on one line.

#include <ostream>

#include "cli/cli_context.h"

namespace palimpsest::cli {

namespace {

int RunCheckpoint(const CliContext& ctx, bool json) {
  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto head = (*archive)->Head();
  if (!head.ok()) return ctx.Fail(head.status());
  if (head->seq == 0) {
    return ctx.Fail(Status::NotFound("the archive is empty: there is no chain head to checkpoint"));
  }
  // Take the hash from the event itself, not only from the stored head, and refuse to hand
  // out a checkpoint of an archive whose head does not match its log.
  auto events = (*archive)->ReadLog(head->seq - 1, 1);
  if (!events.ok()) return ctx.Fail(events.status());
  if (events->empty() || events->front().seq != head->seq) {
    return ctx.Fail(Status::Corruption("the chain head names seq " + std::to_string(head->seq) +
                                       " but the log has no such event (run palimpsest verify)"));
  }
  const Event& last = events->front();
  const Digest hash = ChainHash(last);
  if (hash != head->hash) {
    return ctx.Fail(Status::Corruption("the chain head does not match event " +
                                       std::to_string(head->seq) + " (run palimpsest verify)"));
  }
  const std::string recorded = FormatTimestamp(last.recorded_at);
  if (json) {
    ctx.PrintJson(boost::json::object{
        {"seq", last.seq}, {"hash", DigestToString(hash)}, {"recorded_at", recorded}});
  } else {
    *ctx.out << "seq " << last.seq << "\nhash " << DigestToString(hash) << "\nrecorded_at "
             << recorded << "\n";
  }
  return 0;
}

}  // namespace

void RegisterCheckpointCommand(CLI::App& app, CliContext& ctx) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "checkpoint",
      "Print the chain head (seq, hash, time) to keep elsewhere for verify --checkpoint");
  cmd->add_flag("--json", *json, "Print {seq, hash, recorded_at}");
  cmd->callback([&ctx, json] { ctx.run = [&ctx, json] { return RunCheckpoint(ctx, *json); }; });
}

}  // namespace palimpsest::cli
