// Tests of permuter/covering_array.h: exhaustive products, pairwise coverage and the
// each-value fallback.
#include "permuter/covering_array.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <tuple>
#include <vector>

namespace kt::permuter {
namespace {

using Rows = std::vector<std::vector<std::uint32_t>>;

// Every (column i = a, column j = b) pair some row holds.
std::set<std::tuple<std::size_t, std::uint32_t, std::size_t, std::uint32_t>> PairsOf(
    const Rows& rows) {
  std::set<std::tuple<std::size_t, std::uint32_t, std::size_t, std::uint32_t>> pairs;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      for (std::size_t j = i + 1; j < row.size(); ++j) pairs.insert({i, row[i], j, row[j]});
    }
  }
  return pairs;
}

std::size_t AllPairs(const std::vector<std::size_t>& sizes) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    for (std::size_t j = i + 1; j < sizes.size(); ++j) n += sizes[i] * sizes[j];
  }
  return n;
}

TEST(CoveringArrayTest, SmallProductIsExhaustiveInOdometerOrder) {
  const CoveringArray a = BuildCoveringArray(std::vector<std::size_t>{2, 3}, 6);
  EXPECT_EQ(a.strength, Strength::kExhaustive);
  EXPECT_EQ(a.rows, (Rows{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}}));
}

TEST(CoveringArrayTest, EdgeShapesOfTheProduct) {
  EXPECT_EQ(BuildCoveringArray(std::vector<std::size_t>{}, 10).rows, (Rows{{}}))
      << "no parameters: one call with no arguments";
  EXPECT_TRUE(BuildCoveringArray(std::vector<std::size_t>{4, 0, 9}, 10).rows.empty());
  EXPECT_EQ(BuildCoveringArray(std::vector<std::size_t>{1, 1, 1}, 1).rows, (Rows{{0, 0, 0}}));
}

struct PairwiseCase {
  std::vector<std::size_t> sizes;
  std::uint64_t limit;   // below the product, at or above the two largest sizes' product
  std::size_t max_rows;  // what IPOG should stay within
};

TEST(CoveringArrayTest, PairwiseCoversEveryPairInFewRows) {
  const PairwiseCase cases[] = {
      {{3, 3, 3, 3}, 20, 13},                     // optimum 9
      {{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 100, 10},  // optimum 6
      {{5, 4, 3, 2}, 100, 30},                    // lower bound 20
      {{10, 10, 2, 2, 2}, 150, 130},              // lower bound 100
      {{7, 7, 7, 7, 7, 7}, 1000, 80},             // optimum 49
      {{30, 20, 12, 12, 5, 3, 2}, 1000, 900},     // lower bound 600
  };
  for (const PairwiseCase& c : cases) {
    const CoveringArray a = BuildCoveringArray(c.sizes, c.limit);
    ASSERT_EQ(a.strength, Strength::kPairwise);
    EXPECT_EQ(PairsOf(a.rows).size(), AllPairs(c.sizes)) << "a pair is missing";
    EXPECT_LE(a.rows.size(), c.max_rows);
    EXPECT_EQ(std::set<std::vector<std::uint32_t>>(a.rows.begin(), a.rows.end()).size(),
              a.rows.size())
        << "rows are unique";
    for (const auto& row : a.rows) {
      ASSERT_EQ(row.size(), c.sizes.size());
      for (std::size_t i = 0; i < row.size(); ++i) ASSERT_LT(row[i], c.sizes[i]);
    }
  }
}

TEST(CoveringArrayTest, PairwiseIsDeterministic) {
  const std::vector<std::size_t> sizes = {9, 4, 7, 3, 3, 8};
  const CoveringArray a = BuildCoveringArray(sizes, 500);
  const CoveringArray b = BuildCoveringArray(sizes, 500);
  EXPECT_EQ(a.rows, b.rows);
}

TEST(CoveringArrayTest, EachValueWhenEvenPairsExceedTheLimit) {
  const std::vector<std::size_t> sizes = {10, 10, 3};
  const CoveringArray a = BuildCoveringArray(sizes, 50);
  EXPECT_EQ(a.strength, Strength::kEachValue);
  ASSERT_EQ(a.rows.size(), 10u);
  for (std::size_t c = 0; c < sizes.size(); ++c) {
    std::set<std::uint32_t> seen;
    for (const auto& row : a.rows) seen.insert(row[c]);
    EXPECT_EQ(seen.size(), sizes[c]) << "every value of column " << c;
  }
  EXPECT_EQ(BuildCoveringArray(std::vector<std::size_t>{1000}, 40).rows.size(), 40u)
      << "truncated to the limit";
}

TEST(CoveringArrayTest, HugeProductsNeitherOverflowNorEnumerate) {
  const std::vector<std::size_t> sizes(8, std::size_t{1} << 20);
  const CoveringArray a = BuildCoveringArray(sizes, 1000);
  EXPECT_EQ(a.strength, Strength::kEachValue) << "2^160 combinations and 2^40 pairs";
  EXPECT_EQ(a.rows.size(), 1000u);
}

TEST(CoveringArrayTest, StrengthNames) {
  EXPECT_STREQ(ToString(Strength::kExhaustive), "exhaustive");
  EXPECT_STREQ(ToString(Strength::kPairwise), "pairwise");
  EXPECT_STREQ(ToString(Strength::kEachValue), "each_value");
}

}  // namespace
}  // namespace kt::permuter
