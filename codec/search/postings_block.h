// Blocks of search postings: for one term, the streams holding it and the runs of their revisions
// that do, compactly coded so an index entry costs a few bytes instead of an LMDB key.
//
// Byte layout of a block (the value of a `search_terms` key, whose last 4 bytes name the block's
// first stream; schemas/README.md):
//   entries in rising stream order, each:
//     varint  stream number minus the previous entry's (the first entry: minus the key's, so 0)
//     varint  n ≥ 1, the number of runs
//     n runs, oldest first, each:
//       varint  start minus the previous run's end (the first run: start itself)
//       varint  end minus start (≥ 1), or 0 for a run still open (the last run only)
//   varint = LEB128 (7 bits per byte, low first), at most 5 bytes, value < 2^32.
//
// Where blocks end is a function of the entries alone, never of the order they were written in,
// so an index built incrementally is byte-identical to one rebuilt from the log: a block ends
// after every entry whose stream IsBlockBoundary (one stream in 256 on average), and at the
// term's last entry. Inserting an entry changes one block (or splits it in two).
//
// Thread safety: pure functions and a value type.
#ifndef PALIMPSEST_CODEC_SEARCH_POSTINGS_BLOCK_H_
#define PALIMPSEST_CODEC_SEARCH_POSTINGS_BLOCK_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/status.h"

namespace palimpsest {

// Revisions [start, end) of a stream hold a term; end 0: up to the newest indexed.
struct RevisionRun {
  uint32_t start = 0;
  uint32_t end = 0;
  bool Contains(uint32_t rev) const { return rev >= start && (end == 0 || rev < end); }
  bool operator==(const RevisionRun&) const = default;
};

// One stream's postings for a term.
struct StreamPostings {
  uint32_t stream = 0;
  std::vector<RevisionRun> runs;
};

// LEB128 varints of at most 32 bits: PutVarint32 appends one to `out`; GetVarint32 reads one off
// the front of `in`, false when it is cut short or exceeds 32 bits.
void PutVarint32(uint32_t v, std::string* out);
bool GetVarint32(std::string_view* in, uint32_t* v);

// Whether a block ends after the entry of `stream`.
bool IsBlockBoundary(uint32_t stream);

// Appends the entry of `stream` (after an entry of `previous`, or the block's first stream) to
// `block`. `runs` must be non-empty, ordered, and open only in the last run.
void AppendPostingsEntry(uint32_t previous, uint32_t stream, std::span<const RevisionRun> runs,
                         std::string* block);

// Reads a block one entry at a time. `bytes` must outlive the reader.
class PostingsBlockReader {
 public:
  PostingsBlockReader(std::string_view bytes, uint32_t first_stream)
      : rest_(bytes), stream_(first_stream) {}

  // Reads the next entry into `stream` and `runs` (replacing its contents). Returns false at the
  // end of the block; a malformed entry → Corruption.
  Result<bool> Next(uint32_t* stream, std::vector<RevisionRun>* runs);

 private:
  std::string_view rest_;
  uint32_t stream_;
  bool first_ = true;
};

// The block's entries, in stream order. Malformed bytes → Corruption.
Result<std::vector<StreamPostings>> DecodePostingsBlock(std::string_view bytes,
                                                        uint32_t first_stream);

}  // namespace palimpsest

#endif  // PALIMPSEST_CODEC_SEARCH_POSTINGS_BLOCK_H_
