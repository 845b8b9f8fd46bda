// Issue #16: one document across its URLs. Captures of one article under http and https, with
// tracking parameters, as an AMP copy that declares the canonical URL, and behind an old slug
// that now redirects all land in the document first seen at the article's address; show and
// history list every URL with first and last seen times; a URL names its document, in the CLI
// and in Memento's TimeGate and TimeMap; replay derives the same addresses.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cli/http/serve_test_harness.h"
#include "cli/warc_test_records.h"
#include "palimpsest/hash.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kCanonical = "https://news.example/2024/03/harbour-budget";

std::string CanonicalPage(const std::string& canonical, const std::string& extra_paragraph = "") {
  return "<html><head><title>Harbour Council Approves Budget</title>"
         "<link rel=\"canonical\" href=\"" +
         canonical +
         "\"></head><body><article><h1>Harbour Council Approves Budget</h1>"
         "<p>The harbour council approved a budget of four million on Monday after a long "
         "debate about dredging the eastern channel.</p>"
         "<p>Work on the channel is to start in the spring and take two years, the council "
         "said in a statement.</p>" +
         extra_paragraph + "</article></body></html>";
}

// URL → the roles `urls` lists it with ("captured,canonical").
std::map<std::string, std::string> RolesByUrl(const json::value& doc) {
  std::map<std::string, std::string> roles;
  for (const json::value& u : Arr(doc, "urls")) {
    std::string as;
    for (const json::value& r : u.at("as").as_array()) {
      as += (as.empty() ? "" : ",") + std::string(r.as_string());
    }
    roles[Str(u, "url")] = as;
  }
  return roles;
}

class UrlIdentityTest : public ServeFixture {
 protected:
  void SetUp() override {
    const std::string warc =
        WarcResponse("http://news.example/2024/03/harbour-budget", CanonicalPage(kCanonical),
                     "2024-03-01T10:00:00Z") +
        WarcResponse(
            "https://news.example/2024/03/harbour-budget?utm_source=twitter&utm_medium=social",
            CanonicalPage(kCanonical), "2024-03-02T10:00:00Z") +
        WarcResponse(
            "https://news.example/amp/2024/03/harbour-budget",
            CanonicalPage(kCanonical,
                          "<p>Correction: An earlier version of this story misstated the budget as "
                          "three million.</p>"),
            "2024-03-03T10:00:00Z") +
        WarcRedirect("https://news.example/2024/03/budget-approved",
                     "https://news.example/2024/03/harbour-budget", "2024-03-04T10:00:00Z");
    WriteFileOrDie(a_.Join("crawl.warc"), warc);
    RunResult run = a_.Run({"import", a_.Join("crawl.warc"), "--json", "--progress", "never"});
    ASSERT_EQ(run.exit_code, 0) << Describe(run);
    summary_ = ParseJson(run.out);
  }

  const CliArchive& a_ = archive_;
  json::value summary_;
};

TEST_F(UrlIdentityTest, EveryAddressOfTheArticleLandsInOneDocument) {
  EXPECT_EQ(Int(summary_, "documents_created"), 1) << json::serialize(summary_);
  EXPECT_EQ(Int(summary_, "failed"), 0);
  json::value list = a_.Json({"list", "--json"});
  ASSERT_EQ(Arr(list, "documents").size(), 1u) << json::serialize(list);

  // Any spelling of any of its addresses names the document.
  const std::string id = Str(a_.Json({"show", kCanonical, "--json"}), "id");
  for (const char* url : {"http://news.example/2024/03/harbour-budget",
                          "https://news.example/2024/03/harbour-budget?utm_source=rss",
                          "https://news.example/amp/2024/03/harbour-budget",
                          "https://news.example/2024/03/budget-approved"}) {
    EXPECT_EQ(Str(a_.Json({"show", url, "--json"}), "id"), id) << url;
  }
  EXPECT_EQ(a_.Run({"show", "https://news.example/2024/03/other-story"}).exit_code,
            a_.Run({"show", "no-such-document"}).exit_code)
      << "an address no capture was made at is an unknown document";

  // The AMP copy's extra paragraph is the document's second revision: a correction.
  json::value history = a_.Json({"history", id, "--json"});
  ASSERT_EQ(Arr(history, "revisions").size(), 2u) << json::serialize(history);
  EXPECT_EQ(Str(Arr(history, "revisions")[1], "kind"), "correction");
}

