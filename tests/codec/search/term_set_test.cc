#include "codec/search/term_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace palimpsest {
namespace {

TEST(TermSetTest, CollectsEachDistinctTermOnceInFirstAppearanceOrder) {
  TermSet terms;
  terms.AddTermsOf("The editor's note: the NOTE was corrected.");
  terms.AddTermsOf("Corrected again");
  EXPECT_EQ(terms.size(), 6u);
  EXPECT_EQ(terms.Unmarked(),
            (std::vector<std::string_view>{"the", "editors", "note", "was", "corrected", "again"}));
}

TEST(TermSetTest, MarkFindsOnlyMembersAndUnmarkedListsTheRest) {
  TermSet terms;
  terms.AddTermsOf("alpha beta gamma");
  EXPECT_TRUE(terms.Mark("beta"));
  EXPECT_FALSE(terms.Mark("delta"));
  EXPECT_FALSE(terms.Mark("bet"));
  EXPECT_EQ(terms.Unmarked(), (std::vector<std::string_view>{"alpha", "gamma"}));
  EXPECT_EQ(terms.size(), 3u);  // marking adds nothing
}

// Many more terms than the initial table holds, short and long, with repeats: the set agrees
// with std::set through every growth.
TEST(TermSetTest, AgreesWithAnOrderedSetThroughGrowth) {
  std::mt19937 random(7);
  TermSet terms;
  std::set<std::string> expected;
  std::vector<std::string> order;
  for (int i = 0; i < 20000; ++i) {
    std::string term(1 + random() % 12, 'a');
    for (char& c : term) c = static_cast<char>('a' + random() % 6);  // forces repeats
    terms.Add(term);
    if (expected.insert(term).second) order.push_back(term);
  }
  ASSERT_EQ(terms.size(), expected.size());
  const std::vector<std::string_view> listed = terms.Unmarked();
  ASSERT_EQ(listed.size(), order.size());
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(listed[i], order[i]);
  for (const std::string& t : order) EXPECT_TRUE(terms.Mark(t));
  EXPECT_TRUE(terms.Unmarked().empty());
}

}  // namespace
}  // namespace palimpsest
