// Issue #12 (low): the files under --data. Another program's LMDB file is refused before
// anything is written; a truncated data.mdb is a clear integrity error, never SIGBUS; an
// archive this user may read but not write can still be read.

#include <gtest/gtest.h>
#include <lmdb.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

// An LMDB environment in `dir` with one key in its main database, as another program keeps.
void WriteForeignLmdb(const std::string& dir) {
  std::filesystem::create_directories(dir);
  MDB_env* env = nullptr;
  ASSERT_EQ(mdb_env_create(&env), 0);
  ASSERT_EQ(mdb_env_open(env, dir.c_str(), 0, 0644), 0);
  MDB_txn* txn = nullptr;
  ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
  MDB_dbi dbi;
  ASSERT_EQ(mdb_dbi_open(txn, nullptr, 0, &dbi), 0);
  std::string key = "their-key", value = "their-value";
  MDB_val k{key.size(), key.data()}, v{value.size(), value.data()};
  ASSERT_EQ(mdb_put(txn, dbi, &k, &v, 0), 0);
  ASSERT_EQ(mdb_txn_commit(txn), 0);
  mdb_env_close(env);
}

TEST(ArchiveFilesTest, AnotherProgramsLmdbFileIsRefusedAndLeftAlone) {
  CliArchive a;
  WriteForeignLmdb(a.data());
  const std::string before = ReadFileOrDie(a.data() + "/data.mdb");
  RunResult r = a.Run({"ingest", FixturePath("000_99c9495df02aabac.txt"), "--captured",
                       "2024-12-15T09:00:00Z"});
  ExpectOneLineError(r, 1);
  EXPECT_TRUE(Contains(r.err, "another program")) << Describe(r);
  EXPECT_EQ(ReadFileOrDie(a.data() + "/data.mdb"), before) << "the foreign file was changed";
  RunResult show = a.Run({"list"});
  EXPECT_NE(show.exit_code, 0);
}

TEST(ArchiveFilesTest, ATruncatedDataFileIsAnIntegrityErrorNotACrash) {
  CliArchive a;
  for (int i = 0; i < 8; ++i) {
    a.IngestText("trunc-" + std::to_string(i), SampleArticle("Truncation Article " +
                                                             std::to_string(i)),
                 "2024-09-01T10:00:00Z");
  }
  const std::string path = a.data() + "/data.mdb";
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size / 2);
  std::filesystem::remove(a.data() + "/lock.mdb");
  for (std::vector<std::string> args :
       {std::vector<std::string>{"show", "trunc-7"}, {"list"}, {"log"}, {"verify"}}) {
    RunResult r = a.Run(args);
    EXPECT_EQ(r.exit_code, 4) << args[0] << ": " << Describe(r);
    EXPECT_TRUE(Contains(r.err, "truncated")) << Describe(r);
  }
  RunResult w = a.Run({"ingest", FixturePath("000_99c9495df02aabac.txt")});
  EXPECT_EQ(w.exit_code, 4) << Describe(w);
}

TEST(ArchiveFilesTest, AnArchiveThisUserCannotWriteCanStillBeRead) {
  if (geteuid() == 0) GTEST_SKIP() << "root may write anything: permissions cannot be tested";
  CliArchive a;
  a.IngestText("ro-doc", SampleArticle("Read Only Article"), "2024-09-01T10:00:00Z");
  std::filesystem::remove(a.data() + "/lock.mdb");
  chmod(a.data().c_str(), 0555);
  chmod((a.data() + "/data.mdb").c_str(), 0444);
  RunResult r = a.Run({"show", "ro-doc", "--json"});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(a.Run({"verify"}).exit_code, 0);
  EXPECT_EQ(a.Run({"correct", "ro-doc", "--note", "x"}).exit_code, 5);
  chmod(a.data().c_str(), 0755);
  chmod((a.data() + "/data.mdb").c_str(), 0644);
}

}  // namespace
}  // namespace palimpsest::testing
