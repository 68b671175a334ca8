// Tests of permuter/feedback.h: input-to-state across widths and signs, switch cases, div
// and gep.
#include "permuter/feedback.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace kt::permuter {
namespace {

ColumnSchema Int(int bits, bool is_signed) {
  ColumnSchema c;
  c.name = "x";
  c.kind = ParamKind::kInt;
  c.int_type = {bits, is_signed};
  return c;
}

CompareEvent Const(int width, std::uint64_t constant, std::uint64_t variable) {
  return {1, CompareKind::kConstCmp, static_cast<std::uint8_t>(width), constant, variable, {}};
}

std::vector<Integer> ValuesFor(std::size_t column, const std::vector<Mutation>& m) {
  std::vector<Integer> out;
  for (const Mutation& x : m) {
    if (x.column == column) out.push_back(x.value);
  }
  return out;
}

std::vector<Integer> Propose(const ColumnSchema& column, Integer x, std::vector<CompareEvent> log) {
  const std::vector<ColumnSchema> columns = {column};
  const std::vector<Value> call_set = {Value::Int(x)};
  return ValuesFor(0, ProposeMutations(columns, call_set, log));
}

bool Has(const std::vector<Integer>& v, Integer x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(FeedbackTest, Magic32ProposesTheConstantAndItsNeighbours) {
  EXPECT_EQ(Propose(Int(32, false), Integer(5), {Const(4, 0xdeadbeef, 5)}),
            (std::vector<Integer>{Integer(0xdeadbeef), Integer(0xdeadbef0), Integer(0xdeadbeee)}));
}

TEST(FeedbackTest, Magic64ProposesTheConstant) {
  const std::vector<Integer> v =
      Propose(Int(64, false), Integer(0), {Const(8, 0x0123456789abcdef, 0)});
  EXPECT_TRUE(Has(v, Integer(0x0123456789abcdef)));
  EXPECT_TRUE(Has(v, Integer(0x0123456789abcdee)));
}

struct WidthCase {
  const char* what;
  ColumnSchema column;
  Integer x;
  CompareEvent event;
  Integer wanted;
};

TEST(FeedbackTest, InputToStateSeesThroughWidthsAndSigns) {
  const WidthCase cases[] = {
      {"u64 truncated to 32 bits keeps its high bits", Int(64, false), Integer(0x1'0000'0005),
       Const(4, 0xdeadbeef, 5), Integer(0x1'dead'beef)},
      {"u64 truncated to 32 bits: the plain constant too", Int(64, false), Integer(0x1'0000'0005),
       Const(4, 0xdeadbeef, 5), Integer(0xdeadbeef)},
      {"i32 sign-extended to 64 bits", Int(32, true), Integer(-1),
       Const(8, static_cast<std::uint64_t>(-16), UINT64_MAX), Integer(-16)},
      {"i8 zero-extended to 32 bits", Int(8, true), Integer(-1), Const(4, 0x80, 0xff),
       Integer(-128)},
      {"a variable operand on the left (cmp)", Int(16, false), Integer(3),
       CompareEvent{9, CompareKind::kCmp, 2, 3, 777, {}}, Integer(777)},
      {"the constant's lower neighbour for <", Int(32, true), Integer(0), Const(4, 1000, 0),
       Integer(999)},
  };
  for (const WidthCase& c : cases) {
    const std::vector<Integer> v = Propose(c.column, c.x, {c.event});
    EXPECT_TRUE(Has(v, c.wanted)) << c.what;
  }
}

TEST(FeedbackTest, OperandsThatAreNotTheParameterProposeNothing) {
  EXPECT_TRUE(Propose(Int(32, false), Integer(5), {Const(4, 1234567, 22)}).empty())
      << "3 * 5 + 7 = 22 is computed: bisection's job, not input-to-state's";
}

TEST(FeedbackTest, OnlyAdmittedValuesOtherThanTheCurrentOne) {
  ColumnSchema ranged = Int(32, false);
  ranged.range_lo = Integer(0);
  ranged.range_hi = Integer(100);
  const std::vector<Integer> v = Propose(ranged, Integer(50), {Const(4, 100, 50)});
  EXPECT_EQ(v, (std::vector<Integer>{Integer(100), Integer(99)})) << "101 is out of range";
  EXPECT_TRUE(Propose(Int(32, false), Integer(7), {Const(4, 7, 7)}) ==
              (std::vector<Integer>{Integer(8), Integer(6)}))
      << "7 itself is not a mutation";
}

TEST(FeedbackTest, SwitchProposesEveryCaseAndNeighbours) {
  const CompareEvent sw{4, CompareKind::kSwitch, 4, 0, 0, {3, 40, 0xfffffffb}};
  EXPECT_EQ(Propose(Int(32, true), Integer(0), {sw}),
            (std::vector<Integer>{Integer(3), Integer(4), Integer(2), Integer(40), Integer(41),
                                  Integer(39), Integer(-5), Integer(-4), Integer(-6)}));
}

TEST(FeedbackTest, DivisorIsSteeredToZero) {
  const CompareEvent div{5, CompareKind::kDiv, 4, 9, 0, {}};
  EXPECT_EQ(Propose(Int(32, true), Integer(9), {div}),
            (std::vector<Integer>{Integer(0), Integer(1), Integer(-1)}));
}

TEST(FeedbackTest, ArrayIndexIsSteeredToZeroMinusOneAndEverySmallIndex) {
  const CompareEvent gep{6, CompareKind::kGep, 8, 70, 0, {}};
  const std::vector<Integer> v = Propose(Int(32, true), Integer(70), {gep});
  EXPECT_TRUE(Has(v, Integer(0)));
  EXPECT_TRUE(Has(v, Integer(-1)));
  for (std::int64_t i = 0; i < 64; ++i) EXPECT_TRUE(Has(v, Integer(i))) << i;
}

TEST(FeedbackTest, FlagsTakeOnlyOrsOfTheirBits) {
  ColumnSchema flags;
  flags.kind = ParamKind::kFlags;
  flags.int_type = {32, false};
  flags.enumerators = {{"kA", Integer(1)}, {"kB", Integer(4)}, {"kC", Integer(8)}};
  const std::vector<Integer> v = Propose(flags, Integer(5), {Const(4, 13, 5)});
  EXPECT_EQ(v, (std::vector<Integer>{Integer(13), Integer(12)})) << "14 has a foreign bit";
  const std::vector<ColumnSchema> columns = {flags};
  const std::vector<Value> call_set = {Value::Enum(Integer(5))};
  EXPECT_EQ(
      ProposeMutations(columns, call_set, std::vector<CompareEvent>{Const(4, 13, 5)})[0].value,
      Integer(13));
}

TEST(FeedbackTest, EnumsAndBoolsAreNotSteered) {
  ColumnSchema mode;
  mode.kind = ParamKind::kEnum;
  mode.int_type = {32, false};
  mode.enumerators = {{"kA", Integer(0)}, {"kB", Integer(1)}};
  ColumnSchema boolean;
  boolean.kind = ParamKind::kBool;
  const std::vector<ColumnSchema> columns = {mode, boolean};
  const std::vector<Value> call_set = {Value::Enum(Integer(0)), Value::Bool(false)};
  EXPECT_TRUE(
      ProposeMutations(columns, call_set, std::vector<CompareEvent>{Const(4, 1, 0)}).empty());
}

TEST(FeedbackTest, MutationsNameTheirColumnAndStayWithinTheCap) {
  const std::vector<ColumnSchema> columns = {Int(32, false), Int(32, false)};
  const std::vector<Value> call_set = {Value::Int(Integer(1)), Value::Int(Integer(2))};
  const std::vector<CompareEvent> log = {Const(4, 100, 2), Const(4, 200, 1)};
  const std::vector<Mutation> m = ProposeMutations(columns, call_set, log);
  EXPECT_EQ(ValuesFor(0, m), (std::vector<Integer>{Integer(200), Integer(201), Integer(199)}));
  EXPECT_EQ(ValuesFor(1, m), (std::vector<Integer>{Integer(100), Integer(101), Integer(99)}));
  EXPECT_EQ(ProposeMutations(columns, call_set, log, 2).size(), 2u);
}

TEST(FeedbackTest, UnknownWidthsAreIgnored) {
  EXPECT_TRUE(Propose(Int(32, false), Integer(5), {Const(3, 9, 5)}).empty());
}

}  // namespace
}  // namespace kt::permuter
