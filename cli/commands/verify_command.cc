// palimpsest verify [--json] [--checkpoint FILE] — exit 0 when intact, 4 on any integrity problem.
//
// The scan runs in a forked child process with a time limit. LMDB has no page checksums: bytes
// flipped in its own page structures (branch pages, page headers, the meta pages) can make a
// reader fault or loop. The parent turns a child that dies by a signal or runs past the limit
// into "verify crashed/timed out while reading the file: the archive is corrupt", exit 4, so
// verify itself never crashes or hangs. The limit is $PALIMPSEST_VERIFY_TIMEOUT seconds (0: no
// limit), else 60 s plus 1 s per 4 MiB of data.mdb, so a large healthy archive is never
// mistaken for a hanging one (cli/isolated_run.h runs the child).
//
// --checkpoint FILE: the output of `palimpsest checkpoint` (text or --json). Verify then also
// proves the log still holds that exact prefix: the event at the checkpoint's seq exists and
// its hash (SHA-256 of its stored bytes, which the chain covers) is the checkpoint's hash.
// Otherwise exit 4 with "log no longer contains checkpoint seq N" (truncated) or "event N
// differs from the checkpoint" (rewritten).

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <ostream>
#include <sstream>

#include "cli/cli_context.h"
#include "cli/isolated_run.h"

