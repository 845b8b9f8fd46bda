// Issue #12 findings 1, 4 and the control-character finding, end to end through the CLI: no
// event can be recorded with a URL holding CR LF or raw non-ASCII bytes (they are
// percent-encoded and kept), text that is not UTF-8 is refused (exit 1; an import reports the
// record and goes on, exit 6), control characters are removed on input and escaped on output,
// and every JSON printed parses, so export → restore reproduces the chain head.

#include "cli/cli_test_helpers.h"
#include "palimpsest/archive.h"
#include "palimpsest/hash.h"

namespace palimpsest::testing {
namespace {

using namespace std::literals;

// `log --json` parses line by line, and export → restore into a fresh archive gives the same
// head (an export with a byte that is not UTF-8 is one restore refuses).
void ExpectLogJsonAndRoundTrip(const CliArchive& a) {
  RunResult log = a.Run({"log", "--json"});
  ASSERT_EQ(log.exit_code, 0) << Describe(log);
  for (const json::value& line : ParseJsonLines(log.out)) EXPECT_TRUE(line.is_object());
  const std::string path = a.Join("export.jsonl");
  ASSERT_EQ(a.Run({"export", "--out", path}).exit_code, 0);
  CliArchive fresh;
  RunResult restore = fresh.Run({"restore", path});
  ASSERT_EQ(restore.exit_code, 0) << Describe(restore);
  EXPECT_EQ(Str(fresh.Json({"stats", "--json"}), "head_hash"),
            Str(a.Json({"stats", "--json"}), "head_hash"));
}

TEST(HostileTextTest, IngestRefusesASourceThatIsNotUtf8) {
  CliArchive a;
  const std::string path = a.Join("page.txt");
  WriteFileOrDie(path, SampleArticle());
  RunResult r = a.Run({"ingest", path, "--id", "story", "--captured", "2024-01-01T00:00:00Z",
                       "--source", "wire\xFF"});
  ExpectOneLineError(r, 1);
  EXPECT_TRUE(Contains(r.err, "source is not valid UTF-8")) << Describe(r);
  EXPECT_EQ(a.Run({"log"}).out, "");
}

TEST(HostileTextTest, IngestKeepsAUrlWithCrLfAndLatin1BytesPercentEncoded) {
  CliArchive a;
  const std::string path = a.Join("page.txt");
  WriteFileOrDie(path, SampleArticle());
  RunResult r = a.Run({"ingest", path, "--id", "story", "--captured", "2024-01-01T00:00:00Z",
                       "--url", "https://example.com/caf\xE9 x\r\nSet-Cookie: a=b", "--json"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  json::value doc = a.Json({"show", "story", "--json"});
  EXPECT_EQ(Str(doc, "url"), "https://example.com/caf%E9%20x%0D%0ASet-Cookie:%20a=b");
  ExpectLogJsonAndRoundTrip(a);
}

TEST(HostileTextTest, JsonLinesControlCharactersAreRemovedOnInput) {
  CliArchive a;
  const std::string path = a.Join("records.jsonl");
  WriteFileOrDie(path,
                 R"({"id":"j1","captured_at":"2024-01-01T00:00:00Z","title":"Bad\u001b[2J title",)"
                 R"("note":"Fixed\u0000 the name.","source":"wi\u0007re","body":"One.\n\nTwo."})"
                 "\n");
  RunResult r = a.Run({"import", path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  json::value doc = a.Json({"show", "j1", "--json"});
  EXPECT_EQ(Str(doc, "title"), "Bad[2J title");
  ASSERT_EQ(Arr(doc, "notes").size(), 1u) << json::serialize(doc);
  EXPECT_EQ(Str(Arr(doc, "notes")[0], "text"), "Fixed the name.");
  EXPECT_EQ(Str(doc, "source"), "wire");
  EXPECT_FALSE(Contains(a.Ok({"log", "--json"}), "\\u0000"));
  ExpectLogJsonAndRoundTrip(a);
}

std::string WarcResponse(const std::string& uri, const std::string& content_type,
                         const std::string& html) {
  const std::string block = "HTTP/1.1 200 OK\r\nContent-Type: " + content_type +
                            "\r\nContent-Length: " + std::to_string(html.size()) + "\r\n\r\n" +
                            html;
  return "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:" +
         std::to_string(uri.size()) + content_type.substr(content_type.size() - 3) +
         ">\r\nWARC-Date: 2024-03-01T10:00:00Z\r\nWARC-Target-URI: " + uri +
         "\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " +
         std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n";
}

const char* kPage =
    "<html><head><title>Caf\xC3\xA9 news</title></head><body><article><h1>Caf\xC3\xA9 "
    "reopens</h1><p>The caf\xC3\xA9 on the corner reopened on Monday after a long "
    "renovation that lasted most of the winter.</p><p>Its owners said the menu is "
    "unchanged.</p></article></body></html>";

TEST(HostileTextTest, WarcLatin1TargetUriIsPercentEncodedAndABadRecordIsReported) {
  CliArchive a;
  const std::string path = a.Join("crawl.warc");
  WriteFileOrDie(path,
                 WarcResponse("http://example.com/caf\xE9", "text/html", kPage) +
                     WarcResponse("http://example.com/other", "text/html; charset=\xE9x", kPage));
  RunResult r = a.Run({"import", path, "--json"});
  EXPECT_EQ(r.exit_code, 6) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "crawl.warc@")) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "media type is not valid UTF-8")) << Describe(r);
  json::value list = a.Json({"list", "--json"});
  ASSERT_EQ(Arr(list, "documents").size(), 1u);
  EXPECT_EQ(Str(Arr(list, "documents")[0], "url"), "http://example.com/caf%E9");
  ExpectLogJsonAndRoundTrip(a);
}

TEST(HostileTextTest, HtmlCanonicalUrlWithCrLfIsPercentEncoded) {
  CliArchive a;
  const std::string path = a.Join("page.html");
  WriteFileOrDie(path,
                 "<html><head><link rel=\"canonical\" href=\"https://example.com/a&#13;&#10;"
                 "Set-Cookie: x\"></head>" +
                     std::string(kPage).substr(std::string(kPage).find("<body>")));
  ASSERT_EQ(a.Run({"import", path}).exit_code, 0);
  json::value doc = a.Json({"show", "page", "--json"});
  EXPECT_EQ(Str(doc, "canonical_url").rfind("https://example.com/a%", 0), 0u)
      << Str(doc, "canonical_url");
  EXPECT_FALSE(Contains(Str(doc, "canonical_url"), "\r")) << Str(doc, "canonical_url");
  EXPECT_FALSE(Contains(Str(doc, "canonical_url"), "\n")) << Str(doc, "canonical_url");
  EXPECT_FALSE(Contains(Str(doc, "canonical_url"), " ")) << Str(doc, "canonical_url");
}

// An archive written before the rules existed holds raw bytes: every JSON view stays JSON and
// the plain views escape control characters instead of sending them to the terminal.
TEST(HostileTextTest, OldEventsWithRawBytesPrintAsValidJsonAndEscapedText) {
  CliArchive a;
  {
    Options options;
    options.data_dir = a.data();
    auto archive = Archive::Open(options);
    ASSERT_TRUE(archive.ok()) << archive.status().message();
    Event e;
    e.seq = 1;
    e.version = 1;
    e.doc_id = "old";
    e.recorded_at = 1'700'000'000'000'000;
    e.effective_at = e.recorded_at;
    e.actor = "cli:\x1B]0;owned\x07";
    e.id = DeriveEventId({"old"});
    const std::string raw = SampleArticle();
    CapturedEvent c;
    c.raw = {Sha256(raw), raw.size()};
    c.media_type = "text/plain";
    c.url = "https://example.com/\xFF\r\n";
    c.source = "wire\xFF";
    c.captured_at = e.recorded_at;
    e.body = c;
    AppendRequest request;
    request.event = e;
    request.contents = {raw};
    Event retraction = e;
    retraction.seq = 2;
    retraction.version = 2;
    retraction.id = DeriveEventId({"old-retraction"});
    retraction.prev_hash = EventHash(EncodeEvent(e));
    retraction.body = RetractedEvent{"Withdrawn \x1B[2J\x1B]0;owned\x07 today."};
    AppendRequest retract;
    retract.event = retraction;
    std::vector<AppendRequest> batch;
    batch.push_back(std::move(request));
    batch.push_back(std::move(retract));
    Status restored = (*archive)->Restore(std::move(batch));
    ASSERT_TRUE(restored.ok()) << restored.message();
  }
  for (std::vector<std::string> args : {std::vector<std::string>{"log", "--json"},
                                        {"list", "--json"},
                                        {"show", "old", "--json"},
                                        {"history", "old", "--json"},
                                        {"changes", "--json"}}) {
    RunResult r = a.Run(args);
    ASSERT_EQ(r.exit_code, 0) << args[0] << " " << Describe(r);
    for (const json::value& line : ParseJsonLines(r.out)) EXPECT_FALSE(line.is_null()) << args[0];
  }
  for (std::vector<std::string> args : {std::vector<std::string>{"log"},
                                        {"list"},
                                        {"show", "old"},
                                        {"history", "old"},
                                        {"changes"},
                                        {"diff", "old"},
                                        {"blame", "old", "--rev", "1"}}) {
    RunResult r = a.Run(args);
    ASSERT_EQ(r.exit_code, 0) << args[0] << " " << Describe(r);
    EXPECT_FALSE(Contains(r.out, "\x1B")) << args[0] << ": " << r.out;
    EXPECT_FALSE(Contains(r.out, "\x07")) << args[0] << ": " << r.out;
    EXPECT_FALSE(Contains(r.out, "\r")) << args[0] << ": " << r.out;
  }
  EXPECT_TRUE(Contains(a.Ok({"log"}), "cli:\\x1B]0;owned\\x07"));
}

}  // namespace
}  // namespace palimpsest::testing
