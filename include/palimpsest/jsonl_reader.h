// JSON Lines input for `palimpsest import`: a pull reader that yields one line at a time with
// its line number, and the parser of one line into an article record (README "JSON Lines
// import schema"; snake_case field names as in the JSON output).
//
// Memory is bounded by the longest accepted line: a line over the limit is reported (too_long)
// and skipped without ever being held whole.
//
// Thread safety: one reader per thread; ParseJsonlArticle is a pure function.

#ifndef PALIMPSEST_JSONL_READER_H_
#define PALIMPSEST_JSONL_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/event.h"
#include "palimpsest/input_stream.h"
#include "palimpsest/status.h"
#include "palimpsest/timestamp.h"

namespace palimpsest {

inline constexpr size_t kDefaultMaxJsonlLineBytes = size_t{64} << 20;

struct JsonlLine {
  uint64_t number = 0;    // 1-based line number in the (decompressed) input
  std::string text;       // without the line end; empty when too_long
  bool too_long = false;  // the line exceeded the limit and was skipped
  uint64_t length = 0;    // the line's full length in bytes (even when too_long)
};

class JsonlReader {
 public:
  // `in` must outlive the reader.
  explicit JsonlReader(InputStream& in, size_t max_line_bytes = kDefaultMaxJsonlLineBytes);

  // The next line that is not blank (whitespace only). False at the end of the input; a
  // failing stream (damaged compression, read error) is its Status.
  Result<bool> Next(JsonlLine* line);

 private:
  // Refills buf_ when drained; false at the end.
  Result<bool> Fill();

  InputStream& in_;
  size_t max_line_bytes_;
  std::string buf_;
  size_t pos_ = 0;
  uint64_t line_number_ = 0;
};

// One article record of a JSON Lines import. Timestamps are kNoTime when absent.
struct JsonlArticle {
  std::string id;  // doc id as given ("" when absent)
  std::string url;
  std::string source;     // "" when absent (the importer's --source applies)
  bool has_body = false;  // `body` given (else `raw` is)
  std::string body;       // paragraphs separated by a blank line
  std::string raw;
  std::string media_type;  // with `raw`; default "text/plain"
  std::string title;
  std::string dek;
  std::string byline;
  std::string dateline;
  std::string outlet;
  std::string canonical_url;
  std::string language;  // a BCP 47 tag; not part of the content hash
  Timestamp published_at = kNoTime;
  Timestamp updated_at = kNoTime;
  Timestamp captured_at = kNoTime;
  Timestamp effective_at = kNoTime;
  std::string note;
  std::string kind;  // "" or correction|clarification|update|editorial
  // What was read but left out, one line each ("field 'published_at': unreadable time '…'
  // (ignored)"); the record is still good.
  std::vector<std::string> warnings;
};

struct JsonlOptions {
  // Times must be RFC 3339 or dates (ParseTimestamp), and one that is not fails the record.
  // Default: read leniently (ParseLooseTimestamp); an unreadable published_at, updated_at or
  // effective_at is left out with a warning, an unreadable captured_at fails the record.
  bool strict_times = false;
};

// Parses one JSON Lines record. InvalidArgument with a one-line reason for: invalid UTF-8,
// invalid JSON, a value that is not an object, a known field of the wrong type, neither `id`
// nor `url`, neither `body` nor `raw` (or both), an empty body, a malformed kind, an unreadable
// time per `options`. Unknown fields are ignored (so `show --json` output can be fed back).
Result<JsonlArticle> ParseJsonlArticle(std::string_view line, const JsonlOptions& options = {});

// What a record becomes in the archive: one capture of a document.
struct RecordCapture {
  std::string doc_id;
  bool doc_id_derived = false;  // doc_id came from the record's url, not its id
  std::string raw;              // the body text (kBodyMediaType) or the page
  std::string media_type;
  Timestamp captured_at = kNoTime;
  std::vector<Field> fields;  // importer fields for the extractor (extractor.h)
};

// Turns a parsed record into its capture: the doc id from `id` or `url`, `default_captured_at`
// when the record names no time, the article fields as importer fields. InvalidArgument when
// no valid doc id can be had. Shared by `import` and the HTTP API so both accept the same
// records identically.
Result<RecordCapture> CaptureFromRecord(JsonlArticle record, Timestamp default_captured_at);

// True when `text` is valid UTF-8; otherwise *bad_offset is the first invalid byte.
bool IsValidUtf8(std::string_view text, size_t* bad_offset);

}  // namespace palimpsest

#endif  // PALIMPSEST_JSONL_READER_H_
