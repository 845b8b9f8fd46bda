// Retraction and redaction end to end: history stays readable; a redacted revision's content
// is served by no read path (show, --raw, diff, export) while verify and replay still pass.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "test_util.h"

namespace palimpsest::testing {
namespace {

class RetractRedactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.Join("data");
    ASSERT_EQ(Run({"ingest", FixturePath("001_c82fb13b72988b3d.before-correction.txt"), "--id",
                   "set", "--captured", "2023-07-20T12:00:00Z"})
                  .exit_code,
              0);
    ASSERT_EQ(Run({"ingest", FixturePath("001_c82fb13b72988b3d.txt"), "--id", "set", "--captured",
                   "2023-07-25T12:00:00Z"})
                  .exit_code,
              0);
  }

  RunResult Run(std::vector<std::string> args, const std::string& in = "") {
    args.insert(args.begin(), {"--data", data_});
    return RunCli(args, in);
  }

  boost::json::object Json(std::vector<std::string> args) {
    RunResult r = Run(std::move(args));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return boost::json::parse(r.out).as_object();
  }

  ScratchDir dir_;
  std::string data_;
};

TEST_F(RetractRedactTest, RetractionKeepsHistoryAndShowSaysSo) {
  RunResult r = Run({"retract", "set", "--note", "Withdrawn: sourcing could not be verified",
                     "--effective", "2023-08-01", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto out = boost::json::parse(r.out).as_object();
  EXPECT_EQ(out["kind"].as_string(), "retraction");
  auto doc = Json({"show", "set", "--json"});
  EXPECT_TRUE(doc["retracted"].as_bool());
  EXPECT_EQ(doc["note"].as_string(), "Withdrawn: sourcing could not be verified");
  EXPECT_EQ(doc["effective_at"].as_string(), "2023-08-01T00:00:00Z");
  RunResult text = Run({"show", "set"});
  EXPECT_NE(text.out.find("RETRACTED"), std::string::npos);
  // Before the retraction took effect the article read as corrected.
  auto before = Json({"show", "set", "--as-of", "2023-07-30", "--json"});
  EXPECT_FALSE(before["retracted"].as_bool());
  EXPECT_EQ(before["rev"].as_int64(), 2);
  auto history = Json({"history", "set", "--json"});
  EXPECT_EQ(history["revisions"].as_array().size(), 3u);
  RunResult again = Run({"retract", "set", "--note", "again"});
  EXPECT_EQ(again.exit_code, 3) << "already retracted";
  EXPECT_EQ(Run({"retract", "nobody", "--note", "x"}).exit_code, 2);
  EXPECT_EQ(Run({"retract", "set", "--note", "  "}).exit_code, 1);
}

TEST_F(RetractRedactTest, RedactedRevisionIsServedByNoReadPath) {
  RunResult r = Run({"redact", "set", "--rev", "1", "--reason", "personal data", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(boost::json::parse(r.out).as_object()["status"].as_string(), "redacted");

  auto shown = Json({"show", "set", "--rev", "1", "--json"});
  EXPECT_TRUE(shown["redacted"].as_bool());
  EXPECT_EQ(shown["body"].as_string(), "");
  EXPECT_EQ(shown["title"].as_string(), "");
  RunResult raw = Run({"show", "set", "--rev", "1", "--raw"});
  EXPECT_EQ(raw.exit_code, 2);
  EXPECT_EQ(raw.out, "");
  EXPECT_NE(raw.err.find("personal data"), std::string::npos);
  EXPECT_EQ(Run({"diff", "set", "1", "2"}).exit_code, 2);
  auto as_of = Json({"show", "set", "--as-of", "2023-07-21", "--json"});
  EXPECT_EQ(as_of["body"].as_string(), "");

  auto history = Json({"history", "set", "--json"});
  auto rev1 = history["revisions"].as_array()[0].as_object();
  EXPECT_TRUE(rev1["redacted"].as_bool());
  EXPECT_EQ(rev1["redaction_reason"].as_string(), "personal data");
  EXPECT_NE(rev1["redaction_actor"].as_string().find("cli:"), std::string::npos);

  // The export carries neither the raw capture nor the extracted text of rev 1.
  RunResult exported = Run({"export"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(exported.out.find("Israel and Brazil."), std::string::npos);
  EXPECT_NE(exported.out.find("\"withheld\""), std::string::npos);

  // The current revision is untouched; verify and replay still pass.
  auto current = Json({"show", "set", "--json"});
  EXPECT_NE(current["body"].as_string().find("Australia"), std::string::npos);
  EXPECT_EQ(Run({"verify"}).exit_code, 0);
  auto replay = Json({"replay", "--json"});
  EXPECT_TRUE(replay["identical"].as_bool());

  // The export restores into an archive with the same chain head that still hides rev 1.
  const std::string file = dir_.Join("export.jsonl");
  WriteFileOrDie(file, exported.out);
  const std::string copy = dir_.Join("copy");
  ASSERT_EQ(RunCli({"--data", copy, "restore", file}).exit_code, 0);
  RunResult verify = RunCli({"--data", copy, "verify", "--json"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(boost::json::parse(verify.out).as_object()["head_hash"],
            Json({"verify", "--json"})["head_hash"]);
  RunResult copy_raw = RunCli({"--data", copy, "show", "set", "--rev", "1", "--raw"});
  EXPECT_EQ(copy_raw.exit_code, 2);
}

// Issue #12 (3): a redacted revision's note is withheld on every read path — even when the
// redacted revision is an explicit correction that is the document's current revision.
TEST_F(RetractRedactTest, ARedactedRevisionsNoteIsServedByNoReadPath) {
  const std::string secret = "Zanzibarquill";
  ASSERT_EQ(Run({"correct", "set", "--note", "The source " + secret + " asked not to be named."})
                .exit_code,
            0);
  ASSERT_EQ(Run({"redact", "set", "--rev", "3", "--reason", "source protection"}).exit_code, 0);
  const std::vector<std::vector<std::string>> reads = {
      {"show", "set"},
      {"show", "set", "--json"},
      {"show", "set", "--rev", "3", "--json"},
      {"show", "set", "--as-of", "2099-01-01", "--json"},
      {"show", "set", "--known-at", "2099-01-01", "--json"},
      {"history", "set"},
      {"history", "set", "--json"},
      {"blame", "set", "--json"},
      {"blame", "set"},
      {"changes", "--json"},
      {"changes"},
      {"list", "--json"},
  };
  for (const auto& args : reads) {
    RunResult r = Run(args);
    EXPECT_EQ(r.out.find(secret), std::string::npos) << args[0] << " " << args.back() << "\n"
                                                      << r.out;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << r.err;
  }
  EXPECT_TRUE(Json({"search", secret, "--json"})["results"].as_array().empty());
  EXPECT_TRUE(Json({"search", secret, "--all-revisions", "--json"})["results"].as_array().empty());
  // Replay derives the same withheld state.
  auto replay = Json({"replay", "--json"});
  EXPECT_TRUE(replay["identical"].as_bool());
  EXPECT_EQ(Run({"history", "set", "--json"}).out.find(secret), std::string::npos);
}

// A page can print several notes; a correction that follows carries them all. Redacting the page's
// revision takes every note it brought out of the correction too, not only its own note field.
TEST_F(RetractRedactTest, EveryNoteARedactedPageBroughtLeavesLaterRevisions) {
  const std::string page = dir_.Join("notes.txt");
  WriteFileOrDie(page,
                 "A headline here\n\nBy Jane Doe\n\n"
                 "Editor's Note: Alphasecret was named.\n\n"
                 "Correction: Bravosecret was wrong.\n\n"
                 "The body paragraph of the story is long enough to count as the article body.\n\n"
                 "Another paragraph follows with more words in it so the extractor keeps it.\n");
  ASSERT_EQ(Run({"ingest", page, "--id", "notes", "--captured", "2023-01-01T00:00:00Z"}).exit_code,
            0);
  ASSERT_EQ(Json({"show", "notes", "--json"})["notes"].as_array().size(), 2u);
  ASSERT_EQ(Run({"correct", "notes", "--note", "A later note."}).exit_code, 0);
  ASSERT_EQ(Json({"show", "notes", "--json"})["notes"].as_array().size(), 3u);
  ASSERT_EQ(Run({"redact", "notes", "--rev", "1", "--reason", "source protection"}).exit_code, 0);
  auto doc = Json({"show", "notes", "--json"});
  ASSERT_EQ(doc["notes"].as_array().size(), 1u);
  EXPECT_EQ(doc["notes"].as_array()[0].as_object().at("text").as_string(), "A later note.");
  for (const std::string secret : {"Alphasecret", "Bravosecret"}) {
    EXPECT_EQ(Run({"history", "notes", "--json"}).out.find(secret), std::string::npos);
    EXPECT_EQ(Run({"show", "notes", "--rev", "2", "--json"}).out.find(secret), std::string::npos);
  }
  EXPECT_TRUE(Json({"replay", "--json"})["identical"].as_bool());
}

TEST_F(RetractRedactTest, RedactBadInputs) {
  EXPECT_EQ(Run({"redact", "set", "--rev", "9", "--reason", "x"}).exit_code, 2);
  EXPECT_EQ(Run({"redact", "nobody", "--rev", "1", "--reason", "x"}).exit_code, 2);
  EXPECT_EQ(Run({"redact", "set", "--rev", "1"}).exit_code, 1);
  EXPECT_EQ(Run({"redact", "set", "--rev", "0", "--reason", "x"}).exit_code, 1);
  EXPECT_EQ(Run({"redact", "set", "--rev", "1", "--reason", " "}).exit_code, 1);
}

}  // namespace
}  // namespace palimpsest::testing
