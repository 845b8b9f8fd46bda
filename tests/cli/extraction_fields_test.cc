// Extraction end to end, beyond the corpus fields: dek, dateline, outlet and canonical URL in
// `show --json` (from pages and from JSON Lines), the JSON Lines `kind`, the extractor version
// recorded with the projections (stats, replay, the hint on write commands), and noise that
// is no revision (whitespace, chrome, related stories).

#include <gtest/gtest.h>
#include <lmdb.h>

#include <string>
#include <vector>

#include "cli/cli_test_helpers.h"
#include "lmdb_test_util.h"
#include "palimpsest/extractor.h"

namespace palimpsest::testing {
namespace {

json::value ImportJsonl(const CliArchive& a, const std::string& lines) {
  const std::string path = a.Join("records.jsonl");
  WriteFileOrDie(path, lines);
  RunResult r = a.Run({"import", path, "--json", "--progress", "never"});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  return ParseJson(r.out);
}

TEST(ExtractionFieldsTest, JsonlFieldsAndDeclaredKind) {
  CliArchive a;
  ImportJsonl(
      a,
      R"({"id":"pier","title":"Pier Reopens","dek":"Six weeks of repairs end early","byline":"Mara Quill","dateline":"PORT ELLEN, Scotland","outlet":"Harbor Gazette","canonical_url":"https://harbor.example/pier","captured_at":"2024-06-03T10:00:00Z","body":"The pier reopened on Monday.\n\nFerries resume next week."})"
      "\n"
      R"({"id":"pier","title":"Pier Reopens","dek":"Six weeks of repairs end early","byline":"Mara Quill","dateline":"PORT ELLEN, Scotland","outlet":"Harbor Gazette","canonical_url":"https://harbor.example/pier","captured_at":"2024-06-05T10:00:00Z","note":"This story was updated to clarify that ferries resume on June 10.","effective_at":"2024-06-04","kind":"clarification","body":"The pier reopened on Monday.\n\nFerries resume on June 10."})"
      "\n"
      R"({"id":"pier","title":"Pier Reopens","dek":"Six weeks of repairs end early","byline":"Mara Quill","dateline":"PORT ELLEN, Scotland","outlet":"Harbor Gazette","canonical_url":"https://harbor.example/pier","captured_at":"2024-06-07T10:00:00Z","note":"This story was updated to clarify that ferries resume on June 10.","kind":"editorial","body":"The pier reopened on Monday after repairs.\n\nFerries resume on June 10."})"
      "\n");
  json::value doc = a.Json({"show", "pier", "--json", "--rev", "1"});
  EXPECT_EQ(Str(doc, "dek"), "Six weeks of repairs end early");
  EXPECT_EQ(Str(doc, "dateline"), "PORT ELLEN, Scotland");
  EXPECT_EQ(Str(doc, "outlet"), "Harbor Gazette");
  EXPECT_EQ(Str(doc, "canonical_url"), "https://harbor.example/pier");
  // The plain view prints them too: the dek under the title, the rest with the metadata.
  const std::string text = a.Ok({"show", "pier", "--rev", "1"});
  EXPECT_EQ(text.rfind("Pier Reopens\nSix weeks of repairs end early\nBy Mara Quill\n", 0), 0u)
      << text;
  EXPECT_NE(text.find("\ndateline PORT ELLEN, Scotland\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\noutlet Harbor Gazette\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ncanonical https://harbor.example/pier\n"), std::string::npos) << text;
  json::value h = a.Json({"history", "pier", "--json"});
  const json::array& revs = Arr(h, "revisions");
  ASSERT_EQ(revs.size(), 3u) << json::serialize(h);
  EXPECT_EQ(Str(revs[0], "kind"), "original");
  EXPECT_EQ(Str(revs[1], "kind"), "clarification");
  EXPECT_EQ(Str(revs[1], "note"),
            "This story was updated to clarify that ferries resume on June 10.");
  EXPECT_EQ(Str(revs[1], "effective_at"), "2024-06-04T00:00:00Z");
  // A declared kind without a new note still names the revision, and is no stealth edit.
  EXPECT_EQ(Str(revs[2], "kind"), "editorial");
  EXPECT_FALSE(Bool(revs[2], "stealth"));
}

TEST(ExtractionFieldsTest, HtmlCanonicalUrlDekAndOutletInShowJson) {
  CliArchive a;
  const std::string html =
      "<html><head><meta charset=utf-8><title>Pier Reopens | Harbor Gazette</title>"
      "<link rel=canonical href=\"https://harbor.example/news/pier\">"
      "<meta property=\"og:site_name\" content=\"Harbor Gazette\">"
      "<meta name=description content=\"A summary for search engines.\"></head><body>"
      "<nav><a href=/>Home</a></nav><article><header><h1>Pier Reopens</h1>"
      "<p class=\"dek\">Six weeks of repairs end early</p></header>"
      "<p>The pier reopened on Monday after six weeks of repairs.</p>"
      "<p>Ferries resume their full timetable next week.</p></article></body></html>";
  const std::string path = a.Join("pier.html");
  WriteFileOrDie(path, html);
  RunResult r = a.Run({"import", path, "--json", "--progress", "never"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  json::value doc = a.Json({"show", "pier", "--json"});
  EXPECT_EQ(Str(doc, "canonical_url"), "https://harbor.example/news/pier");
  EXPECT_EQ(Str(doc, "outlet"), "Harbor Gazette");
  EXPECT_EQ(Str(doc, "dek"), "Six weeks of repairs end early");
  EXPECT_EQ(Str(doc, "title"), "Pier Reopens");
}

TEST(ExtractionFieldsTest, TheLanguageThePageDeclares) {
  CliArchive a;
  const std::string article =
      "<article><h1>Pier Reopens</h1><p>The pier reopened on Monday after six weeks of "
      "repairs.</p><p>Ferries resume their full timetable next week.</p></article></body></html>";
  const std::vector<std::pair<std::string, std::string>> pages = {
      {"<html lang='de_de'><head>", "de-DE"},
      {"<html><head><meta property='og:locale' content='fr_FR'>", "fr-FR"},
      {"<html lang='unknown'><head><script type='application/ld+json'>{\"@type\":"
       "\"NewsArticle\",\"inLanguage\":{\"@type\":\"Language\",\"alternateName\":\"pt-br\"}}"
       "</script><meta http-equiv='Content-Language' content='es'>",
       "pt-BR"},
      {"<html><head><meta http-equiv='content-language' content='es, en'>", "es"},
      {"<html lang=''><head>", ""},
  };
  for (size_t i = 0; i < pages.size(); ++i) {
    const std::string path = a.Join("page" + std::to_string(i) + ".html");
    WriteFileOrDie(path, pages[i].first + "<title>Pier Reopens</title></head><body>" + article);
    RunResult r = a.Run({"ingest", path, "--json"});
    ASSERT_EQ(r.exit_code, 0) << Describe(r);
    EXPECT_EQ(Str(a.Json({"show", "page" + std::to_string(i), "--json"}), "language"),
              pages[i].second)
        << pages[i].first;
  }
  // An importer names it too.
  json::value s = ImportJsonl(a, R"({"id":"pl","body":"Jeden akapit tekstu.","language":"PL"})");
  EXPECT_EQ(Int(s, "failed"), 0);
  EXPECT_EQ(Str(a.Json({"show", "pl", "--json"}), "language"), "pl");
}

TEST(ExtractionFieldsTest, PlainTextDatelineAndRemovedChromeInShowJson) {
  CliArchive a;
  a.IngestFixture("002_7e22955fd7e20ed8.txt", {"--captured", "2024-12-15T09:00:00Z"});
  json::value doc = a.Json({"show", "002_7e22955fd7e20ed8", "--json"});
  EXPECT_EQ(Str(doc, "dateline"), "YOKOTA AIR BASE, Japan");
  EXPECT_EQ(Str(doc, "dek"), "");
  bool listed = false;
  for (const json::value& line : Arr(doc, "chrome"))
    listed |= line.as_string() == "Forgot Password?";
  EXPECT_TRUE(listed) << json::serialize(Field(doc, "chrome"));
}

// Sets (or with an empty value removes) meta "extractor_version", and drops `chrome_lines`,
// as an archive written by extractor version 1 had them.
void MakeVersionOneArchive(const std::string& dir) {
  WithLmdbTxn(dir, [](MDB_txn* txn) {
    MDB_dbi meta, chrome;
    ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    std::string key = "extractor_version";
    MDB_val k{key.size(), key.data()};
    ASSERT_EQ(mdb_del(txn, meta, &k, nullptr), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "chrome_lines", 0, &chrome), 0);
    ASSERT_EQ(mdb_drop(txn, chrome, 1), 0);
  });
}

TEST(ExtractorVersionTest, RecordedWithTheProjectionsAndHintedWhenOlder) {
  CliArchive a;
  a.IngestScenario();
  EXPECT_EQ(Int(a.Json({"stats", "--json"}), "extractor_version"), kExtractorVersion);
  MakeVersionOneArchive(a.data());
  // Reads work and say which extractor built what they show.
  EXPECT_EQ(Int(a.Json({"stats", "--json"}), "extractor_version"), 1);
  RunResult show = a.Run({"show", kScenarioDoc, "--json"});
  EXPECT_EQ(show.exit_code, 0) << Describe(show);
  EXPECT_EQ(show.err, "");
  // A write command works, with a one-line hint.
  RunResult ingest = a.Run({"ingest", FixturePath("004_52689c8dd169f3e3.txt"), "--captured",
                            "2024-12-15T09:00:00Z", "--json"});
  EXPECT_EQ(ingest.exit_code, 0) << Describe(ingest);
  EXPECT_TRUE(Contains(ingest.err, "palimpsest replay")) << Describe(ingest);
  EXPECT_EQ(Lines(ingest.err).size(), 1u) << Describe(ingest);
  EXPECT_EQ(Int(a.Json({"stats", "--json"}), "extractor_version"), 1) << "appends keep it";
  // Replay rebuilds with the current extractor and records it; then no hint.
  RunResult replay = a.Run({"replay", "--json"});
  EXPECT_EQ(replay.exit_code, 0) << Describe(replay);
  EXPECT_EQ(replay.err, "");
  EXPECT_EQ(Int(ParseJson(replay.out), "extractor_version"), kExtractorVersion);
  EXPECT_EQ(Int(a.Json({"stats", "--json"}), "extractor_version"), kExtractorVersion);
  RunResult after = a.Run({"ingest", FixturePath("003_bc5277d4b9ff88ba.txt"), "--captured",
                           "2024-12-15T09:00:00Z", "--json"});
  EXPECT_EQ(after.exit_code, 0) << Describe(after);
  EXPECT_EQ(after.err, "");
  json::value verify = a.Json({"verify", "--json"});
  EXPECT_TRUE(Bool(verify, "ok")) << json::serialize(verify);
}

// Differences that are not the article's are unchanged observations.
TEST(NoiseTest, WhitespaceChromeAndRelatedStoriesAreNoRevision) {
  CliArchive a;
  const std::string base =
      "Skip to main content\n"
      "Pier Reopens After Six Weeks of Storm Repairs\n"
      "By Mara Quill | June 3, 2024\n\n"
      "The pier reopened on Monday after six weeks of repairs, the council said.\n\n"
      "Ferries resume their full timetable next week, the operator said.\n\n"
      "Related Stories\n"
      "School Choir Wins National Competition\n"
      "Harbor Festival Draws Record Crowds\n";
  json::value first = a.IngestText("pier", base, "2024-06-03T10:00:00Z");
  EXPECT_EQ(Str(first, "status"), "created");
  std::string spaced = base;
  spaced.replace(spaced.find("after six weeks"), 15, "after  six\u00A0weeks");
  spaced.replace(spaced.find("\n\nFerries"), 2, "\n  \n\n\t\n");
  std::string chrome = base;
  chrome.insert(0, "An official website of the United States government\nSign In\n");
  chrome.insert(chrome.find("Related Stories"), "Share this article\nFacebook\nTwitter\n");
  std::string related = base;
  related.replace(related.find("School Choir"), 38, "Lifeboat Station Gets Funding");
  int hour = 11;
  for (const std::string* page : {&spaced, &chrome, &related}) {
    json::value r = a.IngestText("pier", *page, "2024-06-03T" + std::to_string(hour++) + ":00:00Z");
    EXPECT_EQ(Str(r, "status"), "unchanged") << *page;
    EXPECT_EQ(Int(r, "rev"), 1);
  }
  // A one-word change in the text is one.
  std::string edited = base;
  edited.replace(edited.find("Monday"), 6, "Tuesday");
  EXPECT_EQ(Str(a.IngestText("pier", edited, "2024-06-04T10:00:00Z"), "status"), "revised");
  ASSERT_EQ(Arr(a.Json({"history", "pier", "--json"}), "revisions").size(), 2u);
}

}  // namespace
}  // namespace palimpsest::testing
