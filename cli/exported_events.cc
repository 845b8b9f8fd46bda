#include "cli/exported_events.h"

#include <string>
#include <utility>

namespace palimpsest::cli {

Result<std::vector<AppendRequest>> ExportedEvents(Archive& archive, uint64_t after_seq,
                                                  size_t limit) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::vector<Event> events, archive.ReadLog(after_seq, limit));
  std::vector<AppendRequest> requests;
  requests.reserve(events.size());
  for (Event& e : events) {
    AppendRequest r;
    for (const ContentRef& ref : ReferencedContent(e.body)) {
      auto bytes = archive.ReadContent(ref.sha256);
      if (bytes.status().IsRedacted()) {
        // Never carried; the reason travels so the other side withholds it too.
        r.withheld_contents.emplace_back(ref.sha256, bytes.status().redaction_reason());
        continue;
      }
      if (!bytes.ok()) return bytes.status().WithContext("seq " + std::to_string(e.seq));
      r.contents.push_back(std::move(bytes).value());
    }
    r.event = std::move(e);
    requests.push_back(std::move(r));
  }
  return requests;
}

}  // namespace palimpsest::cli
