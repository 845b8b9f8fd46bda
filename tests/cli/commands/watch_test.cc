// `palimpsest watch` end to end: add / add-feed / list / remove in process, `watch run --once`
// against a local site, and `watch run` as a separate process that other writers work beside
// and SIGTERM stops.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli/cli_test_helpers.h"
#include "cli/watch/local_site.h"

namespace palimpsest::testing {
namespace {

using cli::LocalSite;
using cli::SitePage;

SitePage TextPage(const std::string& body) {
  SitePage page;
  page.body = body;
  page.content_type = "text/plain; charset=utf-8";
  return page;
}

TEST(WatchCommandTest, AddListAndRemove) {
  CliArchive a;
  json::value added = a.Json({"watch", "add", "https://news.example/a", "https://news.example/b",
                              "--source", "news", "--json"});
  ASSERT_EQ(Arr(added, "watches").size(), 2u);
  EXPECT_EQ(Str(Arr(added, "watches")[0], "status"), "added");
  // The same again changes nothing; a new schedule is recorded.
  json::value again =
      a.Json({"watch", "add", "https://news.example/a", "--source", "news", "--json"});
  EXPECT_EQ(Str(Arr(again, "watches")[0], "status"), "unchanged");
  a.Ok({"watch", "add", "https://news.example/b", "--every", "15m", "--source", "news"});
  a.Ok({"watch", "add-feed", "https://news.example/feed.xml"});

  json::value list = a.Json({"watch", "list", "--json"});
  const json::array& watches = Arr(list, "watches");
  ASSERT_EQ(watches.size(), 3u);
  EXPECT_EQ(Int(list, "overdue"), 0);
  int feeds = 0;
  for (const json::value& w : watches) {
    EXPECT_TRUE(IsNull(w, "last_check"));
    EXPECT_TRUE(IsNull(w, "last_outcome"));
    EXPECT_FALSE(IsNull(w, "next_check"));
    EXPECT_FALSE(Bool(w, "overdue"));
    if (Str(w, "url") == "https://news.example/b") {
      EXPECT_EQ(Int(w, "every_seconds"), 900);
    }
    if (Str(w, "url") == "https://news.example/a") {
      EXPECT_TRUE(IsNull(w, "every_seconds"));
      EXPECT_EQ(Str(w, "source"), "news");
    }
    if (Str(w, "kind") == "feed") {
      ++feeds;
      EXPECT_EQ(Str(w, "source"), "news.example");  // the host when no --source
    }
  }
  EXPECT_EQ(feeds, 1);
  // The watch list is events in the log.
  EXPECT_EQ(a.LogLength(), 4u);

  a.Ok({"watch", "remove", "https://news.example/a"});
  EXPECT_EQ(Arr(a.Json({"watch", "list", "--json"}), "watches").size(), 2u);
  ExpectOneLineError(a.Run({"watch", "remove", "https://news.example/a"}), 2);
}

TEST(WatchCommandTest, BadUrlsAndDurationsWriteNothing) {
  CliArchive a;
  a.Ok({"watch", "add", "https://news.example/a"});
  const auto before = a.Snapshot();
  ExpectOneLineError(a.Run({"watch", "add", "https://news.example/c", "ftp://news.example/x"}), 1);
  ExpectOneLineError(a.Run({"watch", "add", "not a url"}), 1);
  ExpectOneLineError(a.Run({"watch", "add", "https://news.example/c", "--every", "0s"}), 1);
  ExpectOneLineError(a.Run({"watch", "add", "https://news.example/c", "--every", "5 weeks"}), 1);
  ExpectOneLineError(a.Run({"watch", "run", "--once", "--workers", "0"}), 1);
  ExpectOneLineError(a.Run({"watch", "run", "--once", "--source-interval", "wire"}), 1);
  ExpectOneLineError(a.Run({"watch", "run", "--once", "--source-interval", "wire=2d:1h"}), 1);
  EXPECT_EQ(a.Snapshot(), before);
}

TEST(WatchCommandTest, RunOnceCapturesAndRecordsEveryCheck) {
  LocalSite site;
  site.Set("/story", TextPage(Fixture(kBeforeFixture)));
  CliArchive a;
  const std::string url = site.Url("/story");
  a.Ok({"watch", "add", url, "--source", "local"});
  json::value round = a.Json({"watch", "run", "--once", "--allow-private-addresses", "--json"});
  EXPECT_EQ(Int(round, "checks"), 1);
  EXPECT_EQ(Int(Field(round, "outcomes"), "captured"), 1);

  json::value w = Arr(a.Json({"watch", "list", "--json"}), "watches")[0];
  EXPECT_EQ(Str(w, "last_outcome"), "captured");
  EXPECT_EQ(Int(w, "last_status"), 200);
  const std::string doc = Str(w, "document");
  json::value shown = a.Json({"show", doc, "--json"});
  EXPECT_EQ(Int(shown, "version"), 1);
  // The capture is searchable once run returns (the search index followed it).
  EXPECT_FALSE(Arr(a.Json({"search", "Garrant", "--json"}), "results").empty());

  // A person corrects the article; a check finding the same page again leaves the version.
  a.Ok({"correct", doc, "--note", "Clarified.", "--expect-version", "1"});
  a.Ok({"watch", "run", "--once", "--allow-private-addresses"});  // not due yet: nothing
  EXPECT_EQ(Int(a.Json({"show", doc, "--json"}), "version"), 2);

  // The checks are in the log, as events of the watch's stream.
  int checks = 0;
  for (const json::value& e : ParseJsonLines(a.Ok({"log", "--json"}))) {
    if (Str(e, "kind") == "checked") ++checks;
  }
  EXPECT_EQ(checks, 1);
}

TEST(WatchCommandTest, APrivateAddressIsRefusedWithoutTheFlag) {
  LocalSite site;
  site.Set("/story", TextPage(Fixture(kBeforeFixture)));
  CliArchive a;
  a.Ok({"watch", "add-feed", site.Url("/story")});
  json::value round = a.Json({"watch", "run", "--once", "--json"});
  EXPECT_EQ(Int(Field(round, "outcomes"), "failed"), 1);
  EXPECT_TRUE(site.Requests().empty());
  json::value w = Arr(a.Json({"watch", "list", "--json"}), "watches")[0];
  EXPECT_EQ(Str(w, "last_outcome"), "failed");
  EXPECT_FALSE(IsNull(w, "last_error"));
}

TEST(WatchCommandTest, HooksAreAddedListedDeliveredAndRemoved) {
  LocalSite site;
  site.Set("/story", TextPage(Fixture(kBeforeFixture)));
  site.Set("/hook", TextPage(""));
  CliArchive a;
  ExpectOneLineError(a.Run({"watch", "hook", "add", "mailto:x@example.com"}), 1);
  json::value added = a.Json({"watch", "hook", "add", site.Url("/hook"), "--json"});
  EXPECT_EQ(Str(added, "status"), "added");
  a.Ok({"watch", "add", site.Url("/story")});
  WriteFileOrDie(a.Join("secret"), "s3cret\n");
  json::value round = a.Json({"watch", "run", "--once", "--allow-private-addresses",
                              "--hook-secret-file", a.Join("secret"), "--json"});
  EXPECT_EQ(Int(Field(round, "hooks"), "delivered"), 1);
  json::value hooks = a.Json({"watch", "hook", "list", "--json"});
  ASSERT_EQ(Arr(hooks, "hooks").size(), 1u);
  EXPECT_EQ(Int(Arr(hooks, "hooks")[0], "delivered"), 1);
  EXPECT_EQ(site.RequestCount("/hook"), 1u);
  // Without the secret nothing is delivered.
  ExpectOneLineError(
      a.Run({"watch", "run", "--once", "--hook-secret-file", a.Join("no-such-file")}), 1);
  a.Ok({"watch", "hook", "remove", site.Url("/hook")});
  EXPECT_TRUE(Arr(a.Json({"watch", "hook", "list", "--json"}), "hooks").empty());
  ExpectOneLineError(a.Run({"watch", "hook", "remove", site.Url("/hook")}), 2);
}

TEST(WatchCommandTest, ExportAndRestoreKeepTheWatchesTheirChecksAndHooks) {
  LocalSite site;
  SitePage page = TextPage(Fixture(kBeforeFixture));
  page.etag = "\"v1\"";
  site.Set("/story", page);
  site.Set("/hook", TextPage(""));
  CliArchive a;
  a.Ok({"watch", "add", site.Url("/story"), "--every", "1s"});
  a.Ok({"watch", "hook", "add", site.Url("/hook"), "--skip-cosmetic"});
  WriteFileOrDie(a.Join("secret"), "s3cret\n");
  const std::vector<std::string> run = {
      "watch",         "run", "--once", "--allow-private-addresses", "--hook-secret-file",
      a.Join("secret")};
  a.Ok(run);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  a.Ok(run);  // a 304
  a.Ok({"export", "--out", a.Join("export.jsonl")});
  CliArchive b;
  b.Ok({"restore", a.Join("export.jsonl")});
  EXPECT_EQ(b.Ok({"checkpoint"}), a.Ok({"checkpoint"}));
  // Whether a watch is overdue depends on the moment each list is made (a 1 s watch is overdue
  // 3 s after its due time), not on what was restored: left out of the comparison.
  auto without_overdue = [](json::value list) {
    list.as_object().erase("overdue");
    for (json::value& w : list.as_object()["watches"].as_array()) w.as_object().erase("overdue");
    return list;
  };
  EXPECT_EQ(without_overdue(b.Json({"watch", "list", "--json"})),
            without_overdue(a.Json({"watch", "list", "--json"})));
  EXPECT_EQ(b.Ok({"watch", "hook", "list", "--json"}), a.Ok({"watch", "hook", "list", "--json"}));
  b.Ok({"verify"});
}

// `watch run` until SIGTERM, in its own process.
class WatchRunProcess {
 public:
  WatchRunProcess(const std::string& data, const std::string& log_path) {
    const ExecArgs exec({PALIMPSEST_BINARY, "--data", data, "watch", "run",
                         "--allow-private-addresses", "--host-spacing", "0"});
    pid_ = fork();
    if (pid_ == 0) {
      int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
      }
      exec.Exec();
      _exit(127);
    }
  }
  ~WatchRunProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  // SIGTERM, then the exit code (-1 when it had to be killed after 30 s).
  int Stop() {
    kill(pid_, SIGTERM);
    for (int i = 0; i < 3000; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
};

TEST(WatchCommandTest, RunKeepsCheckingBesideOtherWritersUntilStopped) {
  LocalSite site;
  site.Set("/story", TextPage(Fixture(kBeforeFixture)));
  CliArchive a;
  a.Ok({"watch", "add", site.Url("/story")});
  WatchRunProcess run(a.data(), a.Join("run.log"));
  // Another writer, and a watch added while it runs: both land, the new one gets checked.
  a.IngestFixture(kOtherDocs[0] + ".txt");
  site.Set("/other", TextPage(Fixture(kOtherDocs[1] + ".txt")));
  a.Ok({"watch", "add", site.Url("/other")});
  bool both_captured = false;
  for (int i = 0; i < 300 && !both_captured; ++i) {  // at most 30 s
    json::value list = a.Json({"watch", "list", "--json"});
    both_captured = true;
    for (const json::value& w : Arr(list, "watches")) {
      both_captured =
          both_captured && !IsNull(w, "last_outcome") && Str(w, "last_outcome") == "captured";
    }
    if (!both_captured) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(both_captured) << ReadFileOrDie(a.Join("run.log"));
  EXPECT_EQ(run.Stop(), 0) << ReadFileOrDie(a.Join("run.log"));
  EXPECT_EQ(Arr(a.Json({"list", "--json"}), "documents").size(), 3u);
}

}  // namespace
}  // namespace palimpsest::testing
