// Issue #12 (3): redaction withholds every field of a revision on every read path. A unique
// word is planted in each field of two revisions (a capture's URL, title, dek, byline, note and
// body; a correction's note); after both are redacted no CLI output, HTTP answer or export
// holds any of them, the export restores to the same chain head and passes verify, and the
// document's URL comes from the capture that was not redacted.

#include <gtest/gtest.h>

#include "cli/http/serve_test_harness.h"

namespace palimpsest::testing {
namespace {

const std::vector<std::string> kSecrets = {"Quokkaurl",  "Quokkatitle", "Quokkadek",
                                           "Quokkabyline", "Quokkanote", "Quokkabody",
                                           "Quokkacorrect"};

// Three captures of one article: the original, a revision carrying every secret, and a later
// one with none of them (recorded after the correction that follows the second).
const char kFirstTwo[] =
    R"({"id":"leak","url":"https://news.example/harbour","title":"Harbour plan approved",)"
    R"("body":"The council approved the harbour plan on Monday.\n\nWork starts in spring.",)"
    R"("captured_at":"2023-01-01T10:00:00Z"})"
    "\n"
    R"({"id":"leak","url":"https://news.example/harbour-Quokkaurl","title":"Harbour Quokkatitle",)"
    R"("dek":"A Quokkadek subtitle","byline":"By Quokkabyline","note":"Quokkanote was named.",)"
    R"("body":"The council approved the harbour plan on Monday, said Quokkabody.\n\nWork starts in spring.",)"
    R"("captured_at":"2023-01-02T10:00:00Z"})"
    "\n";
const char kLast[] =
    R"({"id":"leak","title":"Harbour plan approved",)"
    R"("body":"The council approved the harbour plan on Monday.\n\nWork starts in April.",)"
    R"("captured_at":"2023-01-04T10:00:00Z"})"
    "\n";

class RedactionWithholdsTest : public ServeFixture {
 protected:
  void SetUp() override {
    archive_.Ok({"import", "-", "--format", "jsonl"}, kFirstTwo);
    archive_.Ok({"correct", "leak", "--note", "Quokkacorrect asked for a correction.",
                 "--effective", "2023-01-03"});
    archive_.Ok({"import", "-", "--format", "jsonl"}, kLast);
    ASSERT_EQ(archive_.Json({"history", "leak", "--json"}).at("revisions").as_array().size(), 4u);
    archive_.Ok({"redact", "leak", "--rev", "2", "--reason", "court order"});
    archive_.Ok({"redact", "leak", "--rev", "3", "--reason", "court order"});
  }

