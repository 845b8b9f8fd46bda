// Changes to the watch list, shared by `palimpsest watch` and the HTTP API: the events that add
// a URL (or change its settings) and take it off, decided against the list as it stands.

#ifndef PALIMPSEST_CLI_WATCH_WATCH_LIST_H_
#define PALIMPSEST_CLI_WATCH_WATCH_LIST_H_

#include <optional>
#include <string>

#include "palimpsest/archive.h"
#include "palimpsest/watches.h"

namespace palimpsest::cli {

// OK for a URL a watch can fetch: absolute http or https with a host; InvalidArgument otherwise.
Status CheckWatchableUrl(const std::string& url);

// The request that puts `wanted.url` on the watch list with `wanted`'s settings (its source
// defaults to the URL's host), or nullopt when it is already watched so. It expects the watch
// stream's current version, so a concurrent change of the same watch conflicts.
Result<std::optional<AppendRequest>> AddWatchRequest(Archive& archive, WatchedEvent wanted,
                                                     const std::string& actor);

// The request that takes `url` off the watch list. NotFound when it is not watched.
Result<AppendRequest> RemoveWatchRequest(Archive& archive, const std::string& url,
                                         const std::string& actor);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_WATCH_LIST_H_
