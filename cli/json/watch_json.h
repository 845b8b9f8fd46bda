// JSON for watches: one shape for `watch list --json` and the HTTP API.

#ifndef PALIMPSEST_CLI_JSON_WATCH_JSON_H_
#define PALIMPSEST_CLI_JSON_WATCH_JSON_H_

#include <boost/json.hpp>
#include <vector>

#include "cli/watch/schedule.h"
#include "palimpsest/watches.h"

namespace palimpsest::cli {

// {id, url, kind, every_seconds (null: adaptive), interval_seconds, source, discovered_via,
//  added_at, next_check, overdue, checks, captures, not_modified, failures, last_check,
//  last_outcome, last_status, last_error, last_change, document, final_url}
boost::json::object WatchJson(const WatchInfo& watch, Timestamp now, const SchedulePolicy& policy);

// {watches: [WatchJson...], overdue: count}
boost::json::object WatchListJson(const std::vector<WatchInfo>& watches, Timestamp now,
                                  const SchedulePolicy& policy);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_JSON_WATCH_JSON_H_
