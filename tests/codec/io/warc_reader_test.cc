// WarcReader and ExtractWarcPayload on handmade WARC bytes: response (chunked + gzip),
// resource, revisit, other record types; a truncated record; wrong Content-Lengths (too long,
// too short) with resynchronization at the next record; garbage between records; a .warc.gz
// with one gzip member per record.

#include "palimpsest/warc_reader.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "codec/io/string_stream.h"
#include "test_util.h"

namespace palimpsest {
namespace {

using testing::ReadFileOrDie;
using testing::ScratchDir;
using testing::WriteFileOrDie;

std::string Record(const std::string& type, const std::string& uri, const std::string& block,
                   const std::string& extra_headers = "", long content_length = -1,
                   const std::string& version = "WARC/1.1") {
  const size_t length = content_length < 0 ? block.size() : static_cast<size_t>(content_length);
  return version + "\r\nWARC-Type: " + type + "\r\nWARC-Record-ID: <urn:uuid:" + type +
         uri.substr(uri.size() > 6 ? uri.size() - 6 : 0) +
         ">\r\nWARC-Date: 2024-03-01T10:00:00Z\r\n" +
         (uri.empty() ? "" : "WARC-Target-URI: " + uri + "\r\n") + extra_headers +
         "Content-Length: " + std::to_string(length) + "\r\n\r\n" + block + "\r\n\r\n";
}

std::string Gzip(const ScratchDir& dir, const std::string& data, const std::string& name) {
  WriteFileOrDie(dir.Join(name), data);
  const std::string cmd = "gzip -c '" + dir.Join(name) + "' > '" + dir.Join(name + ".gz") + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  return ReadFileOrDie(dir.Join(name + ".gz"));
}

struct Item {
  WarcNext kind;
  WarcRecord record;
  std::string problem;
};

std::vector<Item> ReadAll(const std::string& bytes, WarcLimits limits = {}) {
  auto in = OpenStringStream(bytes, "test.warc");
  EXPECT_TRUE(in.ok());
  WarcReader reader(**in, limits);
  std::vector<Item> items;
  for (int guard = 0; guard < 100; ++guard) {
    Item item;
    auto next = reader.Next(&item.record, &item.problem);
    EXPECT_TRUE(next.ok()) << next.status().message();
    if (!next.ok() || *next == WarcNext::kEnd) break;
    item.kind = *next;
    items.push_back(std::move(item));
  }
  return items;
}

const std::string kPage = "Title\n\nFirst paragraph of the page.\n\nSecond paragraph.\n";

TEST(WarcReaderTest, ResponseChunkedAndGzippedResourceRevisitAndOthers) {
  ScratchDir dir;
  const std::string gz = Gzip(dir, kPage, "page");
  const std::string chunked = [&] {
    const size_t half = gz.size() / 2;
    char a[32], b[64];
    std::snprintf(a, sizeof(a), "%zx", half);
    std::snprintf(b, sizeof(b), "%zX;ext=1", gz.size() - half);
    return std::string(a) + "\r\n" + gz.substr(0, half) + "\r\n" + b + "\r\n" + gz.substr(half) +
           "\r\n0\r\n\r\n";
  }();
  const std::string http =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
      "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n" +
      chunked;
  const std::string warc =
      Record("warcinfo", "", "software: handmade\r\n") +
      Record("response", "http://example.org/a", http, "WARC-Payload-Digest: sha1:AAAA\r\n") +
      Record("resource", "<http://example.org/b>", "Plain resource text.",
             "Content-Type: text/html\r\n", -1, "WARC/1.0") +
      Record("revisit", "http://example.org/a", "HTTP/1.1 200 OK\r\n\r\n",
             "WARC-Refers-To: <urn:uuid:responsele.org/a>\r\nWARC-Payload-Digest: sha1:AAAA\r\n");
  auto items = ReadAll(warc);
  ASSERT_EQ(items.size(), 4u);
  for (const Item& i : items) EXPECT_EQ(i.kind, WarcNext::kRecord) << i.problem;
  EXPECT_EQ(items[0].record.type(), "warcinfo");
  EXPECT_EQ(items[0].record.offset, 0u);
  EXPECT_EQ(items[1].record.type(), "response");
  EXPECT_EQ(items[1].record.offset, warc.find("WARC/1.1\r\nWARC-Type: response"));
  EXPECT_EQ(items[1].record.target_uri(), "http://example.org/a");
  EXPECT_EQ(items[1].record.Header("warc-payload-digest"), "sha1:AAAA") << "case-insensitive";
  auto payload = ExtractWarcPayload(items[1].record);
  ASSERT_TRUE(payload.ok()) << payload.status().message();
  EXPECT_EQ(payload->http_status, 200);
  EXPECT_EQ(payload->content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(BareMediaType(payload->content_type), "text/plain");
  EXPECT_EQ(payload->body, kPage) << "de-chunked and gunzipped";

  EXPECT_EQ(items[2].record.version, "WARC/1.0");
  EXPECT_EQ(items[2].record.target_uri(), "http://example.org/b") << "angle brackets removed";
  auto resource = ExtractWarcPayload(items[2].record);
  ASSERT_TRUE(resource.ok());
  EXPECT_EQ(resource->http_status, 0);
  EXPECT_EQ(resource->content_type, "text/html");
  EXPECT_EQ(resource->body, "Plain resource text.");

  EXPECT_EQ(items[3].record.type(), "revisit");
  EXPECT_FALSE(ExtractWarcPayload(items[0].record).ok()) << "warcinfo has no payload";
}

TEST(WarcReaderTest, TruncatedRecordAtTheEnd) {
  const std::string good = Record("resource", "http://e.org/1", "one");
  const std::string cut = Record("resource", "http://e.org/2", std::string(1000, 'x'));
  const std::string warc = good + cut.substr(0, cut.size() - 700);
  auto items = ReadAll(warc);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].kind, WarcNext::kRecord);
  EXPECT_EQ(items[1].kind, WarcNext::kMalformed);
  EXPECT_EQ(items[1].record.offset, good.size());
  EXPECT_NE(items[1].problem.find("truncated"), std::string::npos) << items[1].problem;
}

TEST(WarcReaderTest, WrongContentLengthsResyncAtTheNextRecord) {
  const std::string r1 = Record("resource", "http://e.org/1", "one");
  const std::string too_long = Record("resource", "http://e.org/2", "two", "", 5000);
  const std::string r3 = Record("resource", "http://e.org/3", "three");
  const std::string too_short = Record("resource", "http://e.org/4", "four four four", "", 4);
  const std::string r5 = Record("resource", "http://e.org/5", "five");
  auto items = ReadAll(r1 + too_long + r3 + too_short + r5);
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].kind, WarcNext::kRecord);
  EXPECT_EQ(items[1].kind, WarcNext::kMalformed);
  EXPECT_EQ(items[1].record.offset, r1.size());
  EXPECT_NE(items[1].problem.find("wrong Content-Length 5000"), std::string::npos)
      << items[1].problem;
  EXPECT_NE(items[1].problem.find(std::to_string(r1.size() + too_long.size())), std::string::npos)
      << "names where the next record begins: " << items[1].problem;
  ASSERT_EQ(items[2].kind, WarcNext::kRecord);
  EXPECT_EQ(items[2].record.block, "three");
  EXPECT_EQ(items[3].kind, WarcNext::kMalformed);
  EXPECT_NE(items[3].problem.find("wrong Content-Length 4"), std::string::npos) << items[3].problem;
  ASSERT_EQ(items[4].kind, WarcNext::kRecord);
  EXPECT_EQ(items[4].record.block, "five");
}

