// Issue #12 (7): `verify` sees damaged projections. One byte changed in a record of any
// projection database (the log itself intact) makes `verify` exit 4 naming the database;
// `replay` repairs it and `verify` passes again. Stored content missing on a read path is
// corruption (exit 4), not "not found".
//
// The records are changed through the LMDB C API while no palimpsest process runs.

#include <gtest/gtest.h>
#include <lmdb.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli_test_helpers.h"
#include "lmdb_test_util.h"
#include "palimpsest/hash.h"

namespace palimpsest::testing {
namespace {

// Opens the archive's LMDB environment and runs `fn(txn, dbi)` on database `name` in one write
// transaction, then commits.
template <typename Fn>
void WithDatabase(const std::string& dir, const char* name, Fn fn) {
  WithLmdbTxn(dir, [&](MDB_txn* txn) {
    MDB_dbi dbi;
    ASSERT_EQ(mdb_dbi_open(txn, name, 0, &dbi), 0) << name;
    fn(txn, dbi);
  });
}

// Changes the last byte of the value of the record in the middle of database `name`.
void ChangeOneRecord(const std::string& dir, const char* name) {
  WithDatabase(dir, name, [&](MDB_txn* txn, MDB_dbi dbi) {
    MDB_stat st;
    ASSERT_EQ(mdb_stat(txn, dbi, &st), 0);
    ASSERT_GT(st.ms_entries, 0u) << name;
    MDB_cursor* cursor = nullptr;
    ASSERT_EQ(mdb_cursor_open(txn, dbi, &cursor), 0);
    MDB_val k, v;
    ASSERT_EQ(mdb_cursor_get(cursor, &k, &v, MDB_FIRST), 0);
    for (size_t i = 0; i < st.ms_entries / 2; ++i) {
      ASSERT_EQ(mdb_cursor_get(cursor, &k, &v, MDB_NEXT), 0);
    }
    std::string key(static_cast<const char*>(k.mv_data), k.mv_size);
    std::string value(static_cast<const char*>(v.mv_data), v.mv_size);
    mdb_cursor_close(cursor);
    if (value.empty())
      value = "x";
    else
      value.back() = static_cast<char>(value.back() ^ 0x01);
    MDB_val nk{key.size(), key.data()}, nv{value.size(), value.data()};
    ASSERT_EQ(mdb_put(txn, dbi, &nk, &nv, 0), 0);
  });
}

class ProjectionTamperTest : public ::testing::TestWithParam<const char*> {
 protected:
  static void SetUpTestSuite() {
    source_ = new CliArchive();
    for (int i = 1; i <= 4; ++i) {
      source_->IngestText("proj-doc-" + std::to_string(i),
                          SampleArticle("Projection Article Number " + std::to_string(i)),
                          "2024-09-0" + std::to_string(i) + "T10:00:00Z", {"--source", "wire"});
    }
    source_->IngestText("proj-doc-2",
                        SampleArticle("Projection Article Number 2",
                                      " Correction: an earlier version misstated the count."),
                        "2024-09-08T10:00:00Z", {"--source", "wire"});
    source_->Json({"correct", "proj-doc-3", "--note", "A figure was wrong.", "--json"});
    pristine_ = new std::string(ReadFileOrDie(source_->data() + "/data.mdb"));
  }
  static void TearDownTestSuite() {
    delete source_;
    delete pristine_;
  }
  void SetUp() override {
    std::filesystem::create_directories(a_.data());
    WriteFileOrDie(a_.data() + "/data.mdb", *pristine_);
  }

