// What every subcommand shares: the data directory, output mode, and the helpers that turn
// Status values into one-line errors and exit codes (the table in README.md, "Exit codes").
//
// main() owns the CliContext and hands it to each Register*Command; a command's callback runs
// after parsing and returns the process exit code.

#ifndef PALIMPSEST_CLI_CLI_CONTEXT_H_
#define PALIMPSEST_CLI_CLI_CONTEXT_H_

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <functional>
#include <iosfwd>
#include <memory>
#include <sstream>
#include <string>

#include "cli/exit_codes.h"
#include "cli/settings.h"
#include "palimpsest/archive.h"
#include "palimpsest/event_text.h"

namespace palimpsest::cli {

struct CliContext {
  std::string data_dir;  // resolved after parsing: --data, $PALIMPSEST_DATA, ./palimpsest-data
  Settings settings;     // the environment, read once
  std::string log_url;   // --log, $PALIMPSEST_LOG: the shared log (empty: the archive's own)
  std::string log_stream = "PALIMPSEST";  // --log-stream
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  std::istream* in = nullptr;
  // The selected subcommand's action; returns the exit code.
  std::function<int()> run;

  // Opens the archive in `mode` with the CLI's defaults.
  // Write commands that need existing documents pass create = false, so a typo in --data
  // does not leave an empty archive behind. A read-write open of an archive whose projections
  // an older extractor built prints a one-line hint to run `palimpsest replay` on err, unless
  // `stale_hint` is false (replay itself).
  Result<std::unique_ptr<Archive>> OpenArchive(OpenMode mode,
                                               Durability durability = Durability::kSync,
                                               bool create = true, bool stale_hint = true) const;

  // Prints "palimpsest: <message>" to err (control characters escaped) and returns the
  // status's exit code.
  int Fail(const Status& status) const;

  // Prints `value` as one line of JSON to out.
  void PrintJson(const boost::json::value& value) const;
};

// Collects a plain (non-JSON) view and, when destroyed, prints it to `out` with control
// characters and bytes that are not UTF-8 escaped (EscapeForTerminal), so text an event holds
// (an ESC in a title, a note) cannot drive the reader's terminal.
class TerminalWriter {
 public:
  explicit TerminalWriter(std::ostream& out) : out_(out) {}
  ~TerminalWriter();
  TerminalWriter(const TerminalWriter&) = delete;
  TerminalWriter& operator=(const TerminalWriter&) = delete;

  std::ostream& stream() { return buffer_; }

 private:
  std::ostream& out_;
  std::ostringstream buffer_;
};

// Reads a whole file, or standard input for "-". InvalidArgument for a missing or unreadable
// file, naming it.
Result<std::string> ReadInput(const CliContext& ctx, const std::string& path);

// The document a DOC argument names: a doc id as it is, or a URL (it holds "://") resolved to
// the document seen at that address in any of its forms (Archive::FindDocumentByUrl).
Result<std::string> DocumentNamed(Archive& archive, const std::string& doc_or_url);

// Parses a --as-of / --known-at / --captured style flag; date-only per `date_only`.
Result<Timestamp> ParseTimeFlag(const std::string& flag, const std::string& value,
                                DateOnly date_only);

// The same for an optional flag: leaves *out untouched when `value` is empty.
Status ParseOptionalTimeFlag(const std::string& flag, const std::string& value, DateOnly date_only,
                             Timestamp* out);

// Parses a duration flag: seconds ("90"), or a number with a unit s, m, h or d ("15m", "6h").
// InvalidArgument naming `flag` unless it is between one second and a year.
Result<int64_t> ParseDuration(const std::string& flag, const std::string& value);

// The webhook secret in `path`: its first line, without the line end. "" for an empty path;
// InvalidArgument when the file cannot be read or its first line is empty.
Result<std::string> ReadHookSecret(const std::string& path);

// A fresh random correlation id for one command's batch: "PREFIX-<16 hex digits>" ("cli" for
// the command line, "http" for the write API).
std::string NewCorrelationId(std::string_view prefix = "cli");

// Registration of each subcommand (one file each).
void RegisterIngestCommand(CLI::App& app, CliContext& ctx);
void RegisterImportCommand(CLI::App& app, CliContext& ctx);
void RegisterCorrectCommand(CLI::App& app, CliContext& ctx);
void RegisterRetractCommand(CLI::App& app, CliContext& ctx);
void RegisterRedactCommand(CLI::App& app, CliContext& ctx);
void RegisterShowCommand(CLI::App& app, CliContext& ctx);
void RegisterHistoryCommand(CLI::App& app, CliContext& ctx);
void RegisterDiffCommand(CLI::App& app, CliContext& ctx);
void RegisterListCommand(CLI::App& app, CliContext& ctx);
void RegisterLogCommand(CLI::App& app, CliContext& ctx);
void RegisterStatsCommand(CLI::App& app, CliContext& ctx);
void RegisterVerifyCommand(CLI::App& app, CliContext& ctx);
void RegisterReplayCommand(CLI::App& app, CliContext& ctx);
void RegisterExportCommand(CLI::App& app, CliContext& ctx);
void RegisterRestoreCommand(CLI::App& app, CliContext& ctx);
void RegisterServeCommand(CLI::App& app, CliContext& ctx);
void RegisterCheckpointCommand(CLI::App& app, CliContext& ctx);
void RegisterBackupCommand(CLI::App& app, CliContext& ctx);
void RegisterCompactCommand(CLI::App& app, CliContext& ctx);
void RegisterBlameCommand(CLI::App& app, CliContext& ctx);
void RegisterChangesCommand(CLI::App& app, CliContext& ctx);
void RegisterSearchCommand(CLI::App& app, CliContext& ctx);
void RegisterWatchCommand(CLI::App& app, CliContext& ctx);
void RegisterPushCommand(CLI::App& app, CliContext& ctx);
void RegisterSyncCommand(CLI::App& app, CliContext& ctx);
// `watch run`, a subcommand of `watch` (cli/commands/watch_run_command.cc).
void RegisterWatchRunCommand(CLI::App& watch, CliContext& ctx);
// `watch hook`, a subcommand of `watch` (cli/commands/watch_hook_command.cc).
void RegisterWatchHookCommand(CLI::App& watch, CliContext& ctx);

// Runs the whole command line; returns the exit code. main() is a thin wrapper.
int RunCli(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_CLI_CONTEXT_H_
