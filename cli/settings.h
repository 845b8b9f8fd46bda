// The process environment the command line depends on, read once by RunCli, validated, and
// handed down in CliContext: no other file of the front ends calls getenv, and a malformed
// value is an error naming the variable rather than a silent default.

#ifndef PALIMPSEST_CLI_SETTINGS_H_
#define PALIMPSEST_CLI_SETTINGS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "palimpsest/status.h"

namespace palimpsest::cli {

struct Settings {
  // $PALIMPSEST_DATA: the archive directory when --data is not given (empty when unset).
  std::string data_dir;
  // $PALIMPSEST_LOG: the shared log when --log is not given (empty when unset).
  std::string log_url;
  // $PALIMPSEST_LOCK_TIMEOUT_MS: how long a writer waits for another's lock (0 to 86,400,000).
  std::optional<int> lock_timeout_ms;
  // $PALIMPSEST_VERIFY_TIMEOUT: seconds `verify`'s scan may take (0: no limit).
  std::optional<uint64_t> verify_timeout_s;
  // $NO_COLOR set and not empty (https://no-color.org): no colour in `auto` mode.
  bool no_color = false;
  // The actor of events this user writes: "cli:" + $USER, else the account name, else the uid.
  std::string actor;
};

// Looks up an environment variable; nullptr when unset.
using EnvLookup = std::function<const char*(const char*)>;

// Reads the settings through `lookup`. InvalidArgument naming the variable when a number is
// malformed or out of range.
Result<Settings> ReadSettings(const EnvLookup& lookup);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_SETTINGS_H_
