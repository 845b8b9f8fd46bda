// Stored content round-trips byte-exactly through every codec: standalone, zstd, delta chains
// longer than the snapshot interval, and withheld (redacted) values.

#include <gtest/gtest.h>

#include <random>

#include "archive/archive_test_util.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

TEST(ContentStoreTest, EveryRevisionOfALongDeltaChainRoundTrips) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  std::mt19937 rng(11);
  std::string text = ArticleText("chain", 30);
  std::vector<std::string> versions;
  for (int i = 0; i < 40; ++i) {  // several times kMaxDeltaDepth
    size_t at = text.find(' ', rng() % text.size());
    if (at != std::string::npos) text.insert(at, " edit" + std::to_string(i));
    versions.push_back(text);
    std::vector<AppendRequest> batch;
    batch.push_back(Capture("doc", text, 1000 + i));
    ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  }
  // Tiny bodies and binary-looking bytes take the other codecs.
  for (const std::string& odd : {std::string("x"), std::string(5000, 'a')}) {
    std::vector<AppendRequest> batch;
    batch.push_back(Capture("odd" + std::to_string(odd.size()), odd + "\n\nbody text here.", 5));
    ASSERT_TRUE(archive->Append(std::move(batch)).ok());
    versions.push_back(odd + "\n\nbody text here.");
  }
  for (const std::string& v : versions) {
    auto bytes = archive->ReadContent(Sha256(v));
    ASSERT_TRUE(bytes.ok()) << bytes.status().message();
    EXPECT_EQ(*bytes, v);
  }
  auto history = archive->History("doc");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 40u);
  for (const RevisionInfo& r : *history) {
    RevisionSelector at;
    at.rev = r.rev;
    auto view = archive->GetDocument("doc", at);
    ASSERT_TRUE(view.ok());
    EXPECT_FALSE(view->content.body.empty());
  }
  auto report = archive->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_TRUE(archive->Replay()->identical());
}

TEST(ContentStoreTest, CorrectionsCostFarLessThanTheArticle) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  std::string text = Fixture("000_99c9495df02aabac.txt");
  std::vector<AppendRequest> first;
  first.push_back(Capture("doc", text, 1));
  ASSERT_TRUE(archive->Append(std::move(first)).ok());
  const uint64_t before = archive->Stats()->file_bytes;
  for (int i = 0; i < 50; ++i) {
    text.insert(text.find(' ', 500 + i * 120), " amended");  // one word per correction
    std::vector<AppendRequest> batch;
    batch.push_back(Capture("doc", text, 2 + i));
    ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  }
  const uint64_t after = archive->Stats()->file_bytes;
  // 50 full copies of an 8 KB page would be 400 KB; deltas stay far below that.
  EXPECT_LT(after - before, 50u * text.size() / 2)
      << "bytes per correction: " << (after - before) / 50;
}

// A plain-text capture's extracted body is often exactly its raw bytes: the body is then stored
// once (revision_texts names the capture in blobs), yet read, withheld and rebuilt as before.
TEST(ContentStoreTest, ABodyThatIsItsRawCaptureIsStoredOnce) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  std::mt19937 rng(5);
  std::vector<AppendRequest> batch;
  for (int i = 0; i < 60; ++i) {
    // Prose-like text that compresses about as well as prose.
    std::string text =
        "Report " + std::to_string(i) + "\n\nThe once" + std::to_string(i) + " story begins.";
    for (int w = 0; w < 600; ++w)
      text += (w % 12 == 11 ? ".\n\nWord" : " w") + std::to_string(rng() % 3000);
    text += ".\n";
    // The body media type: the raw bytes are the body, as in a JSONL import.
    batch.push_back(Capture("doc" + std::to_string(i), text));
    std::get<CapturedEvent>(batch.back().event.body).media_type = kBodyMediaType;
  }
  ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  auto stats = archive->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_LT(stats->database_bytes.at("revision_texts") * 3, stats->database_bytes.at("blobs"))
      << "bodies are not stored a second time";
  auto doc = archive->GetDocument("doc7", {});
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_NE(doc->content.body.find("once7 story"), std::string::npos);

  AppendRequest redaction;
  redaction.event.id = DeriveEventId({"test-redaction", "doc7"});
  redaction.event.doc_id = "doc7";
  redaction.event.actor = "test";
  redaction.event.body = RedactedEvent{8, "court order"};
  std::vector<AppendRequest> redact;
  redact.push_back(std::move(redaction));
  ASSERT_TRUE(archive->Append(std::move(redact)).ok());
  auto withheld = archive->GetDocument("doc7", {});
  EXPECT_TRUE(!withheld.ok() || withheld->content.body.find("once7") == std::string::npos)
      << "a withheld body is not served";
  auto other = archive->GetDocument("doc8", {});
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->content.body.find("once8 story"), std::string::npos);

  auto report = archive->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_TRUE(archive->Replay()->identical());
}

}  // namespace
}  // namespace palimpsest::testing
