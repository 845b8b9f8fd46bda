// Conformance tests for the Archive API: append, idempotency, conflicts, atomic batches,
// reading, chain, growth of the map, the writer lock (concurrent readers:
// archive_concurrency_test.cc).

#include "palimpsest/archive.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>

#include "archive/archive_test_util.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

std::vector<AppendRequest> One(AppendRequest r) {
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(r));
  return batch;
}

// Every event with its content, as an export would carry them.
std::vector<AppendRequest> ExportAll(Archive& archive) {
  std::vector<AppendRequest> exported;
  auto log = archive.ReadLog(0, 100000);
  EXPECT_TRUE(log.ok());
  if (!log.ok()) return exported;
  for (const Event& e : *log) {
    AppendRequest r;
    r.event = e;
    for (const ContentRef& ref : ReferencedContent(e.body)) {
      r.contents.push_back(*archive.ReadContent(ref.sha256));
    }
    exported.push_back(std::move(r));
  }
  return exported;
}

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override { archive_ = OpenOrDie(TestOptions(dir_.Join("data"))); }

  AppendResult AppendOk(AppendRequest r) {
    auto result = archive_->Append(One(std::move(r)));
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? result->front() : AppendResult{};
  }

  ScratchDir dir_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(ArchiveTest, AppendsAndChainsEvents) {
  AppendResult a = AppendOk(Capture("doc-a", ArticleText("alpha")));
  AppendResult b = AppendOk(Capture("doc-b", ArticleText("beta")));
  AppendResult c = AppendOk(Capture("doc-a", ArticleText("alpha two")));
  EXPECT_EQ(a.seq, 1u);
  EXPECT_EQ(b.seq, 2u);
  EXPECT_EQ(c.seq, 3u);
  EXPECT_EQ(c.version, 2u) << "second event of doc-a";
  auto log = archive_->ReadLog(0, 100);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].prev_hash, Digest{});
  for (size_t i = 1; i < log->size(); ++i) {
    EXPECT_EQ((*log)[i].prev_hash, EventHash(EncodeEvent((*log)[i - 1])));
    EXPECT_GE((*log)[i].recorded_at, (*log)[i - 1].recorded_at);
  }
  auto head = archive_->Head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 3u);
  EXPECT_EQ(head->hash, EventHash(EncodeEvent(log->back())));
  auto stream = archive_->ReadStream("doc-a");
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream->size(), 2u);
  EXPECT_EQ((*stream)[1].seq, 3u);
  EXPECT_TRUE(archive_->ReadStream("nobody").status().IsNotFound());
  auto after = archive_->ReadLog(1, 1);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().seq, 2u);
}

TEST_F(ArchiveTest, ListDocumentsPagesInIdOrderFromACursor) {
  for (const char* id : {"d", "b", "e", "a", "c"}) AppendOk(Capture(id, ArticleText(id)));
  ListFilter filter;
  filter.limit = 2;
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    auto docs = archive_->ListDocuments(filter);
    ASSERT_TRUE(docs.ok()) << docs.status().message();
    EXPECT_LE(docs->size(), 2u);
    if (docs->empty()) break;
    for (const DocumentSummary& s : *docs) seen.push_back(s.id);
    filter.after_id = docs->back().id;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  // A cursor that names no document starts after where it would sort.
  filter.after_id = "bb";
  filter.limit = SIZE_MAX;
  auto rest = archive_->ListDocuments(filter);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 3u);
  EXPECT_EQ(rest->front().id, "c");
}

TEST_F(ArchiveTest, BatchSpansDocumentsInOneTransaction) {
  std::vector<AppendRequest> batch;
  for (int i = 0; i < 50; ++i) {
    batch.push_back(Capture("doc-" + std::to_string(i % 5), ArticleText("t" + std::to_string(i))));
  }
  auto results = archive_->Append(std::move(batch));
  ASSERT_TRUE(results.ok()) << results.status().message();
  ASSERT_EQ(results->size(), 50u);
  EXPECT_EQ((*results)[49].seq, 50u);
  EXPECT_EQ((*results)[49].version, 10u);
  auto version = archive_->StreamVersion("doc-4");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 10u);
}

