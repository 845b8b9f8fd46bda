// ParseLooseTimestamp: the time forms people and CMSs write in article fields, each read to the
// instant it names, and the forms that are refused rather than guessed.

#include <gtest/gtest.h>

#include <string>

#include "palimpsest/timestamp.h"

namespace palimpsest {
namespace {

// The instant `rfc3339` names (a strict form), for comparing against a loose reading.
Timestamp At(const std::string& rfc3339) {
  auto t = ParseTimestamp(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339;
  return t.ok() ? *t : kNoTime;
}

void ExpectReads(const std::string& text, const std::string& rfc3339) {
  auto t = ParseLooseTimestamp(text);
  ASSERT_TRUE(t.ok()) << text << ": " << t.status().message();
  EXPECT_EQ(FormatTimestamp(*t), FormatTimestamp(At(rfc3339))) << text;
}

TEST(LooseTimeTest, StrictFormsReadAsBefore) {
  ExpectReads("2023-07-20", "2023-07-20T00:00:00Z");
  ExpectReads("2023-07-20T12:00:00+02:00", "2023-07-20T10:00:00Z");
  ExpectReads("2023-07-20 12:00:00.25", "2023-07-20T12:00:00.25Z");
}

TEST(LooseTimeTest, MonthNamesInEitherOrder) {
  ExpectReads("September 8, 2020", "2020-09-08");
  ExpectReads("May 11, 2021", "2021-05-11");
  ExpectReads("8 Sep 2020", "2020-09-08");
  ExpectReads("Sept. 8th, 2020", "2020-09-08");
  ExpectReads("sep 8 2020", "2020-09-08");
  ExpectReads("2020 September 8", "2020-09-08");
  ExpectReads("Tuesday, September 8, 2020", "2020-09-08");
}

TEST(LooseTimeTest, SingleDigitIsoPartsAndComments) {
  ExpectReads("2017-11-8", "2017-11-08");
  ExpectReads("2017/1/5", "2017-01-05");
  ExpectReads("2016-08-08 (optional)", "2016-08-08");
  ExpectReads("2017-11-8T9:30", "2017-11-08T09:30:00Z");
}

TEST(LooseTimeTest, ClockTimesAndZones) {
  ExpectReads("2016-03-21 12:00 EDT", "2016-03-21T16:00:00Z");
  ExpectReads("2016-03-21 12:00 UTC", "2016-03-21T12:00:00Z");
  ExpectReads("July 24, 2023 3:15 p.m. CET", "2023-07-24T14:15:00Z");
  ExpectReads("July 24, 2023 at 12:05 am", "2023-07-24T00:05:00Z");
  ExpectReads("July 24, 2023 12:30 PM", "2023-07-24T12:30:00Z");
  ExpectReads("July 24, 2023, 3pm GMT", "2023-07-24T15:00:00Z");
  ExpectReads("2023-07-24 09:00 IST", "2023-07-24T03:30:00Z");
}

TEST(LooseTimeTest, Rfc2822DatesAsInHttpAndRss) {
  ExpectReads("Tue, 08 Sep 2020 14:03:00 GMT", "2020-09-08T14:03:00Z");
  ExpectReads("Tue, 8 Sep 2020 14:03:00 +0000", "2020-09-08T14:03:00Z");
  ExpectReads("Mon, 21 Mar 2016 12:00:00 -0400 (EDT)", "2016-03-21T16:00:00Z");
  ExpectReads("Mon, 21 Mar 2016 12:00:00 GMT+01:00", "2016-03-21T11:00:00Z");
}

TEST(LooseTimeTest, UsZonesWithoutDaylightFollowTheUsRule) {
  ExpectReads("July 24, 2023 10:00 ET", "2023-07-24T14:00:00Z");     // daylight
  ExpectReads("January 24, 2023 10:00 ET", "2023-01-24T15:00:00Z");  // standard
  ExpectReads("March 12, 2023 10:00 PT", "2023-03-12T17:00:00Z");    // second Sunday: daylight
  ExpectReads("March 11, 2023 10:00 PT", "2023-03-11T18:00:00Z");
  ExpectReads("November 5, 2023 10:00 CT", "2023-11-05T16:00:00Z");  // first Sunday: standard
}

TEST(LooseTimeTest, WhatCannotBeReadIsRefusedNotGuessed) {
  for (const char* text :
       {"", "yesterday", "11/08/2020", "8 Sep 20", "September 2020", "September 31, 2020",
        "February 29, 2023", "Sep 8, 2020 25:00", "Sep 8, 2020 13:00 pm", "Sep 8 Oct 9 2020",
        "Updated September 8, 2020", "2020-09-08 EDT", "Sep 8, 2020 +0200", "8.9.2020",
        "Sep 8, 2020 12:00 XYZ"}) {
    auto t = ParseLooseTimestamp(text);
    EXPECT_FALSE(t.ok()) << "'" << text << "' read as " << (t.ok() ? FormatTimestamp(*t) : "");
    if (!t.ok()) {
      EXPECT_EQ(t.status().message(), "unreadable time '" + std::string(text) + "'");
    }
  }
}

}  // namespace
}  // namespace palimpsest
