// The watch scheduler against a local site whose pages change over simulated time (the clock is
// injected through WatchClock): what each check records, that checks finding nothing new leave
// an article's version alone, conditional requests, robots.txt, redirects, feeds, failures and
// the schedule they lead to.

#include "cli/watch/watcher.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cli/watch/local_site.h"
#include "palimpsest/archive.h"
#include "test_util.h"

namespace palimpsest::cli {
namespace {

using testing::Fixture;
using testing::ScratchDir;

constexpr Timestamp kStart = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr Timestamp kSecond = kMicrosPerSecond;
constexpr Timestamp kMinute = 60 * kSecond;
constexpr Timestamp kHour = 60 * kMinute;

// A clock that only moves when told to (or when the watcher waits for a host's pacing).
class SimulatedClock {
 public:
  WatchClock Clock() {
    WatchClock c;
    c.now = [this] {
      std::lock_guard<std::mutex> lock(mu_);
      return now_;
    };
    c.sleep_until = [this](Timestamp t) {
      std::lock_guard<std::mutex> lock(mu_);
      now_ = std::max(now_, t);
    };
    return c;
  }
  void Advance(Timestamp by) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += by;
  }
  Timestamp Now() {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }

 private:
  std::mutex mu_;
  Timestamp now_ = kStart;
};

SitePage TextPage(std::string body) {
  SitePage page;
  page.body = std::move(body);
  page.content_type = "text/plain; charset=utf-8";
  return page;
}

class WatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Options options;
    options.data_dir = dir_.Join("data");
    options.durability = Durability::kNoSync;
    options.clock = [this] { return clock_.Now(); };
    auto opened = Archive::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    archive_ = std::move(opened).value();
    WatcherOptions w;
    w.fetch.allow_private_addresses = true;
    w.fetch.timeout_ms = 2'000;
    w.workers = 1;
    w.host_spacing_seconds = 2;
    watcher_options_ = w;
  }

  Watcher& watcher() {
    if (!watcher_)
      watcher_ = std::make_unique<Watcher>(*archive_, watcher_options_, clock_.Clock());
    return *watcher_;
  }

  void Watch(const std::string& url, WatchKind kind = WatchKind::kPage, int64_t every = 0) {
    AppendRequest r;
    r.event.doc_id = WatchStreamId(url);
    r.event.id = DeriveEventId({"test-watch", url, std::to_string(clock_.Now())});
    r.event.actor = "test";
    r.event.body = WatchedEvent{url, kind, every, "local", ""};
    std::vector<AppendRequest> one;
    one.push_back(std::move(r));
    ASSERT_TRUE(archive_->Append(std::move(one)).ok());
  }

  WatchRound Round() {
    auto round = watcher().RunDue();
    EXPECT_TRUE(round.ok()) << round.status().message();
    return round.ok() ? *round : WatchRound{};
  }

  WatchInfo Info(const std::string& url) {
    auto w = archive_->GetWatch(url);
    EXPECT_TRUE(w.ok()) << w.status().message();
    return w.ok() ? *w : WatchInfo{};
  }

  uint64_t Version(const std::string& doc) {
    auto v = archive_->StreamVersion(doc);
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : 0;
  }

  // The checks recorded in the watch's stream, oldest first.
  std::vector<CheckedEvent> Checks(const std::string& url) {
    std::vector<CheckedEvent> out;
    auto stream = archive_->ReadStream(WatchStreamId(url));
    if (!stream.ok()) return out;
    for (const Event& e : *stream) {
      if (const auto* c = std::get_if<CheckedEvent>(&e.body)) out.push_back(*c);
    }
    return out;
  }

  ScratchDir dir_;
  SimulatedClock clock_;
  LocalSite site_;
  std::unique_ptr<Archive> archive_;
  WatcherOptions watcher_options_;
  std::unique_ptr<Watcher> watcher_;
};