TEST_F(UrlIdentityTest, ShowAndHistoryListEveryUrlWithItsRolesAndTimes) {
  const std::string id = Str(a_.Json({"show", kCanonical, "--json"}), "id");
  json::value doc = a_.Json({"show", id, "--json"});
  const std::map<std::string, std::string> expected = {
      {"http://news.example/2024/03/harbour-budget", "captured"},
      {"https://news.example/2024/03/harbour-budget?utm_source=twitter&utm_medium=social",
       "captured"},
      {"https://news.example/amp/2024/03/harbour-budget", "captured"},
      {kCanonical, "canonical,redirect_target"},
      {"https://news.example/2024/03/budget-approved", "redirect"},
  };
  EXPECT_EQ(RolesByUrl(doc), expected) << json::serialize(doc.at("urls"));
  // Oldest sighting first; the declared canonical URL was first seen with the first capture.
  const json::array& urls = Arr(doc, "urls");
  ASSERT_EQ(urls.size(), 5u);
  EXPECT_EQ(Str(urls[0], "first_seen"), "2024-03-01T10:00:00Z");
  EXPECT_EQ(Str(urls.back(), "url"), "https://news.example/2024/03/budget-approved");
  for (const json::value& u : urls) {
    if (Str(u, "url") == kCanonical) {
      EXPECT_EQ(Str(u, "first_seen"), "2024-03-01T10:00:00Z");
      EXPECT_EQ(Str(u, "last_seen"), "2024-03-04T10:00:00Z") << "the redirect's target";
    }
  }
  EXPECT_EQ(a_.Json({"history", id, "--json"}).at("urls"), doc.at("urls"));
  RunResult text = a_.Run({"history", kCanonical});
  ASSERT_EQ(text.exit_code, 0) << Describe(text);
  EXPECT_TRUE(Contains(text.out, "https://news.example/amp/2024/03/harbour-budget")) << text.out;
}

TEST_F(UrlIdentityTest, ReplayAndReimportKeepTheSameAddresses) {
  const std::string id = Str(a_.Json({"show", kCanonical, "--json"}), "id");
  const json::value before = a_.Json({"show", id, "--json"}).at("urls");
  const size_t log = a_.LogLength();
  RunResult again = a_.Run({"import", a_.Join("crawl.warc"), "--json", "--progress", "never"});
  ASSERT_EQ(again.exit_code, 0) << Describe(again);
  EXPECT_EQ(a_.LogLength(), log) << "re-import is a no-op";
  json::value replay = a_.Json({"replay", "--json"});
  EXPECT_TRUE(Bool(replay, "identical")) << json::serialize(replay);
  ASSERT_TRUE(replay.at("databases").as_object().contains("document_urls"))
      << json::serialize(replay);
  EXPECT_TRUE(Bool(replay.at("databases").at("document_urls"), "identical"));
  EXPECT_EQ(a_.Json({"show", id, "--json"}).at("urls"), before);
  EXPECT_EQ(a_.Run({"verify"}).exit_code, 0);
}

