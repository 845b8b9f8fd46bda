// JSON renderings shared by the commands and the HTTP server. Field names are snake_case and
// documented in README.md; times are RFC 3339 strings or null.

#ifndef PALIMPSEST_CLI_JSON_JSON_FORMAT_H_
#define PALIMPSEST_CLI_JSON_JSON_FORMAT_H_

#include <boost/json.hpp>
#include <string>

#include "palimpsest/archive.h"
#include "palimpsest/documents.h"
#include "palimpsest/event.h"

namespace palimpsest::cli {

// `value` as JSON text that is always valid UTF-8: a string an old event holds with bytes that
// are not UTF-8 gets U+FFFD for each of them. Every JSON the CLI and the server print goes
// through this.
std::string SerializeJson(const boost::json::value& value);

boost::json::value TimeJson(Timestamp t);
boost::json::object RevisionJson(const RevisionInfo& revision);
boost::json::object DocumentJson(const DocumentView& view);
// A document's addresses: [{url, first_seen, last_seen, as: ["captured", "canonical",
// "redirect", "redirect_target"]}], oldest sighting first.
boost::json::array UrlsJson(const std::vector<DocumentUrl>& urls);
// Documents merged into one: [{from, seq, recorded_at}], oldest merge first.
boost::json::array MergesJson(const std::vector<DocumentMerge>& merges);
// `history --json` and GET /api/documents/{id}/revisions: {id, urls, merges, revisions}; `id`
// is the document's, also when `doc` was asked for by an id merged into it.
boost::json::object HistoryJson(const ResolvedDocument& doc, const std::vector<DocumentUrl>& urls,
                                const std::vector<RevisionInfo>& history);
boost::json::object SummaryJson(const DocumentSummary& summary);
// One line of `log --json`: seq, id, kind, doc, version, times, actor, hash, prev_hash.
boost::json::object EventJson(const Event& event);
boost::json::object NoteJson(const ArticleNote& note);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_JSON_JSON_FORMAT_H_
