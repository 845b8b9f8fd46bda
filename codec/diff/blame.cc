// Blame by sentence (include/palimpsest/blame.h).

#include "palimpsest/blame.h"

#include <string_view>

#include "codec/diff/tokenize.h"
#include "palimpsest/diff.h"

namespace palimpsest {

namespace {

// A body's sentences in order, with the paragraph each belongs to.
struct Sentences {
  std::vector<std::string_view> text;
  std::vector<size_t> paragraph;
};

Sentences SentencesOf(std::string_view body) {
  Sentences out;
  size_t index = 0;
  for (std::string_view paragraph : SplitParagraphViews(body)) {
    for (std::string_view sentence : SplitSentences(paragraph)) {
      out.text.push_back(sentence);
      out.paragraph.push_back(index);
    }
    ++index;
  }
  return out;
}

}  // namespace

std::vector<BlameParagraph> ComputeBlame(const std::vector<BlameInput>& revisions) {
  Sentences previous;
  std::vector<uint32_t> previous_origin;
  const BlameInput* last = nullptr;
  for (const BlameInput& input : revisions) {
    if (!input.available) continue;
    Sentences current = SentencesOf(input.body);
    std::vector<uint32_t> origin(current.text.size(), input.rev);
    for (const EditRun& run : DiffTokens(previous.text, current.text)) {
      if (run.op != EditOp::kEqual) continue;
      for (size_t k = 0; k < run.length; ++k) {
        origin[run.after_pos + k] = previous_origin[run.before_pos + k];
      }
    }
    previous = std::move(current);
    previous_origin = std::move(origin);
    last = &input;
  }
  std::vector<BlameParagraph> paragraphs;
  if (last == nullptr || &revisions.back() != last) return paragraphs;
  for (size_t i = 0; i < previous.text.size(); ++i) {
    if (paragraphs.size() <= previous.paragraph[i]) paragraphs.resize(previous.paragraph[i] + 1);
    paragraphs[previous.paragraph[i]].sentences.push_back(
        {std::string(previous.text[i]), previous_origin[i]});
  }
  return paragraphs;
}

}  // namespace palimpsest
