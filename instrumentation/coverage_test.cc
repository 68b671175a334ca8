// Tests of the runtime on instrumented fixtures of known shape (test_fixtures.h, built at -O0
// with kt_instrument) and on a second instrumented module (test_dso_fixture.h). This file is
// not instrumented, so a window sees exactly the fixture code it runs.
#include "instrumentation/coverage.h"

#include <cstdint>
#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "instrumentation/test_dso_fixture.h"
#include "instrumentation/test_fixtures.h"

namespace kt::coverage {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::IsEmpty;

template <class F>
std::uintptr_t Pc(F* function) {
  return reinterpret_cast<std::uintptr_t>(function);
}

// The module whose pc-table holds `function`'s entry block.
std::optional<std::uint32_t> ModuleOf(std::uintptr_t function) {
  const std::optional<std::uint32_t> edge = FindEdgeAtPc(function);
  if (!edge) return std::nullopt;
  return DescribeEdge(*edge)->module;
}

// The edges of an if/else function: its entry block and the two blocks it branches to.
struct Diamond {
  std::uint32_t entry_edge, then_edge, else_edge;
};

// Finds a diamond's edges through the control-flow table: the entry block's two successors
// are the then- and else-blocks, in branch order.
std::optional<Diamond> FindDiamond(std::uintptr_t function) {
  const std::optional<std::uint32_t> module = ModuleOf(function);
  if (!module) return std::nullopt;
  const ControlFlowGraph cfg = ModuleControlFlow(*module);
  const ControlFlowBlock* entry = cfg.Find(function);
  if (entry == nullptr || entry->successors.size() != 2) return std::nullopt;
  const auto entry_edge = FindEdgeAtPc(function);
  const auto then_edge = FindEdgeAtPc(entry->successors[0]);
  const auto else_edge = FindEdgeAtPc(entry->successors[1]);
  if (!then_edge || !else_edge) return std::nullopt;
  return Diamond{*entry_edge, *then_edge, *else_edge};
}

TEST(CoverageTest, IfElseHitsTheTakenBranchAndNotTheOther) {
  const std::optional<Diamond> diamond = FindDiamond(Pc(&fixtures::Diamond));
  ASSERT_TRUE(diamond.has_value());
  struct Case {
    bool take_then;
    std::uint32_t taken;
  };
  const Case kCases[] = {{true, diamond->then_edge}, {false, diamond->else_edge}};
  for (const Case& c : kCases) {
    BeginExecution();
    fixtures::Diamond(c.take_then);
    EndExecution();
    EXPECT_THAT(EdgesHit(), ElementsAre(EdgeHit{diamond->entry_edge, 1, 0}, EdgeHit{c.taken, 1, 0}))
        << c.take_then;
    EXPECT_THAT(CompareLog(), IsEmpty());
  }
}

TEST(CoverageTest, DiamondBranchesMeetAtOneJoinBlockWithNoSuccessor) {
  const ControlFlowGraph cfg = ModuleControlFlow(ModuleOf(Pc(&fixtures::Diamond)).value());
  const ControlFlowBlock* entry = cfg.Find(Pc(&fixtures::Diamond));
  ASSERT_NE(entry, nullptr);
  ASSERT_EQ(entry->successors.size(), 2u);
  const ControlFlowBlock* then_block = cfg.Find(entry->successors[0]);
  const ControlFlowBlock* else_block = cfg.Find(entry->successors[1]);
  ASSERT_NE(then_block, nullptr);
  ASSERT_NE(else_block, nullptr);
  ASSERT_EQ(then_block->successors.size(), 1u);
  EXPECT_THAT(else_block->successors, ElementsAre(then_block->successors[0]));
  const ControlFlowBlock* join = cfg.Find(then_block->successors[0]);
  ASSERT_NE(join, nullptr);
  EXPECT_NE(join->pc, then_block->pc);
  EXPECT_NE(join->pc, else_block->pc);
  EXPECT_THAT(join->successors, IsEmpty());
  for (const ControlFlowBlock* block : {entry, then_block, else_block, join}) {
    EXPECT_THAT(block->callees, IsEmpty());
  }
}

TEST(CoverageTest, CallRowNamesTheCalleeAndIndirectCallsAreMarked) {
  const ControlFlowGraph cfg = ModuleControlFlow(ModuleOf(Pc(&fixtures::CallsCallee)).value());
  struct Case {
    std::uintptr_t function;
    std::uintptr_t callee;
  };
  const Case kCases[] = {
      {Pc(&fixtures::CallsCallee), Pc(&fixtures::Callee)},
      {Pc(&fixtures::CallThrough), kIndirectCallee},
  };
  for (const Case& c : kCases) {
    const ControlFlowBlock* block = cfg.Find(c.function);
    ASSERT_NE(block, nullptr);
    EXPECT_THAT(block->callees, ElementsAre(c.callee));
    EXPECT_THAT(block->successors, IsEmpty());
  }
}

// One record expected from running one fixture once.
struct CompareCase {
  const char* what;
  void (*run)();
  CompareKind kind;
  std::uint8_t width;
  std::uint64_t arg1;
  std::uint64_t arg2;
};

int g_values[5] = {10, 11, 12, 13, 14};

const CompareCase kCompareCases[] = {
    {"x == 0xdeadbeef, x = 0", [] { fixtures::IsMagic(0); }, CompareKind::kConstCmp, 4,
     0xdeadbeef, 0},
    {"x == 0xdeadbeef, x = 0xdeadbeee", [] { fixtures::IsMagic(0xdeadbeee); },
     CompareKind::kConstCmp, 4, 0xdeadbeef, 0xdeadbeee},
    {"a == b, 8 bytes", [] { fixtures::Equal64(0x0123456789abcdef, 0xfedcba9876543210); },
     CompareKind::kCmp, 8, 0x0123456789abcdef, 0xfedcba9876543210},
    {"switch (7)", [] { fixtures::Classify(7); }, CompareKind::kSwitch, 4, 7, 0},
    {"switch (41)", [] { fixtures::Classify(41); }, CompareKind::kSwitch, 4, 41, 0},
    {"100u / 7u", [] { fixtures::Divide32(100, 7); }, CompareKind::kDiv, 4, 7, 0},
    {"-100 / -3, 64-bit", [] { fixtures::Divide64(-100, -3); }, CompareKind::kDiv, 8,
     0xfffffffffffffffd, 0},
    {"base[3]", [] { fixtures::ElementAt(g_values, 3); }, CompareKind::kGep, 8, 3, 0},
    {"base[-2]", [] { fixtures::ElementAt(g_values + 2, -2); }, CompareKind::kGep, 8,
     0xfffffffffffffffe, 0},
};

TEST(CoverageTest, EachCompareSiteLogsItsKindWidthAndOperands) {
  for (const CompareCase& c : kCompareCases) {
    BeginExecution();
    c.run();
    EndExecution();
    ASSERT_EQ(CompareLog().size(), 1u) << c.what;
    const CompareRecord& record = CompareLog()[0];
    EXPECT_EQ(record.kind, c.kind) << c.what;
    EXPECT_EQ(record.width, c.width) << c.what;
    EXPECT_EQ(record.arg1, c.arg1) << c.what;
    EXPECT_EQ(record.arg2, c.arg2) << c.what;
  }
}

TEST(CoverageTest, CompareSiteHasOnePcInsideItsFunction) {
  std::uintptr_t pcs[2];
  for (std::uint32_t x : {1u, 2u}) {
    BeginExecution();
    fixtures::IsMagic(x);
    EndExecution();
    ASSERT_EQ(CompareLog().size(), 1u);
    pcs[x - 1] = CompareLog()[0].pc;
  }
  EXPECT_EQ(pcs[0], pcs[1]);
  EXPECT_GT(pcs[0], Pc(&fixtures::IsMagic));
}

TEST(CoverageTest, SwitchRecordListsTheCasesAscending) {
  BeginExecution();
  fixtures::Classify(2);
  EndExecution();
  ASSERT_EQ(CompareLog().size(), 1u);
  EXPECT_THAT(SwitchCases(CompareLog()[0]), ElementsAre(2, 7, 40));  // written 7, 2, 40
}

TEST(CoverageTest, LoopHitCountsFallIntoLibFuzzerBuckets) {
  const std::optional<std::uint32_t> tick = FindEdgeAtPc(Pc(&fixtures::Tick));
  ASSERT_TRUE(tick.has_value());
  struct Case {
    std::uint32_t runs;
    std::uint8_t count;
    std::uint8_t bucket;
  };
  constexpr Case kCases[] = {
      {1, 1, 0},     {2, 2, 1},     {3, 3, 2},     {4, 4, 3},     {7, 7, 3},
      {8, 8, 4},     {15, 15, 4},   {16, 16, 5},   {31, 31, 5},   {32, 32, 6},
      {127, 127, 6}, {128, 128, 7}, {255, 255, 7}, {300, 255, 7},  // saturates, never wraps
  };
  for (const Case& c : kCases) {
    BeginExecution();
    fixtures::TickTimes(c.runs);
    EndExecution();
    EXPECT_EQ(HitCounts()[*tick], c.count) << c.runs;
    EXPECT_THAT(EdgesHit(), Contains(EdgeHit{*tick, c.count, c.bucket})) << c.runs;
  }
}

TEST(CoverageTest, HooksRecordNothingOutsideAWindow) {
  const std::optional<Diamond> diamond = FindDiamond(Pc(&fixtures::Diamond));
  ASSERT_TRUE(diamond.has_value());
  BeginExecution();
  fixtures::Diamond(true);
  EndExecution();
  fixtures::Diamond(false);
  fixtures::TickTimes(3);
  fixtures::IsMagic(1);
  fixtures::Classify(2);
  fixtures::Divide32(1, 1);
  EXPECT_THAT(EdgesHit(),
              ElementsAre(EdgeHit{diamond->entry_edge, 1, 0}, EdgeHit{diamond->then_edge, 1, 0}));
  EXPECT_THAT(CompareLog(), IsEmpty());
  EXPECT_EQ(DroppedCompares(), 0u);
}

TEST(CoverageTest, CompareLogKeepsTheFirstRecordsAndCountsTheRestAsDropped) {
  constexpr std::uint32_t kExtra = 7;
  BeginExecution();
  for (std::uint32_t x = 0; x < kCompareLogCapacity + kExtra; ++x) fixtures::IsMagic(x);
  EndExecution();
  ASSERT_EQ(CompareLog().size(), kCompareLogCapacity);
  EXPECT_EQ(DroppedCompares(), kExtra);
  EXPECT_EQ(CompareLog().front().arg2, 0u);
  EXPECT_EQ(CompareLog().back().arg2, kCompareLogCapacity - 1);
}

TEST(CoverageTest, EdgeInfoGivesTheBlockPcAndItsFunction) {
  const std::optional<Diamond> diamond = FindDiamond(Pc(&fixtures::Diamond));
  ASSERT_TRUE(diamond.has_value());
  const std::optional<EdgeInfo> entry = DescribeEdge(diamond->entry_edge);
  const std::optional<EdgeInfo> then_block = DescribeEdge(diamond->then_edge);
  ASSERT_TRUE(entry.has_value());
  ASSERT_TRUE(then_block.has_value());
  EXPECT_EQ(entry->pc, Pc(&fixtures::Diamond));
  EXPECT_EQ(entry->function_entry, Pc(&fixtures::Diamond));
  EXPECT_TRUE(entry->is_function_entry);
  EXPECT_NE(then_block->pc, Pc(&fixtures::Diamond));
  EXPECT_EQ(then_block->function_entry, Pc(&fixtures::Diamond));
  EXPECT_FALSE(then_block->is_function_entry);
  EXPECT_EQ(then_block->module, entry->module);
}

TEST(CoverageTest, EdgeIdIsTheModuleBasePlusTheGuardIndex) {
  std::uint32_t next = 0;
  for (std::size_t m = 0; m < NumModules(); ++m) {
    const ModuleInfo module = GetModule(m).value();
    EXPECT_EQ(module.first_edge, next) << m;
    EXPECT_EQ(module.num_edges, module.num_guards) << m;
    next += module.num_edges;
  }
  EXPECT_EQ(next, NumEdges());
  for (std::uint32_t edge = 0; edge < NumEdges(); ++edge) {
    const EdgeInfo info = DescribeEdge(edge).value();
    EXPECT_EQ(GetModule(info.module)->first_edge + info.index_in_module, edge);
  }
}

TEST(CoverageTest, SharedLibraryIsTheFirstModuleAndTheExecutableTheSecond) {
  ASSERT_EQ(NumModules(), 2u);
  EXPECT_EQ(ModuleOf(Pc(&dso_fixture::DsoDiamond)), 0u);  // library constructors run first
  EXPECT_EQ(ModuleOf(Pc(&fixtures::Diamond)), 1u);
  const ModuleInfo library = GetModule(0).value();
  EXPECT_THAT(library.path, EndsWith("libinstrumentation_test_dso_fixture.so"));
  EXPECT_NE(library.load_base, GetModule(1)->load_base);
  for (std::size_t m = 0; m < 2; ++m) {
    EXPECT_TRUE(GetModule(m)->has_pc_table) << m;
    EXPECT_TRUE(GetModule(m)->has_control_flow) << m;
  }
  EXPECT_EQ(Stats(), RuntimeStats{});
}

TEST(CoverageTest, SharedLibraryBranchHitsItsOwnModulesEdges) {
  const std::optional<Diamond> diamond = FindDiamond(Pc(&dso_fixture::DsoDiamond));
  ASSERT_TRUE(diamond.has_value());
  BeginExecution();
  dso_fixture::DsoDiamond(false);
  EndExecution();
  EXPECT_THAT(EdgesHit(),
              ElementsAre(EdgeHit{diamond->entry_edge, 1, 0}, EdgeHit{diamond->else_edge, 1, 0}));
  EXPECT_LT(diamond->else_edge, GetModule(0)->num_edges);
}

}  // namespace
}  // namespace kt::coverage
