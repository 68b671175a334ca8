// Tests of permuter/compare_event.h: outcome codes and completeness per instruction kind.
#include "permuter/compare_event.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace kt::permuter {
namespace {

CompareEvent Const(int width, std::uint64_t constant, std::uint64_t variable) {
  return {1, CompareKind::kConstCmp, static_cast<std::uint8_t>(width), constant, variable, {}};
}

CompareEvent Switch(std::uint64_t value) {
  return {2, CompareKind::kSwitch, 4, value, 0, {3, 10, 0xffffffff}};
}

CompareEvent Div(int width, std::uint64_t divisor) {
  return {3, CompareKind::kDiv, static_cast<std::uint8_t>(width), divisor, 0, {}};
}

struct CodeCase {
  const char* what;
  CompareEvent event;
  std::uint32_t code;
};

TEST(CompareEventTest, OutcomeCodesReadBothSignednessesAtTheWidth) {
  const CodeCase cases[] = {
      {"equal", Const(4, 7, 7), 3 * 1 + 1},
      {"less both ways", Const(4, 1, 2), 0},
      {"greater both ways", Const(4, 9, 2), 3 * 2 + 2},
      {"0xffffffff: greater unsigned, less signed", Const(4, 0xffffffff, 1), 3 * 2 + 0},
      {"bits above the width are ignored", Const(1, 0x1ff, 0xff), 3 * 1 + 1},
      {"64-bit sign", Const(8, 1, UINT64_MAX), 3 * 0 + 2},
      {"switch: below every case", Switch(0), 0},
      {"switch: the first case", Switch(3), 1},
      {"switch: between the first two", Switch(4), 2},
      {"switch: the last case", Switch(0xffffffff), 5},
      {"div: zero", Div(4, 0), 1},
      {"div: positive", Div(4, 5), 2},
      {"div: negative at its width", Div(4, 0xfffffffe), 0},
  };
  for (const CodeCase& c : cases) EXPECT_EQ(CompareOutcome(c.event), c.code) << c.what;
}

TEST(CompareEventTest, CompareIsCompleteAfterBelowEqualAndAbove) {
  OutcomeSet s;
  s.Add(Const(4, 10, 3));
  s.Add(Const(4, 10, 20));
  EXPECT_FALSE(s.Complete()) << "never equal: the == branch may still be unreached";
  s.Add(Const(4, 10, 10));
  EXPECT_TRUE(s.Complete());
}

TEST(CompareEventTest, SignedReadingAloneCanCompleteACompare) {
  OutcomeSet s;
  s.Add(Const(4, 0, 0xffffffff));  // signed: 0 > -1; unsigned: 0 < 0xffffffff
  s.Add(Const(4, 0, 0));
  EXPECT_FALSE(s.Complete());
  s.Add(Const(4, 0, 1));  // signed and unsigned: 0 < 1
  EXPECT_TRUE(s.Complete()) << "signed reading saw >, = and <";
}

TEST(CompareEventTest, SwitchIsCompleteAfterEveryCaseAndADefault) {
  OutcomeSet s;
  for (const std::uint64_t v : {3u, 10u, 0xffffffffu}) s.Add(Switch(v));
  EXPECT_FALSE(s.Complete()) << "no value outside the cases yet";
  s.Add(Switch(11));
  EXPECT_TRUE(s.Complete());
  EXPECT_TRUE(s.Contains(1));
  EXPECT_FALSE(s.Contains(0));
}

TEST(CompareEventTest, DivisorIsCompleteAfterZeroAndNonZero) {
  OutcomeSet s;
  s.Add(Div(8, 12));
  EXPECT_FALSE(s.Complete());
  s.Add(Div(8, 0));
  EXPECT_TRUE(s.Complete());
}

}  // namespace
}  // namespace kt::permuter
