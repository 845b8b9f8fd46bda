#include "palimpsest/warc_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "codec/io/header_lines.h"

namespace palimpsest {

namespace {

using header_internal::EqualsIgnoreCase;
using header_internal::ParseDecimal;
using header_internal::StripLineEnd;
using header_internal::Trim;

constexpr size_t kReadChunk = 256 * 1024;
constexpr size_t kMaxResyncLine = 64 * 1024;
// Of an over-limit block, at most this much is kept from the first record start inside it.
constexpr size_t kMaxRecoverBytes = size_t{64} << 20;
constexpr std::string_view kVersionPrefix = "WARC/1.";

}  // namespace

std::string WarcRecord::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

std::string WarcRecord::target_uri() const {
  std::string uri = Header("WARC-Target-URI");
  if (uri.size() >= 2 && uri.front() == '<' && uri.back() == '>')
    uri = uri.substr(1, uri.size() - 2);
  return uri;
}

WarcReader::WarcReader(InputStream& in, WarcLimits limits) : in_(in), limits_(limits) {}

Result<size_t> WarcReader::Want(size_t n) {
  while (buf_.size() - pos_ < n && !eof_) {
    if (pos_ > 0 && pos_ >= buf_.size() / 2) {
      buf_.erase(0, pos_);
      base_ += pos_;
      pos_ = 0;
    }
    const size_t old = buf_.size();
    const size_t want = std::max(kReadChunk, n - (old - pos_));
    buf_.resize(old + want);
    size_t filled = old;
    // Read until this round's request is met or the input ends.
    while (filled < buf_.size()) {
      auto got = in_.Read(buf_.data() + filled, buf_.size() - filled);
      if (!got.ok()) {  // what was read before the failure is still read
        failed_ = got.status();
        eof_ = true;
        break;
      }
      if (*got == 0) {
        eof_ = true;
        break;
      }
      filled += *got;
      if (filled - pos_ >= n) break;
    }
    buf_.resize(filled);
  }
  return std::min(buf_.size() - pos_, n);
}

void WarcReader::Consume(size_t n) { pos_ += std::min(n, buf_.size() - pos_); }

Result<bool> WarcReader::PeekLine(size_t max, std::string_view* line, bool* complete) {
  size_t scanned = 0;
  for (;;) {
    const size_t avail = buf_.size() - pos_;
    const char* start = buf_.data() + pos_;
    const size_t limit = std::min(avail, max);
    if (limit > scanned) {
      const void* nl = std::memchr(start + scanned, '\n', limit - scanned);
      if (nl != nullptr) {
        *line = std::string_view(start, static_cast<const char*>(nl) - start + 1);
        *complete = true;
        return true;
      }
      scanned = limit;
    }
    if (avail >= max) {
      *line = std::string_view(start, max);
      *complete = false;
      return true;
    }
    if (eof_) {
      if (avail == 0) return false;
      *line = std::string_view(start, avail);
      *complete = true;
      return true;
    }
    PALIMPSEST_RETURN_IF_ERROR(Want(avail + kReadChunk).status());
  }
}

Result<bool> WarcReader::Resync() {
  bool at_line_start = true;
  for (;;) {
    std::string_view line;
    bool complete = false;
    PALIMPSEST_ASSIGN_OR_RETURN(bool more, PeekLine(kMaxResyncLine, &line, &complete));
    if (!more) return false;
    if (at_line_start && line.substr(0, kVersionPrefix.size()) == kVersionPrefix) return true;
    // A version line glued to the end of damaged bytes (a corrupted gzip member's output
    // ending without its CRLF) still starts the next record.
    for (std::string_view version : {"WARC/1.0\r\n", "WARC/1.1\r\n"}) {
      if (complete && line.size() > version.size() && line.ends_with(version)) {
        Consume(line.size() - version.size());
        return true;
      }
    }
    Consume(line.size());
    at_line_start = complete;
  }
}

Result<WarcNext> WarcReader::Next(WarcRecord* record, std::string* problem) {
  record->headers.clear();
  record->block.clear();
  record->version.clear();
  problem->clear();

  // Blank lines between records are tolerated.
  std::string_view line;
  bool complete = false;
  for (;;) {
    PALIMPSEST_ASSIGN_OR_RETURN(bool more, PeekLine(kMaxResyncLine, &line, &complete));
    if (!more) {
      if (!failed_.ok()) return std::exchange(failed_, Status::OK());
      return WarcNext::kEnd;
    }
    if (complete && StripLineEnd(line).empty()) {
      Consume(line.size());
      continue;
    }
    break;
  }
  record->offset = offset();
  auto malformed = [&](std::string why) -> Result<WarcNext> {
    *problem = std::move(why);
    PALIMPSEST_ASSIGN_OR_RETURN(bool found, Resync());
    (void)found;
    return WarcNext::kMalformed;
  };

  std::string_view version = StripLineEnd(line);
  if (!complete || version.substr(0, kVersionPrefix.size()) != kVersionPrefix) {
    Consume(line.size());
    return malformed("not a WARC record: expected a 'WARC/1.0' or 'WARC/1.1' line");
  }
  record->version = std::string(version);
  Consume(line.size());

  // Header lines up to the blank line.
  size_t header_bytes = 0;
  for (;;) {
    PALIMPSEST_ASSIGN_OR_RETURN(bool more, PeekLine(limits_.max_header_bytes, &line, &complete));
    if (!more) return malformed("truncated record: the input ends inside the header");
    header_bytes += line.size();
    if (!complete || header_bytes > limits_.max_header_bytes) {
      return malformed("record header is longer than " + std::to_string(limits_.max_header_bytes) +
                       " bytes");
    }
    std::string_view text = StripLineEnd(line);
    if (text.empty()) {
      Consume(line.size());
      break;
    }
    if (text.substr(0, kVersionPrefix.size()) == kVersionPrefix) {
      // The next record starts before this one's header ended.
      return malformed("truncated record: a new record starts inside the header");
    }
    if ((text.front() == ' ' || text.front() == '\t') && !record->headers.empty()) {
      record->headers.back().second += " " + std::string(Trim(text));
      Consume(line.size());
      continue;
    }
    const size_t colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return malformed("malformed header line '" + std::string(text.substr(0, 80)) + "'");
    }
    record->headers.emplace_back(std::string(Trim(text.substr(0, colon))),
                                 std::string(Trim(text.substr(colon + 1))));
    Consume(line.size());
  }

