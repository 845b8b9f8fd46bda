// `palimpsest compact`: the archive's file rewritten without free pages, every answer the same;
// refused (exit 5, nothing changed) while another process or Archive has the archive open; and
// an Archive that opened the file compact replaced no longer writes to it.

#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_test_helpers.h"
#include "palimpsest/archive.h"

namespace palimpsest::testing {
namespace {

void IngestCompactDocs(const CliArchive& a, int n) {
  for (int i = 1; i <= n; ++i) {
    a.IngestText("compact-doc-" + std::to_string(i),
                 SampleArticle("Compact Article Number " + std::to_string(i)),
                 "2024-05-0" + std::to_string(1 + i % 9) + "T08:00:00Z");
  }
}

std::vector<std::string> Answers(const CliArchive& a) {
  return {a.Ok({"log", "--json"}), a.Ok({"list", "--json"}),
          a.Ok({"show", "compact-doc-2", "--json"}), a.Ok({"history", "compact-doc-2", "--json"}),
          a.Ok({"search", "compact", "--json"})};
}

TEST(CompactTest, RewritesWithoutFreePagesAndChangesNoAnswer) {
  CliArchive a;
  IngestCompactDocs(a, 8);
  a.Json({"correct", "compact-doc-2", "--note", "A name was misspelled.", "--json"});
  a.Ok({"replay"});  // rewrites every projection: pages freed
  const std::vector<std::string> before = Answers(a);
  json::value stats = a.Json({"stats", "--json"});
  ASSERT_GT(Int(stats, "free_bytes"), 0) << "the replay left free pages";

  json::value r = a.Json({"compact", "--json"});
  EXPECT_LT(Int(r, "bytes_after"), Int(r, "bytes_before"));
  EXPECT_EQ(Int(a.Json({"stats", "--json"}), "free_bytes"), 0);
  EXPECT_EQ(Answers(a), before);
  EXPECT_EQ(a.Run({"verify"}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(a.data() + "/compact.tmp"));
  // It is a working archive.
  EXPECT_EQ(a.Run({"correct", "compact-doc-3", "--note", "After compaction."}).exit_code, 0);
  EXPECT_EQ(a.Run({"verify"}).exit_code, 0);
}

TEST(CompactTest, RefusedWhileTheArchiveIsOpenElsewhere) {
  CliArchive a;
  IngestCompactDocs(a, 3);
  const std::string file = ReadFileOrDie(a.data() + "/data.mdb");
  {
    Options options;
    options.data_dir = a.data();
    options.mode = OpenMode::kReadOnly;
    auto reader = Archive::Open(options);
    ASSERT_TRUE(reader.ok()) << reader.status().message();
    RunResult r = a.Run({"compact"});
    EXPECT_EQ(r.exit_code, 5) << Describe(r);
    EXPECT_EQ(r.err.rfind("palimpsest: ", 0), 0u) << Describe(r);
    EXPECT_FALSE(std::filesystem::exists(a.data() + "/compact.tmp"));
    EXPECT_EQ(ReadFileOrDie(a.data() + "/data.mdb"), file) << "nothing changed";
  }
  EXPECT_EQ(a.Run({"compact"}).exit_code, 0) << "alone now";
}

// The protocol's safety: an Archive whose data.mdb was swapped for another file (as compact
// does) refuses to write to the old one, while its reads go on.
TEST(CompactTest, AnArchiveWhoseFileWasReplacedRefusesToWrite) {
  CliArchive a;
  IngestCompactDocs(a, 2);
  Options options;
  options.data_dir = a.data();
  auto writer = Archive::Open(options);
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  std::filesystem::copy_file(a.data() + "/data.mdb", a.data() + "/swap.mdb");
  std::filesystem::rename(a.data() + "/swap.mdb", a.data() + "/data.mdb");
  EXPECT_TRUE((*writer)->GetDocument("compact-doc-1", {}).ok());
  AppendRequest request;
  CorrectedEvent corrected;
  corrected.note = "Written to a replaced file.";
  request.event.id = DeriveEventId({"compact-test", "late write"});
  request.event.doc_id = "compact-doc-1";
  request.event.actor = "test";
  request.event.body = corrected;
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(request));
  auto appended = (*writer)->Append(std::move(batch));
  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.status().code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace palimpsest::testing
