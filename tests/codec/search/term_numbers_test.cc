#include "codec/search/term_numbers.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

namespace palimpsest {
namespace {

TEST(TermNumbersTest, FindsWhatWasInsertedAndNothingElse) {
  TermNumbers numbers;
  EXPECT_EQ(numbers.Find("note"), 0u);
  numbers.Insert("note", 7);
  numbers.Insert("notes", 8);
  numbers.Insert("", 9);  // the empty term is a term like any other
  EXPECT_EQ(numbers.Find("note"), 7u);
  EXPECT_EQ(numbers.Find("notes"), 8u);
  EXPECT_EQ(numbers.Find(""), 9u);
  EXPECT_EQ(numbers.Find("not"), 0u);
  EXPECT_EQ(numbers.size(), 3u);
  numbers.Insert("note", 70);  // a new number replaces the old one
  EXPECT_EQ(numbers.Find("note"), 70u);
  EXPECT_EQ(numbers.size(), 3u);
  numbers.Insert("zero", 0);  // 0 means "none": not recorded
  EXPECT_EQ(numbers.Find("zero"), 0u);
  numbers.Clear();
  EXPECT_EQ(numbers.Find("note"), 0u);
  EXPECT_EQ(numbers.size(), 0u);
}

TEST(TermNumbersTest, AgreesWithAMapOverManyTermsAcrossGrowth) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> letter('a', 'z'), length(1, 12);
  std::map<std::string, uint32_t> expected;
  TermNumbers numbers;
  for (uint32_t i = 1; i <= 50'000; ++i) {
    std::string term;
    for (int n = length(rng); n > 0; --n) term.push_back(static_cast<char>(letter(rng)));
    expected[term] = i;
    numbers.Insert(term, i);
  }
  EXPECT_EQ(numbers.size(), expected.size());
  for (const auto& [term, number] : expected) ASSERT_EQ(numbers.Find(term), number) << term;
  EXPECT_EQ(numbers.Find("0"), 0u);
}

}  // namespace
}  // namespace palimpsest
