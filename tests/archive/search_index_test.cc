// The search index through the Archive API: postings spread over many blocks follow every
// change of every stream, incremental maintenance equals a rebuild, and an index in an older
// format is rebuilt when the archive is opened for writing.

#include <gtest/gtest.h>

#include "archive/archive_test_util.h"
#include "lmdb_test_util.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

std::string Story(int i, const std::string& place) {
  return "Story " + std::to_string(i) + "\n\nEvery story mentions the " + place +
         ". This one, numbered w" + std::to_string(i) + ", tells readers more.\n";
}

uint64_t Total(Archive& archive, const std::string& query, bool all_revisions = false) {
  SearchRequest request;
  request.query = query;
  request.limit = 5000;
  request.all_revisions = all_revisions;
  auto found = archive.Search(request);
  EXPECT_TRUE(found.ok()) << found.status().message();
  return found.ok() ? found->total : 0;
}

// 900 streams put every common term's postings in several blocks; corrections then close and
// reopen runs in old streams, in the first blocks as well as the last.
TEST(SearchIndexTest, PostingsAcrossManyBlocksFollowEveryChange) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  constexpr int kStories = 900;
  Timestamp at = 1'700'000'000'000'000;
  std::vector<AppendRequest> batch;
  for (int i = 0; i < kStories; ++i) {
    batch.push_back(Capture("story-" + std::to_string(i), Story(i, "harbor"), at++));
    if (i == 500) {  // part of the index is built before the rest arrives
      ASSERT_TRUE(archive->Append(std::move(batch)).ok());
      batch.clear();
      ASSERT_TRUE(archive->CatchUp(UINT64_MAX).ok());
    }
  }
  ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  batch.clear();
  int moved = 0, back = 0;
  for (int i = 0; i < kStories; i += 5) {
    batch.push_back(Capture("story-" + std::to_string(i), Story(i, "lighthouse"), at++));
    ++moved;
  }
  ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  ASSERT_TRUE(archive->CatchUp(300).ok());  // part of the corrections indexed, then the rest
  batch.clear();
  for (int i = 0; i < kStories; i += 35) {
    batch.push_back(Capture("story-" + std::to_string(i), Story(i, "harbor"), at++));
    ++back;
  }
  ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  ASSERT_TRUE(archive->CatchUp(UINT64_MAX).ok());

  EXPECT_EQ(Total(*archive, "harbor"), static_cast<uint64_t>(kStories - moved + back));
  EXPECT_EQ(Total(*archive, "lighthouse"), static_cast<uint64_t>(moved - back));
  EXPECT_EQ(Total(*archive, "lighthouse", true), static_cast<uint64_t>(moved));
  EXPECT_EQ(Total(*archive, "harbor", true), static_cast<uint64_t>(kStories));
  EXPECT_EQ(Total(*archive, "w35 harbor"), 1u);
  EXPECT_EQ(Total(*archive, "w5 harbor"), 0u);

  SearchRequest request;
  request.query = "harbor";
  request.all_revisions = true;
  request.limit = 5000;
  auto found = archive->Search(request);
  ASSERT_TRUE(found.ok());
  for (const SearchHit& hit : found->hits) {
    if (hit.id == "story-70") {
      EXPECT_EQ(hit.revs, (std::vector<uint32_t>{1, 3}));
    }
    if (hit.id == "story-10") {
      EXPECT_EQ(hit.revs, (std::vector<uint32_t>{1}));
    }
    if (hit.id == "story-11") {
      EXPECT_EQ(hit.revs, (std::vector<uint32_t>{1}));
    }
  }

  auto report = archive->Replay();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->identical()) << "blocks depend on the postings, not on how they were built";
  auto verified = archive->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok());
  EXPECT_EQ(Total(*archive, "lighthouse"), static_cast<uint64_t>(moved - back));
}

// Makes the archive in `dir` look as one written before the compact search index: meta
// "format" 1 without projection formats (or, with `search_format`, format 2 recording that
// one), no databases of the new layout, and a key of the old one-key-per-document layout.
void MakeSearchIndexOld(const std::string& dir, const std::string& search_format = "") {
  WithLmdbTxn(dir, [&](MDB_txn* txn) {
    MDB_dbi meta = 0, terms = 0;
    ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "search_terms", 0, &terms), 0);
    auto put = [&](MDB_dbi dbi, std::string key, std::string value) {
      MDB_val k{key.size(), key.data()}, v{value.size(), value.data()};
      ASSERT_EQ(mdb_put(txn, dbi, &k, &v, 0), 0);
    };
    if (search_format.empty()) {
      put(meta, "format", "1");
      for (const char* p :
           {"streams", "articles", "url_identity", "change_feed", "change_summaries", "search"}) {
        std::string key = std::string("format/") + p;
        MDB_val k{key.size(), key.data()};
        ASSERT_EQ(mdb_del(txn, meta, &k, nullptr), 0) << key;
      }
      for (const char* db : {"search_streams", "search_vocabulary", "search_weights"}) {
        MDB_dbi dbi = 0;
        ASSERT_EQ(mdb_dbi_open(txn, db, 0, &dbi), 0);
        ASSERT_EQ(mdb_drop(txn, dbi, 1), 0);
      }
    } else {
      put(meta, "format/search", search_format);
    }
    std::string old_value(8, '\0');
    old_value[3] = 1;
    put(terms, std::string("harbor\0story-1", 14), old_value);
  });
}

