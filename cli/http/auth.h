// Bearer tokens for the write API.
//
// The tokens file has one token per line: `NAME SHA256-HEX-OF-TOKEN` (blank lines and lines
// starting with '#' are ignored). Only hashes are stored; a presented token is hashed and
// compared with every entry in constant time. The matching NAME becomes the event's actor
// ("api:NAME"). Make a line with `printf %s TOKEN | palimpsest serve --hash-token` or
// `printf %s TOKEN | sha256sum`. Load refuses a file writable by group or others, a NAME twice,
// and a NAME that is not UTF-8 text without control characters.
//
// Thread safety: immutable after Load; Authenticate may be called from any thread.

#ifndef PALIMPSEST_CLI_HTTP_AUTH_H_
#define PALIMPSEST_CLI_HTTP_AUTH_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/hash.h"
#include "palimpsest/status.h"

namespace palimpsest::cli::http {

class TokenStore {
 public:
  // An empty path gives a store with no tokens (every write is refused with 403).
  static Result<TokenStore> Load(const std::string& path);

  bool configured() const { return !entries_.empty(); }

  // The token's name for an `Authorization: Bearer TOKEN` header value; nullopt when the
  // header is missing, malformed or names no known token.
  std::optional<std::string> Authenticate(std::string_view authorization) const;

 private:
  struct Entry {
    std::string name;
    Digest hash{};
  };
  std::vector<Entry> entries_;
};

}  // namespace palimpsest::cli::http

#endif  // PALIMPSEST_CLI_HTTP_AUTH_H_
