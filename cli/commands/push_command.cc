// palimpsest push --log URL — moves this (single-machine) archive into a shared log: every
// event, with its seq, recorded time and chain hash, in entries of the shared log after what
// it already holds (which must be the start of the same chain, so an interrupted push goes on
// where it stopped). A node directory (--node-data, else a temporary one removed afterwards)
// applies the entries as any node would; the push ends with the same chain head as here.
// Prints {"events", "pushed", "head_seq", "head_hash", "log"}.

#include <stdlib.h>

#include <filesystem>

#include "cli/cli_context.h"
#include "cli/exported_events.h"

namespace palimpsest::cli {

namespace {

constexpr size_t kEventsPerPush = 1000;

struct PushFlags {
  std::string node_data;
};

// A directory for the pushing node: `node_data`, else a fresh temporary one (`*temporary`).
Result<std::string> NodeDirectory(const std::string& node_data, bool* temporary) {
  *temporary = node_data.empty();
  if (!*temporary) return node_data;
  std::string pattern = (std::filesystem::temp_directory_path() / "palimpsest-push-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return Status::IOError("cannot create a temporary node directory in " +
                           std::filesystem::temp_directory_path().string());
  }
  return pattern;
}

Status Push(const CliContext& ctx, Archive& source, const std::string& node_dir, uint64_t* pushed) {
  CliContext node_ctx = ctx;
  node_ctx.data_dir = node_dir;
  PALIMPSEST_ASSIGN_OR_RETURN(std::unique_ptr<Archive> node,
                              node_ctx.OpenArchive(OpenMode::kReadWrite, Durability::kNoSync));
  PALIMPSEST_ASSIGN_OR_RETURN(const ChainHead head, source.Head());
  // What the log holds already (an earlier, perhaps interrupted, push) is not pushed again.
  for (;;) {
    PALIMPSEST_ASSIGN_OR_RETURN(const uint64_t applied, node->FollowLog(0));
    if (applied == 0) break;
  }
  PALIMPSEST_ASSIGN_OR_RETURN(const ChainHead before, node->Head());
  for (uint64_t after = 0; after < head.seq;) {
    PALIMPSEST_ASSIGN_OR_RETURN(
        std::vector<AppendRequest> page,
        ExportedEvents(source, after, std::min<uint64_t>(kEventsPerPush, head.seq - after)));
    if (page.empty()) break;
    after = page.back().event.seq;
    PALIMPSEST_RETURN_IF_ERROR(node->Restore(std::move(page)));
  }
  PALIMPSEST_ASSIGN_OR_RETURN(const ChainHead now, node->Head());
  if (now.seq < head.seq || now.hash != head.hash) {
    return Status::Corruption("the shared log ends at seq " + std::to_string(now.seq) +
                              ", not at this archive's head " + std::to_string(head.seq));
  }
  *pushed = now.seq - std::min(now.seq, before.seq);
  return Status::OK();
}

int RunPush(const CliContext& ctx, const PushFlags& flags) {
  if (ctx.log_url.empty()) {
    return ctx.Fail(Status::InvalidArgument("push needs the shared log: --log nats://HOST:PORT"));
  }
  auto source = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!source.ok()) return ctx.Fail(source.status());
  bool temporary = false;
  auto node_dir = NodeDirectory(flags.node_data, &temporary);
  if (!node_dir.ok()) return ctx.Fail(node_dir.status());
  uint64_t pushed = 0;
  Status s = Push(ctx, **source, *node_dir, &pushed);
  if (temporary) {
    std::error_code ec;
    std::filesystem::remove_all(*node_dir, ec);
  }
  if (!s.ok()) return ctx.Fail(s);
  auto head = (*source)->Head();
  if (!head.ok()) return ctx.Fail(head.status());
  ctx.PrintJson(boost::json::object{{"events", head->seq},
                                    {"pushed", pushed},
                                    {"head_seq", head->seq},
                                    {"head_hash", DigestToString(head->hash)},
                                    {"log", ctx.log_url}});
  return 0;
}

}  // namespace

void RegisterPushCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<PushFlags>();
  CLI::App* cmd = app.add_subcommand(
      "push", "Move this archive's log into a shared log (--log), keeping its chain head");
  cmd->add_option("--node-data", flags->node_data,
                  "Keep the pushing node's directory here (default: a temporary one)");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunPush(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
