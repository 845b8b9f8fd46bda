#include "archive/projections/postings_writer.h"

#include <algorithm>

#include "archive/lmdb/keys.h"

namespace palimpsest {

namespace {

constexpr uint64_t kNoLimit = uint64_t{1} << 32;

using keys::ReadU32;

// Whether `key` names a block of term number `term`; if so, sets *first.
bool BlockOfTerm(std::string_view key, uint32_t term, uint32_t* first) {
  if (key.size() != 8 || ReadU32(key) != term) return false;
  *first = ReadU32(key.substr(4));
  return true;
}

Status NoRun(uint32_t term, uint32_t stream, const char* what) {
  return Status::Corruption("search index: term " + std::to_string(term) + " of stream " +
                            std::to_string(stream) + " " + what);
}

}  // namespace

std::string PostingsKey(uint32_t term, uint32_t first_stream) {
  return keys::U32(term) + keys::U32(first_stream);
}

void PostingsWriter::Add(uint32_t term, uint32_t stream, uint32_t rev, bool open) {
  changes_[term].push_back({stream, rev, open});
  ++pending_;
}

void PostingsWriter::Discard() {
  changes_.clear();
  pending_ = 0;
}

Status PostingsWriter::Flush(lmdb::Txn& txn, MDB_dbi terms) {
  // Terms in number order, so the blocks are written in key order.
  std::vector<std::pair<uint32_t, std::vector<Change>*>> order;
  order.reserve(changes_.size());
  for (auto& [term, changes] : changes_) order.emplace_back(term, &changes);
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  // Into an empty database (a replay, a new archive) every block is new and comes in key order:
  // appended, LMDB fills its pages instead of splitting them half full.
  auto entries = txn.Count(terms);
  Status s = entries.status();
  append_ = s.ok() && *entries == 0;
  for (const auto& [term, changes] : order) {
    if (!s.ok()) break;
    s = FlushTerm(txn, terms, term, *changes);
  }
  Discard();
  return s;
}

Status PostingsWriter::FlushTerm(lmdb::Txn& txn, MDB_dbi terms, uint32_t term,
                                 std::vector<Change>& changes) {
  // Each stream's changes stay in the order they were made.
  std::stable_sort(changes.begin(), changes.end(),
                   [](const Change& a, const Change& b) { return a.stream < b.stream; });
  for (size_t i = 0; i < changes.size();) {
    PALIMPSEST_RETURN_IF_ERROR(LoadBlockFor(txn, terms, term, changes[i].stream, &block_));
    // A block that ends at a boundary takes no stream past it; the term's last block takes all.
    const uint64_t limit = block_.exists && IsBlockBoundary(block_.streams.back())
                               ? uint64_t{block_.streams.back()} + 1
                               : kNoLimit;
    size_t j = i;
    while (j < changes.size() && changes[j].stream < limit) ++j;
    PALIMPSEST_RETURN_IF_ERROR(
        MergeInto(txn, terms, term, block_, changes.data() + i, changes.data() + j));
    i = j;
  }
  return Status::OK();
}

Status PostingsWriter::LoadBlockFor(lmdb::Txn& txn, MDB_dbi terms, uint32_t term, uint32_t stream,
                                    FlatBlock* block) {
  const std::string key = PostingsKey(term, stream);
  PALIMPSEST_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, terms));
  uint32_t first = 0;
  // The block starting at or before `stream`, else the term's first block.
  bool at = cursor.Seek(key);
  bool before = at && cursor.key() == key;
  if (!before) {
    before = (at ? cursor.Prev() : cursor.Last()) && BlockOfTerm(cursor.key(), term, &first);
    if (!before) at = cursor.Seek(key);
  }
  PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  block->exists = false;
  if (!(before || at) || !BlockOfTerm(cursor.key(), term, &first)) return Status::OK();

  auto decode = [&]() -> Status {
    block->exists = true;
    block->first = first;
    block->streams.clear();
    block->first_run.clear();
    block->runs.clear();
    PostingsBlockReader reader(cursor.value(), first);
    for (uint32_t s = 0;;) {
      PALIMPSEST_ASSIGN_OR_RETURN(bool more, reader.Next(&s, &runs_));
      if (!more) break;
      block->streams.push_back(s);
      block->first_run.push_back(static_cast<uint32_t>(block->runs.size()));
      block->runs.insert(block->runs.end(), runs_.begin(), runs_.end());
    }
    block->first_run.push_back(static_cast<uint32_t>(block->runs.size()));
    if (block->streams.empty()) return Status::Corruption("search index: empty postings block");
    return Status::OK();
  };
  PALIMPSEST_RETURN_IF_ERROR(decode());
  const uint32_t last = block->streams.back();
  if (before && last < stream && IsBlockBoundary(last)) {
    // `stream` comes after this block's end: it belongs at the front of the next one, if any.
    block->exists = false;
    if (cursor.Next() && BlockOfTerm(cursor.key(), term, &first)) {
      PALIMPSEST_RETURN_IF_ERROR(decode());
    }
    PALIMPSEST_RETURN_IF_ERROR(cursor.status());
  }
  return Status::OK();
}

Status PostingsWriter::MergeInto(lmdb::Txn& txn, MDB_dbi terms, uint32_t term,
                                 const FlatBlock& block, const Change* begin, const Change* end) {
  out_.clear();
  std::string current;
  uint32_t current_first = 0, previous = 0;
  auto emit = [&](uint32_t stream, std::span<const RevisionRun> runs) {
    if (current.empty()) current_first = previous = stream;
    AppendPostingsEntry(previous, stream, runs, &current);
    previous = stream;
    if (IsBlockBoundary(stream)) {
      out_.emplace_back(current_first, std::move(current));
      current.clear();
    }
  };
  const size_t entries = block.exists ? block.streams.size() : 0;
  size_t e = 0;
  for (const Change* c = begin; e < entries || c != end;) {
    if (c == end || (e < entries && block.streams[e] < c->stream)) {
      emit(block.streams[e],
           std::span<const RevisionRun>(block.runs.data() + block.first_run[e],
                                        block.runs.data() + block.first_run[e + 1]));
      ++e;
      continue;
    }
    const uint32_t stream = c->stream;
    runs_.clear();
    if (e < entries && block.streams[e] == stream) {
      runs_.assign(block.runs.begin() + block.first_run[e],
                   block.runs.begin() + block.first_run[e + 1]);
      ++e;
    }
    for (; c != end && c->stream == stream; ++c) {
      if (c->open) {
        if (!runs_.empty() && (runs_.back().end == 0 || runs_.back().end >= c->rev)) {
          return NoRun(term, stream, "is opened twice");
        }
        runs_.push_back({c->rev, 0});
      } else {
        if (runs_.empty() || runs_.back().end != 0 || runs_.back().start >= c->rev) {
          return NoRun(term, stream, "has no open run");
        }
        runs_.back().end = c->rev;
      }
    }
    emit(stream, runs_);
  }
  if (!current.empty()) out_.emplace_back(current_first, std::move(current));
  if (block.exists && out_.front().first != block.first) {
    PALIMPSEST_RETURN_IF_ERROR(txn.Del(terms, PostingsKey(term, block.first)));
  }
  for (const auto& [first, bytes] : out_) {
    PALIMPSEST_RETURN_IF_ERROR(
        txn.Put(terms, PostingsKey(term, first), bytes, append_ ? MDB_APPEND : 0));
  }
  return Status::OK();
}

}  // namespace palimpsest
