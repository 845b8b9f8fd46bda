// Issue #16: backfill. An old crawl imported after live captures began: its capture is put
// where it belongs in capture order, the revision after it is re-derived against it (a page
// that first showed an Editor's note becomes the correction it was), while --known-at still
// shows what the archive knew before, numbering and kinds as they were; Memento URI-Ms handed
// out before the backfill keep naming the same text; search, blame, change summaries, the
// change feed and replay follow.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/http/serve_test_harness.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kUrl = "https://news.example/2024/03/ferry";
constexpr const char* kBackfillNote =
    "Correction: An earlier version of this story gave the wrong start date for the new "
    "timetable.";

std::string BackfillPage(const std::string& extra) {
  return std::string("<html><head><title>Ferry Service Cut to Two Crossings</title></head>") +
         "<body><article><h1>Ferry Service Cut to Two Crossings</h1>"
         "<p>The island ferry will run two crossings a day from April, the operator said on "
         "Friday, citing a shortage of crew and the cost of fuel.</p>"
         "<p>Islanders said the cut would leave commuters stranded on the mainland most "
         "evenings.</p>" +
         extra + "</article></body></html>";
}

std::string Response(const std::string& html, const std::string& date) {
  const std::string block =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
      std::to_string(html.size()) + "\r\n\r\n" + html;
  return "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:ferry-" + date +
         ">\r\nWARC-Date: " + date + "\r\nWARC-Target-URI: " + kUrl +
         "\r\nContent-Length: " + std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n";
}

const std::string kNoteParagraph = std::string("<p>") + kBackfillNote + "</p>";
const std::string kThirdCrossing =
    "<p>The operator later said a third crossing could return in the summer if crew can be "
    "hired.</p>";

class BackfillTest : public ServeFixture {
 protected:
  void SetUp() override {
    // The live crawl: the page with its Editor's note on March 5, a stealth addition on the 9th.
    WriteFileOrDie(
        a_.Join("live.warc"),
        Response(BackfillPage(kNoteParagraph), "2024-03-05T10:00:00Z") +
            Response(BackfillPage(kNoteParagraph + kThirdCrossing), "2024-03-09T10:00:00Z"));
    // The old crawl, imported later: the story as first published on March 1.
    WriteFileOrDie(a_.Join("old.warc"), Response(BackfillPage(""), "2024-03-01T10:00:00Z"));
    Import("live.warc");
    before_ = Revisions();
    ASSERT_EQ(before_.size(), 2u);
    known_before_ = Str(before_.back(), "recorded_at");
    ASSERT_NO_FATAL_FAILURE(StartServer());
    timemap_before_ = Get(port_, "/timemap/" + Id()).body;
    for (const json::value& r : before_) {
      const std::string uri = "/api/documents/" + Id() + "?seq=" + std::to_string(Int(r, "seq"));
      mementos_before_.push_back({uri, Str(Get(port_, uri).Json(), "body")});
    }
    // The backfill, while the server runs.
    backfill_summary_ = Import("old.warc");
  }

  json::value Import(const std::string& file) {
    RunResult run = a_.Run({"import", a_.Join(file), "--json", "--progress", "never"});
    EXPECT_EQ(run.exit_code, 0) << Describe(run);
    return run.exit_code == 0 ? ParseJson(run.out) : json::value();
  }
  std::string Id() const { return Str(a_.Json({"show", kUrl, "--json"}), "id"); }
  json::array Revisions() const { return Arr(a_.Json({"history", kUrl, "--json"}), "revisions"); }

  const CliArchive& a_ = archive_;
  json::array before_;
  std::string known_before_;
  std::string timemap_before_;
  json::value backfill_summary_;
  std::vector<std::pair<std::string, std::string>> mementos_before_;  // URI-M, its body
};

