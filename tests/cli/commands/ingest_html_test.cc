// HTML captures end to end: the media type is recognised, the page's charset honoured, fields
// extracted, and the raw bytes kept exactly.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "test_util.h"

namespace palimpsest::testing {
namespace {

TEST(IngestHtmlTest, Latin1PageIsTranscodedAndKeptRaw) {
  ScratchDir dir;
  const std::string data = dir.Join("data");
  const std::string page = FixturePath("html/latin1_meta.html");
  RunResult r = RunCli({"--data", data, "ingest", page, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunResult show = RunCli({"--data", data, "show", "latin1_meta", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto doc = boost::json::parse(show.out).as_object();
  EXPECT_EQ(doc["title"].as_string(), "Festival de cine premia a José Martínez");
  EXPECT_FALSE(doc["body"].as_string().empty());
  RunResult raw = RunCli({"--data", data, "show", "latin1_meta", "--raw"});
  EXPECT_EQ(raw.out, Fixture("html/latin1_meta.html")) << "raw bytes as captured, not transcoded";
}

TEST(IngestHtmlTest, HtmlOnStdinIsSniffed) {
  ScratchDir dir;
  const std::string data = dir.Join("data");
  RunResult r = RunCli({"--data", data, "ingest", "-", "--id", "sniffed", "--json"},
                       Fixture("html/news_graph.html"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunResult show = RunCli({"--data", data, "show", "sniffed", "--json"});
  auto doc = boost::json::parse(show.out).as_object();
  EXPECT_EQ(doc["title"].as_string(), "Harbor bridge reopens after two-year repair");
}

TEST(IngestHtmlTest, UnknownCharsetIsRejectedAndNothingWritten) {
  ScratchDir dir;
  const std::string data = dir.Join("data");
  const std::string page = dir.Join("bad.html");
  WriteFileOrDie(page,
                 "<html><head><meta charset=\"x-klingon\"><title>T</title></head>"
                 "<body><article><p>Text.</p></article></body></html>");
  RunResult r = RunCli({"--data", data, "ingest", page});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("klingon"), std::string::npos) << r.err;
  EXPECT_TRUE(SnapshotFiles(data).empty());
}

// A page that declares UTF-8 and carries a stray Latin-1 byte is recorded as a browser shows
// it, with U+FFFD, and the user is warned; the raw bytes are kept exactly.
TEST(IngestHtmlTest, InvalidBytesAreReadAsReplacementCharactersWithAWarning) {
  ScratchDir dir;
  const std::string data = dir.Join("data");
  const std::string page = dir.Join("stray.html");
  const std::string raw =
      "<html><head><meta charset='utf-8'><title>Caf\xE9 reopens</title></head>"
      "<body><article><h1>Caf\xE9 reopens</h1><p>The caf\xE9 on Main Street reopened on "
      "Monday after a year of repairs.</p></article></body></html>";
  WriteFileOrDie(page, raw);
  RunResult r = RunCli({"--data", data, "ingest", page, "--id", "cafe", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3 byte sequences invalid in charset \"utf-8\""), std::string::npos)
      << r.err;
  RunResult show = RunCli({"--data", data, "show", "cafe", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto doc = boost::json::parse(show.out).as_object();
  EXPECT_EQ(doc["title"].as_string(), "Caf\uFFFD reopens");
  RunResult stored = RunCli({"--data", data, "show", "cafe", "--raw"});
  EXPECT_EQ(stored.out, raw);
}

// The lead printed in the article's <header> inside <main> starts the body; a photo credit on
// a <span> closing its line does not appear (extractor version 7), through ingest and show.
TEST(IngestHtmlTest, TheLeadInTheHeaderIsKeptAndTheCreditLeftOut) {
  ScratchDir dir;
  const std::string data = dir.Join("data");
  std::string html =
      "<html><head><title>Pier reopens</title></head><body><header><a href='/'>Gazette</a>"
      "</header><main><div><header><h1>Pier reopens</h1><p class='a-lead'>The town's pier "
      "reopened on Tuesday after three years of repairs and a long dispute.</p></header></div>"
      "<div><div>";
  for (int p = 1; p <= 3; ++p) {
    html += "<p>Paragraph " + std::to_string(p) +
            " tells the reopening in full sentences, with the names and the numbers.</p>";
    if (p == 1) html += "<p><span class='credit'>Photo: Jane Roe / Agency</span></p>";
  }
  html += "</div></div></main></body></html>";
  RunResult r = RunCli({"--data", data, "ingest", "-", "--id", "pier", "--json"}, html);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunResult show = RunCli({"--data", data, "show", "pier", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  std::string body(boost::json::parse(show.out).as_object()["body"].as_string());
  EXPECT_EQ(body.rfind("The town's pier reopened on Tuesday", 0), 0u) << body;
  EXPECT_EQ(body.find("Jane Roe"), std::string::npos) << body;
  EXPECT_NE(body.find("Paragraph 3"), std::string::npos) << body;
}

}  // namespace
}  // namespace palimpsest::testing
