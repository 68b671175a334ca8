// Tests of permuter/domain.h: schema checks, bounds, admission and bit patterns.
#include "permuter/domain.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

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

ColumnSchema Flags(std::vector<Enumerator> enumerators, IntType type = {32, false}) {
  ColumnSchema c;
  c.name = "flags";
  c.kind = ParamKind::kFlags;
  c.int_type = type;
  c.enumerators = std::move(enumerators);
  return c;
}

ColumnSchema Enum(std::vector<Enumerator> enumerators) {
  ColumnSchema c = Flags(std::move(enumerators));
  c.kind = ParamKind::kEnum;
  return c;
}

TEST(DomainTest, ErrorsPrintAsCategoryAndSnakeCaseName) {
  const std::error_code ec = DomainError::kEmptyRange;
  EXPECT_STREQ(ec.category().name(), "kt.domain");
  EXPECT_EQ(ec.message(), "empty_range");
  EXPECT_STREQ(ToString(DomainError::kEnumeratorOutsideType), "enumerator_outside_type");
}

struct RejectCase {
  const char* what;
  ColumnSchema column;
  DomainError error;
};

TEST(DomainTest, CheckColumnRejectsMalformedSchemas) {
  const RejectCase cases[] = {
      {"width 12", Int(12, false), DomainError::kBadIntType},
      {"lo > hi", Ranged(32, false, Integer(10), Integer(9)), DomainError::kEmptyRange},
      {"hi beyond u8", Ranged(8, false, Integer(0), Integer(256)), DomainError::kRangeOutsideType},
      {"negative lo for unsigned", Ranged(16, false, Integer(-1), Integer(5)),
       DomainError::kRangeOutsideType},
      {"enum without enumerators", Enum({}), DomainError::kNoEnumerators},
      {"flags without enumerators", Flags({}), DomainError::kNoEnumerators},
      {"enumerator beyond u8", Flags({{"kBig", Integer(300)}}, {8, false}),
       DomainError::kEnumeratorOutsideType},
  };
  for (const RejectCase& c : cases) {
    const Expected<void> r = CheckColumn(c.column);
    ASSERT_FALSE(r.has_value()) << c.what;
    EXPECT_EQ(r.error().code, make_error_code(c.error)) << c.what;
    EXPECT_NE(r.error().message.find("'" + c.column.name + "'"), std::string::npos)
        << c.what << ": the message names the parameter: " << r.error().message;
  }
}

TEST(DomainTest, CheckColumnAcceptsWellFormedSchemas) {
  const ColumnSchema good[] = {
      Int(8, true),
      Int(64, false),
      Ranged(64, true, Integer(INT64_MIN), Integer(-1)),
      Ranged(32, false, Integer(7), Integer(7)),
      Enum({{"kA", Integer(0)}}),
      Flags({{"kHigh", Integer(INT32_MIN)}}, {32, true}),
  };
  for (const ColumnSchema& c : good) EXPECT_TRUE(CheckColumn(c).has_value());
  ColumnSchema text;
  text.kind = ParamKind::kString;
  text.int_type = {0, false};  // unused for strings, so never checked
  EXPECT_TRUE(CheckColumn(text).has_value());
}

struct BoundsCase {
  ColumnSchema column;
  Integer lo;
  Integer hi;
};

TEST(DomainTest, IntegerBoundsComeFromTheRangeElseTheType) {
  ColumnSchema boolean;
  boolean.kind = ParamKind::kBool;
  ColumnSchema strong = Ranged(64, false, Integer(0x1000), Integer(0xffff'f000));
  strong.kind = ParamKind::kStrongInt;
  const BoundsCase cases[] = {
      {Int(8, true), Integer(-128), Integer(127)},
      {Int(16, false), Integer(0), Integer(65535)},
      {Int(64, true), Integer(INT64_MIN), Integer(INT64_MAX)},
      {Int(64, false), Integer(0), Integer(UINT64_MAX)},
      {Ranged(32, true, Integer(-3), Integer(9)), Integer(-3), Integer(9)},
      {strong, Integer(0x1000), Integer(0xffff'f000)},
      {boolean, Integer(0), Integer(1)},
      {Flags({{"kA", Integer(1)}}, {8, false}), Integer(0), Integer(255)},
  };
  for (const BoundsCase& c : cases) {
    const std::optional<Bounds> b = IntegerBounds(c.column);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->lo, c.lo);
    EXPECT_EQ(b->hi, c.hi);
  }
  ColumnSchema bytes;
  bytes.kind = ParamKind::kBytes;
  EXPECT_FALSE(IntegerBounds(bytes).has_value());
}

struct AdmitCase {
  const char* what;
  ColumnSchema column;
  Integer value;
  bool admitted;
};

TEST(DomainTest, AdmitsOnlyValuesGenerationMayUse) {
  const ColumnSchema flags = Flags({{"kA", Integer(1)}, {"kC", Integer(4)}});
  const ColumnSchema signed_flags =
      Flags({{"kLow", Integer(1)}, {"kSign", Integer(-128)}}, {8, true});
  const ColumnSchema mode = Enum({{"kA", Integer(0)}, {"kB", Integer(5)}});
  const AdmitCase cases[] = {
      {"inside the range", Ranged(32, false, Integer(10), Integer(20)), Integer(15), true},
      {"below the range", Ranged(32, false, Integer(10), Integer(20)), Integer(9), false},
      {"above the type", Int(8, false), Integer(256), false},
      {"flags OR", flags, Integer(5), true},
      {"flags none", flags, Integer(0), true},
      {"a bit no flag has", flags, Integer(2), false},
      {"signed flags with the sign bit", signed_flags, Integer(-127), true},
      {"signed flags, foreign bit", signed_flags, Integer(2), false},
      {"an enumerator", mode, Integer(5), true},
      {"between enumerators", mode, Integer(3), false},
  };
  for (const AdmitCase& c : cases) EXPECT_EQ(Admits(c.column, c.value), c.admitted) << c.what;
}

TEST(DomainTest, FromPatternReadsTheLowBitsAsTheType) {
  EXPECT_EQ(FromPattern({8, true}, 0xff), Integer(-1));
  EXPECT_EQ(FromPattern({8, false}, 0x1ff), Integer(255));
  EXPECT_EQ(FromPattern({32, true}, 0x8000'0000), Integer(INT32_MIN));
  EXPECT_EQ(FromPattern({64, false}, UINT64_MAX), Integer(UINT64_MAX));
  EXPECT_EQ(FromPattern({64, true}, UINT64_MAX), Integer(-1));
}

TEST(DomainTest, MakeValueTakesTheColumnsValueKind) {
  ColumnSchema boolean;
  boolean.kind = ParamKind::kBool;
  EXPECT_EQ(MakeValue(boolean, Integer(1)), Value::Bool(true));
  EXPECT_EQ(MakeValue(Int(32, false), Integer(7)), Value::Int(Integer(7)));
  EXPECT_EQ(MakeValue(Flags({{"kA", Integer(1)}}), Integer(1)), Value::Enum(Integer(1)));
}

TEST(DomainTest, OnlyIntegersAndFlagsAreSteerableAndOnlyIntegersContiguous) {
  EXPECT_TRUE(IsSteerable(Int(32, false)));
  EXPECT_TRUE(IsSteerable(Flags({{"kA", Integer(1)}})));
  EXPECT_FALSE(IsSteerable(Enum({{"kA", Integer(1)}})));
  EXPECT_TRUE(IsContiguous(Int(32, false)));
  EXPECT_FALSE(IsContiguous(Flags({{"kA", Integer(1)}})));
}

}  // namespace
}  // namespace kt::permuter
