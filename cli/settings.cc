#include "cli/settings.h"

#include <pwd.h>
#include <unistd.h>

#include <charconv>
#include <string_view>

namespace palimpsest::cli {

namespace {

// A decimal number in [0, max] from variable `name`; nullopt when unset or empty.
Result<std::optional<uint64_t>> ReadNumber(const EnvLookup& lookup, const char* name,
                                           uint64_t max) {
  const char* value = lookup(name);
  if (value == nullptr || *value == '\0') return std::optional<uint64_t>();
  const std::string_view text(value);
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n > max) {
    return Status::InvalidArgument("$" + std::string(name) + " must be a whole number from 0 to " +
                                   std::to_string(max) + ", not '" + std::string(text) + "'");
  }
  return std::optional<uint64_t>(n);
}

std::string Actor(const EnvLookup& lookup) {
  if (const char* user = lookup("USER"); user && *user) return std::string("cli:") + user;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name) {
    return std::string("cli:") + pw->pw_name;
  }
  return "cli:uid" + std::to_string(getuid());
}

}  // namespace

Result<Settings> ReadSettings(const EnvLookup& lookup) {
  Settings settings;
  if (const char* data = lookup("PALIMPSEST_DATA")) settings.data_dir = data;
  if (const char* log = lookup("PALIMPSEST_LOG")) settings.log_url = log;
  constexpr uint64_t kDayMs = 86'400'000;
  PALIMPSEST_ASSIGN_OR_RETURN(auto lock_ms,
                              ReadNumber(lookup, "PALIMPSEST_LOCK_TIMEOUT_MS", kDayMs));
  if (lock_ms) settings.lock_timeout_ms = static_cast<int>(*lock_ms);
  PALIMPSEST_ASSIGN_OR_RETURN(settings.verify_timeout_s,
                              ReadNumber(lookup, "PALIMPSEST_VERIFY_TIMEOUT", UINT32_MAX));
  const char* no_color = lookup("NO_COLOR");
  settings.no_color = no_color != nullptr && *no_color != '\0';
  settings.actor = Actor(lookup);
  return settings;
}

}  // namespace palimpsest::cli
