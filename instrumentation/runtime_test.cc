// Tests of the runtime in a binary with no instrumented code: it links, has zero guards, and
// its hooks, called directly, record exactly what they are given inside a window only.
#include "instrumentation/coverage.h"

#include <cstdint>
#include <limits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "instrumentation/sancov_interface.h"

extern "C" {
// Event callbacks the runtime defines only as weak, empty stubs.
void __sanitizer_cov_trace_pc();
void __sanitizer_cov_trace_pc_indir(std::uintptr_t callee);
void __sanitizer_cov_load4(std::uint32_t* addr);
void __sanitizer_cov_store8(std::uint64_t* addr);
}

namespace kt::coverage {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(RuntimeTest, UninstrumentedBinaryHasZeroGuardsAndWorks) {
  EXPECT_EQ(NumEdges(), 0u);
  EXPECT_EQ(NumModules(), 0u);
  EXPECT_THAT(HitCounts(), IsEmpty());
  EXPECT_EQ(GetModule(0), std::nullopt);
  EXPECT_EQ(DescribeEdge(0), std::nullopt);
  EXPECT_EQ(FindEdgeAtPc(reinterpret_cast<std::uintptr_t>(&NumEdges)), std::nullopt);
  EXPECT_TRUE(ModuleControlFlow(0).empty());
  EXPECT_EQ(Stats(), RuntimeStats{});