TEST_F(BackfillTest, HistoryIsInCaptureOrderAndTheCorrectionIsDerivedAgain) {
  // Before: the page with the note was the original.
  EXPECT_EQ(Str(before_[0], "kind"), "original");
  EXPECT_EQ(Str(before_[0], "note"), "");

  const json::array after = Revisions();
  ASSERT_EQ(after.size(), 3u);
  std::vector<std::string> captured, kinds;
  for (const json::value& r : after) {
    captured.push_back(Str(r, "captured_at"));
    kinds.push_back(Str(r, "kind"));
  }
  EXPECT_EQ(captured, (std::vector<std::string>{"2024-03-01T10:00:00Z", "2024-03-05T10:00:00Z",
                                                "2024-03-09T10:00:00Z"}));
  EXPECT_EQ(kinds, (std::vector<std::string>{"original", "correction", "update"}));
  EXPECT_EQ(Int(backfill_summary_, "revisions"), 1) << json::serialize(backfill_summary_);
  EXPECT_EQ(Int(backfill_summary_, "backfilled"), 1);
  EXPECT_TRUE(Contains(Str(after[1], "note"), "wrong start date")) << Str(after[1], "note");
  EXPECT_TRUE(Bool(after[2], "stealth"));
  // The log order never changes: the backfilled revision's event is the newest.
  EXPECT_GT(Int(after[0], "seq"), Int(after[2], "seq"));
  EXPECT_EQ(Int(after[1], "seq"), Int(before_[0], "seq"));
  // What changed is told against the new neighbour.
  EXPECT_EQ(Int(after[1].at("change"), "notes_added"), 1) << json::serialize(after[1]);
  RunResult diff = a_.Run({"diff", Id(), "1", "2", "--json"});
  ASSERT_EQ(diff.exit_code, 0) << Describe(diff);
  EXPECT_TRUE(Contains(diff.out, "wrong start date")) << diff.out;
  // The first paragraph was there from revision 1, the third crossing came with revision 3.
  json::value blame = a_.Json({"blame", Id(), "--json"});
  const std::string text = json::serialize(blame);
  ASSERT_EQ(Int(blame, "rev"), 3) << text;
  const json::array& paragraphs = Arr(blame, "paragraphs");
  ASSERT_EQ(paragraphs.size(), 3u) << text;
  EXPECT_EQ(Int(Arr(paragraphs[0], "sentences")[0], "rev"), 1) << text;
  EXPECT_EQ(Int(Arr(paragraphs[2], "sentences")[0], "rev"), 3) << text;
  // Search names revisions by their new numbers: the note is in revisions 2 and 3.
  json::value found = a_.Json({"search", "timetable", "--all-revisions", "--json"});
  ASSERT_EQ(Arr(found, "results").size(), 1u) << json::serialize(found);
  EXPECT_EQ(json::serialize(Arr(found, "results")[0].at("revs")), "[2,3]")
      << json::serialize(found);
  json::value feed = a_.Json({"changes", "--json"});
  ASSERT_EQ(Arr(feed, "changes").size(), 3u) << json::serialize(feed);
  EXPECT_EQ(Int(Arr(feed, "changes").back(), "rev"), 1) << "recorded last, numbered first";
}

TEST_F(BackfillTest, KnownAtShowsWhatTheArchiveKnewBeforeTheBackfill) {
  // The history as known then is exactly the history as it was then.
  EXPECT_EQ(Arr(a_.Json({"history", kUrl, "--known-at", known_before_, "--json"}), "revisions"),
            before_);
  HttpReply then_over_http =
      Get(port_, "/api/documents/" + Id() + "/revisions?known_at=" + known_before_);
  ASSERT_EQ(then_over_http.status, 200u) << then_over_http.body;
  EXPECT_EQ(Arr(then_over_http.Json(), "revisions"), before_);
  EXPECT_EQ(a_.Run({"history", kUrl, "--known-at", "2020-01-01"}).exit_code,
            a_.Run({"history", "no-such-document"}).exit_code);
  // Bad input: a clear one-line error (1: a bad argument, 2: no such revision), nothing written.
  const size_t log = a_.LogLength();
  ExpectOneLineError(a_.Run({"history", kUrl, "--known-at", "last tuesday"}), 1);
  ExpectOneLineError(a_.Run({"show", kUrl, "--seq", "999999"}), 2);
  EXPECT_NE(a_.Run({"show", kUrl, "--seq", "1", "--rev", "1"}).exit_code, 0);
  EXPECT_EQ(Get(port_, "/api/documents/" + Id() + "/revisions?known_at=soon").status, 400u);
  EXPECT_EQ(a_.LogLength(), log);
  json::value then = a_.Json({"show", kUrl, "--known-at", known_before_, "--json"});
  EXPECT_EQ(Int(then, "rev"), 2);
  EXPECT_EQ(Str(then, "kind"), "update");
  json::value first_then =
      a_.Json({"show", kUrl, "--rev", "1", "--known-at", known_before_, "--json"});
  EXPECT_EQ(Str(first_then, "kind"), "original") << "the correction was the original then";
  EXPECT_EQ(Str(first_then, "note"), "");
  EXPECT_EQ(Str(first_then, "captured_at"), "2024-03-05T10:00:00Z");
  json::value first_now = a_.Json({"show", kUrl, "--rev", "1", "--json"});
  EXPECT_EQ(Str(first_now, "captured_at"), "2024-03-01T10:00:00Z");
  EXPECT_FALSE(Contains(Str(first_now, "body"), "timetable"));
  EXPECT_EQ(a_.Run({"show", kUrl, "--rev", "3", "--known-at", known_before_}).exit_code,
            a_.Run({"show", kUrl, "--rev", "9"}).exit_code);
  // A seq names the same revision whatever the numbering.
  const std::string seq = std::to_string(Int(before_[0], "seq"));
  EXPECT_EQ(Int(a_.Json({"show", kUrl, "--seq", seq, "--json"}), "rev"), 2);
  EXPECT_EQ(
      Int(a_.Json({"show", kUrl, "--seq", seq, "--known-at", known_before_, "--json"}), "rev"), 1);
}

