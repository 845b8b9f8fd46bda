#include "palimpsest/timestamp.h"

#include <gtest/gtest.h>

namespace palimpsest {
namespace {

Timestamp Parse(const char* text, DateOnly d = DateOnly::kStartOfDay) {
  auto t = ParseTimestamp(text, d);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status().message();
  return t.ok() ? *t : kNoTime;
}

TEST(TimestampTest, ParsesRfc3339Forms) {
  const Timestamp noon = Parse("2023-07-20T12:00:00Z");
  EXPECT_EQ(FormatTimestamp(noon), "2023-07-20T12:00:00Z");
  EXPECT_EQ(Parse("2023-07-20T12:00:00"), noon) << "no offset means UTC";
  EXPECT_EQ(Parse("2023-07-20 12:00"), noon);
  EXPECT_EQ(Parse("2023-07-20T14:00:00+02:00"), noon);
  EXPECT_EQ(Parse("2023-07-20T07:30:00-0430"), noon);
  EXPECT_EQ(Parse("2023-07-20T12:00:00.25Z"), noon + 250'000);
  EXPECT_EQ(FormatTimestamp(noon + 250'000), "2023-07-20T12:00:00.250000Z");
}

TEST(TimestampTest, DateOnlyMeansStartOrEndOfDay) {
  EXPECT_EQ(FormatTimestamp(Parse("2023-07-24")), "2023-07-24T00:00:00Z");
  EXPECT_EQ(Parse("2023-07-24", DateOnly::kEndOfDay), Parse("2023-07-25") - 1);
}

TEST(TimestampTest, RejectsMalformedTimes) {
  for (const char* bad :
       {"", "yesterday", "2023-13-01", "2023-02-29", "2023-07-20T25:00",
        "2023-07-20T12:00:00+99:00", "2023-07-20Tnoon", "2023-7-20", "2023-07-20T12:00:00Zjunk"}) {
    auto t = ParseTimestamp(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
    }
  }
  EXPECT_TRUE(ParseTimestamp("2024-02-29").ok()) << "leap day";
}

TEST(TimestampTest, CivilRoundTripAcrossEras) {
  for (int64_t y : {1900, 1969, 1970, 2000, 2023, 2100}) {
    for (unsigned m = 1; m <= 12; ++m) {
      Timestamp t = DaysFromCivil(y, m, 28) * kMicrosPerDay;
      int64_t yy;
      unsigned mm, dd;
      CivilFromTimestamp(t, &yy, &mm, &dd);
      EXPECT_EQ(yy, y);
      EXPECT_EQ(mm, m);
      EXPECT_EQ(dd, 28u);
    }
  }
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59.999999Z");
}

}  // namespace
}  // namespace palimpsest