  BeginExecution();
  EXPECT_TRUE(InExecution());
  EndExecution();
  EXPECT_FALSE(InExecution());
  EXPECT_THAT(EdgesHit(), IsEmpty());
  EXPECT_THAT(CompareLog(), IsEmpty());
  EXPECT_EQ(DroppedCompares(), 0u);
}

struct HookCase {
  const char* hook;
  void (*call)();
  CompareKind kind;
  std::uint8_t width;
  std::uint64_t arg1;
  std::uint64_t arg2;
};

// Operands chosen with the top bit of their width set, so a sign extension would show.
constexpr HookCase kHookCases[] = {
    {"cmp1", [] { __sanitizer_cov_trace_cmp1(0x81, 0x7f); }, CompareKind::kCmp, 1, 0x81, 0x7f},
    {"cmp2", [] { __sanitizer_cov_trace_cmp2(0x8001, 2); }, CompareKind::kCmp, 2, 0x8001, 2},
    {"cmp4", [] { __sanitizer_cov_trace_cmp4(0x80000001, 3); }, CompareKind::kCmp, 4,
     0x80000001, 3},
    {"cmp8", [] { __sanitizer_cov_trace_cmp8(0x8000000000000001, 4); }, CompareKind::kCmp, 8,
     0x8000000000000001, 4},
    {"const_cmp1", [] { __sanitizer_cov_trace_const_cmp1(0xff, 5); }, CompareKind::kConstCmp, 1,
     0xff, 5},
    {"const_cmp2", [] { __sanitizer_cov_trace_const_cmp2(0xffff, 6); }, CompareKind::kConstCmp,
     2, 0xffff, 6},
    {"const_cmp4", [] { __sanitizer_cov_trace_const_cmp4(0xdeadbeef, 7); },
     CompareKind::kConstCmp, 4, 0xdeadbeef, 7},
    {"const_cmp8", [] { __sanitizer_cov_trace_const_cmp8(0xfeedfacecafebeef, 8); },
     CompareKind::kConstCmp, 8, 0xfeedfacecafebeef, 8},
    {"div4", [] { __sanitizer_cov_trace_div4(0xfffffffd); }, CompareKind::kDiv, 4, 0xfffffffd,
     0},
    {"div8", [] { __sanitizer_cov_trace_div8(0xfffffffffffffffd); }, CompareKind::kDiv, 8,
     0xfffffffffffffffd, 0},
    {"gep", [] { __sanitizer_cov_trace_gep(std::numeric_limits<std::uintptr_t>::max()); },
     CompareKind::kGep, 8, 0xffffffffffffffff, 0},
};

TEST(RuntimeTest, EachCompareHookRecordsKindWidthAndBothOperands) {
  for (const HookCase& c : kHookCases) {
    BeginExecution();
    c.call();
    EndExecution();
    ASSERT_EQ(CompareLog().size(), 1u) << c.hook;
    const CompareRecord& record = CompareLog()[0];
    EXPECT_EQ(record.kind, c.kind) << c.hook;
    EXPECT_EQ(record.width, c.width) << c.hook;
    EXPECT_EQ(record.arg1, c.arg1) << c.hook;
    EXPECT_EQ(record.arg2, c.arg2) << c.hook;
    EXPECT_EQ(record.switch_table, nullptr) << c.hook;
    EXPECT_NE(record.pc, 0u) << c.hook;
    EXPECT_THAT(SwitchCases(record), IsEmpty()) << c.hook;
  }
}

TEST(RuntimeTest, SwitchRecordPointsAtTheCaseTable) {
  // clang's layout: {number of cases, width in bits, cases ascending}.
  static std::uint64_t table[] = {3, 16, 1, 5, 0x9000};
  BeginExecution();
  __sanitizer_cov_trace_switch(0x9000, table);
  EndExecution();
  ASSERT_EQ(CompareLog().size(), 1u);
  const CompareRecord& record = CompareLog()[0];
  EXPECT_EQ(record.kind, CompareKind::kSwitch);
  EXPECT_EQ(record.width, 2);
  EXPECT_EQ(record.arg1, 0x9000u);
  EXPECT_EQ(record.switch_table, table);
  EXPECT_THAT(SwitchCases(record), ElementsAre(1, 5, 0x9000));
}

TEST(RuntimeTest, HooksRecordNothingOutsideAWindow) {
  static std::uint64_t table[] = {1, 32, 4};
  std::uint32_t guard = 1;  // a guard id with no module: lands in the sink slot either way
  BeginExecution();
  EndExecution();
  for (const HookCase& c : kHookCases) c.call();
  __sanitizer_cov_trace_switch(4, table);
  __sanitizer_cov_trace_pc_guard(&guard);
  EXPECT_THAT(CompareLog(), IsEmpty());
  EXPECT_EQ(DroppedCompares(), 0u);
  EXPECT_THAT(EdgesHit(), IsEmpty());
}

TEST(RuntimeTest, BeginExecutionClearsTheLogAndTheDropCount) {
  BeginExecution();
  for (std::uint64_t i = 0; i < kCompareLogCapacity + 3; ++i) __sanitizer_cov_trace_cmp8(i, 0);
  EndExecution();
  ASSERT_EQ(DroppedCompares(), 3u);
  BeginExecution();
  EndExecution();
  EXPECT_THAT(CompareLog(), IsEmpty());
  EXPECT_EQ(DroppedCompares(), 0u);
}

TEST(RuntimeTest, GuardsWithoutAnEdgeIdCountNowhere) {
  struct Case {
    const char* what;
    std::uint32_t guard;
  };
  constexpr Case kCases[] = {
      {"never registered", 0},
      {"a stray value past the counters", 0xffffffff},
  };
  for (const Case& c : kCases) {
    std::uint32_t guard = c.guard;
    BeginExecution();
    __sanitizer_cov_trace_pc_guard(&guard);
    EndExecution();
    EXPECT_THAT(EdgesHit(), IsEmpty()) << c.what;
  }
}

TEST(RuntimeTest, UnusedCoverageCallbacksLinkAndRecordNothing) {
  std::uint32_t word = 0;
  std::uint64_t dword = 0;
  BeginExecution();
  __sanitizer_cov_trace_pc();
  __sanitizer_cov_trace_pc_indir(reinterpret_cast<std::uintptr_t>(&NumEdges));
  __sanitizer_cov_load4(&word);
  __sanitizer_cov_store8(&dword);
  EndExecution();
  EXPECT_THAT(CompareLog(), IsEmpty());
  EXPECT_THAT(EdgesHit(), IsEmpty());
}

TEST(RuntimeTest, HitCountBucketsFollowLibFuzzersTable) {
  struct Case {
    std::uint8_t count;
    std::uint8_t bucket;
  };
  constexpr Case kCases[] = {
      {1, 0},  {2, 1},  {3, 2},   {4, 3},   {7, 3},   {8, 4},   {15, 4},
      {16, 5}, {31, 5}, {32, 6},  {127, 6}, {128, 7}, {255, 7},
  };
  for (const Case& c : kCases) EXPECT_EQ(HitCountBucket(c.count), c.bucket) << int{c.count};
}

}  // namespace
}  // namespace kt::coverage
