// Gathers the changes indexing makes to search postings and merges them into the `search_terms`
// blocks (codec/search/postings_block.h) a term at a time, so a batch of events rewrites each
// touched block once instead of writing one key per (term, document).
//
// Key of a block: the term's number (u32 BE), the block's first stream number (u32 BE).
//
// Thread safety: none; used by the writer only.
#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_POSTINGS_WRITER_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_POSTINGS_WRITER_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "archive/lmdb/lmdb.h"
#include "codec/search/postings_block.h"
#include "palimpsest/status.h"

namespace palimpsest {

// The key of the `search_terms` block of term number `term` that starts at `first_stream`.
std::string PostingsKey(uint32_t term, uint32_t first_stream);

class PostingsWriter {
 public:
  // Records that revision `rev` (a recording ordinal) of `stream` holds `term` and the one
  // before it did not (opens a run).
  void Open(uint32_t term, uint32_t stream, uint32_t rev) { Add(term, stream, rev, true); }
  // Records that revision `rev` of `stream` no longer holds `term` (closes its open run).
  void Close(uint32_t term, uint32_t stream, uint32_t rev) { Add(term, stream, rev, false); }

  // Changes gathered and not yet written.
  size_t pending() const { return pending_; }

  // Merges every gathered change into the blocks of `terms` in `txn`, and forgets them (also on
  // error). A close without an open run, or a malformed block, → Corruption.
  Status Flush(lmdb::Txn& txn, MDB_dbi terms);
  // Forgets the gathered changes: the transaction they were for is abandoned.
  void Discard();

 private:
  struct Change {
    uint32_t stream;
    uint32_t rev;
    bool open;
  };
  // One block's entries, decoded flat: entry i is streams[i] with runs [first_run[i],
  // first_run[i + 1]).
  struct FlatBlock {
    bool exists = false;
    uint32_t first = 0;
    std::vector<uint32_t> streams;
    std::vector<uint32_t> first_run;
    std::vector<RevisionRun> runs;
  };

  void Add(uint32_t term, uint32_t stream, uint32_t rev, bool open);
  Status FlushTerm(lmdb::Txn& txn, MDB_dbi terms, uint32_t term, std::vector<Change>& changes);
  // Loads the block the entry of `stream` belongs in (none: `block->exists` is false).
  Status LoadBlockFor(lmdb::Txn& txn, MDB_dbi terms, uint32_t term, uint32_t stream,
                      FlatBlock* block);
  // Writes `block` with `changes` (sorted by stream, all belonging in it) merged in.
  Status MergeInto(lmdb::Txn& txn, MDB_dbi terms, uint32_t term, const FlatBlock& block,
                   const Change* begin, const Change* end);

  std::unordered_map<uint32_t, std::vector<Change>> changes_;
  bool append_ = false;  // this Flush writes into an empty database, in key order
  size_t pending_ = 0;
  FlatBlock block_;                                    // scratch, reused
  std::vector<RevisionRun> runs_;                      // scratch, reused
  std::vector<std::pair<uint32_t, std::string>> out_;  // scratch: blocks written
};

}  // namespace palimpsest

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_POSTINGS_WRITER_H_
