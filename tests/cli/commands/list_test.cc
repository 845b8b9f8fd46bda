// `palimpsest list`: the documents of the sample corpus, filtered by source and by time.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cli/cli_test_helpers.h"

namespace palimpsest::testing {
namespace {

class ListTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    archive_ = new CliArchive();
    archive_->IngestScenario();
    archive_->IngestOthers();
  }
  static void TearDownTestSuite() {
    delete archive_;
    archive_ = nullptr;
  }

  // id → summary
  std::map<std::string, json::value> List(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"list", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    json::value v = archive_->Json(args);
    std::map<std::string, json::value> docs;
    for (const json::value& d : Arr(v, "documents")) {
      std::string id = Str(d, "id");
      EXPECT_EQ(docs.count(id), 0u) << "listed twice: " << id;
      docs[id] = d;
    }
    return docs;
  }

  static CliArchive* archive_;
};

CliArchive* ListTest::archive_ = nullptr;

TEST_F(ListTest, ListsTheFiveCorpusDocuments) {
  auto docs = List();
  std::set<std::string> ids;
  for (const auto& [id, d] : docs) ids.insert(id);
  std::set<std::string> expected(kOtherDocs.begin(), kOtherDocs.end());
  expected.insert(kScenarioDoc);
  EXPECT_EQ(ids, expected);
  for (const auto& [id, d] : docs) {
    for (const char* key : {"id", "title", "source", "rev", "last_change"}) {
      EXPECT_TRUE(Has(d, key)) << key << " missing for " << id;
    }
    EXPECT_FALSE(Str(d, "title").empty()) << id;
    EXPECT_FALSE(Str(d, "last_change").empty()) << id;
  }
  EXPECT_EQ(Int(docs[kScenarioDoc], "rev"), 2);
  EXPECT_EQ(Str(docs[kScenarioDoc], "source"), "airandspaceforces");
  for (const std::string& id : kOtherDocs) {
    EXPECT_EQ(Int(docs[id], "rev"), 1) << id;
    EXPECT_EQ(Str(docs[id], "source"), "src-" + id.substr(0, 3)) << id;
  }
  // The title is the current revision's title, the same that show prints.
  for (const auto& [id, d] : docs) {
    EXPECT_EQ(Str(d, "title"), Str(archive_->Json({"show", id, "--json"}), "title")) << id;
  }
}

TEST_F(ListTest, TextOutputHasOneLinePerDocument) {
  std::string out = archive_->Ok({"list"});
  EXPECT_EQ(Lines(out).size(), 5u) << out;
  EXPECT_TRUE(Contains(out, kScenarioDoc)) << out;
}

TEST_F(ListTest, SourceFilter) {
  auto docs = List({"--source", "airandspaceforces"});
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs.begin()->first, kScenarioDoc);
  auto dod = List({"--source", "src-004"});
  ASSERT_EQ(dod.size(), 1u);
  EXPECT_EQ(dod.begin()->first, "004_52689c8dd169f3e3");
  EXPECT_TRUE(List({"--source", "no-such-outlet"}).empty());
}

TEST_F(ListTest, AsOfShowsTheRevisionInEffectThen) {
  EXPECT_TRUE(List({"--as-of", "1990-01-01"}).empty());
  auto on23 = List({"--as-of", "2023-07-23"});
  ASSERT_EQ(on23.count(kScenarioDoc), 1u);
  EXPECT_EQ(Int(on23[kScenarioDoc], "rev"), 1);
  auto on24 = List({"--as-of", "2023-07-24"});
  ASSERT_EQ(on24.count(kScenarioDoc), 1u);
  EXPECT_EQ(Int(on24[kScenarioDoc], "rev"), 2);
  // Before the scenario's first capture the story did not exist.
  EXPECT_EQ(List({"--as-of", "2023-07-19"}).count(kScenarioDoc), 0u);
  // Combined with a source.
  auto filtered = List({"--as-of", "2023-07-23", "--source", "airandspaceforces"});
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(Int(filtered[kScenarioDoc], "rev"), 1);
}

TEST_F(ListTest, KnownAtBeforeAnythingWasRecordedIsEmpty) {
  EXPECT_TRUE(List({"--known-at", "2000-01-01"}).empty());
  EXPECT_EQ(List({"--known-at", "2999-01-01"}).size(), 5u);
}

TEST_F(ListTest, BadTimesAreExitOne) {
  ExpectOneLineError(archive_->Run({"list", "--as-of", "soon"}), 1);
  ExpectOneLineError(archive_->Run({"list", "--known-at", "2023-00-10"}), 1);
}

TEST(ListEmptyTest, EmptyArchiveListsNothing) {
  CliArchive a;
  a.IngestText("only-doc", SampleArticle(), "2024-01-01T00:00:00Z");
  json::value v = a.Json({"list", "--json", "--source", "none"});
  EXPECT_TRUE(Arr(v, "documents").empty());
}

}  // namespace
}  // namespace palimpsest::testing
