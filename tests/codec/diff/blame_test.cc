#include "palimpsest/blame.h"

#include <gtest/gtest.h>

namespace palimpsest {
namespace {

// "text@rev" per sentence, paragraphs separated by " | ".
std::string Render(const std::vector<BlameParagraph>& paragraphs) {
  std::string out;
  for (size_t p = 0; p < paragraphs.size(); ++p) {
    if (p > 0) out += " | ";
    for (const BlameSentence& s : paragraphs[p].sentences) {
      out += "[" + s.text + "@" + std::to_string(s.rev) + "]";
    }
  }
  return out;
}

TEST(BlameTest, FirstRevisionOwnsEverySentence) {
  EXPECT_EQ(Render(ComputeBlame({{1, true, "One. Two.\n\nThree."}})),
            "[One.@1][Two.@1] | [Three.@1]");
}

TEST(BlameTest, EditedAndInsertedSentencesBelongToTheirRevision) {
  std::vector<BlameInput> revs = {
      {1, true, "Alpha one. Beta two.\n\nGamma three."},
      {2, true, "Alpha one. Beta TWO.\n\nGamma three."},
      {3, true, "Zero first. Alpha one. Beta TWO.\n\nGamma three. Delta four."},
  };
  EXPECT_EQ(Render(ComputeBlame(revs)),
            "[Zero first.@3][Alpha one.@1][Beta TWO.@2] | [Gamma three.@1][Delta four.@3]");
}

TEST(BlameTest, SentenceMovedBetweenParagraphsKeepsItsOrigin) {
  std::vector<BlameInput> revs = {
      {1, true, "Alpha one. Beta two."},
      {2, true, "Alpha one.\n\nBeta two."},
  };
  EXPECT_EQ(Render(ComputeBlame(revs)), "[Alpha one.@1] | [Beta two.@1]");
}

TEST(BlameTest, RemovedThenRestoredSentenceIsNewAgain) {
  std::vector<BlameInput> revs = {
      {1, true, "Alpha one. Beta two."},
      {2, true, "Alpha one."},
      {3, true, "Alpha one. Beta two."},
  };
  EXPECT_EQ(Render(ComputeBlame(revs)), "[Alpha one.@1][Beta two.@3]");
}

TEST(BlameTest, UnavailableRevisionIsSkipped) {
  std::vector<BlameInput> revs = {
      {1, true, "Alpha one."},
      {2, false, ""},
      {3, true, "Alpha one. Secret two."},
  };
  // What revision 2 held may not be shown: its sentence is attributed to revision 3.
  EXPECT_EQ(Render(ComputeBlame(revs)), "[Alpha one.@1][Secret two.@3]");
}

TEST(BlameTest, UnavailableLastRevisionGivesNothing) {
  EXPECT_TRUE(ComputeBlame({{1, true, "Alpha."}, {2, false, ""}}).empty());
  EXPECT_TRUE(ComputeBlame({}).empty());
}

}  // namespace
}  // namespace palimpsest
