// Tests of the domain model: exact 64-bit integers, their order, and constant normalisation.
#include "ast_seeder/domain.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace ast_seeder {
namespace {

struct DecimalCase {
  ExactInt value;
  const char* decimal;
};
constexpr DecimalCase kDecimalCases[] = {
    {ExactInt::FromUnsigned(0), "0"},
    {ExactInt::FromSigned(-1), "-1"},
    {ExactInt::FromUnsigned(UINT64_MAX), "18446744073709551615"},
    {ExactInt::FromSigned(INT64_MIN), "-9223372036854775808"},
    {ExactInt::FromSigned(INT64_MAX), "9223372036854775807"},
    {ExactInt::FromSigned(0), "0"},
};

TEST(ExactIntTest, PrintsEveryInt64AndUint64ValueExactly) {
  for (const DecimalCase& c : kDecimalCases) {
    EXPECT_EQ(c.value.ToDecimal(), c.decimal);
  }
}

TEST(ExactIntTest, OrdersNumericallyAcrossSignedness) {
  // Ascending; a byte-wise or two's-complement order would misplace the negatives.
  const ExactInt ascending[] = {
      ExactInt::FromSigned(INT64_MIN), ExactInt::FromSigned(-2),
      ExactInt::FromSigned(-1),        ExactInt::FromUnsigned(0),
      ExactInt::FromSigned(1),         ExactInt::FromUnsigned(UINT64_MAX)};
  for (std::size_t i = 0; i + 1 < std::size(ascending); ++i) {
    EXPECT_LT(ascending[i], ascending[i + 1]) << i;
  }
  EXPECT_EQ(ExactInt::FromSigned(0), ExactInt::FromUnsigned(0));
}

TEST(NormalizeConstantsTest, SortsByValueThenRemovesDuplicates) {
  const HarvestedConstant big{
      ExactInt::FromUnsigned(UINT64_MAX), 64, false, ConstantUse::kCompare, "a.cc", 3};
  const HarvestedConstant neg{ExactInt::FromSigned(-1), 32, true, ConstantUse::kMask, "a.cc", 9};
  const HarvestedConstant zero{ExactInt::FromUnsigned(0), 32,     true,
                               ConstantUse::kSwitch,      "b.cc", 1};
  std::vector<HarvestedConstant> constants = {big, zero, neg, big, zero};
  NormalizeConstants(constants);
  ASSERT_EQ(constants.size(), 3u);
  EXPECT_EQ(constants[0], neg);
  EXPECT_EQ(constants[1], zero);
  EXPECT_EQ(constants[2], big);
}

}  // namespace
}  // namespace ast_seeder
