// Tests of permuter/seeds.h: the seed ladder of each parameter kind.
#include "permuter/seeds.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "permuter/value_order.h"

namespace kt::permuter {
namespace {

ColumnSchema Int(int bits, bool is_signed) {
  ColumnSchema c;
  c.name = "x";
  c.kind = ParamKind::kInt;
  c.int_type = {bits, is_signed};
  return c;
}

ColumnSchema Ranged(int bits, bool is_signed, Integer lo, Integer hi) {
  ColumnSchema c = Int(bits, is_signed);
  c.range_lo = lo;
  c.range_hi = hi;
  return c;
}

std::vector<Integer> Integers(const std::vector<Value>& values) {
  std::vector<Integer> out;
  for (const Value& v : values) out.push_back(v.as_integer());
  return out;
}

std::vector<Integer> I(std::initializer_list<std::int64_t> v) {
  return std::vector<Integer>(v.begin(), v.end());
}

std::vector<Value> Seeds(const ColumnSchema& c, std::vector<Integer> constants = {}) {
  Expected<std::vector<Value>> seeds = SeedValues(c, constants);
  EXPECT_TRUE(seeds.has_value());
  return seeds ? seeds.value() : std::vector<Value>{};
}

TEST(SeedsTest, BoolSeedsAreFalseAndTrue) {
  ColumnSchema c;
  c.kind = ParamKind::kBool;
  EXPECT_EQ(Seeds(c), (std::vector<Value>{Value::Bool(false), Value::Bool(true)}));
}

TEST(SeedsTest, EnumSeedsAreEveryEnumeratorOnceInNumericOrder) {
  ColumnSchema c;
  c.kind = ParamKind::kEnum;
  c.int_type = {8, true};
  c.enumerators = {{"kB", Integer(5)}, {"kA", Integer(-1)}, {"kAlias", Integer(5)}};
  EXPECT_EQ(Seeds(c, I({77})),
            (std::vector<Value>{Value::Enum(Integer(-1)), Value::Enum(Integer(5))}))
      << "enumerators only: harvested constants never become enum values";
}

TEST(SeedsTest, FlagSeedsAreNoneEachAllAndPairsButNotTriples) {
  ColumnSchema c;
  c.kind = ParamKind::kFlags;
  c.int_type = {32, false};
  c.enumerators = {{"kA", Integer(1)}, {"kB", Integer(2)}, {"kC", Integer(4)}, {"kD", Integer(8)}};
  const std::vector<Value> seeds = Seeds(c);
  ASSERT_TRUE(std::all_of(seeds.begin(), seeds.end(),
                          [](const Value& v) { return v.kind() == ValueKind::kEnum; }));
  EXPECT_EQ(Integers(seeds), I({0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15}));
}

TEST(SeedsTest, SignedFlagsKeepTheirSign) {
  ColumnSchema c;
  c.kind = ParamKind::kFlags;
  c.int_type = {8, true};
  c.enumerators = {{"kLow", Integer(1)}, {"kSign", Integer(-128)}};
  EXPECT_EQ(Integers(Seeds(c)), I({-128, -127, 0, 1}));
}

struct LadderCase {
  const char* what;
  ColumnSchema column;
  std::vector<Integer> constants;
  std::vector<Integer> seeds;
};

TEST(SeedsTest, IntegerSeedsFollowTheLadder) {
  const LadderCase cases[] = {
      {"u8: ends, 0/1, 128 +-1, 127", Int(8, false), {}, I({0, 1, 127, 128, 129, 254, 255})},
      {"i8: both ends, -1/0/1, 64 +-1, -128 +-1",
       Int(8, true),
       {},
       I({-128, -127, -1, 0, 1, 63, 64, 65, 126, 127})},
      {"KT_RANGE(0, 4096) with a harvested 512", Ranged(32, false, Integer(0), Integer(4096)),
       I({512}), I({0, 1, 127, 128, 255, 256, 511, 512, 513, 4095, 4096})},
      {"constants outside the range are dropped, at the end clipped",
       Ranged(16, false, Integer(10), Integer(20)), I({5, 20, 30}),
       I({10, 11, 15, 16, 17, 19, 20})},
      {"a negative-only range",
       Ranged(32, true, Integer(-300), Integer(-200)),
       {},
       I({-300, -299, -257, -256, -255, -201, -200})},
  };
  for (const LadderCase& c : cases) {
    EXPECT_EQ(Integers(Seeds(c.column, c.constants)), c.seeds) << c.what;
  }
}

TEST(SeedsTest, WideTypesKeepTheirExtremesExactly) {
  const std::vector<Integer> u64 = Integers(Seeds(Int(64, false)));
  EXPECT_EQ(u64.front(), Integer(0));
  EXPECT_EQ(u64.back(), Integer(UINT64_MAX));
  for (const std::uint64_t v : {std::uint64_t{0xffffffff}, std::uint64_t{1} << 32,
                                std::uint64_t{1} << 63, (std::uint64_t{1} << 63) - 1}) {
    EXPECT_NE(std::find(u64.begin(), u64.end(), Integer(v)), u64.end()) << v;
  }
  const std::vector<Integer> i64 = Integers(Seeds(Int(64, true)));
  EXPECT_EQ(i64.front(), Integer(INT64_MIN));
  EXPECT_EQ(i64.back(), Integer(INT64_MAX));
  EXPECT_NE(std::find(i64.begin(), i64.end(), Integer(INT32_MIN)), i64.end());
  EXPECT_NE(std::find(i64.begin(), i64.end(), Integer(std::int64_t{INT32_MIN} - 1)), i64.end());
}

TEST(SeedsTest, SeedsAreSortedAndUniqueWhateverTheConstants) {
  const std::vector<Value> seeds =
      Seeds(Int(32, true), I({3, 3, 2, -7, 1, INT32_MAX, INT32_MIN, 4}));
  EXPECT_TRUE(std::is_sorted(seeds.begin(), seeds.end(), [](const Value& a, const Value& b) {
    return CompareValues(a, b) < 0;
  }));
  EXPECT_EQ(std::adjacent_find(seeds.begin(), seeds.end()), seeds.end());
  const std::vector<Integer> ints = Integers(seeds);
  for (const std::int64_t want : {-8, -7, -6, 2, 3, 4, 5}) {
    EXPECT_NE(std::find(ints.begin(), ints.end(), Integer(want)), ints.end()) << want;
  }
}

TEST(SeedsTest, StrongIntegersSeedLikeIntegers) {
  ColumnSchema strong = Ranged(64, false, Integer(0x1000), Integer(0x2000));
  strong.kind = ParamKind::kStrongInt;
  const std::vector<Value> seeds = Seeds(strong);
  EXPECT_EQ(Integers(seeds), Integers(Seeds(Ranged(64, false, Integer(0x1000), Integer(0x2000)))));
  EXPECT_EQ(seeds.front(), Value::Int(Integer(0x1000)));
}

TEST(SeedsTest, StringAndBytesSeedsAreEmptyShortAndLongest) {
  ColumnSchema s;
  s.kind = ParamKind::kString;
  s.max_len = 4;
  EXPECT_EQ(Seeds(s),
            (std::vector<Value>{Value::String(""), Value::String("a"), Value::String("aaaa")}));
  ColumnSchema b;
  b.kind = ParamKind::kBytes;
  b.max_len = 0;
  EXPECT_EQ(Seeds(b),
            (std::vector<Value>{Value::Bytes(std::string()), Value::Bytes(std::string(1, '\0'))}));
}

TEST(SeedsTest, MalformedColumnIsAnError) {
  const Expected<std::vector<Value>> seeds =
      SeedValues(Ranged(32, false, Integer(5), Integer(1)), {});
  ASSERT_FALSE(seeds.has_value());
  EXPECT_STREQ(seeds.error().code.category().name(), "kt.domain");
}

}  // namespace
}  // namespace kt::permuter