TEST_F(ArchiveTest, RetriedAppendReturnsOriginalResultAndWritesNothing) {
  AppendResult first = AppendOk(Capture("doc", ArticleText("x")));
  AppendOk(Capture("other", ArticleText("y")));
  auto head = archive_->Head();
  auto retry = archive_->Append(One(Capture("doc", ArticleText("x"))));
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->front().duplicate);
  EXPECT_EQ(retry->front().seq, first.seq);
  EXPECT_EQ(retry->front().version, first.version);
  EXPECT_EQ(archive_->Head()->hash, head->hash);
  EXPECT_EQ(archive_->Head()->seq, 2u);
}

// Each result says what its event did, as decided in the write transaction: no caller reads
// the archive back to find out.
TEST_F(ArchiveTest, AppendResultsSayWhatEachEventDid) {
  std::vector<AppendRequest> batch;
  batch.push_back(Capture("doc", ArticleText("first")));
  batch.push_back(Capture("doc", ArticleText("second")));
  batch.push_back(Capture("other", ArticleText("other")));
  AppendRequest again = Capture("doc", ArticleText("second"));
  again.event.id = DeriveEventId({"test", "seen again"});
  batch.push_back(std::move(again));
  auto results = archive_->Append(std::move(batch));
  ASSERT_TRUE(results.ok()) << results.status().message();
  ASSERT_EQ(results->size(), 4u);
  const AppendResult& created = (*results)[0];
  EXPECT_EQ(created.outcome, AppendOutcome::kCreated);
  EXPECT_EQ(created.rev, 1u);
  EXPECT_EQ(created.kind, "original");
  EXPECT_EQ(created.version, 1u);
  const AppendResult& revised = (*results)[1];
  EXPECT_EQ(revised.outcome, AppendOutcome::kRevised);
  EXPECT_EQ(revised.rev, 2u);
  EXPECT_EQ(revised.kind, "update");
  EXPECT_EQ(revised.version, 2u);
  EXPECT_EQ((*results)[2].outcome, AppendOutcome::kCreated);
  const AppendResult& unchanged = (*results)[3];
  EXPECT_EQ(unchanged.outcome, AppendOutcome::kUnchanged);
  EXPECT_EQ(unchanged.rev, 2u) << "the revision whose content was seen again";
  EXPECT_EQ(unchanged.version, 3u);

  // A retry of the first event: what the original did, nothing written.
  auto retry = archive_->Append(One(Capture("doc", ArticleText("first"))));
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->front().duplicate);
  EXPECT_EQ(retry->front().outcome, AppendOutcome::kCreated);
  EXPECT_EQ(retry->front().rev, 1u);
  EXPECT_EQ(retry->front().version, 1u);
}

// AppendEach: one transaction, each request in a nested one — a request that fails for its own
// reason leaves no trace and the others are committed, later ones seeing earlier ones.
TEST_F(ArchiveTest, AppendEachFailsOnlyTheRequestsAtFault) {
  AppendOk(Capture("doc", ArticleText("v1")));
  auto head = archive_->Head();
  std::vector<AppendRequest> batch;
  batch.push_back(Capture("doc", ArticleText("v2")));
  AppendRequest stale = Capture("doc", ArticleText("v3"));
  stale.expected_version = 1;  // the request before it made version 2
  batch.push_back(std::move(stale));
  AppendRequest bad_text = Capture("other", ArticleText("other"));
  std::get<CapturedEvent>(bad_text.event.body).source = std::string("caf\xE9", 4);
  batch.push_back(std::move(bad_text));
  AppendRequest fresh = Capture("doc", ArticleText("v4"));
  fresh.expected_version = 2;
  batch.push_back(std::move(fresh));
  batch.push_back(Capture("missing content", ArticleText("x")));
  batch.back().contents.clear();
  auto results = archive_->AppendEach(std::move(batch));
  ASSERT_TRUE(results.ok()) << results.status().message();
  ASSERT_EQ(results->size(), 5u);
  ASSERT_TRUE((*results)[0].ok());
  EXPECT_EQ((*results)[0]->version, 2u);
  EXPECT_TRUE((*results)[1].status().IsConflict());
  EXPECT_EQ((*results)[2].status().detail(), StatusDetail::kInvalidText);
  ASSERT_TRUE((*results)[3].ok()) << (*results)[3].status().message();
  EXPECT_EQ((*results)[3]->version, 3u);
  EXPECT_EQ((*results)[3]->seq, head->seq + 2);
  EXPECT_EQ((*results)[3]->outcome, AppendOutcome::kRevised);
  EXPECT_EQ((*results)[4].status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(archive_->Head()->seq, head->seq + 2);
  EXPECT_EQ(*archive_->StreamVersion("other"), 0u);
  auto history = archive_->History("doc");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 3u);
  EXPECT_TRUE(archive_->Verify()->ok());
  auto replay = archive_->Replay();
  ASSERT_TRUE(replay.ok());
  for (const auto& [db, digests] : replay->databases)
    EXPECT_EQ(digests.first, digests.second) << db;
}