  // Every secret that `text` holds.
  static std::string Leaks(const std::string& text) {
    std::string found;
    for (const std::string& s : kSecrets) {
      if (text.find(s) != std::string::npos) found += s + " ";
    }
    return found;
  }
};

TEST_F(RedactionWithholdsTest, NoCliOutputHoldsARedactedField) {
  const std::vector<std::vector<std::string>> reads = {
      {"show", "leak"},
      {"show", "leak", "--json"},
      {"show", "leak", "--rev", "2", "--json"},
      {"show", "leak", "--rev", "3", "--json"},
      {"show", "leak", "--as-of", "2023-01-02T12:00:00Z", "--json"},
      {"show", "leak", "--known-at", "2099-01-01", "--json"},
      {"history", "leak"},
      {"history", "leak", "--json"},
      {"blame", "leak"},
      {"blame", "leak", "--json"},
      {"diff", "leak", "1", "4", "--json"},
      {"changes"},
      {"changes", "--json"},
      {"list", "--json"},
      {"list", "--as-of", "2023-01-03T12:00:00Z", "--json"},
      {"log"},
      {"log", "--json"},
      {"log", "--doc", "leak", "--json"},
      {"export"},
      {"stats", "--json"},
  };
  for (const auto& args : reads) {
    RunResult r = archive_.Run(args);
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    EXPECT_EQ(r.exit_code, 0) << cmd << r.err;
    EXPECT_EQ(Leaks(r.out + r.err), "") << cmd;
  }
  for (const std::string& secret : kSecrets) {
    for (const char* mode : {"--all-revisions", "--json"}) {
      auto found = archive_.Json({"search", secret, mode, "--json"});
      EXPECT_TRUE(found.at("results").as_array().empty()) << secret;
    }
  }
  // The document's URL is the unredacted capture's.
  auto doc = archive_.Json({"show", "leak", "--json"}).as_object();
  EXPECT_EQ(doc.at("url").as_string(), "https://news.example/harbour");
  // The log says which events it withholds.
  const std::string log = archive_.Ok({"log", "--doc", "leak", "--json"});
  EXPECT_NE(log.find("\"withheld\":true"), std::string::npos) << log;
  // The live archive still verifies and replays to the same projections.
  EXPECT_EQ(archive_.Run({"verify"}).exit_code, 0);
  EXPECT_TRUE(archive_.Json({"replay", "--json"}).at("identical").as_bool());
  EXPECT_EQ(Leaks(archive_.Ok({"show", "leak", "--json"})), "");
}

TEST_F(RedactionWithholdsTest, TheExportRestoresToTheSameHeadAndVerifies) {
  const std::string exported = archive_.Ok({"export"});
  ASSERT_EQ(Leaks(exported), "");
  EXPECT_NE(exported.find("\"withheld_hash\""), std::string::npos);
  const std::string file = archive_.Join("export.jsonl");
  WriteFileOrDie(file, exported);
  const std::string copy = archive_.Join("copy");
  RunResult restored = RunCli({"--data", copy, "restore", file});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  RunResult verify = RunCli({"--data", copy, "verify", "--json"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(ParseJson(verify.out).at("head_hash"),
            archive_.Json({"verify", "--json"}).at("head_hash"));
  // The restored archive withholds the same, and exports the same log again.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"show", "leak", "--json"},
                                             {"history", "leak", "--json"},
                                             {"log", "--json"},
                                             {"list", "--json"}}) {
    std::vector<std::string> full = {"--data", copy};
    full.insert(full.end(), args.begin(), args.end());
    RunResult r = RunCli(full);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Leaks(r.out), "") << args[0];
  }
  RunResult again = RunCli({"--data", copy, "export"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(again.out, exported);
  // A withheld event that no redaction covers is a verify problem, not a silent pass: the
  // export cut before its two redactions restores (its header names the new head), and verify
  // refuses it.
  std::vector<std::string> lines;
  for (size_t at = 0, next; at < exported.size(); at = next + 1) {
    next = exported.find('\n', at);
    lines.push_back(exported.substr(at, next - at));
  }
  ASSERT_EQ(lines.size(), 7u);  // the header and six events, the last two redactions
  auto header = ParseJson(lines[0]).as_object();
  const std::string log = archive_.Ok({"log", "--json", "--limit", "4"});
  const auto fourth = ParseJson(log.substr(log.rfind('\n', log.size() - 2) + 1)).as_object();
  header["events"] = 4;
  header["head_seq"] = 4;
  header["head_hash"] = fourth.at("hash");
  std::string cut = boost::json::serialize(header) + "\n";
  for (size_t i = 1; i <= 4; ++i) cut += lines[i] + "\n";
  const std::string cut_file = archive_.Join("cut.jsonl");
  WriteFileOrDie(cut_file, cut);
  const std::string forged = archive_.Join("forged");
  RunResult cut_restore = RunCli({"--data", forged, "restore", cut_file});
  ASSERT_EQ(cut_restore.exit_code, 0) << cut_restore.err;
  RunResult refused = RunCli({"--data", forged, "verify"});
  EXPECT_EQ(refused.exit_code, 4) << refused.out << refused.err;
  EXPECT_NE((refused.out + refused.err).find("no later redaction"), std::string::npos)
      << refused.out << refused.err;
}

TEST_F(RedactionWithholdsTest, NoHttpAnswerHoldsARedactedField) {
  StartServer();
  const std::vector<std::string> targets = {
      "/api/documents",
      "/api/documents?as_of=2023-01-03T12:00:00Z",
      "/api/documents/leak",
      "/api/documents/leak?rev=2",
      "/api/documents/leak?rev=3",
      "/api/documents/leak?as_of=2023-01-02T12:00:00Z",
      "/api/documents/leak/revisions",
      "/api/documents/leak/blame",
      "/api/documents/leak/diff?from=1&to=4",
      "/api/changes",
      "/api/events?after=0&limit=100",
      "/timemap/leak",
  };
  for (const std::string& target : targets) {
    HttpReply reply = Get(port_, target);
    std::string headers;
    for (const auto& [name, value] : reply.headers) headers += name + ": " + value + "\n";
    EXPECT_EQ(reply.status, 200u) << target;
    EXPECT_EQ(Leaks(headers + reply.body), "") << target << "\n" << headers << reply.body;
  }
  // Search echoes its query, so only its results are checked.
  for (const std::string& secret : kSecrets) {
    for (const char* extra : {"", "&all_revisions=1"}) {
      HttpReply found = Get(port_, "/api/search?q=" + secret + extra);
      EXPECT_EQ(found.status, 200u);
      EXPECT_TRUE(found.Json().at("results").as_array().empty()) << secret << found.body;
    }
  }
  // The Memento TimeGate.
  HttpReply gate = Get(port_, "/memento/leak", {{"Accept-Datetime", "Mon, 02 Jan 2023 12:00:00 GMT"}});
  std::string headers;
  for (const auto& [name, value] : gate.headers) headers += name + ": " + value + "\n";
  EXPECT_EQ(Leaks(headers + gate.body), "") << headers;
  EXPECT_EQ(StopServer(), 0) << ServeErr();
}

}  // namespace
}  // namespace palimpsest::testing
