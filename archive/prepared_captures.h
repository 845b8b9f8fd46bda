// Captures extracted before the write transaction.
//
// Extracting a page is most of an append's CPU. Done inside the write transaction it runs on
// one core behind the writer; done here, before the transaction, it runs for a whole batch on
// worker threads, and the writer only applies what was found. Only extractions that depend on
// nothing earlier in the log are done ahead: HTML pages and importers' body text. Plain-text
// pages learn their site's chrome from earlier captures (chrome_lines.h), so the article
// projection extracts them in log order inside the transaction, as replay does. Either way
// each capture is extracted once, by the same function replay uses, so replay derives the
// same projections.
//
// Thread safety: PrepareCaptures is safe to call from any thread; a PreparedCaptures value is
// read by the writer after it is built.

#ifndef PALIMPSEST_ARCHIVE_PREPARED_CAPTURES_H_
#define PALIMPSEST_ARCHIVE_PREPARED_CAPTURES_H_

#include <optional>
#include <string>
#include <vector>

#include "palimpsest/archive.h"
#include "palimpsest/article.h"
#include "palimpsest/status.h"

namespace palimpsest {

// What was prepared for one request of a batch.
struct PreparedCapture {
  // The capture's raw bytes as the request supplied them (null when the request supplied none,
  // or is no capture): the article projection uses them instead of reading the stored copy
  // back. Points into the request, which outlives the append.
  const std::string* raw = nullptr;
  // The extraction, when it depends on nothing earlier in the log.
  std::optional<Result<ArticleContent>> extracted;
};

// One entry per request of `batch`, in order. `skip[i]` true leaves request i unprepared (a
// request already refused, or a retry of an event already in the log). Runs the extractions
// on up to `threads` threads (1: on the caller's).
std::vector<PreparedCapture> PrepareCaptures(const std::vector<AppendRequest>& batch,
                                             const std::vector<bool>& skip, unsigned threads);

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PREPARED_CAPTURES_H_