TEST_F(WatcherTest, ACorrectionIsCapturedAndChecksWithoutNewTextLeaveTheVersionAlone) {
  site_.Set("/story", TextPage(Fixture("001_c82fb13b72988b3d.before-correction.txt")));
  const std::string url = site_.Url("/story");
  Watch(url);
  EXPECT_EQ(Round().outcomes[CheckOutcome::kCaptured], 1u);
  const std::string doc = Info(url).document;
  ASSERT_FALSE(doc.empty());
  auto version = archive_->StreamVersion(doc);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 1u);

  // Nothing changed: recorded in the watch's stream only.
  clock_.Advance(kHour);
  EXPECT_EQ(Round().outcomes[CheckOutcome::kUnchanged], 1u);
  EXPECT_EQ(Version(doc), 1u);

  // The publisher adds an Editor's Note: a correction revision.
  site_.Set("/story", TextPage(Fixture("001_c82fb13b72988b3d.txt")));
  clock_.Advance(kHour);
  EXPECT_EQ(Round().outcomes[CheckOutcome::kCaptured], 1u);
  auto history = archive_->History(doc);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->back().kind, "correction");
  EXPECT_FALSE(history->back().note.empty());
  const std::vector<CheckedEvent> checks = Checks(url);
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[2].document, doc);
  EXPECT_NE(checks[2].capture_seq, 0u);
  EXPECT_EQ(Info(url).captures, 2u);
}

TEST_F(WatcherTest, AStealthEditIsARevisionWithoutANote) {
  const std::string text = Fixture("002_7e22955fd7e20ed8.txt");
  site_.Set("/quiet", TextPage(text));
  Watch(site_.Url("/quiet"));
  Round();
  std::string edited = text;
  const size_t at = edited.find(". ", edited.size() / 2);
  ASSERT_NE(at, std::string::npos);
  edited.insert(at, " and quietly more");
  site_.Set("/quiet", TextPage(edited));
  clock_.Advance(kHour);
  EXPECT_EQ(Round().outcomes[CheckOutcome::kCaptured], 1u);
  auto history = archive_->History(Info(site_.Url("/quiet")).document);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_TRUE(history->back().stealth);
}

TEST_F(WatcherTest, AnEtagMakesTheNextCheckConditionalAndA304IsRecorded) {
  SitePage page = TextPage(Fixture("003_bc5277d4b9ff88ba.txt"));
  page.etag = "\"v1\"";
  site_.Set("/etag", page);
  const std::string url = site_.Url("/etag");
  Watch(url);
  Round();
  clock_.Advance(kHour);
  EXPECT_EQ(Round().outcomes[CheckOutcome::kNotModified], 1u);
  const auto requests = site_.Requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.back().if_none_match, "\"v1\"");
  const WatchInfo w = Info(url);
  EXPECT_EQ(w.not_modified, 1u);
  EXPECT_EQ(w.last_status, 304);
  EXPECT_EQ(Version(w.document), 1u);
}

TEST_F(WatcherTest, FailuresAreRecordedAndScheduleRetries) {
  SitePage slow = TextPage("slow");
  slow.delay_ms = 4'000;  // past the 2 s timeout
  site_.Set("/slow", slow);
  SitePage busy = TextPage("busy");
  busy.status = 503;
  busy.headers = {{"Retry-After", "7200"}};
  site_.Set("/busy", busy);
  SitePage gone = TextPage("gone");
  gone.status = 410;
  site_.Set("/gone", gone);
  for (const char* t : {"/slow", "/busy", "/gone"}) Watch(site_.Url(t));
  const WatchRound round = Round();
  EXPECT_EQ(round.outcomes.at(CheckOutcome::kFailed), 2u);
  EXPECT_EQ(round.outcomes.at(CheckOutcome::kGone), 1u);

  const WatchInfo s = Info(site_.Url("/slow"));
  EXPECT_EQ(s.last_outcome, CheckOutcome::kFailed);
  EXPECT_EQ(s.last_status, 0);
  EXPECT_FALSE(s.last_error.empty());
  const SchedulePolicy policy = watcher_options_.schedule;
  // Retried after the first backoff step (with jitter).
  EXPECT_LE(NextCheckAt(s, clock_.Now(), policy),
            s.last_check_at + 2 * policy.retry_base_seconds * kSecond);

  const WatchInfo b = Info(site_.Url("/busy"));
  EXPECT_EQ(b.last_status, 503);
  EXPECT_EQ(b.retry_after_seconds, 7200);
  EXPECT_GE(NextCheckAt(b, clock_.Now(), policy), b.last_check_at + 7200 * kSecond);

  const WatchInfo g = Info(site_.Url("/gone"));
  EXPECT_EQ(g.last_status, 410);
  EXPECT_GE(NextCheckAt(g, clock_.Now(), policy),
            g.last_check_at + policy.max_interval_seconds * 9 / 10 * kSecond);
}

