// Watch and hook stream ids (include/palimpsest/watches.h).

#include <string>

#include "palimpsest/doc_id.h"
#include "palimpsest/watches.h"

namespace palimpsest {

namespace {

constexpr size_t kHashBytes = 12;

std::string StreamId(std::string_view prefix, std::string_view url) {
  const Digest d = Sha256(CanonicalUrl(url));
  return std::string(prefix) + ToHex(AsBytes(d).substr(0, kHashBytes));
}

bool IsStreamId(std::string_view prefix, std::string_view doc_id) {
  if (doc_id.size() != prefix.size() + 2 * kHashBytes) return false;
  if (doc_id.substr(0, prefix.size()) != prefix) return false;
  for (char c : doc_id.substr(prefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string WatchStreamId(std::string_view url) { return StreamId("watch:", url); }
bool IsWatchStreamId(std::string_view doc_id) { return IsStreamId("watch:", doc_id); }
std::string HookStreamId(std::string_view url) { return StreamId("hook:", url); }
bool IsHookStreamId(std::string_view doc_id) { return IsStreamId("hook:", doc_id); }

}  // namespace palimpsest
