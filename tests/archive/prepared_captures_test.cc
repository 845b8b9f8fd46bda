// Captures extracted before the write transaction on worker threads (archive/prepared_captures.h):
// what a batch of HTML pages, body texts and plain-text pages does is the same whichever way,
// and replay — which extracts inside its transaction — derives byte-identical projections.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "archive/archive_test_util.h"
#include "palimpsest/archive.h"
#include "palimpsest/article.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

std::string Page(const std::string& title, const std::string& words) {
  std::string html = "<html><head><title>" + title +
                     "</title></head><body><nav><a href='/'>Home"
                     "</a> <a href='/news'>News</a></nav><article><h1>" +
                     title + "</h1>";
  for (int p = 1; p <= 3; ++p) {
    html += "<p>Paragraph " + std::to_string(p) + " says " + words +
            " in a sentence long enough to be read as the story's own prose.</p>";
  }
  return html + "</article><footer>All rights reserved.</footer></body></html>";
}

AppendRequest HtmlCapture(const std::string& doc, const std::string& html, Timestamp at) {
  AppendRequest r = Capture(doc, html, at);
  std::get<CapturedEvent>(r.event.body).media_type = "text/html; charset=utf-8";
  return r;
}

// A batch mixing every kind of capture: new documents, revisions, the same page again, a page
// that is not an article (for a new and for a known document), plain text, an unsupported
// media type.
std::vector<AppendRequest> MixedBatch(Timestamp at) {
  std::vector<AppendRequest> batch;
  for (int d = 0; d < 6; ++d) {
    batch.push_back(HtmlCapture("doc-" + std::to_string(d),
                                Page("Story " + std::to_string(d), "first words"), at + d));
  }
  batch.push_back(HtmlCapture("doc-0", Page("Story 0", "second words"), at + 10));
  batch.push_back(HtmlCapture("doc-1", Page("Story 1", "first words"), at + 11));
  batch.push_back(HtmlCapture("doc-2", "<html><body><div id='app'></div></body></html>", at + 12));
  batch.push_back(HtmlCapture("empty", "<html><body></body></html>", at + 13));
  batch.push_back(Capture("text", ArticleText("plain"), at + 14));
  AppendRequest odd = Capture("odd", "%PDF-1.4", at + 15);
  std::get<CapturedEvent>(odd.event.body).media_type = "application/pdf";
  batch.push_back(std::move(odd));
  return batch;
}

std::vector<std::string> Outcomes(const std::vector<Result<AppendResult>>& results) {
  std::vector<std::string> out;
  for (const Result<AppendResult>& r : results) {
    if (!r.ok()) {
      out.push_back(r.status().IsNotAnArticle() ? "not an article" : "failed");
    } else {
      out.push_back(std::to_string(static_cast<int>(r->outcome)) + " rev " +
                    std::to_string(r->rev) + " v" + std::to_string(r->version));
    }
  }
  return out;
}

TEST(PreparedCapturesTest, ConcurrentExtractionAheadChangesNothingAndReplaysIdentically) {
  const Timestamp at = 1'690'000'000'000'000;
  std::vector<std::vector<std::string>> outcomes;
  for (unsigned threads : {1u, 2u, 4u}) {
    SCOPED_TRACE(threads);
    ScratchDir dir;
    Options options = TestOptions(dir.Join("data"));
    options.extract_threads = threads;
    auto archive = OpenOrDie(options);
    auto results = archive->AppendEach(MixedBatch(at));
    ASSERT_TRUE(results.ok()) << results.status().message();
    outcomes.push_back(Outcomes(*results));
    // Appended again: every event is a duplicate, nothing is extracted or written.
    auto again = archive->AppendEach(MixedBatch(at));
    ASSERT_TRUE(again.ok());
    for (const Result<AppendResult>& r : *again) {
      if (r.ok()) {
        EXPECT_TRUE(r->duplicate);
      }
    }
    auto one = archive->Append({HtmlCapture("doc-3", Page("Story 3", "later words"), at + 20)});
    ASSERT_TRUE(one.ok()) << one.status().message();
    EXPECT_EQ(one->front().outcome, AppendOutcome::kRevised);
    auto current = archive->GetDocument("doc-0", RevisionSelector{});
    ASSERT_TRUE(current.ok());
    EXPECT_NE(current->content.body.find("second words"), std::string::npos);
    EXPECT_EQ(current->content.body.find("Home"), std::string::npos);
    auto replay = archive->Replay();
    ASSERT_TRUE(replay.ok()) << replay.status().message();
    for (const auto& [db, digests] : replay->databases)
      EXPECT_EQ(digests.first, digests.second) << db;
  }
  EXPECT_EQ(outcomes[0], outcomes[1]);
  EXPECT_EQ(outcomes[0], outcomes[2]);
  // created ×6, revised, unchanged, a check of doc-2 (unchanged), not an article, created
  // (plain text), failed (media type).
  EXPECT_EQ(outcomes[0][6], "1 rev 2 v2");
  EXPECT_EQ(outcomes[0][7], "2 rev 1 v2");
  EXPECT_EQ(outcomes[0][8], "2 rev 1 v2");
  EXPECT_EQ(outcomes[0][9], "not an article");
  EXPECT_EQ(outcomes[0][10], "0 rev 1 v1");
  EXPECT_EQ(outcomes[0][11], "failed");
}

}  // namespace
}  // namespace palimpsest::testing