TEST_F(WatcherTest, RobotsTxtIsHonouredAndItsPagesNeverFetched) {
  site_.Set("/robots.txt", TextPage("User-agent: *\nDisallow: /private/\n"));
  site_.Set("/private/page", TextPage(Fixture("004_52689c8dd169f3e3.txt")));
  Watch(site_.Url("/private/page"));
  EXPECT_EQ(Round().outcomes[CheckOutcome::kRobotsDisallowed], 1u);
  EXPECT_EQ(site_.RequestCount("/private/page"), 0u);
  EXPECT_EQ(site_.RequestCount("/robots.txt"), 1u);
}

TEST_F(WatcherTest, ARedirectIsFollowedAndRecordedAsTheArticlesAddress) {
  SitePage moved;
  moved.status = 301;
  moved.headers = {{"Location", "/new-home"}};
  site_.Set("/old-home", moved);
  site_.Set("/new-home", TextPage(Fixture("000_99c9495df02aabac.txt")));
  const std::string url = site_.Url("/old-home");
  Watch(url);
  EXPECT_EQ(Round().outcomes[CheckOutcome::kCaptured], 1u);
  const WatchInfo w = Info(url);
  EXPECT_EQ(w.final_url, site_.Url("/new-home"));
  auto by_old = archive_->FindDocumentByUrl(url);
  auto by_new = archive_->FindDocumentByUrl(site_.Url("/new-home"));
  ASSERT_TRUE(by_old.ok());
  ASSERT_TRUE(by_new.ok());
  EXPECT_EQ(*by_old, *by_new);
}

TEST_F(WatcherTest, AFeedAnnouncesNewArticlesWhichAreWatchedYoung) {
  site_.Set("/a", TextPage(Fixture("000_99c9495df02aabac.txt")));
  site_.Set("/b", TextPage(Fixture("002_7e22955fd7e20ed8.txt")));
  SitePage feed;
  feed.content_type = "application/rss+xml";
  feed.body =
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>"
      "<item><title>A</title><link>/a</link></item></channel></rss>";
  site_.Set("/feed.xml", feed);
  const std::string feed_url = site_.Url("/feed.xml");
  Watch(feed_url, WatchKind::kFeed);
  WatchRound round = Round();
  EXPECT_EQ(round.outcomes[CheckOutcome::kFeedRead], 1u);
  EXPECT_EQ(round.new_links, 1u);
  const WatchInfo a = Info(site_.Url("/a"));
  EXPECT_EQ(a.discovered_via, feed_url);
  EXPECT_EQ(a.source, "local");

  feed.body =
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>"
      "<item><link>/b</link></item><item><link>/a</link></item></channel></rss>";
  site_.Set("/feed.xml", feed);
  clock_.Advance(kHour);
  round = Round();
  EXPECT_EQ(round.new_links, 1u);  // only /b is new
  EXPECT_TRUE(archive_->GetWatch(site_.Url("/b")).ok());
  // The new article's first check captures it, and it is young: rechecked within minutes.
  clock_.Advance(kMinute);
  Round();
  const WatchInfo b = Info(site_.Url("/b"));
  EXPECT_EQ(b.captures, 1u);
  EXPECT_LE(NextCheckAt(b, clock_.Now(), watcher_options_.schedule),
            b.last_check_at + 10 * kMinute);
}

TEST_F(WatcherTest, RequestsToOneHostAreSpacedOut) {
  site_.Set("/one", TextPage(Fixture("000_99c9495df02aabac.txt")));
  site_.Set("/two", TextPage(Fixture("002_7e22955fd7e20ed8.txt")));
  site_.Set("/three", TextPage(Fixture("003_bc5277d4b9ff88ba.txt")));
  for (const char* t : {"/one", "/two", "/three"}) Watch(site_.Url(t));
  EXPECT_EQ(Round().checks, 3u);
  std::vector<Timestamp> at;
  for (const char* t : {"/one", "/two", "/three"}) at.push_back(Info(site_.Url(t)).last_check_at);
  std::sort(at.begin(), at.end());
  EXPECT_GE(at[1] - at[0], 2 * kSecond);
  EXPECT_GE(at[2] - at[1], 2 * kSecond);
}

