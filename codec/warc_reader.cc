#include "palimpsest/warc_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace palimpsest {

namespace {

constexpr size_t kReadChunk = 256 * 1024;
constexpr size_t kMaxResyncLine = 64 * 1024;
constexpr std::string_view kVersionPrefix = "WARC/1.";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string_view StripLineEnd(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ParseDecimal(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

// Inflates `in`: gzip or zlib (auto-detected) when `raw_deflate` is false, else a bare deflate
// stream. Several gzip members are concatenated.
Result<std::string> Inflate(std::string_view in, bool raw_deflate, uint64_t max_bytes) {
  z_stream z{};
  if (inflateInit2(&z, raw_deflate ? -15 : 15 + 32) != Z_OK) {
    return Status::InvalidArgument("zlib: cannot initialize");
  }
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  char chunk[64 * 1024];
  int rc = Z_OK;
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof(chunk);
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - z.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&z);
      return Status::InvalidArgument("decompressed payload is larger than " +
                                     std::to_string(max_bytes) + " bytes");
    }
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0 || raw_deflate) break;
      if (inflateReset(&z) != Z_OK) break;
      continue;
    }
    if (rc != Z_OK) break;
    if (z.avail_in == 0 && z.avail_out != 0) break;
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) {
    return Status::InvalidArgument(rc == Z_OK || rc == Z_BUF_ERROR
                                       ? std::string("compressed payload is truncated")
                                       : std::string("compressed payload is damaged"));
  }
  return out;
}

Result<std::string> Dechunk(std::string_view in, uint64_t max_bytes) {
  std::string out;
  size_t pos = 0;
  for (;;) {
    size_t eol = in.find('\n', pos);
    if (eol == std::string_view::npos) {
      return Status::InvalidArgument("chunked body ends without its last chunk");
    }
    std::string_view size_text = Trim(in.substr(pos, eol - pos));
    size_text = Trim(size_text.substr(0, size_text.find(';')));
    if (size_text.empty() || size_text.size() > 15) {
      return Status::InvalidArgument("bad chunk size at payload byte " + std::to_string(pos));
    }
    uint64_t size = 0;
    for (char c : size_text) {
      int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
              : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
              : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                          : -1;
      if (d < 0) {
        return Status::InvalidArgument("bad chunk size at payload byte " + std::to_string(pos));
      }
      size = size * 16 + static_cast<uint64_t>(d);
    }
    pos = eol + 1;
    if (size == 0) return out;  // trailers, if any, are ignored
    if (size > in.size() - pos) {
      return Status::InvalidArgument("chunked body is truncated (a chunk of " +
                                     std::to_string(size) + " bytes at payload byte " +
                                     std::to_string(pos) + ")");
    }
    out.append(in.substr(pos, size));
    if (out.size() > max_bytes) {
      return Status::InvalidArgument("payload is larger than " + std::to_string(max_bytes) +
                                     " bytes");
    }
    pos += size;
    if (in.substr(pos, 2) == "\r\n") {
      pos += 2;
    } else if (in.substr(pos, 1) == "\n") {
      pos += 1;
    } else {
      return Status::InvalidArgument("chunk not followed by CRLF at payload byte " +
                                     std::to_string(pos));
    }
  }
}

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
      if (!got.ok()) {
        buf_.resize(filled);
        return got.status();
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
    if (!more) return WarcNext::kEnd;
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
  if (length > limits_.max_block_bytes) {
    // Skip the block without holding it, then expect the record's end.
    uint64_t left = length;
    while (left > 0) {
      PALIMPSEST_ASSIGN_OR_RETURN(size_t have, Want(std::min<uint64_t>(left, kReadChunk)));
      if (have == 0) break;
      Consume(have);
      left -= have;
    }
    return malformed("record block of " + std::to_string(length) + " bytes is larger than the " +
                     std::to_string(limits_.max_block_bytes) + "-byte limit");
  }

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

std::string BareMediaType(std::string_view content_type) {
  return Lower(Trim(content_type.substr(0, content_type.find(';'))));
}

Result<WarcPayload> ExtractWarcPayload(const WarcRecord& record, const WarcLimits& limits) {
  WarcPayload payload;
  const std::string type = record.type();
  if (type == "resource") {
    payload.content_type = record.Header("Content-Type");
    payload.body = record.block;
    return payload;
  }
  if (type != "response") {
    return Status::InvalidArgument("a '" + type + "' record has no payload");
  }
  std::string_view block = record.block;
  if (block.substr(0, 5) != "HTTP/") {
    return Status::InvalidArgument("response record does not hold an HTTP response");
  }
  size_t head_end = block.find("\r\n\r\n");
  size_t body_start = head_end == std::string_view::npos ? head_end : head_end + 4;
  if (size_t lf = block.find("\n\n"); lf != std::string_view::npos && lf < head_end) {
    head_end = lf;
    body_start = lf + 2;
  }
  if (head_end == std::string_view::npos) {
    return Status::InvalidArgument("HTTP response header is not terminated");
  }
  std::string_view head = block.substr(0, head_end);
  std::string_view body = block.substr(body_start);

  const size_t status_end = head.find('\n');
  std::string_view status_line = StripLineEnd(head.substr(0, status_end));
  const size_t sp = status_line.find(' ');
  uint64_t code = 0;
  if (sp == std::string_view::npos || !ParseDecimal(status_line.substr(sp + 1, 3), &code)) {
    return Status::InvalidArgument("bad HTTP status line '" +
                                   std::string(status_line.substr(0, 80)) + "'");
  }
  payload.http_status = static_cast<int>(code);

  std::string transfer_encoding;
  std::string content_encoding;
  size_t pos = status_end == std::string_view::npos ? head.size() : status_end + 1;
  while (pos < head.size()) {
    size_t eol = head.find('\n', pos);
    if (eol == std::string_view::npos) eol = head.size();
    std::string_view h = StripLineEnd(head.substr(pos, eol - pos));
    pos = eol + 1;
    const size_t colon = h.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = Trim(h.substr(0, colon));
    std::string_view value = Trim(h.substr(colon + 1));
    if (EqualsIgnoreCase(name, "Content-Type")) payload.content_type = std::string(value);
    if (EqualsIgnoreCase(name, "Transfer-Encoding")) transfer_encoding = Lower(value);
    if (EqualsIgnoreCase(name, "Content-Encoding")) content_encoding = Lower(value);
  }

  std::string decoded;
  if (transfer_encoding.find("chunked") != std::string::npos) {
    PALIMPSEST_ASSIGN_OR_RETURN(decoded, Dechunk(body, limits.max_payload_bytes));
  } else {
    decoded.assign(body);
  }
  if (content_encoding == "gzip" || content_encoding == "x-gzip") {
    PALIMPSEST_ASSIGN_OR_RETURN(decoded, Inflate(decoded, false, limits.max_payload_bytes));
  } else if (content_encoding == "deflate") {
    auto zlib = Inflate(decoded, false, limits.max_payload_bytes);
    if (zlib.ok()) {
      decoded = std::move(zlib).value();
    } else {
      PALIMPSEST_ASSIGN_OR_RETURN(decoded, Inflate(decoded, true, limits.max_payload_bytes));
    }
  } else if (!content_encoding.empty() && content_encoding != "identity") {
    return Status::InvalidArgument("unsupported Content-Encoding '" + content_encoding + "'");
  }
  payload.body = std::move(decoded);
  return payload;
}

}  // namespace palimpsest
