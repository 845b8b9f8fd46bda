// JSON renderings shared by the commands (and later the HTTP server). Field names follow
// DESIGN.md §6; times are RFC 3339 strings or null.

#ifndef PALIMPSEST_CLI_JSON_FORMAT_H_
#define PALIMPSEST_CLI_JSON_FORMAT_H_

#include <boost/json.hpp>

#include "palimpsest/archive.h"
#include "palimpsest/documents.h"
#include "palimpsest/event.h"

namespace palimpsest::cli {

boost::json::value TimeJson(Timestamp t);
boost::json::object RevisionJson(const RevisionInfo& revision);
boost::json::object DocumentJson(const DocumentView& view);
boost::json::object SummaryJson(const DocumentSummary& summary);
// One line of `log --json`: seq, id, kind, doc, version, times, actor, hash, prev_hash.
boost::json::object EventJson(const Event& event);
boost::json::object NoteJson(const ArticleNote& note);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_JSON_FORMAT_H_
