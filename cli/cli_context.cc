#include "cli/cli_context.h"

#include <sys/random.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "cli/exit_codes.h"
#include "cli/json/json_format.h"
#include "palimpsest/event_text.h"
#include "palimpsest/extractor.h"
#include "palimpsest/hash.h"

namespace palimpsest::cli {

Result<std::unique_ptr<Archive>> CliContext::OpenArchive(OpenMode mode, Durability durability,
                                                         bool create, bool stale_hint) const {
  Options options;
  options.create_if_missing = create;
  options.data_dir = data_dir;
  options.mode = mode;
  options.durability = durability;
  options.log_url = log_url;
  options.log_stream = log_stream;
  if (settings.lock_timeout_ms) options.lock_timeout_ms = *settings.lock_timeout_ms;
  auto archive = Archive::Open(options);
  if (archive.ok() && mode == OpenMode::kReadWrite && stale_hint) {
    auto built_with = (*archive)->ProjectionExtractorVersion();
    if (built_with.ok() && *built_with < kExtractorVersion) {
      *err << "palimpsest: hint: revisions were derived by extractor version " << *built_with
           << " (this is version " << kExtractorVersion
           << "); run `palimpsest replay` to re-derive them\n";
    }
  }
  return archive;
}

int CliContext::Fail(const Status& status) const {
  *err << "palimpsest: " << EscapeForTerminal(status.message()) << "\n";
  return ExitCodeFor(status);
}

TerminalWriter::~TerminalWriter() { out_ << EscapeForTerminal(buffer_.str()); }

void CliContext::PrintJson(const boost::json::value& value) const {
  *out << SerializeJson(value) << "\n";
}

Result<std::string> DocumentNamed(Archive& archive, const std::string& doc_or_url) {
  if (doc_or_url.find("://") == std::string::npos) return doc_or_url;
  return archive.FindDocumentByUrl(doc_or_url);
}

Result<std::string> ReadInput(const CliContext& ctx, const std::string& path) {
  std::ostringstream ss;
  if (path == "-") {
    ss << ctx.in->rdbuf();
    return ss.str();
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument("cannot read " + path + ": it is a directory");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::InvalidArgument("cannot read " + path + ": " + std::strerror(errno));
  ss << file.rdbuf();
  if (file.bad()) return Status::InvalidArgument("cannot read " + path);
  return ss.str();
}

Result<std::string> ReadHookSecret(const std::string& path) {
  if (path.empty()) return std::string();
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return Status::InvalidArgument("--hook-secret-file: cannot read " + path);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return Status::InvalidArgument("--hook-secret-file: " + path + " is empty");
  return line;
}

Result<int64_t> ParseDuration(const std::string& flag, const std::string& value) {
  const Status bad = Status::InvalidArgument(
      flag + ": '" + value + "' is not a duration between 1s and 365d (e.g. 90s, 15m, 6h, 1d)");
  size_t digits = 0;
  while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9') ++digits;
  if (digits == 0 || digits > 9 || value.size() > digits + 1) return bad;
  int64_t seconds = std::stoll(value.substr(0, digits));
  if (value.size() == digits + 1) {
    switch (value.back()) {
      case 's':
        break;
      case 'm':
        seconds *= 60;
        break;
      case 'h':
        seconds *= 3600;
        break;
      case 'd':
        seconds *= 86400;
        break;
      default:
        return bad;
    }
  }
  if (seconds < 1 || seconds > 365 * 86400) return bad;
  return seconds;
}

Result<Timestamp> ParseTimeFlag(const std::string& flag, const std::string& value,
                                DateOnly date_only) {
  auto t = ParseTimestamp(value, date_only);
  if (!t.ok()) return t.status().WithContext(flag);
  return t;
}

Status ParseOptionalTimeFlag(const std::string& flag, const std::string& value, DateOnly date_only,
                             Timestamp* out) {
  if (value.empty()) return Status::OK();
  PALIMPSEST_ASSIGN_OR_RETURN(*out, ParseTimeFlag(flag, value, date_only));
  return Status::OK();
}

std::string NewCorrelationId(std::string_view prefix) {
  // One getrandom call (every HTTP write makes an id: a std::random_device opened per id cost
  // a tenth of the server's time under write load).
  std::string bytes(8, '\0');
  if (::getrandom(bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
    std::random_device rd;
    for (char& c : bytes) c = static_cast<char>(rd());
  }
  return std::string(prefix) + "-" + ToHex(bytes);
}

}  // namespace palimpsest::cli
