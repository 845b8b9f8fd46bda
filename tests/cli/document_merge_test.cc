// Issue #16: two documents merged by a later redirect. A story captured under its first slug and,
// after the newsroom renamed it, under its new address is two documents, until a crawl records
// that the old slug redirects to the new one: the archive merges them by an event. Both
// histories are kept, interleaved in capture order; the merge shows in history; the merged-away
// id keeps resolving in the CLI, over HTTP and in Memento; --known-at before the merge shows the
// document as it was; search, a redaction, re-import and replay follow.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/http/serve_test_harness.h"
#include "cli/warc_test_records.h"

namespace palimpsest::testing {
namespace {

constexpr const char* kOldSlug = "https://news.example/2024/03/council-vote";
constexpr const char* kNewUrl = "https://news.example/2024/03/council-approves-tram-line";

std::string MergePage(const std::string& extra) {
  return "<html><head><title>Council Approves Tram Line</title></head><body><article>"
         "<h1>Council Approves Tram Line</h1>"
         "<p>The city council approved the eastern tram line on Tuesday by a vote of nine to "
         "four, ending a decade of debate over the route.</p>"
         "<p>Construction is to begin next year and the line should open in 2028, the mayor "
         "told reporters after the vote.</p>" +
         extra + "</article></body></html>";
}

const std::string kCost =
    "<p>The line is expected to cost 310 million, most of it paid by a regional grant.</p>";
const std::string kMergeNote =
    "<p>Correction: An earlier version of this story misstated the vote as eight to five.</p>";
const std::string kDepot =
    "<p>A depot for the trams will be built on the site of the old bus garage.</p>";

class DocumentMergeTest : public ServeFixture {
 protected:
  void SetUp() override {
    // The story under its first slug (March 1 and 5), and under its new address (3 and 7).
    WriteFileOrDie(
        a_.Join("crawl.warc"),
        WarcResponse(kOldSlug, MergePage(""), "2024-03-01T10:00:00Z") +
            WarcResponse(kNewUrl, MergePage(kCost), "2024-03-03T10:00:00Z") +
            WarcResponse(kOldSlug, MergePage(kCost + kMergeNote), "2024-03-05T10:00:00Z") +
            WarcResponse(kNewUrl, MergePage(kCost + kMergeNote + kDepot), "2024-03-07T10:00:00Z"));
    // A later crawl finds the old slug redirecting to the new address.
    WriteFileOrDie(a_.Join("redirect.warc"),
                   WarcRedirect(kOldSlug, kNewUrl, "2024-03-08T10:00:00Z"));
    ASSERT_EQ(Import("crawl.warc").exit_code, 0);
    old_id_ = Str(a_.Json({"show", kOldSlug, "--json"}), "id");
    new_id_ = Str(a_.Json({"show", kNewUrl, "--json"}), "id");
    ASSERT_NE(old_id_, new_id_) << "two documents before the redirect is known";
    before_merge_ =
        Str(Arr(a_.Json({"history", new_id_, "--json"}), "revisions").back(), "recorded_at");
    RunResult merged = Import("redirect.warc");
    ASSERT_EQ(merged.exit_code, 0) << Describe(merged);
    summary_ = ParseJson(merged.out);
  }

  RunResult Import(const std::string& file) {
    return a_.Run({"import", a_.Join(file), "--json", "--progress", "never"});
  }

  json::array Revisions(const std::string& doc) {
    return Arr(a_.Json({"history", doc, "--json"}), "revisions");
  }

