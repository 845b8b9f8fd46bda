#include "codec/search/postings_block.h"

namespace palimpsest {

namespace {

Status Malformed(const char* what) {
  return Status::Corruption(std::string("search index: malformed postings block (") + what + ")");
}

}  // namespace

void PutVarint32(uint32_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint32(std::string_view* in, uint32_t* v) {
  uint64_t value = 0;
  for (int shift = 0; shift <= 28; shift += 7) {
    if (in->empty()) return false;
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      if (value > UINT32_MAX) return false;
      *v = static_cast<uint32_t>(value);
      return true;
    }
  }
  return false;
}

bool IsBlockBoundary(uint32_t stream) {
  // A multiplicative hash spreads dense stream numbers; its top byte is zero one time in 256.
  return (stream * 0x9E3779B1u) >> 24 == 0;
}

void AppendPostingsEntry(uint32_t previous, uint32_t stream, std::span<const RevisionRun> runs,
                         std::string* block) {
  PutVarint32(stream - previous, block);
  PutVarint32(static_cast<uint32_t>(runs.size()), block);
  uint32_t end = 0;
  for (const RevisionRun& run : runs) {
    PutVarint32(run.start - end, block);
    PutVarint32(run.end == 0 ? 0 : run.end - run.start, block);
    end = run.end;
  }
}

Result<bool> PostingsBlockReader::Next(uint32_t* stream, std::vector<RevisionRun>* runs) {
  if (rest_.empty()) return false;
  uint32_t delta = 0, count = 0;
  if (!GetVarint32(&rest_, &delta) || !GetVarint32(&rest_, &count)) return Malformed("cut short");
  if (first_ ? delta != 0 : delta == 0) return Malformed("streams out of order");
  if (delta > UINT32_MAX - stream_) return Malformed("stream number overflows");
  // Every run takes at least two bytes, so a count beyond that is corrupt, not a huge vector.
  if (count == 0 || count > rest_.size() / 2) return Malformed("bad run count");
  first_ = false;
  stream_ += delta;
  *stream = stream_;
  runs->clear();
  uint64_t end = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t gap = 0, length = 0;
    if (!GetVarint32(&rest_, &gap) || !GetVarint32(&rest_, &length)) return Malformed("cut short");
    const uint64_t start = end + gap;
    if ((i > 0 && gap == 0) || (i == 0 && start == 0)) return Malformed("runs overlap");
    if (length == 0 && i + 1 != count) return Malformed("an open run before the last");
    const uint64_t run_end = length == 0 ? 0 : start + length;
    if (start > UINT32_MAX || run_end > UINT32_MAX) return Malformed("revision overflows");
    runs->push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(run_end)});
    end = run_end;
  }
  return true;
}

Result<std::vector<StreamPostings>> DecodePostingsBlock(std::string_view bytes,
                                                        uint32_t first_stream) {
  std::vector<StreamPostings> out;
  PostingsBlockReader reader(bytes, first_stream);
  for (;;) {
    StreamPostings entry;
    PALIMPSEST_ASSIGN_OR_RETURN(bool more, reader.Next(&entry.stream, &entry.runs));
    if (!more) return out;
    out.push_back(std::move(entry));
  }
}

}  // namespace palimpsest
