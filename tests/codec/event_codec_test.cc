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
  std::vector<Event> events(5, SampleCapture());
  events[1].body = ObservedEvent{{Sha256("x"), 1}, 5, "u", "s"};
  events[2].body = CorrectedEvent{CorrectionKind::kClarification, "note", true, {Sha256("t"), 1}};
  events[3].body = RetractedEvent{"withdrawn"};
  events[4].body = RedactedEvent{3, "legal"};
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