TEST(WarcReaderTest, GarbageAndBadHeadersAreSkipped) {
  const std::string r1 = Record("resource", "http://e.org/1", "one");
  const std::string no_length = "WARC/1.1\r\nWARC-Type: resource\r\n\r\nbody\r\n\r\n";
  const std::string bad_header =
      "WARC/1.0\r\nthis is not a header\r\nContent-Length: 1\r\n\r\nx\r\n\r\n";
  const std::string r2 = Record("resource", "http://e.org/2", "two");
  auto items = ReadAll("garbage line\n" + r1 + no_length + bad_header + r2);
  std::vector<WarcNext> kinds;
  for (const Item& i : items) kinds.push_back(i.kind);
  ASSERT_EQ(kinds,
            (std::vector<WarcNext>{WarcNext::kMalformed, WarcNext::kRecord, WarcNext::kMalformed,
                                   WarcNext::kMalformed, WarcNext::kRecord}));
  EXPECT_EQ(items[0].record.offset, 0u);
  EXPECT_NE(items[2].problem.find("Content-Length"), std::string::npos) << items[2].problem;
  EXPECT_NE(items[3].problem.find("malformed header"), std::string::npos) << items[3].problem;
  EXPECT_EQ(items[4].record.block, "two");
}

TEST(WarcReaderTest, OversizedBlockIsSkippedInBoundedMemory) {
  WarcLimits limits;
  limits.max_block_bytes = 1000;
  const std::string big = Record("resource", "http://e.org/big", std::string(5000, 'b'));
  const std::string small = Record("resource", "http://e.org/s", "small");
  auto items = ReadAll(big + small, limits);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].kind, WarcNext::kSkipped) << "over a limit is not an error";
  EXPECT_NE(items[0].problem.find("limit"), std::string::npos) << items[0].problem;
  EXPECT_EQ(items[1].kind, WarcNext::kRecord);
}

