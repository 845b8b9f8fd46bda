#include "archive/archive_test_util.h"

#include <gtest/gtest.h>

namespace palimpsest::testing {

std::string ArticleText(const std::string& tag, int paragraphs) {
  std::string text = "Report on " + tag + "\n\n";
  for (int i = 0; i < paragraphs; ++i) {
    text += "Paragraph " + std::to_string(i) + " of the " + tag +
            " story tells readers what happened and why it matters to them.\n\n";
  }
  return text;
}

AppendRequest Capture(const std::string& doc_id, const std::string& text, Timestamp captured_at) {
  AppendRequest r;
  CapturedEvent c;
  c.raw = {Sha256(text), text.size()};
  c.media_type = "text/plain";
  c.captured_at = captured_at;
  r.event.id = DeriveEventId({"test-capture", doc_id, text, std::to_string(captured_at)});
  r.event.doc_id = doc_id;
  r.event.actor = "test";
  r.event.effective_at = captured_at;
  r.event.body = c;
  r.contents.push_back(text);
  return r;
}

Options TestOptions(const std::string& dir) {
  Options o;
  o.data_dir = dir;
  o.durability = Durability::kNoSync;
  o.map_size = uint64_t{64} << 20;
  o.lock_timeout_ms = 200;
  return o;
}

std::unique_ptr<Archive> OpenOrDie(const Options& options) {
  auto archive = Archive::Open(options);
  EXPECT_TRUE(archive.ok()) << archive.status().message();
  if (!archive.ok()) std::abort();
  return std::move(archive).value();
}

}  // namespace palimpsest::testing
