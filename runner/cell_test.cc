// Tests of the table spelling of parameter values: every kind round-trips, one spelling per value,
// precise errors. Depends on runner/cell.h and GoogleTest only.
#include "runner/cell.h"

#include <gtest/gtest.h>

namespace kt {
namespace {

ColumnSchema IntColumn(IntType t) {
  ColumnSchema c;
  c.name = "n";
  c.kind = ParamKind::kInt;
  c.int_type = t;
  return c;
}

ColumnSchema EnumColumn(ParamKind kind, IntType t = {32, true}) {
  ColumnSchema c;
  c.name = "e";
  c.kind = kind;
  c.int_type = t;
  if (kind == ParamKind::kFlags) {
    c.enum_name = "Perm";
    c.enumerators = {{"kNone", 0}, {"kRead", 1}, {"kWrite", 2}, {"kReadWrite", 3}, {"kExec", 4}};
  } else {
    c.enum_name = "MapOrder";
    c.enumerators = {{"kAFirst", 0}, {"kBFirst", 1}, {"kMinus", -1}, {"kAlias", 1}};
  }
  return c;
}

ColumnSchema SimpleColumn(ParamKind kind) {
  ColumnSchema c;
  c.name = "s";
  c.kind = kind;
  return c;
}

struct RoundTripCase {
  ColumnSchema column;
  Value value;
  std::string_view cell;
};

std::vector<RoundTripCase> RoundTripCases() {
  ColumnSchema strong = IntColumn({64, false});
  strong.kind = ParamKind::kStrongInt;
  ColumnSchema dec64 = IntColumn({64, false});
  dec64.format = IntFormat::kDecimal;
  return {
      {SimpleColumn(ParamKind::kBool), Value::Bool(true), "true"},
      {SimpleColumn(ParamKind::kBool), Value::Bool(false), "false"},
      {IntColumn({8, false}), Value::Int(255), "255"},
      {IntColumn({8, true}), Value::Int(-128), "-128"},
      {IntColumn({16, true}), Value::Int(-300), "-300"},
      {IntColumn({32, false}), Value::Int(4000000000u), "4000000000"},
      {IntColumn({64, true}), Value::Int(INT64_MIN), "-9223372036854775808"},
      {IntColumn({64, false}), Value::Int(0x2000), "0x2000"},
      {IntColumn({64, false}), Value::Int(UINT64_MAX), "0xffffffffffffffff"},
      {dec64, Value::Int(4096), "4096"},
      {strong, Value::Int(0xfffff000), "0xfffff000"},
      {EnumColumn(ParamKind::kEnum), Value::Enum(0), "MapOrder::kAFirst"},
      {EnumColumn(ParamKind::kEnum), Value::Enum(1), "MapOrder::kBFirst"},
      {EnumColumn(ParamKind::kEnum), Value::Enum(-1), "MapOrder::kMinus"},
      {EnumColumn(ParamKind::kEnum), Value::Enum(7), "MapOrder(7)"},
      {EnumColumn(ParamKind::kFlags), Value::Enum(0), "Perm::kNone"},
      {EnumColumn(ParamKind::kFlags), Value::Enum(1), "Perm::kRead"},
      {EnumColumn(ParamKind::kFlags), Value::Enum(3), "Perm::kRead|Perm::kWrite"},
      {EnumColumn(ParamKind::kFlags), Value::Enum(7), "Perm::kRead|Perm::kWrite|Perm::kExec"},
      {EnumColumn(ParamKind::kFlags), Value::Enum(0x85), "Perm::kRead|Perm::kExec|0x80"},
      {SimpleColumn(ParamKind::kString), Value::String(""), R"("")"},
      {SimpleColumn(ParamKind::kString), Value::String("a b\n\"c\"\\"), R"("a b\n\"c\"\\")"},
      {SimpleColumn(ParamKind::kString), Value::String(std::string("\0\xe9", 2)), R"("\x00\xe9")"},
      {SimpleColumn(ParamKind::kBytes), Value::Bytes(std::string("\x00\xff", 2)), R"(x"00ff")"},
      {SimpleColumn(ParamKind::kBytes), Value::Bytes(std::string()), R"(x"")"},
  };
}

TEST(CellTest, EveryKindRoundTripsThroughItsCanonicalSpelling) {
  for (const RoundTripCase& c : RoundTripCases()) {
    std::string error;
    const std::optional<std::string> cell = FormatCell(c.column, c.value, &error);
    ASSERT_TRUE(cell.has_value()) << c.cell << ": " << error;
    EXPECT_EQ(*cell, c.cell);
    const std::optional<Value> back = ParseCell(c.column, *cell, &error);
    ASSERT_TRUE(back.has_value()) << c.cell << ": " << error;
    EXPECT_EQ(*back, c.value) << c.cell;
  }
}

TEST(CellTest, FlagsWithoutAZeroEnumeratorPrintZero) {
  ColumnSchema c = EnumColumn(ParamKind::kFlags);
  c.enumerators.erase(c.enumerators.begin());
  std::string error;
  EXPECT_EQ(FormatCell(c, Value::Enum(0), &error), "0");
  EXPECT_EQ(ParseCell(c, "0", &error), Value::Enum(0));
}

TEST(CellTest, SignedFlagsKeepTheirSign) {
  ColumnSchema c = EnumColumn(ParamKind::kFlags, {8, true});
  c.enumerators = {{"kLow", 1}, {"kTop", -128}};
  std::string error;
  EXPECT_EQ(FormatCell(c, Value::Enum(-127), &error), "Perm::kLow|Perm::kTop");
  EXPECT_EQ(ParseCell(c, "Perm::kTop|Perm::kLow", &error), Value::Enum(-127));
}

struct LenientCase {
  ColumnSchema column;
  std::string_view cell;
  Value value;
};

TEST(CellTest, ParsingAcceptsEquivalentSpellings) {
  const LenientCase cases[] = {
      {IntColumn({64, false}), "8192", Value::Int(0x2000)},
      {IntColumn({32, true}), "0x10", Value::Int(16)},
      {EnumColumn(ParamKind::kEnum), "kBFirst", Value::Enum(1)},
      {EnumColumn(ParamKind::kFlags), "kWrite|Perm::kRead", Value::Enum(3)},
      {EnumColumn(ParamKind::kFlags), "Perm::kReadWrite", Value::Enum(3)},
      {EnumColumn(ParamKind::kFlags), "0x6", Value::Enum(6)},
  };
  for (const LenientCase& c : cases) {
    std::string error;
    EXPECT_EQ(ParseCell(c.column, c.cell, &error), c.value) << c.cell << ": " << error;
  }
}

struct BadCellCase {
  ColumnSchema column;
  std::string_view cell;
  std::string_view error;
};

TEST(CellTest, MalformedCellsGiveThePreciseReason) {
  const BadCellCase cases[] = {
      {SimpleColumn(ParamKind::kBool), "1", "expected true or false, got '1'"},
      {IntColumn({8, false}), "256", "256 is outside u8"},
      {IntColumn({8, false}), "-1", "-1 is outside u8"},
      {IntColumn({16, true}), "40000", "40000 is outside i16"},
      {IntColumn({32, false}), "12x", "bad integer '12x'"},
      {EnumColumn(ParamKind::kEnum), "MapOrder::kC", "unknown enumerator 'kC' of MapOrder"},
      {EnumColumn(ParamKind::kEnum), "Other::kAFirst",
       "'Other::kAFirst' is not an enumerator of MapOrder"},
      {EnumColumn(ParamKind::kEnum), "MapOrder(x)", "bad integer in 'MapOrder(x)'"},
      {EnumColumn(ParamKind::kEnum, {8, false}), "MapOrder(300)", "MapOrder(300) is outside u8"},
      {EnumColumn(ParamKind::kFlags), "Perm::kRead||Perm::kWrite", "empty flags term"},
      {EnumColumn(ParamKind::kFlags), "Perm::kRead|kBad", "unknown enumerator 'kBad' of Perm"},
      {SimpleColumn(ParamKind::kString), R"("abc)", "unterminated string"},
      {SimpleColumn(ParamKind::kString), R"("a"b)", "text after the closing '\"' of a string"},
      {SimpleColumn(ParamKind::kString), "abc", "expected '\"'"},
      {SimpleColumn(ParamKind::kBytes), R"(x"0")", "bytes need an even number of hex digits"},
  };
  for (const BadCellCase& c : cases) {
    std::string error;
    EXPECT_FALSE(ParseCell(c.column, c.cell, &error).has_value()) << c.cell;
    EXPECT_EQ(error, c.error) << c.cell;
  }
}

TEST(CellTest, FormattingRejectsValuesThatDoNotFitTheColumn) {
  std::string error;
  EXPECT_FALSE(FormatCell(IntColumn({8, false}), Value::Int(256), &error).has_value());
  EXPECT_EQ(error, "column n: 256 is outside u8");
  EXPECT_FALSE(FormatCell(IntColumn({8, false}), Value::String("x"), &error).has_value());
  EXPECT_EQ(error, "column n: expected a int value, got \"x\"");
  EXPECT_FALSE(FormatCell(EnumColumn(ParamKind::kEnum), Value::Int(1), &error).has_value());
}

TEST(CellTest, CallSetsPrintWithParameterNames) {
  const ColumnSchema columns[] = {IntColumn({64, false}), EnumColumn(ParamKind::kEnum)};
  const Value values[] = {Value::Int(0x1000), Value::Enum(1)};
  EXPECT_EQ(FormatCallSet(columns, values), "n=0x1000, e=MapOrder::kBFirst");
  const Value bad[] = {Value::String("x"), Value::Enum(1)};
  EXPECT_EQ(FormatCallSet(columns, bad), "n=\"x\", e=MapOrder::kBFirst");
}

}  // namespace
}  // namespace kt