TEST_F(UrlIdentityTest, ALaterRevisitOfAnAddressFindsTheCaptureInTheDocumentItLandedIn) {
  // A later crawl, imported by another run, saw the AMP copy again unchanged: the capture it
  // refers to is in the article's document, not in one the AMP URL would derive.
  const std::string amp =
      CanonicalPage(kCanonical,
                    "<p>Correction: An earlier version of this story misstated the "
                    "budget as three million.</p>");
  WriteFileOrDie(a_.Join("later.warc"),
                 WarcRevisit("https://news.example/amp/2024/03/harbour-budget",
                             "sha256:" + ToHex(Sha256(amp)), "2024-03-06T10:00:00Z"));
  json::value s =
      ParseJson(a_.Run({"import", a_.Join("later.warc"), "--json", "--progress", "never"}).out);
  EXPECT_EQ(Int(s, "unchanged"), 1) << json::serialize(s);
  EXPECT_EQ(Int(s, "skipped"), 0);
  const json::array revisions = Arr(a_.Json({"history", kCanonical, "--json"}), "revisions");
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(Str(revisions[1], "last_seen_at"), "2024-03-06T10:00:00Z");
}

TEST_F(UrlIdentityTest, MementoTakesAnyUrlTheDocumentWasSeenAt) {
  const std::string id = Str(a_.Json({"show", kCanonical, "--json"}), "id");
  ASSERT_NO_FATAL_FAILURE(StartServer());
  const std::string map = Get(port_, "/timemap/" + id).body;
  const std::string first_seq =
      std::to_string(Int(Arr(a_.Json({"history", id, "--json"}), "revisions")[0], "seq"));
  for (const std::string& url :
       {std::string(kCanonical), std::string("https://news.example/amp/2024/03/harbour-budget"),
        std::string("http://news.example/2024/03/harbour-budget?utm_source=x"),
        std::string("https://news.example/2024/03/budget-approved")}) {
    HttpReply by_url = Get(port_, "/timemap/" + url);
    EXPECT_EQ(by_url.status, 200u) << url << "\n" << by_url.body;
    EXPECT_EQ(by_url.body, map) << url;
    HttpReply gate =
        Get(port_, "/memento/" + url, {{"Accept-Datetime", "Sat, 02 Mar 2024 12:00:00 GMT"}});
    EXPECT_EQ(gate.status, 302u) << url << "\n" << gate.body;
    EXPECT_EQ(gate.Header("location"), "/api/documents/" + id + "?seq=" + first_seq) << url;
  }
  EXPECT_EQ(Get(port_, "/timemap/https://news.example/2024/03/other-story").status, 404u);
  EXPECT_EQ(Get(port_, "/memento/https://news.example/2024/03/other-story").status, 404u);
  EXPECT_EQ(
      Http(port_, boost::beast::http::verb::post, "/timemap/" + std::string(kCanonical), "").status,
      405u);
}

// Ingest without --id lands by address too; with --id the caller decides.
TEST(UrlIdentityIngestTest, IngestWithoutAnIdLandsInTheDocumentSeenAtTheUrl) {
  CliArchive a;
  WriteFileOrDie(a.Join("page.html"), CanonicalPage(kCanonical));
  json::value first = ParseJson(
      a.Ok({"ingest", a.Join("page.html"), "--json", "--url",
            "http://news.example/2024/03/harbour-budget", "--captured", "2024-03-01T10:00:00Z"}));
  json::value second = ParseJson(a.Ok({"ingest", a.Join("page.html"), "--json", "--url",
                                       "https://news.example/amp/2024/03/harbour-budget",
                                       "--captured", "2024-03-02T10:00:00Z"}));
  EXPECT_EQ(Str(second, "id"), Str(first, "id"));
  json::value third = ParseJson(a.Ok({"ingest", a.Join("page.html"), "--json", "--id", "mine",
                                      "--url", kCanonical, "--captured", "2024-03-03T10:00:00Z"}));
  EXPECT_EQ(Str(third, "id"), "mine");
  EXPECT_EQ(Str(a.Json({"show", kCanonical, "--json"}), "id"), Str(first, "id"))
      << "an address keeps its first document";
}

}  // namespace
}  // namespace palimpsest::testing
