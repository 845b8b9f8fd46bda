// Stored content round-trips byte-exactly through every codec: standalone, zstd, delta chains
// longer than the snapshot interval, withheld (redacted) values, and chains through content two
// documents share.

#include <gtest/gtest.h>

#include <random>

#include "archive/archive_test_util.h"
#include "lmdb_test_util.h"
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
  // Bytes in use: free pages (a capture's whole copy, once it became a delta) are reused by
  // later writes.
  const auto used = [&] { return archive->Stats()->file_bytes - archive->Stats()->free_bytes; };
  const uint64_t before = used();
  for (int i = 0; i < 50; ++i) {
    text.insert(text.find(' ', 500 + i * 120), " amended");  // one word per correction
    std::vector<AppendRequest> batch;
    batch.push_back(Capture("doc", text, 2 + i));
    ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  }
  const uint64_t after = used();
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

// Every capture of every document, and every revision, reads back; verify and replay agree.
void ExpectAllReadable(Archive& archive, const std::vector<std::string>& contents,
                       const std::vector<std::string>& docs) {
  for (const std::string& c : contents) {
    auto bytes = archive.ReadContent(Sha256(c));
    ASSERT_TRUE(bytes.ok()) << bytes.status().message();
    EXPECT_EQ(*bytes, c);
  }
  for (const std::string& doc : docs) {
    auto history = archive.History(doc);
    ASSERT_TRUE(history.ok()) << history.status().message();
    for (const RevisionInfo& r : *history) {
      RevisionSelector at;
      at.rev = r.rev;
      auto view = archive.GetDocument(doc, at);
      ASSERT_TRUE(view.ok()) << doc << " rev " << r.rev << ": " << view.status().message();
      EXPECT_FALSE(view->content.body.empty());
    }
  }
  auto report = archive.Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  auto replay = archive.Replay();
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->identical());
}

void AppendOne(Archive& archive, AppendRequest request) {
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(request));
  auto appended = archive.Append(std::move(batch));
  ASSERT_TRUE(appended.ok()) << appended.status().message();
}

// `text` with one more word inserted; distinct per `n`.
std::string Amended(std::string text, int n) {
  text.insert(text.find(' ', 40 + static_cast<size_t>(n) * 17 % (text.size() - 80)),
              " amended" + std::to_string(n));
  return text;
}

// A capture two documents share, and a redacted capture the next one is compressed against:
// every capture still reads, and a withheld capture keeps its bytes for the chains that need them.
TEST(ContentStoreTest, SharedAndRedactedCapturesKeepEveryChainReadable) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  const std::string x = ArticleText("shared", 20);
  const std::string y = Amended(x, 1), z = Amended(x, 2), w = Amended(y, 3), v = Amended(w, 4);
  AppendOne(*archive, Capture("a", x, 10));
  AppendOne(*archive, Capture("b", x, 11));  // the same bytes: stored once
  AppendOne(*archive, Capture("a", y, 12));  // y and z are both compressed against x
  AppendOne(*archive, Capture("b", z, 13));
  ExpectAllReadable(*archive, {x, y, z}, {"a", "b"});

  // Redact a's newest capture (y), against which a's next capture is compressed.
  auto history = archive->History("a");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  AppendRequest redaction;
  redaction.event.id = DeriveEventId({"test-redaction", "a"});
  redaction.event.doc_id = "a";
  redaction.event.actor = "test";
  redaction.event.body = RedactedEvent{history->back().seq, "court order"};
  AppendOne(*archive, std::move(redaction));
  AppendOne(*archive, Capture("a", w, 14));
  AppendOne(*archive, Capture("a", v, 15));
  EXPECT_TRUE(archive->ReadContent(Sha256(y)).status().IsRedacted());
  for (const std::string& c : {x, z, w, v}) {
    auto bytes = archive->ReadContent(Sha256(c));
    ASSERT_TRUE(bytes.ok()) << bytes.status().message();
    EXPECT_EQ(*bytes, c);
  }
  auto report = archive->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_TRUE(archive->Replay()->identical());
}

// A read decodes the bases under a delta without checking each one (one SHA-256 per read, of
// the content returned): a capture compressed against a base first decoded that way is still
// stored readable, and a damaged base that still decodes is never served through the content
// decoded against it.
TEST(ContentStoreTest, ADamagedDeltaBaseIsNeverServedThroughItsDependents) {
  ScratchDir dir;
  const std::string data = dir.Join("data");
  const std::string v1 = ArticleText("anchor", 12);
  const std::string v2 = v1 + "\n\nA second capture adds this closing paragraph.";
  const std::string v3 = v2 + "\n\nAnd a third one adds another closing paragraph.";
  {
    auto archive = OpenOrDie(TestOptions(data));
    AppendOne(*archive, Capture("doc", v1, 10));
    AppendOne(*archive, Capture("doc", v2, 11));
  }
  {
    // Nothing cached: reading v2 decodes v1 on the way; v3 is then compressed against it.
    auto archive = OpenOrDie(TestOptions(data));
    auto read = archive->ReadContent(Sha256(v2));
    ASSERT_TRUE(read.ok()) << read.status().message();
    EXPECT_EQ(*read, v2);
    AppendOne(*archive, Capture("doc", v3, 12));
  }
  {
    auto archive = OpenOrDie(TestOptions(data));
    ExpectAllReadable(*archive, {v1, v2, v3}, {"doc"});
    auto report = archive->Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok()) << report->problems.front();
  }
  // The anchor's record replaced by bytes that decode (codec 0, stored as is) but are not v1.
  std::string damaged = v1;
  damaged[damaged.size() / 2] ^= 0x20;
  WithLmdbTxn(data, [&](MDB_txn* txn) {
    MDB_dbi blobs = 0;
    ASSERT_EQ(mdb_dbi_open(txn, "blobs", 0, &blobs), 0);
    const Digest key = Sha256(v1);
    std::string value = std::string(1, '\0') + damaged;
    MDB_val k{key.size(), const_cast<uint8_t*>(key.data())}, v{value.size(), value.data()};
    ASSERT_EQ(mdb_put(txn, blobs, &k, &v, 0), 0);
  });
  auto archive = OpenOrDie(TestOptions(data));
  for (const std::string& content : {v2, v3, v1, v2}) {
    auto read = archive->ReadContent(Sha256(content));
    EXPECT_TRUE(read.status().IsCorruption()) << (read.ok() ? "served" : read.status().message());
  }
  auto current = archive->GetDocument("doc", RevisionSelector{});
  EXPECT_TRUE(current.status().IsCorruption());
  auto report = archive->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok());
}

}  // namespace
}  // namespace palimpsest::testing
