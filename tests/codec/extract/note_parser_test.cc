#include "codec/extract/note_parser.h"

#include <string>

#include "codec/extract/date_finder.h"
#include "codec/extract/extract_test_util.h"
#include "gtest/gtest.h"
#include "palimpsest/article.h"

namespace palimpsest {
namespace {

using testing::kCaptured;
using testing::T;
using text_internal::DateMatch;
using text_internal::FindDate;
using text_internal::IsNoteLine;
using text_internal::ParseDateOnly;

TEST(NoteParserTest, StripsNoteLabels) {
  const char* kLines[] = {
      "Editor's Note: This story was updated.",
      "Editor\u2019s Note: This story was updated.",
      "Editors' note: This story was updated.",
      "Editors\u2019 Note: This story was updated.",
      "EDITOR'S NOTE: This story was updated.",
      "Correction: This story was updated.",
      "Clarification: This story was updated.",
      "Update: This story was updated.",
      "Updated: This story was updated.",
      "Editor\u2019s Note \u2014 This story was updated.",
      "editor's note - This story was updated.",
      "[Editor's note: This story was updated.]",
      "*Correction: This story was updated.*",
      "  Correction:   This  story was\u00A0updated. ",
  };
  for (const char* line : kLines) {
    ArticleNote note = ParseNote(line, kCaptured);
    EXPECT_EQ(note.text, "This story was updated.") << line;
    EXPECT_EQ(note.effective_at, kNoTime) << line;
  }
}

TEST(NoteParserTest, KeepsTextWithoutLabel) {
  ArticleNote note = ParseNote("Updated July 24 to clarify the number of SETs.", kCaptured);
  EXPECT_EQ(note.text, "Updated July 24 to clarify the number of SETs.");
  EXPECT_EQ(note.effective_at, T("2023-07-24"));
  // A word that merely starts like a label is not one.
  EXPECT_EQ(ParseNote("Updates: none", kCaptured).text, "Updates: none");
}

TEST(NoteParserTest, CorpusNote) {
  const std::string line =
      "Editor\u2019s Note: This story was updated July 24 to clarify additional SETs that took "
      "place with Australia and South Korea.";
  ArticleNote note = ParseNote(line, kCaptured);
  EXPECT_EQ(note.text,
            "This story was updated July 24 to clarify additional SETs that took place with "
            "Australia and South Korea.");
  EXPECT_EQ(note.effective_at, T("2023-07-24T00:00:00Z"));
}

TEST(NoteParserTest, YearlessDateIsLatestNotAfterCapture) {
  const char* kNote = "Editor's Note: This story was updated July 24 to clarify.";
  EXPECT_EQ(ParseNote(kNote, T("2023-07-25T12:00:00Z")).effective_at, T("2023-07-24"));
  EXPECT_EQ(ParseNote(kNote, T("2023-07-20T12:00:00Z")).effective_at, T("2022-07-24"));
  EXPECT_EQ(ParseNote(kNote, T("2023-07-24T00:00:00Z")).effective_at, T("2023-07-24"));
  EXPECT_EQ(ParseNote(kNote, T("2023-07-23T23:59:59Z")).effective_at, T("2022-07-24"));
  // No capture time: a yearless date cannot be placed.
  EXPECT_EQ(ParseNote(kNote, kNoTime).effective_at, kNoTime);
  // February 29 goes back to the last leap year.
  EXPECT_EQ(ParseNote("Update: corrected Feb. 29.", T("2023-03-01")).effective_at, T("2020-02-29"));
}

TEST(NoteParserTest, DateForms) {
  struct Case {
    const char* line;
    const char* day;
  } kCases[] = {
      {"Correction: updated July 24.", "2023-07-24"},
      {"Correction: updated Jul. 24.", "2023-07-24"},
      {"Correction: updated Jul 24th.", "2023-07-24"},
      {"Correction: updated Sept. 3.", "2022-09-03"},
      {"Correction: updated July 24, 2021.", "2021-07-24"},
      {"Correction: updated July 24 2021.", "2021-07-24"},
      {"Correction: updated 24 July 2021.", "2021-07-24"},
      {"Correction: updated 24 July.", "2023-07-24"},
      {"Correction: updated 2021-07-24.", "2021-07-24"},
      {"Correction: updated 2021-07-24T18:30:00-05:00.", "2021-07-24"},
      {"Correction: updated 7/24/2021.", "2021-07-24"},
      {"Correction: updated 12.02.2024.", "2024-12-02"},
      {"CORRECTION: UPDATED JULY 24, 2021.", "2021-07-24"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ParseNote(c.line, kCaptured).effective_at, T(c.day)) << c.line;
  }
}

TEST(NoteParserTest, NoDate) {
  for (const char* line :
       {"Correction: The talks were held in Tokyo.",
        "Correction: The group stood up in May 2020.",  // month and year only
        "Correction: they may 24 hours later have left.",
        "Correction: version 1.2.2024.5 was wrong.", "Correction: Not February 30, 2023."}) {
    EXPECT_EQ(ParseNote(line, kCaptured).effective_at, kNoTime) << line;
  }
}

TEST(NoteParserTest, PrefersTheDateOfTheChange) {
  ArticleNote note = ParseNote(
      "Correction: An earlier version gave the date of the talks as July 13, 2023. The story was "
      "corrected on July 24, 2023.",
      kCaptured);
  EXPECT_EQ(note.effective_at, T("2023-07-24"));
  // Without a change verb the first date is the one.
  EXPECT_EQ(
      ParseNote("Clarification: July 20, 2023: the talks were bilateral.", kCaptured).effective_at,
      T("2023-07-20"));
}

TEST(NoteParserTest, RecognizesNoteLines) {
  EXPECT_TRUE(IsNoteLine("Editor\u2019s Note: This story was updated July 24."));
  EXPECT_TRUE(IsNoteLine("Correction: An earlier version misspelled a name."));
  EXPECT_TRUE(IsNoteLine("Updated July 24 to clarify additional SETs."));
  EXPECT_TRUE(IsNoteLine("This story has been updated to include comment from the Pentagon."));
  EXPECT_TRUE(IsNoteLine("This article was corrected on March 4, 2024."));
  EXPECT_TRUE(IsNoteLine("An earlier version of this article misstated the date."));
  EXPECT_TRUE(IsNoteLine("(Editor's note: Smith is a former staff member.)"));
}

TEST(NoteParserTest, RejectsOrdinaryLines) {
  EXPECT_FALSE(IsNoteLine("Updated: March 3, 2024"));  // a time stamp, not a note
  EXPECT_FALSE(IsNoteLine("Updated March 3, 2024 at 10:15 a.m. ET"));
  EXPECT_FALSE(IsNoteLine("Corrections are part of any newsroom's work."));
  EXPECT_FALSE(IsNoteLine("Update your browser to view this site."));
  EXPECT_FALSE(IsNoteLine("This story began in 1990 when the base opened."));
  EXPECT_FALSE(IsNoteLine("Updated figures show the budget grew."));
  EXPECT_FALSE(IsNoteLine("Correction:"));
}

TEST(NoteDateFinderTest, FindsDatesInText) {
  DateMatch m;
  ASSERT_TRUE(FindDate("talks on July 13 were", 0, &m));
  EXPECT_EQ(m.begin, 9u);
  EXPECT_EQ(m.end, 16u);
  EXPECT_EQ(m.year, 0);
  EXPECT_EQ(m.month, 7u);
  EXPECT_EQ(m.day, 13u);

  ASSERT_TRUE(FindDate("NEWS | July 19, 2023", 0, &m));
  EXPECT_EQ(m.year, 2023);
  EXPECT_EQ(m.end, 20u);

  ASSERT_TRUE(FindDate("Date Posted: 12.10.2024 01:28", 0, &m));
  EXPECT_EQ(m.year, 2024);
  EXPECT_EQ(m.month, 12u);
  EXPECT_EQ(m.day, 10u);

  ASSERT_TRUE(FindDate("at 2024-03-02T10:00:00+02:00.", 0, &m));
  EXPECT_EQ(m.exact, T("2024-03-02T08:00:00Z"));

  EXPECT_FALSE(FindDate("in March 2022 and May 2020", 0, &m));
  EXPECT_FALSE(FindDate("Mark 24 and Junebug 3", 0, &m));
  EXPECT_FALSE(FindDate("room 12.10.20245", 0, &m));
  EXPECT_FALSE(FindDate("2023-13-01", 0, &m));
}

TEST(NoteDateFinderTest, DateOnlyLines) {
  DateMatch m;
  EXPECT_TRUE(ParseDateOnly("July 19, 2023", &m));
  EXPECT_TRUE(ParseDateOnly("12.02.2024", &m));
  EXPECT_TRUE(ParseDateOnly("12.10.2024 01:28", &m));
  EXPECT_TRUE(ParseDateOnly("Wednesday, July 19, 2023", &m));
  EXPECT_TRUE(ParseDateOnly("March 3, 2024 at 10:15 a.m. ET", &m));
  EXPECT_TRUE(ParseDateOnly("March 3, 2024, 10:15am EST", &m));
  EXPECT_TRUE(ParseDateOnly("2024-03-03", &m));
  EXPECT_FALSE(ParseDateOnly("July 19, 2023 was a Wednesday", &m));
  EXPECT_FALSE(ParseDateOnly("On July 19, 2023", &m));
  EXPECT_FALSE(ParseDateOnly("", &m));
}

}  // namespace
}  // namespace palimpsest
