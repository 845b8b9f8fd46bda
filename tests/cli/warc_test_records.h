// WARC records for tests that import crawls: an HTML response and an HTTP redirect.

#ifndef PALIMPSEST_TESTS_CLI_WARC_TEST_RECORDS_H_
#define PALIMPSEST_TESTS_CLI_WARC_TEST_RECORDS_H_

#include <string>

namespace palimpsest::testing {

// One WARC/1.1 record of `type` for `uri` at `date` holding `block`; `extra` is more header
// lines, each ending in CRLF.
inline std::string WarcRecord(const std::string& type, const std::string& uri,
                              const std::string& block, const std::string& date,
                              const std::string& extra = "") {
  return "WARC/1.1\r\nWARC-Type: " + type + "\r\nWARC-Record-ID: <urn:uuid:" + type + "-" + date +
         "-" + uri + ">\r\nWARC-Date: " + date + "\r\nWARC-Target-URI: " + uri + "\r\n" + extra +
         "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n";
}

// A 200 response with `html`.
inline std::string WarcResponse(const std::string& uri, const std::string& html,
                                const std::string& date) {
  return WarcRecord(
      "response", uri,
      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
          std::to_string(html.size()) + "\r\n\r\n" + html,
      date);
}

// A 301 response from `uri` to `location`.
inline std::string WarcRedirect(const std::string& uri, const std::string& location,
                                const std::string& date) {
  return WarcRecord(
      "response", uri,
      "HTTP/1.1 301 Moved Permanently\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n",
      date);
}

// A revisit of `uri` whose payload has the digest `payload_digest` ("sha256:HEX", ...).
inline std::string WarcRevisit(const std::string& uri, const std::string& payload_digest,
                               const std::string& date) {
  std::string record = WarcRecord("revisit", uri, "HTTP/1.1 200 OK\r\n\r\n", date);
  const std::string after_uri = "WARC-Target-URI: " + uri + "\r\n";
  record.insert(record.find(after_uri) + after_uri.size(),
                "WARC-Payload-Digest: " + payload_digest + "\r\n");
  return record;
}

}  // namespace palimpsest::testing

#endif  // PALIMPSEST_TESTS_CLI_WARC_TEST_RECORDS_H_
