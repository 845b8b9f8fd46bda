// Tests HttpFetcher against LocalSite: responses and validators, conditional requests,
// decoding, redirects, limits, timeouts, the address policy and URL checks, POSTs; LocalSite's
// request log and scripted failures; and ParseRetryAfter.

#include "cli/watch/http_fetcher.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/watch/local_site.h"

namespace palimpsest::cli {
namespace {

// Options for fetching from LocalSite, which listens on loopback.
FetcherOptions LocalOptions() {
  FetcherOptions options;
  options.allow_private_addresses = true;
  return options;
}

std::string LowerCase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

SitePage BodyPage(std::string body) {
  SitePage page;
  page.body = std::move(body);
  return page;
}

TEST(HttpFetcherTest, FetchesBodyAndValidators) {
  LocalSite site;
  SitePage page = BodyPage("<html>story</html>");
  page.etag = "\"v1\"";
  page.last_modified = "Tue, 08 Sep 2020 14:03:00 GMT";
  site.Set("/news/a", page);
  HttpFetcher fetcher(LocalOptions());

  FetchResult r = fetcher.Fetch({site.Url("/news/a"), "", ""});
  ASSERT_EQ(r.failure, FetchFailure::kNone) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<html>story</html>");
  EXPECT_EQ(r.etag, "\"v1\"");
  EXPECT_EQ(r.last_modified, "Tue, 08 Sep 2020 14:03:00 GMT");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.remote_ip, "127.0.0.1");
  EXPECT_EQ(r.wire_bytes, r.body.size());
  EXPECT_TRUE(r.location.empty());
  EXPECT_TRUE(r.error.empty());
  ASSERT_EQ(site.RequestCount("/news/a"), 1u);
  EXPECT_TRUE(site.Requests()[0].if_none_match.empty());
}

TEST(HttpFetcherTest, ErrorStatusIsAResponseNotAFailure) {
  LocalSite site;
  SitePage busy = BodyPage("try later");
  busy.status = 503;
  busy.headers = {{"Retry-After", "120"}};
  site.Set("/busy", busy);
  HttpFetcher fetcher(LocalOptions());

  FetchResult r = fetcher.Fetch({site.Url("/busy"), "", ""});
  ASSERT_EQ(r.failure, FetchFailure::kNone) << r.error;
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, "try later");
  EXPECT_EQ(r.retry_after, "120");

  FetchResult missing = fetcher.Fetch({site.Url("/nowhere?q=1"), "", ""});
  ASSERT_EQ(missing.failure, FetchFailure::kNone) << missing.error;
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(site.RequestCount("/nowhere?q=1"), 1u);
}

TEST(HttpFetcherTest, ConditionalRequestsGet304) {
  LocalSite site;
  SitePage page = BodyPage("<html>story</html>");
  page.etag = "\"v1\"";
  page.last_modified = "Tue, 08 Sep 2020 14:03:00 GMT";
  site.Set("/news/a", page);
  HttpFetcher fetcher(LocalOptions());

  FetchResult by_etag = fetcher.Fetch({site.Url("/news/a"), "\"v1\"", ""});
  ASSERT_EQ(by_etag.failure, FetchFailure::kNone) << by_etag.error;
  EXPECT_EQ(by_etag.status, 304);
  EXPECT_TRUE(by_etag.body.empty());
  EXPECT_EQ(by_etag.etag, "\"v1\"");

  FetchResult by_date = fetcher.Fetch({site.Url("/news/a"), "", page.last_modified});
  ASSERT_EQ(by_date.failure, FetchFailure::kNone) << by_date.error;
  EXPECT_EQ(by_date.status, 304);
  EXPECT_TRUE(by_date.body.empty());

  FetchResult changed = fetcher.Fetch({site.Url("/news/a"), "\"v0\"", ""});
  ASSERT_EQ(changed.failure, FetchFailure::kNone) << changed.error;
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, "<html>story</html>");

  std::vector<SiteRequest> requests = site.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].if_none_match, "\"v1\"");
  EXPECT_EQ(requests[1].if_modified_since, page.last_modified);
  EXPECT_EQ(requests[2].if_none_match, "\"v0\"");
}

