// Issue #12 findings 1 and 4 through HTTP: a raw capture's X-Palimpsest-Url with bytes outside
// printable ASCII is kept percent-encoded, a ?source= that is not UTF-8 is a 400 problem and
// writes nothing; and the tokens file finding: `serve` refuses a tokens file others can write,
// a name given twice and a name that is not UTF-8.

#include <sys/stat.h>

#include "cli/http/serve_test_harness.h"

namespace palimpsest::testing {
namespace {

const Headers kRawText = {{"Authorization", "Bearer secret-a"}, {"Content-Type", "text/plain"}};

class ServeHostileTextTest : public ServeFixture {
 protected:
  void SetUp() override { StartServer({"--tokens", WriteTokens()}); }
};

TEST_F(ServeHostileTextTest, UrlHeaderWithLatin1BytesIsKeptPercentEncoded) {
  HttpReply r =
      Post(port_, "/api/documents?id=story&captured_at=2024-02-01T00:00:00Z", SampleArticle(),
           With(kRawText, {{"X-Palimpsest-Url", "https://example.com/caf\xE9 s"}}));
  ASSERT_EQ(r.status, 201u) << r.body;
  HttpReply doc = Get(port_, "/api/documents/story");
  ASSERT_EQ(doc.status, 200u) << doc.body;
  EXPECT_EQ(Str(doc.Json(), "url"), "https://example.com/caf%E9%20s");
  HttpReply events = Get(port_, "/api/events?after=0");
  EXPECT_EQ(events.status, 200u);
  EXPECT_TRUE(events.Json().is_object()) << events.body;
}

TEST_F(ServeHostileTextTest, SourceThatIsNotUtf8IsABadRequest) {
  HttpReply r = Post(port_, "/api/documents?id=story&captured_at=2024-02-01T00:00:00Z&source=%FF",
                     SampleArticle(), kRawText);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  EXPECT_TRUE(Contains(Str(r.Json(), "detail"), "source is not valid UTF-8")) << r.body;
  EXPECT_EQ(Get(port_, "/api/documents/story").status, 404u);
}

// `serve --tokens FILE` must refuse to start, before it opens the archive. The data directory
// is a plain file, so a server that accepted the tokens fails to open it (another exit code)
// instead of listening forever.
RunResult ServeWithTokens(const CliArchive& a, const std::string& contents, mode_t mode) {
  const std::string path = a.Join("tokens");
  WriteFileOrDie(path, contents);
  EXPECT_EQ(::chmod(path.c_str(), mode), 0);
  const std::string not_a_dir = a.Join("not-a-directory");
  WriteFileOrDie(not_a_dir, "");
  return RunCli({"--data", not_a_dir, "serve", "--tokens", path, "--listen", "127.0.0.1:0"});
}

TEST(ServeTokensFileTest, RefusesWritableDuplicateAndNonUtf8Names) {
  CliArchive a;
  const std::string hash = a.Ok({"serve", "--hash-token"}, "s3cret").substr(0, 64);
  RunResult world = ServeWithTokens(a, "alice " + hash + "\n", 0666);
  ExpectOneLineError(world, 1);
  EXPECT_TRUE(Contains(world.err, "writable by group or others")) << Describe(world);
  ExpectOneLineError(ServeWithTokens(a, "alice " + hash + "\n", 0620), 1);

  RunResult dup = ServeWithTokens(a, "alice " + hash + "\nalice " + hash + "\n", 0600);
  ExpectOneLineError(dup, 1);
  EXPECT_TRUE(Contains(dup.err, "tokens:2: duplicate token name 'alice'")) << Describe(dup);

  RunResult bad = ServeWithTokens(a, "al\xFFice " + hash + "\n", 0600);
  ExpectOneLineError(bad, 1);
  EXPECT_TRUE(Contains(bad.err, "tokens:1: token name is not UTF-8")) << Describe(bad);
  ExpectOneLineError(ServeWithTokens(a, "al\x1Bice " + hash + "\n", 0600), 1);
  // A good file gets past the tokens to the (unopenable) archive.
  EXPECT_NE(ServeWithTokens(a, "alice " + hash + "\n", 0600).exit_code, 1);
}

}  // namespace
}  // namespace palimpsest::testing