TEST_F(WatcherTest, AWebhookGetsEachChangeSignedAndIsRetriedAfterAFailure) {
  watcher_options_.hooks.secret = "s3cret";
  LocalSite receiver;
  SitePage answer = TextPage("");
  answer.fail_times = 1;  // the first delivery fails
  receiver.Set("/hook", answer);
  const std::string hook_url = receiver.Url("/hook");
  AppendRequest hook;
  hook.event.doc_id = HookStreamId(hook_url);
  hook.event.id = DeriveEventId({"test-hook", hook_url});
  hook.event.body = HookAddedEvent{hook_url, "", false};
  std::vector<AppendRequest> one;
  one.push_back(std::move(hook));
  ASSERT_TRUE(archive_->Append(std::move(one)).ok());
  site_.Set("/story", TextPage(Fixture("001_c82fb13b72988b3d.before-correction.txt")));
  Watch(site_.Url("/story"));

  WatchRound round = Round();  // captured; the delivery fails
  EXPECT_EQ(round.deliveries.failed, 1u);
  auto hooks = archive_->Hooks();
  ASSERT_TRUE(hooks.ok());
  ASSERT_EQ(hooks->size(), 1u);
  EXPECT_EQ(hooks->front().attempts, 1u);
  EXPECT_EQ(hooks->front().last_status, 500);
  EXPECT_EQ(Round().deliveries.failed + Round().deliveries.delivered, 0u);  // backing off
  EXPECT_EQ(receiver.RequestCount("/hook"), 1u);
  clock_.Advance(10 * kSecond);
  EXPECT_EQ(Round().deliveries.delivered, 1u);

  // The correction goes out with its diff, signed.
  site_.Set("/story", TextPage(Fixture("001_c82fb13b72988b3d.txt")));
  clock_.Advance(kHour);
  round = Round();
  EXPECT_EQ(round.outcomes[CheckOutcome::kCaptured], 1u);
  EXPECT_EQ(round.deliveries.delivered, 1u);
  const std::vector<SiteRequest> got = receiver.Requests();
  ASSERT_EQ(got.size(), 3u);
  const SiteRequest& last = got.back();
  EXPECT_EQ(last.method, "POST");
  EXPECT_EQ(last.content_type, "application/json");
  boost::json::value body = boost::json::parse(last.body);
  EXPECT_EQ(body.at("type").as_string(), "palimpsest.change");
  EXPECT_EQ(body.at("rev").as_int64(), 2);
  EXPECT_EQ(body.at("kind").as_string(), "correction");
  EXPECT_NE(std::string(body.at("diff").as_string()).find("{+"), std::string::npos);
  std::string signature;
  for (const auto& [name, value] : last.headers) {
    if (name == "x-palimpsest-signature") signature = value;
  }
  ASSERT_EQ(signature.rfind("t=", 0), 0u) << signature;
  const int64_t t = std::stoll(signature.substr(2, signature.find(',') - 2));
  EXPECT_EQ(signature, SignDelivery("s3cret", t, last.body));

  // Every attempt is in the hook's stream.
  auto stream = archive_->ReadStream(HookStreamId(hook_url));
  ASSERT_TRUE(stream.ok());
  std::vector<DeliveryOutcome> outcomes;
  for (const Event& e : *stream) {
    if (const auto* d = std::get_if<DeliveredEvent>(&e.body)) outcomes.push_back(d->outcome);
  }
  EXPECT_EQ(outcomes,
            (std::vector<DeliveryOutcome>{DeliveryOutcome::kFailed, DeliveryOutcome::kDelivered,
                                          DeliveryOutcome::kDelivered}));
}