TEST(HttpFetcherTest, HeaderValuesWithLineBreaksAreNotSent) {
  LocalSite site;
  site.Set("/a", BodyPage("a"));
  HttpFetcher fetcher(LocalOptions());
  FetchResult r = fetcher.Fetch({site.Url("/a"), "\"x\"\r\nX-Injected: 1", ""});
  ASSERT_EQ(r.failure, FetchFailure::kNone) << r.error;
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(site.Requests().size(), 1u);
  EXPECT_TRUE(site.Requests()[0].if_none_match.empty());
}

TEST(HttpFetcherTest, DecodesGzip) {
  LocalSite site;
  std::string body(20'000, 'x');
  body.append("end");  // (not `string + "end"`: GCC 12 -O2 misreports -Warray-bounds on it)
  SitePage page = BodyPage(body);
  page.gzip = true;
  site.Set("/zipped", page);
  HttpFetcher fetcher(LocalOptions());

  FetchResult r = fetcher.Fetch({site.Url("/zipped"), "", ""});
  ASSERT_EQ(r.failure, FetchFailure::kNone) << r.error;
  EXPECT_EQ(r.body, page.body);
  EXPECT_GT(r.wire_bytes, 0u);
  EXPECT_LT(r.wire_bytes, r.body.size());  // counted before decoding
  ASSERT_EQ(site.Requests().size(), 1u);
  EXPECT_NE(site.Requests()[0].accept_encoding.find("gzip"), std::string::npos);
}

TEST(HttpFetcherTest, RedirectIsReportedNotFollowed) {
  LocalSite site;
  SitePage moved;
  moved.status = 301;
  moved.headers = {{"Location", "../b?x=1"}};
  site.Set("/news/a/", moved);
  SitePage elsewhere;
  elsewhere.status = 302;
  elsewhere.headers = {{"Location", "https://example.org/story"}};
  site.Set("/away", elsewhere);
  site.Set("/news/b?x=1", BodyPage("b"));
  HttpFetcher fetcher(LocalOptions());

  FetchResult r = fetcher.Fetch({site.Url("/news/a/"), "", ""});
  ASSERT_EQ(r.failure, FetchFailure::kNone) << r.error;
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.location, site.Url("/news/b?x=1"));
  EXPECT_EQ(site.RequestCount("/news/b?x=1"), 0u);

  FetchResult away = fetcher.Fetch({site.Url("/away"), "", ""});
  ASSERT_EQ(away.failure, FetchFailure::kNone) << away.error;
  EXPECT_EQ(away.status, 302);
  EXPECT_EQ(away.location, "https://example.org/story");
}

TEST(HttpFetcherTest, SlowAnswerTimesOut) {
  LocalSite site;
  SitePage slow = BodyPage("late");
  slow.delay_ms = 1500;
  site.Set("/slow", slow);
  FetcherOptions options = LocalOptions();
  options.timeout_ms = 300;
  HttpFetcher fetcher(options);

  FetchResult r = fetcher.Fetch({site.Url("/slow"), "", ""});
  EXPECT_EQ(r.failure, FetchFailure::kTimeout) << r.error;
  EXPECT_FALSE(r.error.empty());
  EXPECT_TRUE(r.body.empty());
}