  uint64_t length = 0;
  const std::string length_text = record->Header("Content-Length");
  if (length_text.empty()) return malformed("record has no Content-Length");
  if (!ParseDecimal(length_text, &length)) {
    return malformed("bad Content-Length '" + length_text.substr(0, 40) + "'");
  }
  if (record->type().empty()) return malformed("record has no WARC-Type");
  if (length > limits_.max_block_bytes) return SkipOversized(length, problem);

  const size_t need = static_cast<size_t>(length) + 4;
  PALIMPSEST_ASSIGN_OR_RETURN(size_t have, Want(need));
  const std::string_view rest(buf_.data() + pos_, have);
  if (have == need && rest.substr(length) == "\r\n\r\n") {
    record->block.assign(rest.data(), length);
    Consume(need);
    return WarcNext::kRecord;
  }
  // The block does not end where Content-Length says. Find where the next record begins (if
  // it is in what was read) to tell a wrong length from a truncated input, then resynchronize
  // from the end of this record's header so a following record is not lost.
  std::string next_at;
  size_t found = std::string_view::npos;
  for (size_t p = rest.find(kVersionPrefix); p != std::string_view::npos;
       p = rest.find(kVersionPrefix, p + 1)) {
    if (p == 0 || rest[p - 1] == '\n') {
      found = p;
      break;
    }
  }
  if (found != std::string_view::npos) next_at = std::to_string(offset() + found);
  if (have < need && next_at.empty()) {
    return malformed("truncated record: Content-Length is " + std::to_string(length) +
                     " but the input ends after " + std::to_string(have) + " bytes");
  }
  if (!next_at.empty()) {
    return malformed("wrong Content-Length " + std::to_string(length) +
                     ": the next record begins at offset " + next_at);
  }
  return malformed("wrong Content-Length " + std::to_string(length) +
                   ": the block is not followed by CRLF CRLF");
}

Result<WarcNext> WarcReader::SkipOversized(uint64_t length, std::string* problem) {
  std::string kept;  // from the first line inside the block that begins "WARC/1."
  uint64_t kept_at = 0;
  bool keeping = false, overflow = false, line_start = true;
  uint64_t left = length;
  while (left > 0) {
    PALIMPSEST_ASSIGN_OR_RETURN(size_t have, Want(std::min<uint64_t>(left, kReadChunk)));
    if (have == 0) break;
    const std::string_view chunk(buf_.data() + pos_, have);
    if (keeping && !overflow) {
      overflow = kept.size() + have > kMaxRecoverBytes;
      if (overflow)
        kept = std::string();
      else
        kept.append(chunk);
    } else if (!keeping) {
      for (size_t p = chunk.find(kVersionPrefix); p != std::string_view::npos;
           p = chunk.find(kVersionPrefix, p + 1)) {
        if (p == 0 ? line_start : chunk[p - 1] == '\n') {
          keeping = true;
          kept_at = offset() + p;
          kept.assign(chunk.substr(p));
          break;
        }
      }
    }
    line_start = chunk.back() == '\n';
    Consume(have);
    left -= have;
  }
  const std::string declared = "Content-Length " + std::to_string(length);
  if (left == 0) {
    *problem = "record block of " + std::to_string(length) + " bytes is larger than the " +
               std::to_string(limits_.max_block_bytes) + "-byte limit; skipped";
    PALIMPSEST_ASSIGN_OR_RETURN(bool found, Resync());
    (void)found;
    return WarcNext::kSkipped;
  }
  // The input ended inside the block: the length was wrong.
  if (keeping && !overflow) {
    buf_ = std::move(kept);
    pos_ = 0;
    base_ = kept_at;
    *problem = "truncated record: " + declared + " runs past the end of the input; reading " +
               "resumes at the record that begins at offset " + std::to_string(kept_at);
  } else {
    *problem = "truncated record: " + declared + " runs past the end of the input" +
               (overflow ? "; records that begin inside it (from offset " +
                               std::to_string(kept_at) + ") are lost"
                         : std::string());
  }
  return WarcNext::kMalformed;
}

}  // namespace palimpsest
