// `palimpsest import` of many pages of one outlet: their first captures are compressed with a
// dictionary the archive trains on the outlet's earlier pages (`stats` shows it), every page
// reads back as imported, and `verify`, `export` and `restore` carry on as before.

#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

constexpr int kPages = 64;

// Writes OutletPage 0..kPages-1 as HTML files into `dir` of `a`'s scratch directory.
std::string WritePages(const CliArchive& a, const std::string& dir) {
  std::filesystem::create_directories(a.Join(dir));
  for (int n = 0; n < kPages; ++n) {
    WriteFileOrDie(a.Join(dir + "/story-" + std::to_string(n) + ".html"), OutletPage(n));
  }
  return a.Join(dir);
}

int64_t DatabaseBytes(const json::value& stats, const char* database) {
  return Int(Field(stats, "database_bytes"), database);
}

TEST(OutletDictionaryTest, PagesOfOneOutletCostLessThanUnrelatedPagesAndReadBack) {
  CliArchive outlet, unrelated;
  const std::string pages = WritePages(outlet, "pages");
  RunResult imported = outlet.Run({"import", pages, "--source", "daily", "--progress", "never"});
  ASSERT_EQ(imported.exit_code, 0) << Describe(imported);
  // The same pages, each from an outlet of its own.
  for (int n = 0; n < kPages; ++n) {
    const std::string file = pages + "/story-" + std::to_string(n) + ".html";
    RunResult r = unrelated.Run(
        {"import", file, "--source", "outlet-" + std::to_string(n), "--progress", "never"});
    ASSERT_EQ(r.exit_code, 0) << Describe(r);
  }
  const json::value with = outlet.Json({"stats", "--json"});
  const json::value without = unrelated.Json({"stats", "--json"});
  EXPECT_GT(DatabaseBytes(with, "content_dictionaries"), 0);
  EXPECT_LT(DatabaseBytes(with, "blobs") * 10, DatabaseBytes(without, "blobs") * 7);

  for (int n : {0, kPages / 2, kPages - 1}) {
    const std::string doc = "story-" + std::to_string(n);
    RunResult raw = outlet.Run({"show", doc, "--raw"});
    EXPECT_EQ(raw.exit_code, 0) << Describe(raw);
    EXPECT_EQ(raw.out, OutletPage(n));
  }
  EXPECT_EQ(outlet.Run({"verify"}).exit_code, 0);

  // An export restored into a new archive ends at the same chain head and reads the same.
  RunResult exported = outlet.Run({"export", "--out", outlet.Join("out.jsonl")});
  ASSERT_EQ(exported.exit_code, 0) << Describe(exported);
  CliArchive restored;
  RunResult r = restored.Run({"restore", outlet.Join("out.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(Str(restored.Json({"stats", "--json"}), "head_hash"),
            Str(outlet.Json({"stats", "--json"}), "head_hash"));
  EXPECT_EQ(restored.Run({"show", "story-7", "--raw"}).out, OutletPage(7));
  EXPECT_EQ(restored.Run({"verify"}).exit_code, 0);
}

}  // namespace
}  // namespace palimpsest::testing
