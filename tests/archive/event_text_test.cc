// Issue #12 findings 1 and 4 (hostile text): every string of a new event is checked and
// cleaned once, inside Archive::Append — URLs percent-encoded, control characters removed,
// non-UTF-8 text refused with a typed detail — while Restore keeps old events byte for byte.

#include "palimpsest/event_text.h"

#include <gtest/gtest.h>

#include "archive/archive_test_util.h"
#include "codec/extract/html/html_extractor.h"
#include "palimpsest/archive.h"
#include "palimpsest/extractor.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

using namespace std::literals;

std::vector<AppendRequest> One(AppendRequest r) {
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(r));
  return batch;
}

TEST(EventTextTest, UrlsKeepEveryByteButOnlyAsPrintableAscii) {
  EXPECT_EQ(PercentEncodeUrl("https://x.test/a b\r\nSet-Cookie:%41"),
            "https://x.test/a%20b%0D%0ASet-Cookie:%41");
  EXPECT_EQ(PercentEncodeUrl("https://x.test/caf\xE9/\xC3\xA9\x7F"),
            "https://x.test/caf%E9/%C3%A9%7F");
}

TEST(EventTextTest, TextLosesControlsButKeepsTabAndNewline) {
  auto clean = CleanEventText(
      "a\x1B[31mb\tc\r\nd\x00"
      "e\xC2\x9B"
      "f\xC3\xA9"sv,
      "title");
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(*clean,
            "a[31mb\tc\nde"
            "f\xC3\xA9");
  auto bad = CleanEventText("ok\xFF", "source");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().detail(), StatusDetail::kInvalidText);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  for (const char* overlong : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
    EXPECT_FALSE(CleanEventText(overlong, "x").ok()) << overlong;
  }
}

TEST(EventTextTest, OutputHelpersNeverPassInvalidBytesOrControls) {
  EXPECT_EQ(ToValidUtf8("a\xFF"
                        "b\xC3\xA9"),
            "a\xEF\xBF\xBD"
            "b\xC3\xA9");
  // Bad bytes inside and across eight-byte words of ASCII, and a sequence cut off at the end.
  EXPECT_EQ(ToValidUtf8("abcdefg\xFFhijklmnopq\xC3\xA9rstuvwxyz0123\x80\x80"
                        "456789\xE2\x82"),
            "abcdefg\xEF\xBF\xBDhijklmnopq\xC3\xA9rstuvwxyz0123\xEF\xBF\xBD\xEF\xBF\xBD"
            "456789\xEF\xBF\xBD\xEF\xBF\xBD");
  std::string valid(100, 'x');
  valid += "\xE2\x82\xAC";
  valid.append(9, 'y');
  EXPECT_EQ(ToValidUtf8(valid), valid);
  EXPECT_EQ(EscapeForTerminal("a\x1B]0;x\x07\tb\n\xFF\xC2\x9B"),
            "a\\x1B]0;x\\x07\tb\n\\xFF\\xC2\\x9B");
}

TEST(EventTextTest, ExtractedCanonicalUrlIsPercentEncodedByBothEntryPoints) {
  const std::string page =
      "<html><head><link rel=canonical href=\"https://x.test/a&#13;&#10;Set-Cookie: b\">"
      "</head><body><article><h1>A headline here</h1><p>The first paragraph of the story says "
      "enough words to count as article text.</p></article></body></html>";
  auto html = ExtractHtml(page, "text/html", 0, nullptr);
  auto capture = ExtractCapture(page, "text/html", 0, {});
  ASSERT_TRUE(html.ok()) << html.status().message();
  ASSERT_TRUE(capture.ok()) << capture.status().message();
  EXPECT_EQ(html->canonical_url.find_first_of("\r\n "), std::string::npos) << html->canonical_url;
  EXPECT_EQ(html->canonical_url.rfind("https://x.test/a%", 0), 0u) << html->canonical_url;
  EXPECT_TRUE(*html == *capture);
}

class EventTextArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override { archive_ = OpenOrDie(TestOptions(dir_.Join("data"))); }
  ScratchDir dir_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(EventTextArchiveTest, AppendRefusesNonUtf8TextAndWritesNothing) {
  AppendRequest r = Capture("doc-a", ArticleText("alpha"));
  std::get<CapturedEvent>(r.event.body).source = "wire\xFF";
  auto result = archive_->Append(One(std::move(r)));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().detail(), StatusDetail::kInvalidText);
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("source"), std::string::npos);
  EXPECT_EQ(archive_->Head()->seq, 0u);

  AppendRequest note = Capture("doc-b", ArticleText("beta"));
  std::get<CapturedEvent>(note.event.body).fields.push_back({"note", "bad \xC3("});
  EXPECT_EQ(archive_->Append(One(std::move(note))).status().detail(), StatusDetail::kInvalidText);
}

TEST_F(EventTextArchiveTest, AppendCleansTextAndEncodesUrlsOnce) {
  AppendRequest r = Capture("doc-a", ArticleText("alpha"));
  auto& c = std::get<CapturedEvent>(r.event.body);
  c.url = "https://x.test/caf\xE9\r\nLocation: evil";
  c.source = "wi\x1Bre";
  c.fields.push_back({"title", std::string("Ti\x00tle\x07"sv)});
  c.fields.push_back({"canonical_url", "https://x.test/a b"});
  r.event.actor = "cli\x1B[2J";
  const AppendRequest retry = r;
  auto first = archive_->Append(One(std::move(r)));
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto log = archive_->ReadLog(0, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  const auto& stored = std::get<CapturedEvent>(log->front().body);
  EXPECT_EQ(stored.url, "https://x.test/caf%E9%0D%0ALocation:%20evil");
  EXPECT_EQ(stored.source, "wire");
  EXPECT_EQ(stored.fields[0].value, "Title");
  EXPECT_EQ(stored.fields[1].value, "https://x.test/a%20b");
  EXPECT_EQ(log->front().actor, "cli[2J");
  // The same request again is a retry of the cleaned event, not a reused id.
  auto again = archive_->Append(One(retry));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(again->front().duplicate);
}

TEST_F(EventTextArchiveTest, RestoreKeepsOldEventsByteForByte) {
  // An event written before the rules existed (a raw 0xFF source) must restore unchanged,
  // or its hash and every later one would change.
  AppendRequest r = Capture("doc-a", ArticleText("alpha"));
  Event& old = r.event;
  std::get<CapturedEvent>(old.body).source = "wire\x1B\xFF";
  old.seq = 1;
  old.version = 1;
  old.recorded_at = 1'690'000'000'000'000;
  const Digest expected = EventHash(EncodeEvent(old));
  ASSERT_TRUE(archive_->Restore(One(std::move(r)), &expected).ok());
  auto log = archive_->ReadLog(0, 10);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(std::get<CapturedEvent>(log->front().body).source, "wire\x1B\xFF");
}

}  // namespace
}  // namespace palimpsest::testing
