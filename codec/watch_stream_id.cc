// Watch stream ids (include/palimpsest/watches.h).

#include <string>

#include "palimpsest/doc_id.h"
#include "palimpsest/watches.h"

namespace palimpsest {

namespace {
constexpr std::string_view kWatchPrefix = "watch:";
constexpr size_t kWatchHashBytes = 12;
}  // namespace

std::string WatchStreamId(std::string_view url) {
  const Digest d = Sha256(CanonicalUrl(url));
  return std::string(kWatchPrefix) + ToHex(AsBytes(d).substr(0, kWatchHashBytes));
}

bool IsWatchStreamId(std::string_view doc_id) {
  if (doc_id.size() != kWatchPrefix.size() + 2 * kWatchHashBytes) return false;
  if (doc_id.substr(0, kWatchPrefix.size()) != kWatchPrefix) return false;
  for (char c : doc_id.substr(kWatchPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace palimpsest
