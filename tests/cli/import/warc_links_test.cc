// What WARC records point at: redirect responses become `redirected` events with their target
// resolved against the URL that answered (a 3xx with no usable Location is skipped with a
// warning); a revisit imported in a later run than the capture it saw names that capture by
// its payload digest (sha1 in base32, or sha256 in hex).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_test_helpers.h"
#include "cli/warc_test_records.h"
#include "palimpsest/doc_id.h"

namespace palimpsest::testing {
namespace {

std::string Redirect(const std::string& uri, int status, const std::string& location) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " Moved\r\n";
  if (!location.empty()) head += "Location: " + location + "\r\n";
  return WarcRecord("response", uri, head + "Content-Length: 0\r\n\r\n", "2024-03-01T10:00:00Z");
}

json::value ImportWarc(const CliArchive& a, const std::string& name, const std::string& warc,
                       RunResult* run) {
  WriteFileOrDie(a.Join(name), warc);
  *run = a.Run({"import", a.Join(name), "--json", "--progress", "never"});
  EXPECT_EQ(run->exit_code, 0) << Describe(*run);
  return ParseJson(run->out);
}

std::vector<json::value> RedirectEvents(const CliArchive& a) {
  std::vector<json::value> found;
  for (const json::value& e : ParseJsonLines(a.Ok({"log", "--json"}))) {
    if (Str(e, "kind") == "redirected") found.push_back(e);
  }
  return found;
}

TEST(WarcLinksTest, RedirectsAreRecordedWithTheirResolvedTargets) {
  CliArchive a;
  const std::string warc =
      Redirect("http://example.org/news/old-slug", 302, "../story-1?ref=rss#top") +
      Redirect("http://example.org/b", 308, "//example.net/x") +
      Redirect("http://example.org/no-location", 301, "") +
      Redirect("http://example.org/mail", 301, "mailto:desk@example.org");
  RunResult run;
  json::value s = ImportWarc(a, "redirects.warc", warc, &run);
  EXPECT_EQ(Int(s, "redirects"), 2) << Describe(run);
  EXPECT_EQ(Int(s, "failed"), 0);
  EXPECT_EQ(Int(s, "warnings"), 2) << "the 3xx without a usable Location";
  EXPECT_EQ(Int(s, "skipped"), 2);
  EXPECT_TRUE(Contains(run.err, "redirects.warc@")) << run.err;

  const std::vector<json::value> events = RedirectEvents(a);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(Str(events[0], "url"), "http://example.org/news/old-slug");
  EXPECT_EQ(Str(events[0], "target"), "http://example.org/story-1?ref=rss");
  EXPECT_EQ(Int(events[0], "status"), 302);
  EXPECT_EQ(Str(events[1], "target"), "http://example.net/x");
  EXPECT_EQ(a.Run({"verify"}).exit_code, 0);

  // Recorded once: the same crawl again adds nothing; replay derives the same state.
  json::value again = ImportWarc(a, "redirects.warc", warc, &run);
  EXPECT_EQ(Int(again, "duplicates"), 2);
  EXPECT_EQ(RedirectEvents(a).size(), 2u);
  EXPECT_EQ(a.Run({"replay"}).exit_code, 0);
}

TEST(WarcLinksTest, ARevisitInALaterRunNamesTheStoredCaptureByItsPayloadDigest) {
  CliArchive a;
  const std::string url = "http://example.org/harbour-budget";
  const std::string page =
      "Plain story\n\nThe council met on Tuesday and approved the harbour budget after a long "
      "debate.\n\nIt passed by five votes to two.\n";
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + page;
  const std::string sha1 = "WARC-Payload-Digest: sha1:AW7CUMPMDLBSSUNV5AVJWNTLYI2DX7SD\r\n";
  RunResult run;
  json::value first = ImportWarc(
      a, "one.warc", WarcRecord("response", url, response, "2024-03-01T10:00:00Z", sha1), &run);
  EXPECT_EQ(Int(first, "documents_created"), 1) << Describe(run);

  const std::string revisits =
      WarcRecord("revisit", url, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n",
                 "2024-03-02T10:00:00Z", sha1) +
      WarcRecord("revisit", url, "HTTP/1.1 200 OK\r\n\r\n", "2024-03-03T10:00:00Z",
                 "WARC-Payload-Digest: sha256:"
                 "f2ad0de8d1646181e71fa2058e8577b65802be2bad234b79f6b00cfd22e5d258\r\n") +
      WarcRecord("revisit", url, "HTTP/1.1 200 OK\r\n\r\n", "2024-03-04T10:00:00Z",
                 "WARC-Payload-Digest: sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ\r\n");
  json::value second = ImportWarc(a, "two.warc", revisits, &run);
  EXPECT_EQ(Int(second, "unchanged"), 2) << Describe(run);
  EXPECT_EQ(Int(second, "skipped"), 1) << "the digest of other bytes names nothing stored";
  EXPECT_EQ(Int(second, "failed"), 0);
  json::value h = a.Json({"history", DocIdFromUrl(url), "--json"});
  ASSERT_EQ(Arr(h, "revisions").size(), 1u);
  EXPECT_EQ(Str(Arr(h, "revisions")[0], "last_seen_at"), "2024-03-03T10:00:00Z");
}

TEST(WarcLinksTest, AnErrorPageAtAHeldArticlesAddressIsACheckNotARevision) {
  CliArchive a;
  const std::string url = "http://example.org/harbour-budget";
  const std::string article =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + SampleArticle();
  // An error page with enough prose to pass for an article: its status says what it is.
  const std::string gone = "HTTP/1.1 410 Gone\r\nContent-Type: text/plain\r\n\r\n" +
                           SampleArticle("This story is no longer available");
  RunResult run;
  json::value s = ImportWarc(
      a, "crawl.warc",
      WarcRecord("response", url, article, "2024-03-01T10:00:00Z") +
          WarcRecord("response", url, gone, "2024-03-05T10:00:00Z") +
          WarcRecord("response", "http://example.org/never-held", gone, "2024-03-05T10:00:00Z"),
      &run);
  EXPECT_EQ(Int(s, "documents_created"), 1) << Describe(run);
  EXPECT_EQ(Int(s, "revisions"), 0);
  EXPECT_EQ(Int(s, "unchanged"), 1) << "the check of the held article";
  EXPECT_EQ(Int(s, "not_articles"), 1) << "the error page of an address the archive never held";
  EXPECT_EQ(Int(s, "failed"), 0);
  EXPECT_EQ(a.LogLength(), 2u) << "the capture and the check, raw bytes kept";
  json::value h = a.Json({"history", DocIdFromUrl(url), "--json"});
  ASSERT_EQ(Arr(h, "revisions").size(), 1u);
  EXPECT_EQ(Str(a.Json({"show", DocIdFromUrl(url), "--json"}), "title"),
            "Test Article About Orbital Debris");
}

}  // namespace
}  // namespace palimpsest::testing
