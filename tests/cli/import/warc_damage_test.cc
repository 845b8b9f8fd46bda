// Issue #12 finding 8: damaged WARC input costs only the damaged part. A .warc.gz with one
// gzip member per record and member 200 of 400 corrupted imports the other 399 (exit 6, the
// skipped compressed byte range named); a truncated last member keeps what was decoded; a
// record whose Content-Length runs past the end of the file does not take the records after
// it; a record over the size limit is skipped, not failed; a revisit of a capture that failed
// in the same run is skipped, not failed.

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "cli/cli_test_helpers.h"
#include "palimpsest/doc_id.h"

namespace palimpsest::testing {
namespace {

std::string DamagedRecord(const std::string& type, const std::string& uri, const std::string& block,
                          const std::string& extra = "", long content_length = -1) {
  const size_t length = content_length < 0 ? block.size() : static_cast<size_t>(content_length);
  return "WARC/1.1\r\nWARC-Type: " + type + "\r\nWARC-Record-ID: <urn:uuid:" + type + "-" + uri +
         ">\r\nWARC-Date: 2024-03-01T10:00:00Z\r\nWARC-Target-URI: " + uri + "\r\n" + extra +
         "Content-Length: " + std::to_string(length) + "\r\n\r\n" + block + "\r\n\r\n";
}

std::string Url(int i) { return "http://example.org/story-" + std::to_string(i); }

// A text page response: distinct prose, so each member is a few hundred compressed bytes.
std::string Response(int i) {
  std::string body = "Story " + std::to_string(i) + "\n\n";
  for (int p = 0; p < 6; ++p) {
    body += "Paragraph " + std::to_string(p) + " of story " + std::to_string(i) + " reports " +
            std::to_string(i * 7919 + p * 104729) + " findings by the council.\n\n";
  }
  return DamagedRecord("response", Url(i),
                       "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body);
}

// One gzip member holding `data` (zlib, in memory).
std::string GzipMember(const std::string& data) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

struct GzWarc {
  std::string bytes;
  std::vector<size_t> member_at;  // offset of each member
};

GzWarc Members(int n) {
  GzWarc w;
  for (int i = 0; i < n; ++i) {
    w.member_at.push_back(w.bytes.size());
    w.bytes += GzipMember(Response(i));
  }
  return w;
}

json::value Import(const CliArchive& a, const std::string& path, int expect_exit, RunResult* r) {
  *r = a.Run({"import", path, "--json", "--progress", "never"});
  EXPECT_EQ(r->exit_code, expect_exit) << Describe(*r);
  return ParseJson(r->out);
}

bool HasDoc(const CliArchive& a, int i) {
  return a.Run({"show", DocIdFromUrl(Url(i)), "--json"}).exit_code == 0;
}

TEST(WarcDamageTest, ADamagedGzipMemberCostsOnlyItsRecord) {
  CliArchive a;
  GzWarc w = Members(400);
  // Garbage in the middle of member 200's deflate data.
  const size_t begin = w.member_at[200], end = w.member_at[201];
  for (size_t p = begin + (end - begin) / 2; p < begin + (end - begin) / 2 + 24; ++p) {
    w.bytes[p] = static_cast<char>(0xA5 ^ p);
  }
  const std::string path = a.Join("damaged.warc.gz");
  WriteFileOrDie(path, w.bytes);
  RunResult r;
  json::value s = Import(a, path, 6, &r);
  EXPECT_EQ(Int(s, "documents_created"), 399);
  EXPECT_GE(Int(s, "failed"), 1);
  const std::string range = std::to_string(begin) + "-" + std::to_string(end) + " skipped";
  EXPECT_TRUE(Contains(r.err, "compressed bytes " + range)) << r.err;
  for (int i : {0, 199, 201, 399}) EXPECT_TRUE(HasDoc(a, i)) << i;
  EXPECT_FALSE(HasDoc(a, 200));
}

TEST(WarcDamageTest, ATruncatedLastMemberKeepsWhatWasDecoded) {
  CliArchive a;
  GzWarc w = Members(50);
  w.bytes.resize(w.member_at[49] + (w.bytes.size() - w.member_at[49]) / 2);
  const std::string path = a.Join("truncated.warc.gz");
  WriteFileOrDie(path, w.bytes);
  RunResult r;
  json::value s = Import(a, path, 6, &r);
  EXPECT_EQ(Int(s, "documents_created"), 49);
  EXPECT_TRUE(Contains(r.err, "compressed bytes " + std::to_string(w.member_at[49]) + "-" +
                                  std::to_string(w.bytes.size()) + " skipped"))
      << r.err;
  EXPECT_TRUE(HasDoc(a, 48));
}

// A Content-Length past the end of the file is a wrong length: the record is reported and the
// records that follow its header are read (over the size limit or not).
TEST(WarcDamageTest, AContentLengthPastTheEndDoesNotTakeTheRecordsAfterIt) {
  for (long claimed : {long{10} << 20, long{300} << 20}) {
    CliArchive a;
    std::string warc;
    for (int i = 0; i < 5; ++i) warc += Response(i);
    warc += DamagedRecord("response", Url(5), "HTTP/1.1 200 OK\r\n\r\nshort", "", claimed);
    for (int i = 6; i < 10; ++i) warc += Response(i);
    const std::string path = a.Join("lying.warc");
    WriteFileOrDie(path, warc);
    RunResult r;
    json::value s = Import(a, path, 6, &r);
    EXPECT_EQ(Int(s, "documents_created"), 9) << claimed;
    EXPECT_EQ(Int(s, "failed"), 1) << claimed;
    for (int i : {4, 6, 9}) EXPECT_TRUE(HasDoc(a, i)) << claimed << " " << i;
    EXPECT_TRUE(Contains(r.err, "Content-Length")) << r.err;
  }
}

TEST(WarcDamageTest, ARecordOverTheSizeLimitIsSkippedNotFailed) {
  if (kSanitized) GTEST_SKIP() << "257 MiB through a sanitizer build: the normal stage runs it";
  CliArchive a;
  // A 257 MiB resource (over the 256 MiB block limit) of zeros: a quarter MiB compressed.
  std::string warc = GzipMember(Response(1));
  {
    const uint64_t size = (uint64_t{257} << 20);
    const std::string head =
        "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:big>"
        "\r\nWARC-Date: 2024-03-01T10:00:00Z\r\nWARC-Target-URI: "
        "http://example.org/video.mp4\r\nContent-Type: video/mp4\r\n"
        "Content-Length: " +
        std::to_string(size) + "\r\n\r\n";
    z_stream z{};
    ASSERT_EQ(deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    const std::string zeros(1 << 20, '\0');
    std::string out(1 << 20, '\0');
    auto feed = [&](const char* data, size_t n, int flush) {
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
      z.avail_in = static_cast<uInt>(n);
      int rc;
      do {
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = static_cast<uInt>(out.size());
        rc = deflate(&z, flush);
        warc.append(out.data(), out.size() - z.avail_out);
      } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    };
    feed(head.data(), head.size(), Z_NO_FLUSH);
    for (uint64_t i = 0; i < (size >> 20); ++i) feed(zeros.data(), zeros.size(), Z_NO_FLUSH);
    feed("\r\n\r\n", 4, Z_FINISH);
    deflateEnd(&z);
  }
  warc += GzipMember(Response(2));
  const std::string path = a.Join("video.warc.gz");
  WriteFileOrDie(path, warc);
  RunResult r;
  json::value s = Import(a, path, 0, &r);
  EXPECT_EQ(Int(s, "failed"), 0);
  EXPECT_EQ(Int(s, "skipped"), 1);
  EXPECT_EQ(Int(s, "documents_created"), 2);
  EXPECT_TRUE(Contains(r.err, "larger than the")) << r.err;
}

// A page that is not an article (here an empty one) is counted, not failed, and its revisit is
// skipped: exit 0.
TEST(WarcDamageTest, ARevisitOfAPageNotRecordedIsSkipped) {
  CliArchive a;
  const std::string empty_page =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body></body></html>";
  std::string warc =
      Response(1) +
      DamagedRecord("response", Url(2), empty_page, "WARC-Payload-Digest: sha1:EMPTY\r\n") +
      DamagedRecord("revisit", Url(2), "HTTP/1.1 200 OK\r\n\r\n",
                    "WARC-Refers-To: <urn:uuid:response-" + Url(2) +
                        ">\r\nWARC-Payload-Digest: sha1:EMPTY\r\n") +
      Response(3);
  const std::string path = a.Join("revisit.warc");
  WriteFileOrDie(path, warc);
  RunResult r;
  json::value s = Import(a, path, 0, &r);
  EXPECT_EQ(Int(s, "failed"), 0);
  EXPECT_EQ(Int(s, "not_articles"), 1) << "the empty page";
  EXPECT_EQ(Int(s, "skipped"), 1) << "its revisit";
  EXPECT_EQ(Int(s, "documents_created"), 2);
  EXPECT_EQ(Lines(r.err).size(), 0u) << r.err;
}

}  // namespace
}  // namespace palimpsest::testing
