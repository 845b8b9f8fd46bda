// `palimpsest serve` security checks (issue #8): nothing in a request reaches a filesystem
// path — doc ids are validated (no "/", no NUL, no whitespace, at most 200 bytes) and are only
// ever keys inside the archive, so path-like ids neither escape nor create files — and JSON
// nesting is bounded on every write route.

#include <filesystem>
#include <set>

#include "cli/http/serve_test_harness.h"

namespace palimpsest::testing {
namespace {

namespace fs = std::filesystem;

// Every path under `root`, relative to it.
std::set<std::string> Tree(const std::string& root) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    out.insert(fs::relative(e.path(), root).string());
  }
  return out;
}

class ServeSecurityTest : public ServeFixture {
 protected:
  void SetUp() override {
    tokens_ = WriteTokens();
    StartServer({"--tokens", tokens_});
  }
  std::string tokens_;
};

TEST_F(ServeSecurityTest, PathLikeDocIdsAreRefusedOrStayKeys) {
  ASSERT_EQ(Post(port_, "/api/documents",
                 R"({"id":"seed","captured_at":"2024-01-01","body":"Seed text."})", kAlice)
                .status,
            201u);
  const std::set<std::string> before = Tree(archive_.scratch());

  // Ids a filesystem would interpret: encoded "/" and "\", NUL, whitespace, over-long ids.
  const std::vector<std::string> bad_ids = {"..%2F..%2Fetc%2Fpasswd",
                                            "%2Fetc%2Fpasswd",
                                            "a%2F..%2F..%2Fdata.mdb",
                                            "a%00b",
                                            "..%5C..%5Cwindows",
                                            "a%20b",
                                            "%0Aa",
                                            "~%2F.ssh",
                                            std::string(201, 'a'),
                                            "a%2Fb%2F..%2F..%2Fx"};
  for (const std::string& id : bad_ids) {
    for (const char* suffix : {"", "/revisions", "/diff"}) {
      HttpReply r = Get(port_, "/api/documents/" + id + suffix);
      EXPECT_EQ(r.status, 400u) << id << suffix << ": " << r.body;
      EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    }
    EXPECT_EQ(Get(port_, "/memento/" + id).status, 400u) << id;
    EXPECT_EQ(Get(port_, "/timemap/" + id).status, 400u) << id;
    EXPECT_EQ(Post(port_, "/api/documents/" + id + "/corrections",
                   R"({"note":"n","kind":"correction"})", kAlice)
                  .status,
              400u)
        << id;
  }
  // The same ids inside a JSON capture, and in the URL header of a raw capture.
  for (const std::string& id : {std::string("../../etc/passwd"), std::string("/etc/passwd"),
                                std::string("a\\b"), std::string("a\nb"), std::string(201, 'a')}) {
    json::object record{{"id", id}, {"captured_at", "2024-01-01"}, {"body", "Text."}};
    HttpReply r = Post(port_, "/api/documents", json::serialize(record), kAlice);
    EXPECT_EQ(r.status, 400u) << id << ": " << r.body;
  }
  HttpReply raw = Post(port_, "/api/documents?captured_at=2024-01-02", "Headline\n\nText.",
                       {{"Authorization", "Bearer secret-a"},
                        {"Content-Type", "text/plain"},
                        {"X-Palimpsest-Url", "file:///etc/passwd"}});
  EXPECT_EQ(raw.status, 400u) << raw.body;

  // ".." and "." are valid ids (only letters, digits and -._~:@): they name documents, they
  // are not paths. Writing and reading them touches no file.
  for (const std::string& id : {std::string(".."), std::string(".")}) {
    json::object record{{"id", id}, {"captured_at", "2024-01-01"}, {"body", "Dots " + id}};
    HttpReply w = Post(port_, "/api/documents", json::serialize(record), kAlice);
    ASSERT_EQ(w.status, 201u) << id << ": " << w.body;
    EXPECT_EQ(Str(w.Json(), "id"), id);
  }
  HttpReply dots = Get(port_, "/api/documents/%2E%2E");
  ASSERT_EQ(dots.status, 200u) << dots.body;
  EXPECT_EQ(Str(dots.Json(), "body"), "Dots ..");

  // Nothing was written outside the archive's own files.
  EXPECT_EQ(Tree(archive_.scratch()), before);
  EXPECT_EQ(archive_.LogLength(), 3u);
  EXPECT_EQ(StopServer(), 0) << ServeErr();
}

TEST_F(ServeSecurityTest, JsonNestingIsBoundedOnEveryWriteRoute) {
  ASSERT_EQ(Post(port_, "/api/documents",
                 R"({"id":"doc","captured_at":"2024-01-01","body":"Text."})", kAlice)
                .status,
            201u);
  // Deep nesting in a value the handler does not even read must still be refused, before any
  // recursion over it: arrays, objects, and a nesting far beyond any stack.
  const std::vector<std::string> deep = {
      R"({"id":"doc","body":"x","extra":)" + std::string(33, '[') + std::string(33, ']') + "}",
      R"({"id":"doc","body":"x","extra":)" +
          [] {
            std::string s;
            for (int i = 0; i < 40; ++i) s += R"({"a":)";
            s += "1";
            for (int i = 0; i < 40; ++i) s += "}";
            return s;
          }() +
          "}",
      std::string(100000, '['),
  };
  for (const std::string& body : deep) {
    for (const char* target : {"/api/documents", "/api/documents/doc/corrections"}) {
      HttpReply r = Post(port_, target, body, kAlice);
      EXPECT_EQ(r.status, 400u) << target << ": " << r.body.substr(0, 200);
      EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    }
  }
  // Nesting within the limit is fine.
  const std::string shallow = R"({"id":"doc","captured_at":"2024-01-02","body":"Text two.",)"
                              R"("extra":[[[[1]]]]})";
  EXPECT_EQ(Post(port_, "/api/documents", shallow, kAlice).status, 201u);
  EXPECT_EQ(archive_.LogLength(), 2u);
}

}  // namespace
}  // namespace palimpsest::testing
