// Builders for archive tests: capture events with plausible article text.

#ifndef PALIMPSEST_TESTS_ARCHIVE_ARCHIVE_TEST_UTIL_H_
#define PALIMPSEST_TESTS_ARCHIVE_ARCHIVE_TEST_UTIL_H_

#include <memory>
#include <string>

#include "palimpsest/archive.h"

namespace palimpsest::testing {

// A day, and 2024-03-01T00:00:00Z, in µs: the times of backdated and merged captures.
constexpr Timestamp kDay = 86'400'000'000;
constexpr Timestamp kMarch1 = 1'709'251'200'000'000;

// A small article page: a title line, a blank line, and `paragraphs` paragraphs that mention
// `tag` so distinct tags give distinct content.
std::string ArticleText(const std::string& tag, int paragraphs = 3);

// A capture of `text` for `doc_id` at `captured_at` (µs), with its bytes attached.
AppendRequest Capture(const std::string& doc_id, const std::string& text,
                      Timestamp captured_at = 1'690'000'000'000'000);

Options TestOptions(const std::string& dir);

std::unique_ptr<Archive> OpenOrDie(const Options& options);

}  // namespace palimpsest::testing

#endif  // PALIMPSEST_TESTS_ARCHIVE_ARCHIVE_TEST_UTIL_H_
