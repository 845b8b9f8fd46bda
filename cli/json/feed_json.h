// JSON for blame, the change feed and search: one shape for the CLI's --json and the HTTP API.

#ifndef PALIMPSEST_CLI_JSON_FEED_JSON_H_
#define PALIMPSEST_CLI_JSON_FEED_JSON_H_

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "palimpsest/blame.h"
#include "palimpsest/changes.h"
#include "palimpsest/search.h"

namespace palimpsest::cli {

// {id, rev, paragraphs: [{sentences: [{text, rev, kind, note, effective_at}]}],
//  revisions: [{rev, kind, note, stealth, effective_at, recorded_at}]}
boost::json::object BlameJson(const BlameView& blame);

// {changes: [{id, rev, kind, note, stealth, redacted, effective_at, recorded_at, title, source,
//  seq}]}
boost::json::object ChangesJson(const std::vector<ChangeEntry>& changes);

// {query, results: [{id, rev, revs?, title, kind, effective_at, snippet, highlights: [[offset,
//  length]], score}], total, indexed_seq, head_seq}; `revs` only for all-revisions searches.
boost::json::object SearchJson(const std::string& query, const SearchResults& results,
                               bool all_revisions);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_JSON_FEED_JSON_H_
