// JSON rendering of an ArticleDiff, shared by `palimpsest diff --json` and (later) the HTTP
// server. Field names are snake_case as everywhere in the JSON output; times are RFC 3339
// strings or null (TimeJson).
//
// Shape (README.md, "diff --json"):
//   {"fields":  [{field, before, after}],          dates as RFC 3339 strings or null
//    "notes":   [{op: "insert"|"delete", text, effective_at}],
//    "body":    [{op, before_index, before_count, after_index, after_count,
//                 before_offset, before_length, after_offset, after_length,
//                 words_added, words_removed,
//                 before_text, after_text,          (every op but "equal")
//                 sentences: [{op, before, after, before_offset, before_length,
//                              after_offset, after_length,
//                              words: [{op: "insert"|"delete", text, offset, length}]}]}],
//                                                    (every op but "equal"; non-empty for
//                                                    "replace")
//    "words_added", "words_removed"}
// Equal hunks are kept (op "equal", positions only, no text) so a reader can align the two
// bodies paragraph by paragraph. Offsets are byte offsets: "before_*" into the older body,
// "after_*" into the newer one; a word mark's offset is into the before body for "delete" and
// the after body for "insert". Equal word runs are left out (the sentence texts hold them).

#ifndef PALIMPSEST_CLI_JSON_DIFF_JSON_H_
#define PALIMPSEST_CLI_JSON_DIFF_JSON_H_

#include <boost/json.hpp>

#include "palimpsest/diff.h"
#include "palimpsest/documents.h"

namespace palimpsest::cli {

// One side of a diff: {rev, kind, note, effective_at, content_hash}; `info` null means rev 0,
// the empty article before revision 1.
boost::json::object DiffSideJson(uint32_t rev, const RevisionInfo* info);

boost::json::object ArticleDiffJson(const ArticleDiff& diff);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_JSON_DIFF_JSON_H_
