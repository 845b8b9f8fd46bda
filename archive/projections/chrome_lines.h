// Page chrome learned across captures: per source, which text lines the pages of how many
// distinct documents printed. Projection state of the article projection (updated in the same
// write transaction, emptied and rebuilt by replay), consulted by the plain-text extractor
// through the LearnedChrome interface (codec/extract/learned_chrome.h).
//
// Database `chrome_lines` (byte layout also in schemas/README.md):
//   key   = first 8 bytes of SHA-256(source key) ‖ first 8 bytes of SHA-256(line)   (16 bytes)
//   value = 1 to kMaxDocs document tags, 8 bytes each, in the order the documents first
//           printed the line; a document tag is the first 8 bytes of SHA-256(doc id).
// The source key is "source:" + the capture's source when it names one, else "host:" + the
// lower-case host of its URL (without "www."); a capture with neither learns nothing and is
// judged without learned chrome.
//
// A line is chrome for document D when at least kMinOtherDocs documents other than D printed
// it before, and D was not the first document to print it (a headline that other pages list
// later stays its own article's). Capture order is log order, so replay rebuilds exactly the
// state incremental processing had at every capture.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_CHROME_LINES_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_CHROME_LINES_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "archive/lmdb/lmdb.h"
#include "codec/extract/learned_chrome.h"
#include "palimpsest/status.h"

namespace palimpsest {

class ChromeLines {
 public:
  static constexpr const char* kDatabase = "chrome_lines";
  static constexpr size_t kMinOtherDocs = 2;
  static constexpr size_t kMaxDocs = kMinOtherDocs + 1;  // enough to decide for any document

  // Resolves the database. Without `create`, a missing database (an archive written before
  // extractor version 2, opened read-only) leaves the table empty and read-only.
  Status Open(lmdb::Txn& txn, bool create);

  // The learning key of a capture's source (see above); empty when it has none.
  static std::string SourceKey(std::string_view source, std::string_view url);

  // What the table knows, inside `txn`, about lines of `source_key` for document `doc_id`.
  // Lookup errors make IsChrome answer false and are kept in status(); the caller checks it
  // after extraction.
  class View : public LearnedChrome {
   public:
    View(const ChromeLines* table, lmdb::Txn* txn, std::string_view source_key,
         std::string_view doc_id);
    bool IsChrome(std::string_view line) const override;
    const Status& status() const { return status_; }

   private:
    const ChromeLines* table_;
    lmdb::Txn* txn_;
    std::array<char, 8> source_tag_;
    std::array<char, 8> doc_tag_;
    mutable Status status_;
  };

  // Records that document `doc_id` printed each of `lines` (distinct) in a capture of
  // `source_key`.
  Status Record(lmdb::Txn& txn, std::string_view source_key, std::string_view doc_id,
                const std::vector<std::string>& lines);

 private:
  static std::array<char, 8> Tag(std::string_view text);
  static std::string Key(const std::array<char, 8>& source_tag, std::string_view line);

  MDB_dbi dbi_ = 0;
  bool open_ = false;
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_CHROME_LINES_H_