TEST(SearchIndexTest, AnOlderIndexIsRebuiltWhenOpenedForWriting) {
  ScratchDir dir;
  const Options options = TestOptions(dir.Join("data"));
  {
    auto archive = OpenOrDie(options);
    std::vector<AppendRequest> batch;
    for (int i = 0; i < 3; ++i)
      batch.push_back(Capture("story-" + std::to_string(i), Story(i, "harbor")));
    ASSERT_TRUE(archive->Append(std::move(batch)).ok());
    ASSERT_TRUE(archive->CatchUp(UINT64_MAX).ok());
  }
  MakeSearchIndexOld(options.data_dir);
  Options read_only = options;
  read_only.mode = OpenMode::kReadOnly;
  auto refused = Archive::Open(read_only);
  ASSERT_FALSE(refused.ok()) << "a read cannot rebuild the index";
  EXPECT_TRUE(refused.status().IsNotFound());

  {
    auto archive = OpenOrDie(options);
    EXPECT_EQ(Total(*archive, "harbor"), 0u) << "nothing indexed until it catches up";
    ASSERT_TRUE(archive->CatchUp(UINT64_MAX).ok());
    EXPECT_EQ(Total(*archive, "harbor"), 3u);
    auto verified = archive->Verify();
    ASSERT_TRUE(verified.ok());
    EXPECT_TRUE(verified->ok()) << "the old layout's keys are gone";
  }
  EXPECT_TRUE(Archive::Open(read_only).ok());

  MakeSearchIndexOld(options.data_dir, "3");
  auto newer = Archive::Open(options);
  ASSERT_FALSE(newer.ok()) << "an index from a newer version is not thrown away";
  EXPECT_EQ(newer.status().code(), StatusCode::kInvalidArgument);
}

// Hits ranked from the index's weights carry their revision's title, kind and time, whether or
// not the archive holds a redaction (with one, each candidate's record is read to leave
// redacted revisions out; without, only the hits returned are read).
TEST(SearchIndexTest, RankedHitsCarryTheirRevisionAndLeaveRedactedOnesOut) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  Timestamp at = 1'700'000'000'000'000;
  std::vector<AppendRequest> batch;
  for (int i = 0; i < 6; ++i) {
    batch.push_back(Capture("story-" + std::to_string(i), Story(i, "harbor"), at++));
  }
  ASSERT_TRUE(archive->Append(std::move(batch)).ok());
  ASSERT_TRUE(archive->CatchUp(UINT64_MAX).ok());
  auto expect_hits_told_fully = [&](size_t expected, const std::string& redacted) {
    SearchRequest request;
    request.query = "harbor";
    request.limit = 4;
    auto found = archive->Search(request);
    ASSERT_TRUE(found.ok()) << found.status().message();
    EXPECT_EQ(found->total, expected);
    ASSERT_EQ(found->hits.size(), 4u);
    for (const SearchHit& hit : found->hits) {
      EXPECT_NE(hit.id, redacted);
      auto doc = archive->GetDocument(hit.id, {});
      ASSERT_TRUE(doc.ok());
      EXPECT_EQ(hit.rev, doc->revision.rev);
      EXPECT_EQ(hit.title, doc->content.title);
      EXPECT_FALSE(hit.title.empty());
      EXPECT_EQ(hit.kind, doc->revision.kind);
      EXPECT_EQ(hit.effective_at, doc->revision.effective_at);
      EXPECT_FALSE(hit.snippet.empty());
    }
  };
  expect_hits_told_fully(6, "");

  auto history = archive->History("story-3");
  ASSERT_TRUE(history.ok());
  AppendRequest redaction;
  redaction.event.id = DeriveEventId({"test-redaction", "story-3"});
  redaction.event.doc_id = "story-3";
  redaction.event.actor = "test";
  redaction.event.body = RedactedEvent{history->back().seq, "court order"};
  std::vector<AppendRequest> redact;
  redact.push_back(std::move(redaction));
  ASSERT_TRUE(archive->Append(std::move(redact)).ok());
  expect_hits_told_fully(5, "story-3");  // before the index has followed the redaction
  ASSERT_TRUE(archive->CatchUp(UINT64_MAX).ok());
  expect_hits_told_fully(5, "story-3");
}

}  // namespace
}  // namespace palimpsest::testing