TEST_F(BackfillTest, MementosFromBeforeTheBackfillNameTheSameText) {
  for (const auto& [uri, body] : mementos_before_) {
    HttpReply now = Get(port_, uri);
    ASSERT_EQ(now.status, 200u) << uri << "\n" << now.body;
    EXPECT_EQ(Str(now.Json(), "body"), body) << uri;
  }
  // The TimeMap now lists three mementos, the two from before among them.
  const std::string map = Get(port_, "/timemap/" + Id()).body;
  for (const auto& [uri, body] : mementos_before_) {
    EXPECT_TRUE(Contains(timemap_before_, "<" + uri + ">")) << timemap_before_;
    EXPECT_TRUE(Contains(map, "<" + uri + ">")) << map;
  }
  HttpReply gate =
      Get(port_, "/memento/" + Id(), {{"Accept-Datetime", "Sat, 02 Mar 2024 12:00:00 GMT"}});
  EXPECT_EQ(gate.status, 302u);
  HttpReply first = Get(port_, gate.Header("location"));
  EXPECT_EQ(Int(first.Json(), "rev"), 1) << gate.Header("location");
  EXPECT_FALSE(Contains(Str(first.Json(), "body"), "timetable"));
}

TEST_F(BackfillTest, ReplayIsIdenticalAndReimportIsANoOp) {
  const size_t log = a_.LogLength();
  for (const char* file : {"old.warc", "live.warc"}) {
    RunResult again = a_.Run({"import", a_.Join(file), "--json", "--progress", "never"});
    ASSERT_EQ(again.exit_code, 0) << Describe(again);
  }
  EXPECT_EQ(a_.LogLength(), log);
  json::value replay = a_.Json({"replay", "--json"});
  EXPECT_TRUE(Bool(replay, "identical")) << json::serialize(replay);
  EXPECT_EQ(a_.Run({"verify"}).exit_code, 0);
  EXPECT_EQ(Revisions().size(), 3u);
}

TEST_F(BackfillTest, ARedactedRevisionStaysWithheldWhereverItMoves) {
  RunResult redact = a_.Run({"redact", Id(), "--rev", "2", "--reason", "legal"});
  ASSERT_EQ(redact.exit_code, 0) << Describe(redact);
  // An even older capture arrives: the redacted revision moves to number 3.
  WriteFileOrDie(a_.Join("oldest.warc"),
                 Response(BackfillPage("<p>Crossings will stop at six in the evening.</p>"),
                          "2024-02-28T10:00:00Z"));
  Import("oldest.warc");
  const json::array after = Revisions();
  ASSERT_EQ(after.size(), 4u);
  EXPECT_TRUE(Bool(after[2], "redacted"));
  EXPECT_EQ(Str(after[2], "note"), "");
  EXPECT_EQ(Str(after[3], "kind"), "update");
  json::value shown = a_.Json({"show", Id(), "--rev", "3", "--json"});
  EXPECT_TRUE(Bool(shown, "redacted"));
  EXPECT_EQ(Str(shown, "body"), "");
  for (const char* rev : {"3", "4"}) {
    EXPECT_TRUE(Bool(
        Arr(a_.Json({"history", Id(), "--json"}), "revisions")[std::stoi(rev) - 1].at("change"),
        "redacted"))
        << "neither the diff into nor out of it may show its content";
  }
  // The note came with the redacted revision: the later one no longer carries it either, so
  // no revision is found by it.
  json::value found = a_.Json({"search", "timetable", "--all-revisions", "--json"});
  EXPECT_TRUE(Arr(found, "results").empty()) << json::serialize(found);
  json::value replay = a_.Json({"replay", "--json"});
  EXPECT_TRUE(Bool(replay, "identical")) << json::serialize(replay);
}

}  // namespace
}  // namespace palimpsest::testing
