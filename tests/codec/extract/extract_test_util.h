// What the extractor tests share: times written as text, a capture time, plain-text extraction
// that fails the test on an error.

#ifndef PALIMPSEST_TESTS_CODEC_EXTRACT_EXTRACT_TEST_UTIL_H_
#define PALIMPSEST_TESTS_CODEC_EXTRACT_EXTRACT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "palimpsest/article.h"
#include "palimpsest/extractor.h"
#include "palimpsest/timestamp.h"

namespace palimpsest::testing {

// `text` (RFC 3339 or a date) as a Timestamp; fails the test when it does not parse.
inline Timestamp T(const char* text) {
  Result<Timestamp> t = ParseTimestamp(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : kNoTime;
}

// When the test pages were captured.
inline const Timestamp kCaptured = T("2023-07-25T12:00:00Z");

// The article ExtractPlainText finds in `raw`; empty (and the test failed) on an error.
inline ArticleContent ExtractText(const std::string& raw, Timestamp captured_at = kCaptured) {
  Result<ArticleContent> r = ExtractPlainText(raw, captured_at);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : ArticleContent{};
}

}  // namespace palimpsest::testing

#endif  // PALIMPSEST_TESTS_CODEC_EXTRACT_EXTRACT_TEST_UTIL_H_