  const CliArchive& a_ = archive_;
  std::string old_id_, new_id_, before_merge_;
  json::value summary_;
};

TEST_F(DocumentMergeTest, BothHistoriesAreKeptInCaptureOrderAndTheMergeShows) {
  EXPECT_EQ(Int(summary_, "redirects"), 1) << json::serialize(summary_);
  EXPECT_EQ(Int(summary_, "merged"), 1) << json::serialize(summary_);
  json::value list = a_.Json({"list", "--json"});
  ASSERT_EQ(Arr(list, "documents").size(), 1u) << json::serialize(list);
  EXPECT_EQ(Str(Arr(list, "documents")[0], "id"), new_id_) << "the redirect's target survives";

  json::value history = a_.Json({"history", new_id_, "--json"});
  const json::array& revisions = Arr(history, "revisions");
  ASSERT_EQ(revisions.size(), 4u) << json::serialize(history);
  const std::vector<std::string> captured = {"2024-03-01T10:00:00Z", "2024-03-03T10:00:00Z",
                                             "2024-03-05T10:00:00Z", "2024-03-07T10:00:00Z"};
  for (size_t i = 0; i < revisions.size(); ++i) {
    EXPECT_EQ(Int(revisions[i], "rev"), static_cast<int64_t>(i + 1));
    EXPECT_EQ(Str(revisions[i], "captured_at"), captured[i]);
    // The old slug's captures came with the merge; the new address's were here.
    EXPECT_EQ(revisions[i].as_object().contains("merged_from"), i % 2 == 0) << i;
  }
  EXPECT_EQ(Str(revisions[0], "merged_from"), old_id_);
  EXPECT_EQ(Str(revisions[0], "kind"), "original");
  EXPECT_EQ(Str(revisions[1], "kind"), "update") << "re-derived against its new predecessor";
  EXPECT_EQ(Str(revisions[2], "kind"), "correction");
  const json::array& merges = Arr(history, "merges");
  ASSERT_EQ(merges.size(), 1u) << json::serialize(history);
  EXPECT_EQ(Str(merges[0], "from"), old_id_);
  // Every address of both documents is the survivor's.
  std::vector<std::string> urls;
  for (const json::value& u : Arr(history, "urls")) urls.push_back(Str(u, "url"));
  EXPECT_NE(std::find(urls.begin(), urls.end(), kOldSlug), urls.end());
  EXPECT_NE(std::find(urls.begin(), urls.end(), kNewUrl), urls.end());

  RunResult text = a_.Run({"history", kOldSlug});
  ASSERT_EQ(text.exit_code, 0) << Describe(text);
  EXPECT_TRUE(Contains(text.out, "merged in " + old_id_)) << text.out;

  // diff compares neighbours in the merged order.
  json::value diff = a_.Json({"diff", new_id_, "2", "3", "--json"});
  EXPECT_TRUE(Contains(json::serialize(diff), "eight to five")) << json::serialize(diff);
}

TEST_F(DocumentMergeTest, TheMergedAwayIdKeepsResolving) {
  json::value shown = a_.Json({"show", old_id_, "--json"});
  EXPECT_EQ(Str(shown, "id"), new_id_);
  EXPECT_EQ(Int(shown, "rev"), 4);
  EXPECT_EQ(Str(a_.Json({"history", old_id_, "--json"}), "id"), new_id_);
  EXPECT_EQ(Str(a_.Json({"show", kOldSlug, "--json"}), "id"), new_id_);
  EXPECT_EQ(a_.Run({"blame", old_id_}).exit_code, 0);

  // A capture naming the old id, or made at the old slug, lands in the survivor.
  WriteFileOrDie(a_.Join("later.warc"),
                 WarcResponse(kOldSlug, MergePage(kCost + kMergeNote + kDepot + "<p>Updated.</p>"),
                              "2024-03-09T10:00:00Z"));
  ASSERT_EQ(Import("later.warc").exit_code, 0);
  EXPECT_EQ(Arr(a_.Json({"list", "--json"}), "documents").size(), 1u);
  EXPECT_EQ(Revisions(new_id_).size(), 5u);

  ASSERT_NO_FATAL_FAILURE(StartServer());
  HttpReply doc = Get(port_, "/api/documents/" + old_id_);
  ASSERT_EQ(doc.status, 200u) << doc.body;
  EXPECT_EQ(Str(doc.Json(), "id"), new_id_);
  HttpReply history = Get(port_, "/api/documents/" + old_id_ + "/revisions");
  ASSERT_EQ(history.status, 200u) << history.body;
  EXPECT_EQ(Arr(history.Json(), "revisions").size(), 5u);
  const std::string map = Get(port_, "/timemap/" + old_id_).body;
  EXPECT_EQ(map, Get(port_, "/timemap/" + new_id_).body);
  // A URI-M handed out before the merge (by seq) names the same capture.
  HttpReply memento = Get(port_, "/api/documents/" + old_id_ + "?seq=1");
  ASSERT_EQ(memento.status, 200u) << memento.body;
  EXPECT_EQ(Str(memento.Json(), "body"),
            Str(a_.Json({"show", new_id_, "--rev", "1", "--json"}), "body"));
  EXPECT_EQ(Str(memento.Json(), "captured_at"), "2024-03-01T10:00:00Z");
  HttpReply gate =
      Get(port_, "/memento/" + old_id_, {{"Accept-Datetime", "Sat, 02 Mar 2024 12:00:00 GMT"}});
  ASSERT_EQ(gate.status, 302u) << gate.body;
  HttpReply first = Get(port_, gate.Header("location"));
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(Str(first.Json(), "captured_at"), "2024-03-01T10:00:00Z");
}

TEST_F(DocumentMergeTest, KnownAtBeforeTheMergeShowsTheDocumentAsItWas) {
  const json::array then =
      Arr(a_.Json({"history", new_id_, "--known-at", before_merge_, "--json"}), "revisions");
  ASSERT_EQ(then.size(), 2u);
  EXPECT_EQ(Str(then[0], "captured_at"), "2024-03-03T10:00:00Z");
  EXPECT_EQ(Str(then[0], "kind"), "original") << "as the archive knew it then";
  EXPECT_EQ(Int(a_.Json({"show", new_id_, "--known-at", before_merge_, "--json"}), "rev"), 2);
  // The merged-away id, asked for as it was then, is the document it was.
  const json::array old_then =
      Arr(a_.Json({"history", old_id_, "--known-at", before_merge_, "--json"}), "revisions");
  ASSERT_EQ(old_then.size(), 2u);
  EXPECT_EQ(Str(old_then[1], "captured_at"), "2024-03-05T10:00:00Z");
  EXPECT_EQ(Str(old_then[1], "kind"), "correction");
  json::value shown = a_.Json({"show", old_id_, "--known-at", before_merge_, "--json"});
  EXPECT_EQ(Str(shown, "id"), old_id_);
  EXPECT_EQ(Str(shown, "captured_at"), "2024-03-05T10:00:00Z");
}

TEST_F(DocumentMergeTest, SearchRedactionReimportAndReplayFollowTheMerge) {
  // Text only the old slug's captures held is found in the survivor.
  json::value found = a_.Json({"search", "eight to five", "--all-revisions", "--json"});
  ASSERT_EQ(Arr(found, "results").size(), 1u) << json::serialize(found);
  EXPECT_EQ(Str(Arr(found, "results")[0], "id"), new_id_);
  found = a_.Json({"search", "depot", "--json"});
  ASSERT_EQ(Arr(found, "results").size(), 1u) << json::serialize(found);

  // Re-importing both crawls changes nothing.
  for (const char* file : {"crawl.warc", "redirect.warc"}) {
    json::value again = ParseJson(Import(file).out);
    EXPECT_EQ(Int(again, "duplicates"), Int(again, "records")) << json::serialize(again);
    EXPECT_EQ(Int(again, "merged"), 0);
  }
  // A revision that came with the merge can be redacted through either id.
  RunResult redact = a_.Run({"redact", old_id_, "--rev", "3", "--reason", "legal", "--json"});
  ASSERT_EQ(redact.exit_code, 0) << Describe(redact);
  EXPECT_TRUE(Bool(Revisions(new_id_)[2], "redacted"));
  json::value replay = a_.Json({"replay", "--json"});
  EXPECT_TRUE(Bool(replay, "identical")) << json::serialize(replay);
  EXPECT_EQ(a_.Run({"verify"}).exit_code, 0);
  EXPECT_EQ(Revisions(new_id_).size(), 4u);
}

TEST_F(DocumentMergeTest, AVersionExpectedOfTheMergedAwayIdIsAConflictAndWritesNothing) {
  const std::string head = Str(a_.Json({"stats", "--json"}), "head_hash");
  const std::string version = std::to_string(Int(a_.Json({"show", old_id_, "--json"}), "version"));
  // Even the survivor's current version: the caller expected the old document's.
  ExpectOneLineError(a_.Run({"correct", old_id_, "--note", "Fixed.", "--expect-version", version}),
                     3);
  EXPECT_EQ(Str(a_.Json({"stats", "--json"}), "head_hash"), head) << "nothing written";
  // Without one, a correction naming the old id lands in the survivor.
  RunResult corrected = a_.Run({"correct", old_id_, "--note", "Fixed.", "--json"});
  ASSERT_EQ(corrected.exit_code, 0) << Describe(corrected);
  EXPECT_EQ(Str(ParseJson(corrected.out), "id"), new_id_);
}

TEST_F(DocumentMergeTest, AnExportRestoresTheMerge) {
  const std::string path = a_.Join("export.jsonl");
  ASSERT_EQ(a_.Run({"export", "--out", path}).exit_code, 0);
  RunResult log = a_.Run({"log", "--json"});
  ASSERT_EQ(log.exit_code, 0);
  const json::value merge = ParseJsonLines(log.out).back();
  EXPECT_EQ(Str(merge, "kind"), "merged");
  EXPECT_EQ(Str(merge, "from"), old_id_);
  CliArchive fresh;
  RunResult restore = fresh.Run({"restore", path});
  ASSERT_EQ(restore.exit_code, 0) << Describe(restore);
  EXPECT_EQ(Str(fresh.Json({"stats", "--json"}), "head_hash"),
            Str(a_.Json({"stats", "--json"}), "head_hash"));
  EXPECT_EQ(Str(fresh.Json({"show", old_id_, "--json"}), "id"), new_id_);
  EXPECT_EQ(fresh.Json({"history", new_id_, "--json"}), a_.Json({"history", new_id_, "--json"}));
}

}  // namespace
}  // namespace palimpsest::testing