TEST_F(ArchiveTest, ReusedIdWithDifferentBodyIsRejected) {
  AppendOk(Capture("doc", ArticleText("x")));
  AppendRequest other = Capture("doc", ArticleText("different"));
  other.event.id = Capture("doc", ArticleText("x")).event.id;
  auto result = archive_->Append(One(std::move(other)));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().detail(), StatusDetail::kEventIdReused);
  EXPECT_EQ(archive_->Head()->seq, 1u);
}

TEST_F(ArchiveTest, ExpectedVersionConflictNamesCurrentVersion) {
  AppendOk(Capture("doc", ArticleText("v1")));
  AppendOk(Capture("doc", ArticleText("v2")));
  AppendRequest stale = Capture("doc", ArticleText("v3"));
  stale.expected_version = 1;
  auto result = archive_->Append(One(std::move(stale)));
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsConflict());
  EXPECT_NE(result.status().message().find("is at version 2"), std::string::npos)
      << result.status().message();
  AppendRequest fresh = Capture("doc", ArticleText("v3"));
  fresh.expected_version = 2;
  EXPECT_EQ(AppendOk(std::move(fresh)).version, 3u);
  AppendRequest create = Capture("new-doc", ArticleText("n"));
  create.expected_version = 0;
  EXPECT_EQ(AppendOk(std::move(create)).version, 1u);
}

TEST_F(ArchiveTest, FailedBatchWritesNothing) {
  AppendOk(Capture("doc", ArticleText("v1")));
  auto before = archive_->Head();
  std::vector<AppendRequest> batch;
  batch.push_back(Capture("fine", ArticleText("fine")));
  AppendRequest stale = Capture("doc", ArticleText("v2"));
  stale.expected_version = 7;
  batch.push_back(std::move(stale));
  ASSERT_TRUE(archive_->Append(std::move(batch)).status().IsConflict());
  EXPECT_EQ(archive_->Head()->hash, before->hash);
  EXPECT_EQ(*archive_->StreamVersion("fine"), 0u);

  AppendRequest bad_id = Capture("has space", ArticleText("z"));
  EXPECT_EQ(archive_->Append(One(std::move(bad_id))).status().code(), StatusCode::kInvalidArgument);
  AppendRequest missing = Capture("doc", ArticleText("v9"));
  missing.contents.clear();
  EXPECT_EQ(archive_->Append(One(std::move(missing))).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(archive_->Head()->hash, before->hash);
}

TEST_F(ArchiveTest, ContentRoundTripsAndIsDeduplicated) {
  std::string text = ArticleText("stored", 40);
  AppendOk(Capture("doc", text, 1));
  AppendOk(Capture("doc", text, 2));  // same bytes, new time: an observation
  auto bytes = archive_->ReadContent(Sha256(text));
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, text);
  auto stats = archive_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->events, 2u);
  EXPECT_EQ(stats->contents, 1u);
  EXPECT_EQ(stats->revisions, 1u);
  // Issue #12: no hash a caller holds can be unknown (it came from a record), so a gap is damage.
  EXPECT_TRUE(archive_->ReadContent(Sha256("never stored")).status().IsCorruption());
}