// Issue #12 finding 8: a Content-Length over the limit that runs past the end of the input
// was wrong; the records that begin inside it are read.
TEST(WarcReaderTest, OversizedLengthPastTheEndResumesAtTheRecordsInside) {
  WarcLimits limits;
  limits.max_block_bytes = 1000;
  const std::string lying = Record("resource", "http://e.org/lie", "short", "", 1 << 20);
  const std::string after = Record("resource", "http://e.org/a", "after") +
                            Record("resource", "http://e.org/b", std::string(3000, 'x') + "b");
  auto items = ReadAll(lying + after, limits);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].kind, WarcNext::kMalformed);
  EXPECT_NE(items[0].problem.find("runs past the end"), std::string::npos) << items[0].problem;
  EXPECT_EQ(items[1].kind, WarcNext::kRecord);
  EXPECT_EQ(items[1].record.block, "after");
  EXPECT_EQ(items[1].record.offset, lying.size()) << "offsets stay those of the stream";
  EXPECT_EQ(items[2].kind, WarcNext::kSkipped) << "the second is over the limit itself";
}

// A failing stream (damaged zstd) still yields the records read before the failure.
TEST(WarcReaderTest, RecordsBeforeAStreamFailureAreRead) {
  ScratchDir dir;
  std::string warc;
  for (int i = 0; i < 40; ++i) {  // 640 KB: several zstd blocks, the cut loses the last
    std::string page;
    while (page.size() < 16000)
      page += "page " + std::to_string(i) + " line " + std::to_string(page.size()) + "\n";
    warc += Record("resource", "http://e.org/" + std::to_string(i), page);
  }
  WriteFileOrDie(dir.Join("w"), warc);
  const std::string cmd = "zstd -q -c '" + dir.Join("w") + "' > '" + dir.Join("w.zst") + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string zst = ReadFileOrDie(dir.Join("w.zst"));
  auto in = OpenStringStream(zst.substr(0, zst.size() - 8), "cut.warc.zst");
  ASSERT_TRUE(in.ok());
  WarcReader reader(**in);
  WarcRecord record;
  std::string problem;
  int records = 0;
  Status failure;
  for (int guard = 0; guard < 100; ++guard) {
    auto next = reader.Next(&record, &problem);
    if (!next.ok()) {
      failure = next.status();
      break;
    }
    if (*next == WarcNext::kEnd) break;
    records += *next == WarcNext::kRecord;
  }
  EXPECT_GE(records, 30) << "all but the cut tail";
  EXPECT_EQ(failure.code(), StatusCode::kCorruption) << failure.message();
}

TEST(WarcReaderTest, GzipMemberPerRecord) {
  ScratchDir dir;
  const std::string r1 = Record("resource", "http://e.org/1", "one");
  const std::string r2 = Record("resource", "http://e.org/2", "two");
  const std::string warc_gz = Gzip(dir, r1, "r1") + Gzip(dir, r2, "r2");
  auto items = ReadAll(warc_gz);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].record.block, "two");
  EXPECT_EQ(items[1].record.offset, r1.size()) << "offsets are in the decompressed stream";
}

TEST(WarcPayloadTest, HttpProblems) {
  WarcRecord r;
  r.headers = {{"WARC-Type", "response"}};
  r.block = "not http";
  EXPECT_FALSE(ExtractWarcPayload(r).ok());
  r.block = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n";
  EXPECT_NE(ExtractWarcPayload(r).status().message().find("chunk"), std::string::npos);
  r.block = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab";
  EXPECT_NE(ExtractWarcPayload(r).status().message().find("truncated"), std::string::npos);
  r.block = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nnot gzip at all";
  EXPECT_FALSE(ExtractWarcPayload(r).ok());
  r.block = "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx";
  EXPECT_NE(ExtractWarcPayload(r).status().message().find("br"), std::string::npos);
  r.block = "HTTP/1.0 404 Not Found\r\nContent-Type: text/html\r\n\r\ngone";
  auto p = ExtractWarcPayload(r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->http_status, 404);
  EXPECT_EQ(p->body, "gone");
}

}  // namespace
}  // namespace palimpsest
