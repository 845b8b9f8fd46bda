// The chrome_lines table on its own: how many other documents make a line chrome, the first
// printer's exemption, sources kept apart, and the source key.

#include "archive/projections/chrome_lines.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "archive/lmdb/lmdb.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

class ChromeLinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto env =
        lmdb::Env::Open(dir_.path(), /*read_only=*/false, /*no_sync=*/true, uint64_t{64} << 20, 8);
    ASSERT_TRUE(env.ok()) << env.status().message();
    env_ = std::move(env).value();
    auto txn = lmdb::Txn::Begin(env_, /*read_only=*/false);
    ASSERT_TRUE(txn.ok());
    txn_ = std::move(txn).value();
    ASSERT_TRUE(table_.Open(txn_, /*create=*/true).ok());
  }

  void Print(const std::string& source, const std::string& doc,
             const std::vector<std::string>& lines) {
    ASSERT_TRUE(table_.Record(txn_, source, doc, lines).ok());
  }

  bool IsChrome(const std::string& source, const std::string& doc, const std::string& line) {
    ChromeLines::View view(&table_, &txn_, source, doc);
    bool chrome = view.IsChrome(line);
    EXPECT_TRUE(view.status().ok());
    return chrome;
  }

  ScratchDir dir_;
  lmdb::Env env_;
  lmdb::Txn txn_;
  ChromeLines table_;
};

TEST_F(ChromeLinesTest, TwoOtherDocumentsBeforeMakeALineChrome) {
  const std::string src = "source:gazette";
  EXPECT_FALSE(IsChrome(src, "a", "Sign in"));
  Print(src, "a", {"Sign in", "Story A"});
  EXPECT_FALSE(IsChrome(src, "b", "Sign in")) << "one other document is not enough";
  Print(src, "b", {"Sign in", "Story B"});
  Print(src, "b", {"Sign in"});  // printing it again adds nothing
  EXPECT_FALSE(IsChrome(src, "c", "Story A"));
  EXPECT_TRUE(IsChrome(src, "c", "Sign in"));
  // b has seen only one other document print it.
  EXPECT_FALSE(IsChrome(src, "b", "Sign in"));
  Print(src, "c", {"Sign in"});
  EXPECT_TRUE(IsChrome(src, "b", "Sign in"));
  // The document that printed it first keeps it as its own.
  EXPECT_FALSE(IsChrome(src, "a", "Sign in"));
  // Other sources learned nothing.
  EXPECT_FALSE(IsChrome("source:other", "d", "Sign in"));
  EXPECT_TRUE(IsChrome(src, "d", "Sign in"));
}

TEST_F(ChromeLinesTest, AHeadlineOthersListLaterStaysItsOwn) {
  const std::string src = "host:gazette.example";
  Print(src, "story", {"Ferry Returns"});
  Print(src, "x", {"Ferry Returns"});
  Print(src, "y", {"Ferry Returns"});
  Print(src, "z", {"Ferry Returns"});
  EXPECT_FALSE(IsChrome(src, "story", "Ferry Returns"));
  EXPECT_TRUE(IsChrome(src, "w", "Ferry Returns"));
}

TEST(ChromeLinesSourceKeyTest, SourceElseUrlHost) {
  EXPECT_EQ(ChromeLines::SourceKey("wire", "https://example.com/a"), "source:wire");
  EXPECT_EQ(ChromeLines::SourceKey("", "https://WWW.Example.com:8443/a?b#c"), "host:example.com");
  EXPECT_EQ(ChromeLines::SourceKey("", "http://user@news.example.org"), "host:news.example.org");
  EXPECT_EQ(ChromeLines::SourceKey("", "example.net/story"), "host:example.net");
  EXPECT_EQ(ChromeLines::SourceKey("", ""), "");
}

}  // namespace
}  // namespace palimpsest::testing
