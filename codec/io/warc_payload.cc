// The HTTP payload of a WARC record (warc_reader.h): the response parsed, de-chunked and
// decompressed, within WarcLimits.

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "codec/io/header_lines.h"
#include "palimpsest/warc_reader.h"

namespace palimpsest {

namespace {

using header_internal::EqualsIgnoreCase;
using header_internal::Lower;
using header_internal::ParseDecimal;
using header_internal::StripLineEnd;
using header_internal::Trim;

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
  if (type != "response" && type != "revisit") {
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
    if (EqualsIgnoreCase(name, "Location")) payload.location = std::string(value);
  }

  if (payload.http_status >= 300 && payload.http_status <= 399) return payload;  // body unused

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