TEST_F(ArchiveTest, VerifyPassesOnAHealthyArchive) {
  for (int i = 0; i < 20; ++i)
    AppendOk(Capture("d" + std::to_string(i % 3), ArticleText(std::to_string(i))));
  auto report = archive_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->events_checked, 20u);
  EXPECT_EQ(report->head.seq, 20u);
}

TEST_F(ArchiveTest, ReplayRebuildsIdenticalProjections) {
  for (int i = 0; i < 30; ++i)
    AppendOk(Capture("d" + std::to_string(i % 4), ArticleText(std::to_string(i))));
  auto before = archive_->History("d1");
  auto report = archive_->Replay();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->events_replayed, 30u);
  EXPECT_TRUE(report->identical());
  EXPECT_GE(report->databases.size(), 3u);
  auto after = archive_->History("d1");
  ASSERT_EQ(before->size(), after->size());
  EXPECT_TRUE(archive_->Verify()->ok());
}

TEST_F(ArchiveTest, RestoreReproducesTheChainHead) {
  for (int i = 0; i < 10; ++i)
    AppendOk(Capture("d" + std::to_string(i % 2), ArticleText(std::to_string(i))));
  std::vector<AppendRequest> exported = ExportAll(*archive_);
  auto copy = OpenOrDie(TestOptions(dir_.Join("copy")));
  std::vector<AppendRequest> again = exported;
  Status restored = copy->Restore(std::move(exported));
  ASSERT_TRUE(restored.ok()) << restored.message();
  EXPECT_EQ(copy->Head()->hash, archive_->Head()->hash);
  EXPECT_TRUE(copy->Verify()->ok());
  Status twice = copy->Restore(std::move(again));
  EXPECT_EQ(twice.code(), StatusCode::kInvalidArgument) << "restore needs an empty archive";
}

