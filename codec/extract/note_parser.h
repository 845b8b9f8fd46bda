// Recognizing editor's notes and corrections printed with an article.
//
// ParseNote (include/palimpsest/article.h) turns a note line into an ArticleNote; the
// extractor first needs to know which lines are notes at all, which is what this adds.
//
// Internal to the codec layer. Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EXTRACT_NOTE_PARSER_H_
#define PALIMPSEST_CODEC_EXTRACT_NOTE_PARSER_H_

#include <string_view>
#include <vector>

#include "palimpsest/article.h"

namespace palimpsest::text_internal {

// True when `line` (whitespace-collapsed) is an editor's note, correction, clarification or
// update notice: "Editor’s Note: …", "Correction: …", "Updated July 24 to clarify …",
// "This story has been updated to …", "An earlier version of this article …".
// A bare time stamp such as "Updated: March 3, 2024" is not a note (it is the updated time).
bool IsNoteLine(std::string_view line);

// Re-dates `notes` found before the article's publication date was known: a note date without
// a year becomes the first such date on or after `published_at` (ParseNote).
void AnchorNoteDates(Timestamp published_at, Timestamp captured_at,
                     std::vector<ArticleNote>* notes);

}  // namespace palimpsest::text_internal

#endif  // PALIMPSEST_CODEC_EXTRACT_NOTE_PARSER_H_
