// Tests of permuter/value_order.h: numeric and simplicity orders.
#include "permuter/value_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace kt::permuter {
namespace {

std::vector<Value> Ints(std::initializer_list<std::int64_t> v) {
  std::vector<Value> out;
  for (const std::int64_t i : v) out.push_back(Value::Int(Integer(i)));
  return out;
}

TEST(ValueOrderTest, CompareValuesIsNumericWithinAKind) {
  std::vector<Value> v = Ints({5, -3, 0, INT64_MIN, 2});
  v.push_back(Value::Int(Integer(UINT64_MAX)));
  std::sort(v.begin(), v.end(),
            [](const Value& a, const Value& b) { return CompareValues(a, b) < 0; });
  std::vector<Value> want = Ints({INT64_MIN, -3, 0, 2, 5});
  want.push_back(Value::Int(Integer(UINT64_MAX)));
  EXPECT_EQ(v, want);
}

TEST(ValueOrderTest, CompareValuesOrdersKindsThenTextByLengthThenBytes) {
  EXPECT_TRUE(CompareValues(Value::Bool(true), Value::Int(Integer(0))) < 0);
  EXPECT_TRUE(CompareValues(Value::String("zz"), Value::String("aaa")) < 0);
  EXPECT_TRUE(CompareValues(Value::String("ab"), Value::String("b\x01")) < 0);
  EXPECT_TRUE(CompareValues(Value::Enum(Integer(3)), Value::Enum(Integer(3))) == 0);
}

TEST(ValueOrderTest, SimplicityPrefersSmallMagnitudesAndPositiveOnTies) {
  std::vector<Value> v = Ints({-2, 100, 0, 2, -1, 1});
  std::sort(v.begin(), v.end(),
            [](const Value& a, const Value& b) { return CompareSimplicity(a, b) < 0; });
  EXPECT_EQ(v, Ints({0, 1, -1, 2, -2, 100}));
}

TEST(ValueOrderTest, CallSetsCompareColumnByColumn) {
  EXPECT_TRUE(CompareCallSets(Ints({1, 9}), Ints({2, 0})) < 0);
  EXPECT_TRUE(CompareCallSets(Ints({1}), Ints({1, 0})) < 0);
  EXPECT_TRUE(CompareSimplicity(Ints({-1, 0}), Ints({1, 5})) > 0);
  EXPECT_TRUE(CallSetLess()(Ints({0, 1}), Ints({0, 2})));
}

}  // namespace
}  // namespace kt::permuter