TEST(HttpFetcherTest, BodyOverLimitIsTooLarge) {
  LocalSite site;
  site.Set("/big", BodyPage(std::string(5'000, 'x')));
  FetcherOptions options = LocalOptions();
  options.max_body_bytes = 1'000;
  HttpFetcher fetcher(options);

  FetchResult r = fetcher.Fetch({site.Url("/big"), "", ""});
  EXPECT_EQ(r.failure, FetchFailure::kTooLarge) << r.error;
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.status, 200);
}

TEST(HttpFetcherTest, DecompressedBodyOverLimitIsTooLarge) {
  LocalSite site;
  SitePage bomb = BodyPage(std::string(4 << 20, '\0'));  // a few kB on the wire
  bomb.gzip = true;
  site.Set("/bomb", bomb);
  FetcherOptions options = LocalOptions();
  options.max_body_bytes = 64 << 10;
  HttpFetcher fetcher(options);

  FetchResult r = fetcher.Fetch({site.Url("/bomb"), "", ""});
  EXPECT_EQ(r.failure, FetchFailure::kTooLarge) << r.error;
}

TEST(HttpFetcherTest, WireBytesOverLimitAreTooLarge) {
  LocalSite site;
  site.Set("/sized", BodyPage(std::string(100'000, 'x')));  // with Content-Length
  SitePage chunked = BodyPage(std::string(100'000, 'x'));   // without
  chunked.chunked = true;
  site.Set("/chunked", chunked);
  FetcherOptions options = LocalOptions();
  options.max_wire_bytes = 10'000;
  HttpFetcher fetcher(options);

  FetchResult sized = fetcher.Fetch({site.Url("/sized"), "", ""});
  EXPECT_EQ(sized.failure, FetchFailure::kTooLarge) << sized.error;
  FetchResult streamed = fetcher.Fetch({site.Url("/chunked"), "", ""});
  EXPECT_EQ(streamed.failure, FetchFailure::kTooLarge) << streamed.error;

  options.max_wire_bytes = 100'000;  // exactly the body: allowed
  FetchResult fits = HttpFetcher(options).Fetch({site.Url("/chunked"), "", ""});
  ASSERT_EQ(fits.failure, FetchFailure::kNone) << fits.error;
  EXPECT_EQ(fits.body.size(), 100'000u);
}

TEST(HttpFetcherTest, LoopbackRefusedUnlessAllowed) {
  LocalSite site;
  site.Set("/a", BodyPage("a"));
  std::string port_url = site.Url("/a").substr(std::string("http://127.0.0.1").size());
  HttpFetcher strict{FetcherOptions{}};

  for (std::string host : {"127.0.0.1", "localhost", "2130706433", "[::ffff:127.0.0.1]"}) {
    FetchResult r = strict.Fetch({"http://" + host + port_url, "", ""});
    EXPECT_EQ(r.failure, FetchFailure::kRefusedAddress) << host << ": " << r.error;
    EXPECT_FALSE(r.error.empty());
  }
  EXPECT_EQ(site.Requests().size(), 0u);

  FetchResult allowed = HttpFetcher(LocalOptions()).Fetch({site.Url("/a"), "", ""});
  ASSERT_EQ(allowed.failure, FetchFailure::kNone) << allowed.error;
  EXPECT_EQ(allowed.body, "a");
}

TEST(HttpFetcherTest, RefusesOtherSchemesAndBadUrls) {
  HttpFetcher fetcher{FetcherOptions{}};
  for (const char* url : {"ftp://example.org/file", "file:///etc/passwd", "gopher://x/",
                          "FTP://example.org/", "javascript:alert(1)"}) {
    FetchResult r = fetcher.Fetch({url, "", ""});
    EXPECT_EQ(r.failure, FetchFailure::kUnsupportedScheme) << url << ": " << r.error;
  }
  for (const char* url : {"", "example.org/news", "/news/a", "http://", "http:///news/a",
                          "http:example.org", "https://?q", "http://exa mple.org/"}) {
    FetchResult r = fetcher.Fetch({url, "", ""});
    EXPECT_EQ(r.failure, FetchFailure::kBadUrl) << url << ": " << r.error;
    EXPECT_FALSE(r.error.empty());
  }
}

TEST(HttpFetcherTest, SendsUserAgent) {
  LocalSite site;
  site.Set("/a", BodyPage("a"));
  HttpFetcher default_agent(LocalOptions());
  FetcherOptions custom = LocalOptions();
  custom.user_agent = "test-agent/2\r\nX-Injected: 1";
  HttpFetcher custom_agent(custom);

  ASSERT_EQ(default_agent.Fetch({site.Url("/a"), "", ""}).failure, FetchFailure::kNone);
  ASSERT_EQ(custom_agent.Fetch({site.Url("/a"), "", ""}).failure, FetchFailure::kNone);
  std::vector<SiteRequest> requests = site.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].user_agent, FetcherOptions{}.user_agent);
  EXPECT_EQ(requests[1].user_agent, "test-agent/2X-Injected: 1");
}

TEST(HttpFetcherTest, ConcurrentFetchesAndSlowPagesDoNotBlockOthers) {
  LocalSite site;
  SitePage slow = BodyPage("slow");
  slow.delay_ms = 3'000;
  site.Set("/slow", slow);
  for (int i = 0; i < 4; ++i)
    site.Set("/p" + std::to_string(i), BodyPage("page " + std::to_string(i)));
  const HttpFetcher fetcher(LocalOptions());

  std::atomic<bool> slow_done{false};
  std::thread slow_thread([&] {
    EXPECT_EQ(fetcher.Fetch({site.Url("/slow"), "", ""}).body, "slow");
    slow_done = true;
  });
  while (site.RequestCount("/slow") == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 2; ++k) {
        FetchResult r = fetcher.Fetch({site.Url("/p" + std::to_string(i)), "", ""});
        EXPECT_EQ(r.body, "page " + std::to_string(i)) << r.error;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  // The slow answer was still pending: the site served the others meanwhile (they take
  // milliseconds; a site that blocked on the delay would have answered /slow first).
  EXPECT_FALSE(slow_done);
  slow_thread.join();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(site.RequestCount("/p" + std::to_string(i)), 2u);
}

TEST(HttpFetcherPostTest, DeliversBodyContentTypeAndHeaders) {
  LocalSite site;
  SitePage accepted = BodyPage("ok");
  accepted.status = 202;
  accepted.content_type = "text/plain";
  site.Set("/hook", accepted);
  HttpFetcher fetcher(LocalOptions());

  PostRequest post;
  post.url = site.Url("/hook");
  post.body = R"({"event":"captured","url":"https://example.org/a"})";
  post.headers = {{"Authorization", "Bearer t0ken"},
                  {"X-Palimpsest-Event", "captured"},
                  {"X-Empty", ""},
                  {"X-Split", "a\r\nX-Injected: 1"},
                  {"Bad Name", "v"},
                  {"X-Colon:", "v"},
                  {"", "v"},
                  {"Content-Length", "1"},
                  {"Host", "example.org"},
                  {"Content-Type", "text/evil"}};
  FetchResult r = fetcher.Post(post);
  ASSERT_EQ(r.failure, FetchFailure::kNone) << r.error;
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(r.content_type, "text/plain");
  EXPECT_EQ(r.remote_ip, "127.0.0.1");

  std::vector<SiteRequest> requests = site.Requests();
  ASSERT_EQ(requests.size(), 1u);
  const SiteRequest& got = requests[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/hook");
  EXPECT_EQ(got.body, post.body);
  EXPECT_EQ(got.content_type, "application/json");
  EXPECT_EQ(got.Header("Authorization"), "Bearer t0ken");
  EXPECT_EQ(got.Header("x-palimpsest-event"), "captured");
  EXPECT_EQ(got.Header("content-length"), std::to_string(post.body.size()));
  EXPECT_EQ(got.Header("host"), site.Url("").substr(std::string("http://").size()));
  EXPECT_EQ(got.user_agent, FetcherOptions{}.user_agent);
  int empty = 0, content_types = 0;
  for (const auto& [name, value] : got.headers) {
    EXPECT_EQ(name, LowerCase(name));
    EXPECT_TRUE(name != "x-split" && name != "x-injected" && name != "bad name" &&
                !name.starts_with("x-colon") && name != "expect")
        << name << ": " << value;
    if (name == "x-empty") empty += value.empty() ? 1 : 100;
    if (name == "content-type") ++content_types;
  }
  EXPECT_EQ(empty, 1);
  EXPECT_EQ(content_types, 1);
}

TEST(HttpFetcherPostTest, SendsAnyBytesAndNoContentTypeWhenEmpty) {
  LocalSite site;
  site.Set("/hook", BodyPage(""));
  HttpFetcher fetcher(LocalOptions());

  PostRequest binary;
  binary.url = site.Url("/hook");
  binary.body = std::string("a\0b\r\n\xff", 6);
  binary.content_type = "";
  ASSERT_EQ(fetcher.Post(binary).failure, FetchFailure::kNone);

  PostRequest empty;
  empty.url = site.Url("/hook");
  empty.content_type = "text/plain\r\nX-Injected: 1";  // not sent
  FetchResult r = fetcher.Post(empty);
  ASSERT_EQ(r.failure, FetchFailure::kNone) << r.error;
  EXPECT_EQ(r.status, 200);

  std::vector<SiteRequest> requests = site.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].body, binary.body);
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].body, "");
  EXPECT_EQ(requests[1].Header("content-length"), "0");
  for (const SiteRequest& request : requests) {
    EXPECT_EQ(request.content_type, "");
    for (const auto& [name, value] : request.headers) {
      EXPECT_NE(name, "content-type") << value;
      EXPECT_NE(name, "x-injected") << value;
    }
  }
}

// Past a MiB, curl would ask "Expect: 100-continue" and wait for the answer.
TEST(HttpFetcherPostTest, LargeBodyIsSentWithoutExpect) {
  LocalSite site;
  site.Set("/hook", BodyPage("ok"));
  HttpFetcher fetcher(LocalOptions());
  PostRequest post;
  post.url = site.Url("/hook");
  for (int i = 0; post.body.size() < (3u << 20); ++i) post.body += std::to_string(i) + ",";

  FetchResult r = fetcher.Post(post);
  ASSERT_EQ(r.failure, FetchFailure::kNone) << r.error;
  EXPECT_EQ(r.body, "ok");
  std::vector<SiteRequest> requests = site.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(requests[0].body == post.body) << requests[0].body.size();
  EXPECT_EQ(requests[0].Header("expect"), "");
}

TEST(HttpFetcherPostTest, LoopbackRefusedUnlessAllowed) {
  LocalSite site;
  site.Set("/hook", BodyPage("ok"));
  PostRequest post;
  post.url = site.Url("/hook");
  post.body = "{}";

  FetchResult refused = HttpFetcher(FetcherOptions{}).Post(post);
  EXPECT_EQ(refused.failure, FetchFailure::kRefusedAddress) << refused.error;
  EXPECT_NE(refused.error.find("127.0.0.1"), std::string::npos) << refused.error;
  EXPECT_EQ(site.Requests().size(), 0u);

  FetchResult allowed = HttpFetcher(LocalOptions()).Post(post);
  ASSERT_EQ(allowed.failure, FetchFailure::kNone) << allowed.error;
  EXPECT_EQ(allowed.body, "ok");
  EXPECT_EQ(site.RequestCount("/hook"), 1u);
}

TEST(HttpFetcherPostTest, RefusesOtherSchemesAndBadUrls) {
  HttpFetcher fetcher{FetcherOptions{}};
  PostRequest post;
  post.body = "{}";
  for (const char* url : {"ftp://example.org/hook", "file:///tmp/hook", "javascript:x"}) {
    post.url = url;
    EXPECT_EQ(fetcher.Post(post).failure, FetchFailure::kUnsupportedScheme) << url;
  }
  for (const char* url : {"", "/hook", "http:///hook", "http:example.org"}) {
    post.url = url;
    EXPECT_EQ(fetcher.Post(post).failure, FetchFailure::kBadUrl) << url;
  }
}

TEST(HttpFetcherPostTest, RedirectIsReturnedNotFollowed) {
  LocalSite site;
  for (int status : {301, 302, 303, 307, 308}) {
    SitePage moved;
    moved.status = status;
    moved.headers = {{"Location", "/elsewhere"}};
    site.Set("/hook" + std::to_string(status), moved);
  }
  site.Set("/elsewhere", BodyPage("elsewhere"));
  HttpFetcher fetcher(LocalOptions());

  for (int status : {301, 302, 303, 307, 308}) {
    PostRequest post;
    post.url = site.Url("/hook" + std::to_string(status));
    post.body = "{}";
    FetchResult r = fetcher.Post(post);
    ASSERT_EQ(r.failure, FetchFailure::kNone) << status << ": " << r.error;
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(r.location, site.Url("/elsewhere"));
    EXPECT_EQ(r.body, "");
  }
  EXPECT_EQ(site.RequestCount("/elsewhere"), 0u);
  for (const SiteRequest& request : site.Requests()) EXPECT_EQ(request.method, "POST");
}

TEST(HttpFetcherPostTest, ResponseBodyOverLimitIsTooLarge) {
  LocalSite site;
  site.Set("/hook", BodyPage(std::string(5'000, 'x')));
  FetcherOptions options = LocalOptions();
  options.max_body_bytes = 1'000;
  PostRequest post;
  post.url = site.Url("/hook");
  FetchResult r = HttpFetcher(options).Post(post);
  EXPECT_EQ(r.failure, FetchFailure::kTooLarge) << r.error;
  EXPECT_TRUE(r.body.empty());
}

TEST(LocalSiteTest, FailsTheFirstRequestsThenServesThePage) {
  LocalSite site;
  SitePage flaky = BodyPage("ok");
  flaky.etag = "\"v1\"";
  flaky.headers = {{"X-Page", "1"}};
  flaky.fail_times = 1;
  site.Set("/hook", flaky);
  HttpFetcher fetcher(LocalOptions());
  PostRequest post;
  post.url = site.Url("/hook");
  post.body = "{}";

  FetchResult first = fetcher.Post(post);
  ASSERT_EQ(first.failure, FetchFailure::kNone) << first.error;
  EXPECT_EQ(first.status, 500);
  EXPECT_EQ(first.body, "");
  EXPECT_EQ(first.etag, "");
  FetchResult second = fetcher.Post(post);
  ASSERT_EQ(second.failure, FetchFailure::kNone) << second.error;
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "ok");
  EXPECT_EQ(second.etag, "\"v1\"");
  EXPECT_EQ(site.RequestCount("/hook"), 2u);

  // Counted per target, whatever the method; Set starts the count again.
  SitePage busy = BodyPage("page");
  busy.fail_times = 2;
  busy.fail_status = 503;
  site.Set("/page", busy);
  EXPECT_EQ(fetcher.Fetch({site.Url("/page"), "", ""}).status, 503);
  EXPECT_EQ(fetcher.Fetch({site.Url("/hook"), "", ""}).status, 200);
  EXPECT_EQ(fetcher.Fetch({site.Url("/page"), "", ""}).status, 503);
  EXPECT_EQ(fetcher.Fetch({site.Url("/page"), "", ""}).body, "page");
  site.Set("/page", busy);
  EXPECT_EQ(fetcher.Fetch({site.Url("/page"), "", ""}).status, 503);
  std::vector<SiteRequest> requests = site.Requests();
  ASSERT_EQ(requests.size(), 7u);
  EXPECT_EQ(requests[2].method, "GET");
  EXPECT_EQ(requests[2].body, "");
}

TEST(LocalSiteTest, RefusesBodiesOverItsLimit) {
  LocalSite site;
  site.Set("/hook", BodyPage("ok"));
  PostRequest post;
  post.url = site.Url("/hook");
  post.body = std::string(kSiteMaxRequestBody + 1, 'x');
  FetchResult r = HttpFetcher(LocalOptions()).Post(post);
  // The site answers 413 and closes the connection, possibly while curl is still sending.
  EXPECT_TRUE(r.status == 413 || r.failure == FetchFailure::kNetwork) << r.status << " " << r.error;
  EXPECT_EQ(site.Requests().size(), 0u);

  post.body.pop_back();  // exactly the limit: read
  FetchResult fits = HttpFetcher(LocalOptions()).Post(post);
  ASSERT_EQ(fits.failure, FetchFailure::kNone) << fits.error;
  EXPECT_EQ(fits.status, 200);
  ASSERT_EQ(site.Requests().size(), 1u);
  EXPECT_EQ(site.Requests()[0].body.size(), kSiteMaxRequestBody);
}

TEST(LocalSiteTest, RemovedPageAnswers404) {
  LocalSite site;
  site.Set("/a", BodyPage("a"));
  HttpFetcher fetcher(LocalOptions());
  EXPECT_EQ(fetcher.Fetch({site.Url("/a"), "", ""}).status, 200);
  site.Remove("/a");
  EXPECT_EQ(fetcher.Fetch({site.Url("/a"), "", ""}).status, 404);
  EXPECT_EQ(site.RequestCount("/a"), 2u);
}

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};

// HttpFetcher never reuses connections; a bare curl handle does.
TEST(LocalSiteTest, ServesSeveralRequestsOnOneConnection) {
  LocalSite site;
  site.Set("/a", BodyPage("a"));
  HttpFetcher init_curl(LocalOptions());
  std::unique_ptr<CURL, CurlEasyDeleter> easy(curl_easy_init());
  ASSERT_NE(easy, nullptr);
  std::string url = site.Url("/a");
  ASSERT_EQ(curl_easy_setopt(easy.get(), CURLOPT_URL, url.c_str()), CURLE_OK);
  ASSERT_EQ(curl_easy_setopt(easy.get(), CURLOPT_PROXY, ""), CURLE_OK);
  using WriteFunction = size_t (*)(char*, size_t, size_t, void*);
  WriteFunction discard = [](char*, size_t size, size_t count, void*) { return size * count; };
  ASSERT_EQ(curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, discard), CURLE_OK);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(curl_easy_perform(easy.get()), CURLE_OK);
    long connects = -1;
    ASSERT_EQ(curl_easy_getinfo(easy.get(), CURLINFO_NUM_CONNECTS, &connects), CURLE_OK);
    EXPECT_EQ(connects, i == 0 ? 1 : 0) << "request " << i;
  }
  EXPECT_EQ(site.RequestCount("/a"), 3u);
}

// 2020-09-08T14:03:00Z, a Tuesday.
constexpr Timestamp kNow = 1'599'573'780 * kMicrosPerSecond;

TEST(ParseRetryAfterTest, DeltaSeconds) {
  EXPECT_EQ(ParseRetryAfter("120", kNow), 120);
  EXPECT_EQ(ParseRetryAfter(" 60 ", kNow), 60);
  EXPECT_EQ(ParseRetryAfter("0", kNow), 0);
  EXPECT_EQ(ParseRetryAfter("604800", kNow), 604'800);
  EXPECT_EQ(ParseRetryAfter("604801", kNow), 604'800);  // capped at 7 days
  EXPECT_EQ(ParseRetryAfter("99999999999999999999999", kNow), 604'800);
}

TEST(ParseRetryAfterTest, HttpDates) {
  EXPECT_EQ(ParseRetryAfter("Tue, 08 Sep 2020 14:04:30 GMT", kNow), 90);
  EXPECT_EQ(ParseRetryAfter("Tuesday, 08-Sep-20 14:05:00 GMT", kNow), 120);
  EXPECT_EQ(ParseRetryAfter("Tue Sep  8 14:03:10 2020", kNow), 10);
  EXPECT_EQ(ParseRetryAfter("tue, 08 sep 2020 14:03:00 gmt", kNow), 0);
  EXPECT_EQ(ParseRetryAfter("Tue, 08 Sep 2020 14:03:01 GMT", kNow + 500'000), 1);  // rounded up
  EXPECT_EQ(ParseRetryAfter("Wed, 08 Sep 2021 14:03:00 GMT", kNow), 604'800);      // capped
}

TEST(ParseRetryAfterTest, RefusesGarbageAndThePast) {
  for (const char* value : {"", "soon", "-5", "1.5", "12abc", "Tue, 08 Sep 2020 14:02:00 GMT",
                            "Tue, 08 Sep 2020 14:04:30 UTC", "Tue, 31 Feb 2020 14:04:30 GMT",
                            "Tue, 08 Sep 2020 25:04:30 GMT", "Tue, 8 Sep 2020 14:04:30 GMT",
                            "Tue, 08 Sep 2020 14:04:30 GMT junk", "2020-09-08T14:04:30Z"}) {
    EXPECT_EQ(ParseRetryAfter(value, kNow), std::nullopt) << value;
  }
}

TEST(HttpFetcherTest, FailureNames) {
  EXPECT_STREQ(FetchFailureName(FetchFailure::kNone), "none");
  EXPECT_STREQ(FetchFailureName(FetchFailure::kBadUrl), "bad_url");
  EXPECT_STREQ(FetchFailureName(FetchFailure::kUnsupportedScheme), "unsupported_scheme");
  EXPECT_STREQ(FetchFailureName(FetchFailure::kRefusedAddress), "refused_address");
  EXPECT_STREQ(FetchFailureName(FetchFailure::kTooLarge), "too_large");
  EXPECT_STREQ(FetchFailureName(FetchFailure::kNetwork), "network");
}

}  // namespace
}  // namespace palimpsest::cli