TEST_F(ArchiveTest, RestoreRejectsABrokenChain) {
  AppendOk(Capture("a", ArticleText("1")));
  AppendOk(Capture("a", ArticleText("2")));
  std::vector<AppendRequest> exported = ExportAll(*archive_);
  exported[1].event.prev_hash[0] ^= 1;
  auto copy = OpenOrDie(TestOptions(dir_.Join("copy")));
  EXPECT_EQ(copy->Restore(std::move(exported)).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(copy->Head()->seq, 0u);
}

TEST(ArchiveMapTest, FullMapGrowsWithoutLosingTheBatch) {
  ScratchDir dir;
  Options options = TestOptions(dir.Join("data"));
  options.map_size = 256 * 1024;  // far too small for what follows
  auto archive = OpenOrDie(options);
  for (int round = 0; round < 4; ++round) {
    std::vector<AppendRequest> batch;
    for (int i = 0; i < 25; ++i) {
      batch.push_back(
          Capture("doc" + std::to_string(i),
                  ArticleText("r" + std::to_string(round) + "i" + std::to_string(i), 60)));
    }
    auto result = archive->Append(std::move(batch));
    ASSERT_TRUE(result.ok()) << result.status().message();
  }
  EXPECT_EQ(archive->Head()->seq, 100u);
  auto stats = archive->Stats();
  EXPECT_GT(stats->map_size, options.map_size);
  EXPECT_TRUE(archive->Verify()->ok());
}

TEST(ArchiveMapTest, MapAtItsLimitIsAClearErrorAndKeepsCommittedData) {
  ScratchDir dir;
  Options options = TestOptions(dir.Join("data"));
  options.map_size = 256 * 1024;
  options.max_map_size = 512 * 1024;
  auto archive = OpenOrDie(options);
  ASSERT_TRUE(archive->Append(One(Capture("kept", ArticleText("kept")))).ok());
  Status last;
  for (int i = 0; i < 200 && last.ok(); ++i) {
    last = archive
               ->Append(One(
                   Capture("big" + std::to_string(i), ArticleText("big" + std::to_string(i), 200))))
               .status();
  }
  EXPECT_EQ(last.code(), StatusCode::kIOError);
  EXPECT_NE(last.message().find("full"), std::string::npos) << last.message();
  EXPECT_TRUE(archive->GetDocument("kept", {}).ok());
  archive.reset();
  auto reopened = OpenOrDie(options);
  EXPECT_TRUE(reopened->Verify()->ok());
}

TEST(ArchiveOpenTest, ReadOnlyOpenOfAMissingArchiveIsNotFound) {
  ScratchDir dir;
  Options options = TestOptions(dir.Join("absent"));
  options.mode = OpenMode::kReadOnly;
  auto archive = Archive::Open(options);
  ASSERT_FALSE(archive.ok());
  EXPECT_TRUE(archive.status().IsNotFound());
}

// The writer lock is held per transaction: two writers take turns, each seeing the other's
// events; a writer that cannot get the lock in time fails with IOError and writes nothing.
TEST(ArchiveOpenTest, TwoWritersTakeTurnsAndAHeldLockTimesOut) {
  ScratchDir dir;
  auto first = OpenOrDie(TestOptions(dir.Join("data")));
  auto second = OpenOrDie(TestOptions(dir.Join("data")));
  ASSERT_TRUE(first->Append(One(Capture("a", ArticleText("a")))).ok());
  auto b = second->Append(One(Capture("b", ArticleText("b"))));
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->front().seq, 2u);
  auto c = first->Append(One(Capture("a", ArticleText("a two"))));
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->front().seq, 3u);
  EXPECT_EQ(c->front().version, 2u);
  EXPECT_TRUE(second->Verify()->ok());

  const int fd = ::open(dir.Join("data/data.mdb").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);  // as another process in a commit would
  auto blocked = second->Append(One(Capture("b", ArticleText("b two"))));
  ::close(fd);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.status().code(), StatusCode::kIOError);
  EXPECT_EQ(second->Head()->seq, 3u);
  Options reader = TestOptions(dir.Join("data"));
  reader.mode = OpenMode::kReadOnly;
  EXPECT_TRUE(Archive::Open(reader).ok()) << "readers never wait for the writer";
}

// Issue #12 (9): the writer lock is on the data file itself, so deleting any other file in the
// directory (the old writer.lock, lock.mdb) does not let a second writer in.
TEST(ArchiveOpenTest, DeletingLockFilesDoesNotAdmitASecondWriter) {
  ScratchDir dir;
  auto writer = OpenOrDie(TestOptions(dir.Join("data")));
  std::filesystem::remove(dir.Join("data/writer.lock"));
  std::filesystem::remove(dir.Join("data/lock.mdb"));
  auto second = Archive::Open(TestOptions(dir.Join("data")));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kIOError);
}

// Issue #12 (9): once lock.mdb was deleted or replaced under a running writer, readers opened
// since then use another reader table; the writer refuses every further write (IOError), and
// what it committed before stays readable and verifiable.
TEST(ArchiveOpenTest, AReplacedLmdbLockFileStopsWrites) {
  ScratchDir dir;
  auto writer = OpenOrDie(TestOptions(dir.Join("data")));
  ASSERT_TRUE(writer->Append({Capture("kept", ArticleText("kept"))}).ok());
  std::filesystem::remove(dir.Join("data/lock.mdb"));
  auto refused = writer->Append({Capture("lost", ArticleText("lost"))});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kIOError);
  EXPECT_NE(refused.status().message().find("lock.mdb"), std::string::npos);
  // A replacement file is no better than none.
  WriteFileOrDie(dir.Join("data/lock.mdb"), "");
  EXPECT_FALSE(writer->Append({Capture("lost", ArticleText("lost"))}).ok());
  writer.reset();
  auto reopened = OpenOrDie(TestOptions(dir.Join("data")));
  EXPECT_TRUE(reopened->GetDocument("kept", {}).ok());
  EXPECT_FALSE(reopened->GetDocument("lost", {}).ok());
  EXPECT_TRUE(reopened->Verify()->ok());
}

}  // namespace
}  // namespace palimpsest::testing
