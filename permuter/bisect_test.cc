// Tests of permuter/bisect.h: KernelTest's divide and conquer.
#include "permuter/bisect.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace kt::permuter {
namespace {

std::vector<Integer> U32Points() {
  return {Integer(0),          Integer(1),          Integer(127),
          Integer(128),        Integer(65535),      Integer(65536),
          Integer(0x7fffffff), Integer(0x80000000), Integer(0xffffffff)};
}

std::uint32_t X(const Integer& x) { return static_cast<std::uint32_t>(x.bits()); }

// The three-way order of 3x + 7 (u32, wrapping) and 1234567.
ProbeKey LinearKey(const Integer& x) {
  const std::uint32_t y = 3 * X(x) + 7;
  return y < 1234567 ? 0 : (y == 1234567 ? 1 : 2);
}

TEST(BisectTest, FindsWhereALinearOperandCrossesTheConstantFromBothSides) {
  std::size_t probes = 0;
  const std::vector<Boundary> b = FindBoundaries(
      U32Points(),
      [&](const Integer& x) -> std::optional<ProbeKey> {
        ++probes;
        return LinearKey(x);
      },
      16);
  ASSERT_GE(b.size(), 2u);
  EXPECT_EQ(b[0], (Boundary{Integer(411519), Integer(411520)}));
  EXPECT_EQ(b[1], (Boundary{Integer(411520), Integer(411521)}));
  EXPECT_LE(probes, U32Points().size() + 64 * b.size()) << "log2 of the range per boundary";
}

TEST(BisectTest, FindsBothEdgesOfAWindowWhenAPointIsInside) {
  const auto key = [](const Integer& x) -> std::optional<ProbeKey> {
    const std::uint32_t v = X(x);
    return v > 1000000 && v < 1000010;
  };
  std::vector<Integer> points = U32Points();
  EXPECT_TRUE(FindBoundaries(points, key, 8).empty())
      << "a window between two probes with equal keys is invisible (documented limit)";
  points.insert(points.begin() + 6, Integer(1000005));
  EXPECT_EQ(FindBoundaries(points, key, 8),
            (std::vector<Boundary>{{Integer(1000000), Integer(1000001)},
                                   {Integer(1000009), Integer(1000010)}}));
}

TEST(BisectTest, WorksAcrossTheWholeSigned64BitRange) {
  const std::vector<Integer> points = {Integer(INT64_MIN), Integer(INT64_MAX)};
  const std::vector<Boundary> b = FindBoundaries(
      points, [](const Integer& x) -> std::optional<ProbeKey> { return x < Integer(-12345); }, 4);
  EXPECT_EQ(b, (std::vector<Boundary>{{Integer(-12346), Integer(-12345)}}));
}

TEST(BisectTest, StopsWhenTheProbeSaysSo) {
  int calls = 0;
  const std::vector<Boundary> b = FindBoundaries(
      U32Points(),
      [&](const Integer& x) -> std::optional<ProbeKey> {
        if (++calls > 12) return std::nullopt;
        return LinearKey(x);
      },
      16);
  EXPECT_EQ(calls, 13) << "no probe after the one that said stop";
  EXPECT_TRUE(b.empty());
}

TEST(BisectTest, ReportsAtMostMaxBoundaries) {
  const auto parity_of_hundreds = [](const Integer& x) -> std::optional<ProbeKey> {
    return (X(x) / 100) % 2;
  };
  const std::vector<Integer> points = {Integer(0), Integer(150), Integer(250), Integer(350)};
  EXPECT_EQ(FindBoundaries(points, parity_of_hundreds, 2).size(), 2u);
  EXPECT_EQ(FindBoundaries(points, parity_of_hundreds, 100).size(), 3u);
}

TEST(BisectTest, OutOfOrderNeighboursAreSkipped) {
  const std::vector<Integer> points = {Integer(10), Integer(0)};
  EXPECT_TRUE(FindBoundaries(
                  points, [](const Integer& x) -> std::optional<ProbeKey> { return X(x) > 5; }, 4)
                  .empty());
}

}  // namespace
}  // namespace kt::permuter