  static CliArchive* source_;
  static std::string* pristine_;
  CliArchive a_;
};

CliArchive* ProjectionTamperTest::source_ = nullptr;
std::string* ProjectionTamperTest::pristine_ = nullptr;

TEST_P(ProjectionTamperTest, VerifyNamesTheDamagedDatabaseAndReplayRepairsIt) {
  const char* db = GetParam();
  RunResult before = a_.Run({"verify", "--json"});
  ASSERT_EQ(before.exit_code, 0) << Describe(before);
  EXPECT_TRUE(Bool(ParseJson(before.out), "projections_checked"));

  ChangeOneRecord(a_.data(), db);
  const std::string damaged = ReadFileOrDie(a_.data() + "/data.mdb");
  RunResult r = a_.Run({"verify", "--json"});
  EXPECT_EQ(r.exit_code, 4) << db << ": " << Describe(r);
  EXPECT_TRUE(Contains(r.out, db)) << r.out;
  // verify writes nothing.
  EXPECT_EQ(ReadFileOrDie(a_.data() + "/data.mdb"), damaged);

  RunResult plain = a_.Run({"verify"});
  EXPECT_EQ(plain.exit_code, 4);
  EXPECT_TRUE(Contains(plain.err, "palimpsest replay")) << plain.err;

  RunResult replay = a_.Run({"replay"});
  EXPECT_EQ(replay.exit_code, 0) << Describe(replay);
  RunResult after = a_.Run({"verify"});
  EXPECT_EQ(after.exit_code, 0) << Describe(after);
}

INSTANTIATE_TEST_SUITE_P(EveryProjectionDatabase, ProjectionTamperTest,
                         ::testing::Values("documents", "revisions", "revision_texts",
                                           "changes_recorded", "changes_effective",
                                           "change_summaries", "search_terms", "search_docs",
                                           "search_streams", "search_vocabulary", "search_weights",
                                           "streams"));

// The raw bytes of a capture deleted from the content store: `show --raw` reports damage
// (exit 4), and so does verify.
TEST_F(ProjectionTamperTest, MissingContentOnAReadPathIsCorruption) {
  ASSERT_TRUE(a_.Run({"show", "proj-doc-1", "--raw"}).exit_code == 0);
  const std::string raw = a_.Run({"show", "proj-doc-1", "--raw"}).out;
  ASSERT_FALSE(raw.empty());
  const Digest key = Sha256(raw);  // content is keyed by the SHA-256 of its bytes
  WithDatabase(a_.data(), "blobs", [&](MDB_txn* txn, MDB_dbi dbi) {
    MDB_val k{key.size(), const_cast<uint8_t*>(key.data())};
    ASSERT_EQ(mdb_del(txn, dbi, &k, nullptr), 0);
  });
  RunResult show = a_.Run({"show", "proj-doc-1", "--raw"});
  EXPECT_EQ(show.exit_code, 4) << Describe(show);
  EXPECT_EQ(a_.Run({"verify"}).exit_code, 4);
}

// Replay prepares the search terms and change summaries on a second thread from the state it
// replaces: where that state's revisions say something other than the log, what is rebuilt
// must still be the log's. The titles stored in `revisions` are rewritten ("Projection" ->
// "Qrojection": same length, still decodable).
TEST_F(ProjectionTamperTest, ReplayIndexesTheLogsTextNotTheStateItReplaces) {
  ASSERT_EQ(Arr(a_.Json({"search", "qrojection", "--json"}), "results").size(), 0u);
  size_t rewritten = 0;
  WithDatabase(a_.data(), "revisions", [&](MDB_txn* txn, MDB_dbi dbi) {
    MDB_cursor* cursor = nullptr;
    ASSERT_EQ(mdb_cursor_open(txn, dbi, &cursor), 0);
    std::vector<std::pair<std::string, std::string>> changed;
    MDB_val k, v;
    for (int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
      std::string value(static_cast<const char*>(v.mv_data), v.mv_size);
      for (size_t at; (at = value.find("Projection")) != std::string::npos;) value[at] = 'Q';
      if (value.size() == v.mv_size &&
          value != std::string_view(static_cast<const char*>(v.mv_data), v.mv_size)) {
        changed.emplace_back(std::string(static_cast<const char*>(k.mv_data), k.mv_size), value);
      }
    }
    mdb_cursor_close(cursor);
    for (auto& [key, value] : changed) {
      MDB_val nk{key.size(), key.data()}, nv{value.size(), value.data()};
      ASSERT_EQ(mdb_put(txn, dbi, &nk, &nv, 0), 0);
    }
    rewritten = changed.size();
  });
  ASSERT_GE(rewritten, 4u);
  EXPECT_EQ(a_.Run({"verify"}).exit_code, 4);

  json::value replay = a_.Json({"replay", "--json"});
  EXPECT_EQ(Int(replay, "events"), 6);
  EXPECT_FALSE(Bool(replay, "identical"));
  EXPECT_EQ(Arr(a_.Json({"search", "qrojection", "--json"}), "results").size(), 0u);
  EXPECT_EQ(Arr(a_.Json({"search", "projection", "--json"}), "results").size(), 4u);
  EXPECT_EQ(a_.Run({"verify"}).exit_code, 0);
  // Byte for byte what a replay of the untouched archive builds.
  CliArchive untouched;
  std::filesystem::create_directories(untouched.data());
  WriteFileOrDie(untouched.data() + "/data.mdb", *pristine_);
  json::value clean = untouched.Json({"replay", "--json"});
  const json::object& rebuilt = Field(replay, "databases").as_object();
  ASSERT_FALSE(rebuilt.empty());
  for (const auto& [db, digests] : rebuilt) {
    EXPECT_EQ(Str(digests, "after"), Str(Field(Field(clean, "databases"), db), "after")) << db;
  }
}

}  // namespace
}  // namespace palimpsest::testing
