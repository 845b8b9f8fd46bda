#include "cli/json/watch_json.h"

#include "cli/json/json_format.h"

namespace palimpsest::cli {

namespace {

boost::json::value OrNull(const std::string& s) {
  return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
}

}  // namespace

boost::json::object WatchJson(const WatchInfo& w, Timestamp now, const SchedulePolicy& policy) {
  boost::json::object o{
      {"id", w.id},
      {"url", w.url},
      {"kind", WatchKindName(w.kind)},
      {"every_seconds", w.every_seconds > 0 ? boost::json::value(w.every_seconds) : nullptr},
      {"interval_seconds", WatchInterval(w, now, policy)},
      {"source", w.source},
      {"discovered_via", OrNull(w.discovered_via)},
      {"added_at", TimeJson(w.added_at)},
      {"next_check", TimeJson(NextCheckAt(w, now, policy))},
      {"overdue", IsOverdue(w, now, policy)},
      {"checks", w.checks},
      {"captures", w.captures},
      {"not_modified", w.not_modified},
      {"failures", w.failures},
      {"last_check", TimeJson(w.last_check_at)},
      {"last_outcome", w.last_outcome ? boost::json::value(CheckOutcomeName(*w.last_outcome))
                                      : boost::json::value(nullptr)},
      {"last_status", w.last_status != 0 ? boost::json::value(w.last_status) : nullptr},
      {"last_error", OrNull(w.last_error)},
      {"last_change", TimeJson(w.last_change_at)},
      {"document", OrNull(w.document)},
      {"final_url", OrNull(w.final_url)}};
  return o;
}

boost::json::object WatchListJson(const std::vector<WatchInfo>& watches, Timestamp now,
                                  const SchedulePolicy& policy) {
  boost::json::array list;
  uint64_t overdue = 0;
  for (const WatchInfo& w : watches) {
    list.push_back(WatchJson(w, now, policy));
    if (IsOverdue(w, now, policy)) ++overdue;
  }
  return {{"watches", std::move(list)}, {"overdue", overdue}};
}

}  // namespace palimpsest::cli
