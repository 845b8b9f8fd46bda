// The Archive API's withheld events (schemas/README.md, "Withheld events"): after a redaction
// ReadLog and ReadStream hand out the withheld form of the events that brought the revision, the
// chain still links, Append refuses withheld forms, and Restore of the withheld log ends with
// the same head and verifies.

#include <gtest/gtest.h>

#include "archive/archive_test_util.h"
#include "palimpsest/archive.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

constexpr Timestamp kFirstCaptureAt = 1'690'000'000'000'000;

AppendRequest CaptureAt(const std::string& tag, const std::string& url, Timestamp at) {
  AppendRequest r = Capture("doc", ArticleText(tag), at);
  auto& c = std::get<CapturedEvent>(r.event.body);
  c.url = url;
  c.source = "wire";
  c.fields.push_back({"byline", "By " + tag});
  return r;
}

AppendRequest Redaction(uint64_t target_seq) {
  AppendRequest r;
  r.event.id = DeriveEventId({"test-redaction", std::to_string(target_seq)});
  r.event.doc_id = "doc";
  r.event.actor = "test";
  r.event.body = RedactedEvent{target_seq, "court order"};
  return r;
}

class WithheldEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = OpenOrDie(TestOptions(dir_.Join("a")));
    std::vector<AppendRequest> batch;
    batch.push_back(CaptureAt("harbour", "https://news.example/harbour", kFirstCaptureAt));
    batch.push_back(
        CaptureAt("secretword", "https://news.example/secretword", kFirstCaptureAt + kDay));
    ASSERT_TRUE(archive_->Append(std::move(batch)).ok());
    auto log = archive_->ReadLog(0, 10);
    ASSERT_TRUE(log.ok());
    original_ = *log;
    std::vector<AppendRequest> redact;
    redact.push_back(Redaction(2));
    ASSERT_TRUE(archive_->Append(std::move(redact)).ok());
  }

  ScratchDir dir_;
  std::unique_ptr<Archive> archive_;
  std::vector<Event> original_;
};

TEST_F(WithheldEventsTest, ReadLogAndReadStreamHandOutTheWithheldForm) {
  auto log = archive_->ReadLog(0, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0], original_[0]) << "an unredacted event is handed out as it is";
  const Event& withheld = (*log)[1];
  ASSERT_TRUE(withheld.withheld_hash.has_value());
  EXPECT_EQ(*withheld.withheld_hash, ChainHash(original_[1]));
  EXPECT_EQ((*log)[2].prev_hash, *withheld.withheld_hash) << "the chain still links";
  const auto& c = std::get<CapturedEvent>(withheld.body);
  EXPECT_EQ(c.url, "");
  EXPECT_EQ(c.source, "");
  EXPECT_TRUE(c.fields.empty());
  EXPECT_EQ(c.raw, std::get<CapturedEvent>(original_[1].body).raw);
  auto stream = archive_->ReadStream("doc", 1);
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream->size(), 3u);
  EXPECT_EQ((*stream)[1], withheld);
  // The document's URL is the unredacted capture's.
  auto doc = archive_->GetDocument("doc", RevisionSelector{});
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->url, "https://news.example/harbour");
}

TEST_F(WithheldEventsTest, AppendRefusesAWithheldForm) {
  AppendRequest r = CaptureAt("other", "https://news.example/other", kFirstCaptureAt + 2 * kDay);
  r.event.withheld_hash = Digest{};
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(r));
  auto result = archive_->Append(std::move(batch));
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(WithheldEventsTest, RestoringTheWithheldLogEndsWithTheSameHeadAndVerifies) {
  std::vector<AppendRequest> restore;
  auto log = archive_->ReadLog(0, 10);
  ASSERT_TRUE(log.ok());
  for (const Event& e : *log) {
    AppendRequest r;
    r.event = e;
    for (const ContentRef& ref : ReferencedContent(e.body)) {
      auto bytes = archive_->ReadContent(ref.sha256);
      if (bytes.ok()) {
        r.contents.push_back(*bytes);
      } else {
        r.withheld_contents.emplace_back(ref.sha256, "court order");
      }
    }
    restore.push_back(std::move(r));
  }
  const ChainHead head = archive_->Head().value();
  Options copy = TestOptions(dir_.Join("copy"));
  {
    auto restored = OpenOrDie(copy);
    ASSERT_TRUE(restored->Restore(std::move(restore), &head.hash).ok());
  }
  copy.mode = OpenMode::kCheck;
  auto check = OpenOrDie(copy);
  auto report = check->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0]);
  EXPECT_EQ(report->head.hash, head.hash);
  auto doc = check->GetDocument("doc", RevisionSelector{});
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->url, "https://news.example/harbour");
}

}  // namespace
}  // namespace palimpsest::testing
