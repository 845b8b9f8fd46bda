#include <gtest/gtest.h>

#include "palimpsest/event.h"

namespace palimpsest {
namespace {

Event SampleCapture() {
  Event e;
  e.seq = 7;
  e.id = DeriveEventId({"captured", "doc-1"});
  e.doc_id = "doc-1";
  e.version = 3;
  e.recorded_at = 1'700'000'000'000'000;
  e.effective_at = kNoTime;
  e.actor = "cli:test";
  e.correlation_id = "batch-1";
  e.prev_hash = Sha256("previous");
  CapturedEvent c;
  c.raw = {Sha256("raw bytes"), 9};
  c.media_type = "text/plain";
  c.url = "https://example.com/a";
  c.captured_at = 1'690'000'000'000'000;
  c.source = "example";
  c.fields = {{"title", "A title"}, {"byline", "Someone"}};
  e.body = c;
  return e;
}

TEST(EventCodecTest, RoundTripsEveryKind) {
  std::vector<Event> events(9, SampleCapture());
  events[1].body = ObservedEvent{{Sha256("x"), 1}, 5, "u", "s"};
  events[2].body = CorrectedEvent{CorrectionKind::kClarification, "note", true, {Sha256("t"), 1}};
  events[3].body = RetractedEvent{"withdrawn"};
  events[4].body = RedactedEvent{3, "legal"};
  events[5].body = RedirectedEvent{"http://a.example/old", "https://a.example/new", 301, 7, "s"};
  events[6].body = WatchedEvent{"https://a.example/feed", WatchKind::kFeed, 900, "s", ""};
  events[7].body = UnwatchedEvent{"https://a.example/feed"};
  CheckedEvent check;
  check.url = "https://a.example/a";
  check.outcome = CheckOutcome::kNotModified;
  check.checked_at = 11;
  check.http_status = 304;
  check.etag = "\"v1\"";
  check.last_modified = "Sun, 06 Dec 2026 06:00:00 GMT";
  check.body_sha256 = Sha256("body");
  check.body_bytes = 4;
  check.final_url = "https://a.example/b";
  check.retry_after_seconds = 120;
  check.document = "a.example_a";
  check.capture_seq = 9;
  check.new_links = 2;
  events[8].body = check;
  for (const Event& e : events) {
    std::string bytes = EncodeEvent(e);
    ASSERT_EQ(bytes.size() % 8, 0u);
    auto decoded = DecodeEvent(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(*decoded, e) << EventKindName(e.body);
    EXPECT_EQ(EncodeEvent(*decoded), bytes) << "re-encoding must be byte-identical";
  }
}

TEST(EventCodecTest, DecodesFromUnalignedBuffer) {
  std::string bytes = EncodeEvent(SampleCapture());
  std::string shifted = "x" + bytes;
  auto decoded = DecodeEvent(std::string_view(shifted).substr(1));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, SampleCapture());
}

TEST(EventCodecTest, GarbageIsCorruptionNotACrash) {
  std::string bytes = EncodeEvent(SampleCapture());
  EXPECT_TRUE(DecodeEvent("").status().IsCorruption());
  EXPECT_TRUE(DecodeEvent("abc").status().IsCorruption());
  EXPECT_TRUE(DecodeEvent(std::string(64, '\xff')).status().IsCorruption());
  EXPECT_TRUE(DecodeEvent(bytes + std::string(8, '\0')).status().IsCorruption());
  // Flipping any single byte either fails to decode or decodes to a different event: never a
  // crash, never the same event.
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] ^= 0x5a;
    auto decoded = DecodeEvent(flipped);
    if (decoded.ok()) {
      EXPECT_NE(EncodeEvent(*decoded), bytes);
    }
  }
}

// Found by tests/fuzz/event_codec_fuzzer: 336 corrupt bytes whose fields list claims about a
// million zero-sized elements. Decoding built every one of them (seconds, hundreds of MB)
// before the canonical-form check rejected the event; now the list's length is refused first.
TEST(EventCodecTest, HugeFieldsListIsRejectedBeforeDecoding) {
  std::string bytes;
  ASSERT_TRUE(
      FromHex("0000000005000600010000000000000001000000000000009f6b401466610600"
              "00f03be3e900060001000000000000001500000082000000190000002a000000"
              "190000004a0000001d000000aa00000025000000020100003000000000000100"
              "295f01488ec6545b6e9355aed516df41646f633100000000636c693a726f6f74"
              "0000000000000000636c692d6537623539323130333165353432656600000000"
              "0000000000000000000000000000000000000000000000000000000000000000"
              "000000000100050000f03be3e90006001000000001000100250000005a000000"
              "290000000a000000290000000a000000293baf0100406000000b000000000000"
              "0100000002010000b22072439f2248cd6b3023cd3a8cfb6e1247d02df44a24cb"
              "db15af8b9c42792c746578742f706c61696e0000000000000000000000000000"
              "00000000000000000000000000000000",
              &bytes));
  auto decoded = DecodeEvent(bytes);
  ASSERT_TRUE(decoded.status().IsCorruption());
  EXPECT_NE(decoded.status().message().find("fields"), std::string::npos)
      << decoded.status().message();

  // A well-formed event over the bound is refused the same way.
  Event e = SampleCapture();
  auto& fields = std::get<CapturedEvent>(e.body).fields;
  fields.assign(1025, Field{"title", "t"});
  auto big = DecodeEvent(EncodeEvent(e));
  ASSERT_TRUE(big.status().IsCorruption());
  EXPECT_NE(big.status().message().find("1025 fields"), std::string::npos);
  fields.resize(1024);
  EXPECT_TRUE(DecodeEvent(EncodeEvent(e)).ok());
}

TEST(EventCodecTest, HashCoversEveryField) {
  Event a = SampleCapture();
  Event b = a;
  b.actor = "cli:other";
  EXPECT_NE(EventHash(EncodeEvent(a)), EventHash(EncodeEvent(b)));
  b = a;
  std::get<CapturedEvent>(b.body).raw.sha256 = Sha256("other bytes");
  EXPECT_NE(EventHash(EncodeEvent(a)), EventHash(EncodeEvent(b)));
}

TEST(EventCodecTest, BodyEncodingIgnoresEnvelope) {
  Event a = SampleCapture();
  Event b = a;
  b.seq = 99;
  b.recorded_at = 5;
  b.version = 1;
  EXPECT_EQ(EncodeEventBody(a), EncodeEventBody(b));
  std::get<CapturedEvent>(b.body).source = "elsewhere";
  EXPECT_NE(EncodeEventBody(a), EncodeEventBody(b));
}

TEST(EventCodecTest, EventIdsAreDeterministicAndFramed) {
  EXPECT_EQ(DeriveEventId({"a", "b"}), DeriveEventId({"a", "b"}));
  EXPECT_NE(DeriveEventId({"ab", ""}), DeriveEventId({"a", "b"}));
  EventId id = DeriveEventId({"x"});
  EventId parsed{};
  ASSERT_TRUE(EventIdFromString(EventIdToString(id), &parsed));
  EXPECT_EQ(parsed, id);
  EXPECT_FALSE(EventIdFromString("zz", &parsed));
}

}  // namespace
}  // namespace palimpsest
