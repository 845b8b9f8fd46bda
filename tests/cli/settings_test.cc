// The environment the CLI reads (cli/settings.h): read once, and a malformed value is an error
// naming the variable, never a silent default — in process and through the command line.

#include "cli/settings.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cli_test_helpers.h"

namespace palimpsest::cli {
namespace {

Result<Settings> Read(const std::map<std::string, std::string>& env) {
  return ReadSettings([&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(SettingsTest, ReadsEachVariable) {
  auto s = Read({{"PALIMPSEST_DATA", "/srv/archive"},
                 {"PALIMPSEST_LOCK_TIMEOUT_MS", "250"},
                 {"PALIMPSEST_VERIFY_TIMEOUT", "0"},
                 {"NO_COLOR", "1"},
                 {"USER", "ana"}});
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->data_dir, "/srv/archive");
  EXPECT_EQ(s->lock_timeout_ms, 250);
  EXPECT_EQ(s->verify_timeout_s, 0u);
  EXPECT_TRUE(s->no_color);
  EXPECT_EQ(s->actor, "cli:ana");
}

TEST(SettingsTest, UnsetOrEmptyMeansTheDefault) {
  auto s = Read({{"NO_COLOR", ""}, {"PALIMPSEST_LOCK_TIMEOUT_MS", ""}});
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_FALSE(s->lock_timeout_ms.has_value());
  EXPECT_FALSE(s->verify_timeout_s.has_value());
  EXPECT_FALSE(s->no_color);
  EXPECT_FALSE(s->actor.empty());
}

TEST(SettingsTest, AMalformedNumberIsAnError) {
  for (const char* bad : {"10s", "-1", "ten", "1e3", "99999999999999999999", "86400001"}) {
    auto s = Read({{"PALIMPSEST_LOCK_TIMEOUT_MS", bad}});
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(Read({{"PALIMPSEST_VERIFY_TIMEOUT", "1 "}}).ok());
}

// Through the command line: exit 1, one line naming the variable, nothing written.
TEST(SettingsTest, TheCommandLineRefusesAMalformedLockTimeout) {
  testing::CliArchive a;
  {
    testing::ScopedEnv timeout("PALIMPSEST_LOCK_TIMEOUT_MS", "10s");
    testing::RunResult r =
        a.Run({"ingest", testing::FixturePath(testing::kAfterFixture), "--id", "doc"});
    testing::ExpectOneLineError(r, 1);
  }
  EXPECT_EQ(a.Run({"show", "doc"}).exit_code, 2);
}

}  // namespace
}  // namespace palimpsest::cli