TEST_F(WatcherTest, HostsAreCheckedInParallel) {
  watcher_options_.workers = 3;
  LocalSite other;
  LocalSite third;
  site_.Set("/a", TextPage(Fixture("000_99c9495df02aabac.txt")));
  site_.Set("/b", TextPage(Fixture("002_7e22955fd7e20ed8.txt")));
  other.Set("/c", TextPage(Fixture("003_bc5277d4b9ff88ba.txt")));
  third.Set("/d", TextPage(Fixture("004_52689c8dd169f3e3.txt")));
  for (const std::string& url :
       {site_.Url("/a"), site_.Url("/b"), other.Url("/c"), third.Url("/d")}) {
    Watch(url);
  }
  const WatchRound round = Round();
  EXPECT_EQ(round.checks, 4u);
  EXPECT_EQ(round.outcomes.at(CheckOutcome::kCaptured), 4u);
  auto docs = archive_->ListDocuments(ListFilter{});
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ(docs->size(), 4u);
}

TEST_F(WatcherTest, PrivateAddressesAreRefusedUnlessAllowed) {
  watcher_options_.fetch.allow_private_addresses = false;
  site_.Set("/feed.xml", TextPage("<rss version=\"2.0\"><channel></channel></rss>"));
  Watch(site_.Url("/feed.xml"), WatchKind::kFeed);
  EXPECT_EQ(Round().outcomes[CheckOutcome::kFailed], 1u);
  EXPECT_EQ(site_.Requests().size(), 0u);
  const WatchInfo w = Info(site_.Url("/feed.xml"));
  EXPECT_EQ(w.last_outcome, CheckOutcome::kFailed);
}

TEST_F(WatcherTest, TheAdaptiveIntervalGrowsWhileAPageStaysQuiet) {
  site_.Set("/calm", TextPage(Fixture("004_52689c8dd169f3e3.txt")));
  const std::string url = site_.Url("/calm");
  Watch(url);
  const SchedulePolicy policy = watcher_options_.schedule;
  std::vector<int64_t> intervals;
  for (int i = 0; i < 6; ++i) {
    const WatchInfo before = Info(url);
    clock_.Advance(
        std::max<Timestamp>(NextCheckAt(before, clock_.Now(), policy) - clock_.Now(), 0));
    EXPECT_EQ(Round().checks, 1u);
    intervals.push_back(WatchInterval(Info(url), clock_.Now(), policy));
  }
  EXPECT_EQ(intervals.front(), policy.min_interval_seconds);
  for (size_t i = 1; i < intervals.size(); ++i) EXPECT_GE(intervals[i], intervals[i - 1]);
  // Quiet for days: checked every few hours at least, every week at most.
  clock_.Advance(30 * 24 * kHour);
  Round();
  const int64_t month = WatchInterval(Info(url), clock_.Now(), policy);
  EXPECT_GT(month, 24 * 3600);
  EXPECT_LE(month, policy.max_interval_seconds);
}

TEST(ScheduleTest, ASourcesBoundsReplaceTheGlobalOnes) {
  SchedulePolicy policy;
  policy.source_bounds["slow"] = {3600, 2 * 86400};
  WatchInfo w;
  w.id = "watch:000000000000000000000000";
  w.added_at = kStart;
  w.last_change_at = kStart;
  w.last_check_at = kStart + 10 * kMinute;  // quiet 10 minutes: a minute by the rule
  EXPECT_EQ(WatchInterval(w, w.last_check_at, policy), policy.min_interval_seconds);
  w.source = "slow";
  EXPECT_EQ(WatchInterval(w, w.last_check_at, policy), 3600);
  w.last_check_at = kStart + 90 * 24 * kHour;  // quiet 90 days: 9 days by the rule
  EXPECT_EQ(WatchInterval(w, w.last_check_at, policy), 2 * 86400);
  w.every_seconds = 60;  // a fixed schedule is kept as given
  EXPECT_EQ(WatchInterval(w, w.last_check_at, policy), 60);
}

TEST_F(WatcherTest, AWatchNotCheckedForThreeIntervalsIsOverdue) {
  site_.Set("/late", TextPage(Fixture("000_99c9495df02aabac.txt")));
  const std::string url = site_.Url("/late");
  Watch(url, WatchKind::kPage, 600);
  Round();
  const SchedulePolicy policy = watcher_options_.schedule;
  EXPECT_FALSE(IsOverdue(Info(url), clock_.Now() + 10 * kMinute, policy));
  EXPECT_FALSE(IsOverdue(Info(url), clock_.Now() + 30 * kMinute, policy));
  EXPECT_TRUE(IsOverdue(Info(url), clock_.Now() + 41 * kMinute, policy));
}

}  // namespace
}  // namespace palimpsest::cli