namespace palimpsest::cli {

namespace {

struct VerifyFlags {
  bool json = false;
  std::string checkpoint_path;
};

struct Checkpoint {
  uint64_t seq = 0;
  Digest hash{};
};

// Reads `palimpsest checkpoint` output: a JSON object {"seq","hash",...}, or "key value" lines
// (lines starting with '#' and unknown keys are ignored).
Result<Checkpoint> ReadCheckpoint(const CliContext& ctx, const std::string& path) {
  auto text = ReadInput(ctx, path);
  if (!text.ok()) return text.status();
  const std::string bad = "--checkpoint " + path + ": ";
  std::string seq_text, hash_text;
  size_t first = text->find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (*text)[first] == '{') {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(*text, ec);
    if (ec || !v.is_object()) return Status::InvalidArgument(bad + "not a JSON object");
    const boost::json::object& o = v.get_object();
    const boost::json::value* seq = o.if_contains("seq");
    const boost::json::value* hash = o.if_contains("hash");
    if (seq == nullptr || hash == nullptr || !hash->is_string()) {
      return Status::InvalidArgument(bad + "needs \"seq\" and \"hash\"");
    }
    if (seq->is_uint64()) {
      seq_text = std::to_string(seq->get_uint64());
    } else if (seq->is_int64() && seq->get_int64() > 0) {
      seq_text = std::to_string(seq->get_int64());
    } else {
      return Status::InvalidArgument(bad + "\"seq\" is not a positive integer");
    }
    hash_text = std::string(hash->get_string());
  } else {
    std::istringstream lines(*text);
    std::string line;
    while (std::getline(lines, line)) {
      std::istringstream words(line);
      std::string key, value;
      if (!(words >> key) || key[0] == '#') continue;
      words >> value;
      if (key == "seq") seq_text = value;
      if (key == "hash") hash_text = value;
    }
  }
  Checkpoint cp;
  if (seq_text.empty() || seq_text.find_first_not_of("0123456789") != std::string::npos ||
      seq_text.size() > 19 || (cp.seq = std::stoull(seq_text)) == 0) {
    return Status::InvalidArgument(bad +
                                   "no valid seq (expected the output of palimpsest checkpoint)");
  }
  if (!DigestFromString(hash_text, &cp.hash)) {
    return Status::InvalidArgument(bad + "no valid hash (expected sha256:<64 hex digits>)");
  }
  return cp;
}

// Records `problem` first (it is the reason the user asked for) and lowers first_bad_seq.
void AddCheckpointProblem(VerifyReport& r, uint64_t seq, const std::string& problem) {
  r.problems.insert(r.problems.begin(), problem);
  if (r.first_bad_seq == 0 || seq < r.first_bad_seq) r.first_bad_seq = seq;
}

// The whole verify, in this process.
int VerifyHere(const CliContext& ctx, const VerifyFlags& flags,
               const std::optional<Checkpoint>& checkpoint) {
  auto archive = ctx.OpenArchive(OpenMode::kCheck);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto report = (*archive)->Verify();
  if (!report.ok()) return ctx.Fail(report.status());
  VerifyReport& r = *report;
  bool checkpoint_ok = true;
  if (checkpoint) {
    const uint64_t n = checkpoint->seq;
    auto events = (*archive)->ReadLog(n - 1, 1);
    if (!events.ok()) {
      checkpoint_ok = false;
      AddCheckpointProblem(r, n,
                           "event " + std::to_string(n) +
                               " differs from the checkpoint (it cannot be read: " +
                               events.status().message() + ")");
    } else if (events->empty() || events->front().seq != n) {
      checkpoint_ok = false;
      const uint64_t missing = events->empty() ? std::min(n, r.head.seq + 1) : n;
      AddCheckpointProblem(r, missing,
                           "log no longer contains checkpoint seq " + std::to_string(n));
    } else if (ChainHash(events->front()) != checkpoint->hash) {
      checkpoint_ok = false;
      AddCheckpointProblem(r, n, "event " + std::to_string(n) + " differs from the checkpoint");
    }
  }
  if (flags.json) {
    boost::json::array problems;
    for (const std::string& p : r.problems) problems.push_back(boost::json::string(p));
    boost::json::object o{{"ok", r.ok()},
                          {"events", r.events_checked},
                          {"contents", r.contents_checked},
                          {"head_seq", r.head.seq},
                          {"head_hash", DigestToString(r.head.hash)},
                          {"projections_checked", r.projections_checked},
                          {"problems", std::move(problems)}};
    if (!r.ok()) o["first_bad_seq"] = r.first_bad_seq;
    if (checkpoint) {
      o["checkpoint"] = boost::json::object{{"seq", checkpoint->seq},
                                            {"hash", DigestToString(checkpoint->hash)},
                                            {"ok", checkpoint_ok}};
    }
    ctx.PrintJson(o);
  } else if (r.ok()) {
    *ctx.out << "ok: " << r.events_checked << " events, " << r.contents_checked
             << " contents, chain head seq " << r.head.seq << " " << DigestToString(r.head.hash);
    *ctx.out << (r.projections_checked ? "; projections match a rebuild from the log"
                                       : "; projections not checked (archive not writable)");
    if (checkpoint) *ctx.out << "; contains checkpoint seq " << checkpoint->seq;
    *ctx.out << "\n";
  } else {
    *ctx.err << "palimpsest: integrity failure"
             << (r.first_bad_seq ? " at seq " + std::to_string(r.first_bad_seq) : "") << ": "
             << r.problems.front() << "\n";
    for (size_t i = 1; i < r.problems.size(); ++i) *ctx.err << "  " << r.problems[i] << "\n";
  }
  return r.ok() ? 0 : kExitIntegrity;
}

// Seconds the scan may take; 0 for no limit.
uint64_t TimeoutSeconds(const CliContext& ctx) {
  if (ctx.settings.verify_timeout_s) return *ctx.settings.verify_timeout_s;
  const std::string& data_dir = ctx.data_dir;
  uint64_t bytes = 0;
  struct stat st;
  if (stat((data_dir + "/data.mdb").c_str(), &st) == 0) bytes = static_cast<uint64_t>(st.st_size);
  return 60 + bytes / (uint64_t{4} << 20);
}

// Runs VerifyHere in a child; forwards its output and exit code, or reports a crash/timeout.
int RunVerify(const CliContext& ctx, const VerifyFlags& flags) {
  std::optional<Checkpoint> checkpoint;
  if (!flags.checkpoint_path.empty()) {
    auto cp = ReadCheckpoint(ctx, flags.checkpoint_path);
    if (!cp.ok()) return ctx.Fail(cp.status());
    checkpoint = *cp;
  }
  const uint64_t timeout = TimeoutSeconds(ctx);
  ctx.out->flush();
  ctx.err->flush();
  auto run = RunIsolated(
      [&](std::ostream& out, std::ostream& err) {
        CliContext child = ctx;
        child.out = &out;
        child.err = &err;
        return VerifyHere(child, flags, checkpoint);
      },
      timeout);
  if (!run.ok()) return VerifyHere(ctx, flags, checkpoint);  // no child: scan here
  std::string failure;
  switch (run->ending) {
    case IsolatedRun::Ending::kExited:
      *ctx.out << run->out;
      *ctx.err << run->err;
      return run->exit_code;
    case IsolatedRun::Ending::kTimedOut:
      failure = "verify timed out after " + std::to_string(timeout) +
                " s while reading the file: the archive is corrupt";
      break;
    case IsolatedRun::Ending::kCrashed:
      failure = "verify crashed (signal " + std::to_string(run->signal) + ", " +
                ::strsignal(run->signal) + ") while reading the file: the archive is corrupt";
      break;
    case IsolatedRun::Ending::kStopped:
      failure = "verify stopped unexpectedly while reading the file: the archive is corrupt";
      break;
  }
  if (flags.json) {
    ctx.PrintJson(
        boost::json::object{{"ok", false},
                            {"problems", boost::json::array{boost::json::string(failure)}},
                            {"crashed", true}});
  }
  return ctx.Fail(Status::Corruption(failure));
}

}  // namespace

void RegisterVerifyCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<VerifyFlags>();
  CLI::App* cmd = app.add_subcommand("verify", "Check every event, the hash chain and the indexes");
  cmd->add_flag("--json", flags->json, "Print JSON");
  cmd->add_option(
      "--checkpoint", flags->checkpoint_path,
      "Also prove the log still holds the prefix this `palimpsest checkpoint` output names");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunVerify(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
