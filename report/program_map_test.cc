// Tests of the program map (report/program_map.h) on synthetic tables and on the
// instrumented fixtures (test_fixtures.h) of this binary.
#include "report/program_map.h"

#include <cstdint>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "instrumentation/coverage.h"
#include "report/test_fixtures.h"

namespace kt::report {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::IsEmpty;

template <class F>
std::uintptr_t Pc(F* function) {
  return reinterpret_cast<std::uintptr_t>(function);
}

// Two functions in one table: f at 100 (blocks 100, 110, 120) calling g at 200 (one block),
// and g calling through a pointer. Edges: 0 and 1 in f (120 pruned), 2 in g.
ProgramMap TwoFunctions() {
  const std::uintptr_t table[] = {
      100, 110, 0, 0,                             //
      110, 120, 0, 200, 0,                        //
      120, 0, 0,                                  //
      200, 0, coverage::kIndirectCallee, 0,       //
  };
  return ProgramMap({{2, 200, 200}, {0, 100, 100}, {1, 110, 100}},
                    {coverage::ControlFlowGraph::Parse(table)});
}

TEST(ProgramMapTest, SplitsTableRowsIntoFunctionsAtEntryRows) {
  const ProgramMap map = TwoFunctions();
  ASSERT_EQ(map.functions().size(), 2u);
  const FunctionInfo* f = map.FindFunction(100);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->num_blocks, 3u);
  EXPECT_THAT(f->edges, ElementsAre(0u, 1u));
  EXPECT_THAT(f->callees, ElementsAre(200u));
  EXPECT_FALSE(f->calls_indirect);
  const FunctionInfo* g = map.FindFunction(200);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->num_blocks, 1u);
  EXPECT_THAT(g->callees, IsEmpty());
  EXPECT_TRUE(g->calls_indirect);
}

TEST(ProgramMapTest, FindsEdgesByIdAndByPc) {
  const ProgramMap map = TwoFunctions();
  EXPECT_EQ(map.EdgeAtPc(110), 1u);
  EXPECT_EQ(map.EdgeAtPc(120), std::nullopt);  // pruned from guards
  EXPECT_EQ(map.FunctionOfEdge(1)->entry, 100u);
  EXPECT_EQ(map.FunctionOfEdge(3), nullptr);
  EXPECT_EQ(map.FindEdge(2)->pc, 200u);
  EXPECT_EQ(map.FindFunction(110), nullptr);  // a block, not an entry
}

TEST(ProgramMapTest, FunctionWithoutControlFlowKeepsItsEdges) {
  const ProgramMap map({{0, 100, 100}, {1, 104, 100}}, {coverage::ControlFlowGraph()});
  const FunctionInfo* f = map.FindFunction(100);
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->has_control_flow());
  EXPECT_THAT(f->edges, ElementsAre(0u, 1u));
  EXPECT_TRUE(map.BlocksOf(*f).empty());
}

TEST(ProgramMapTest, FixtureDiamondHasFourBlocksAndThreeEdges) {
  const ProgramMap map = ProgramMap::FromRuntime();
  const FunctionInfo* f = map.FindFunction(Pc(&fixtures::Diamond));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->num_blocks, 4u);
  EXPECT_EQ(f->edges.size(), 3u);  // the join block is pruned from guards
  EXPECT_EQ(map.BlocksOf(*f).front().pc, Pc(&fixtures::Diamond));
}

TEST(ProgramMapTest, FixtureCallGraphHasDirectAndIndirectCalls) {
  const ProgramMap map = ProgramMap::FromRuntime();
  const FunctionInfo* kernel = map.FindFunction(Pc(&fixtures::DiamondKernel));
  ASSERT_NE(kernel, nullptr);
  EXPECT_THAT(kernel->callees, ElementsAre(Pc(&fixtures::Diamond), Pc(&fixtures::Leaf)));
  const FunctionInfo* dispatch = map.FindFunction(Pc(&fixtures::Dispatch));
  ASSERT_NE(dispatch, nullptr);
  EXPECT_TRUE(dispatch->calls_indirect);
  EXPECT_THAT(dispatch->callees, IsEmpty());
  const FunctionInfo* validate = map.FindFunction(Pc(&fixtures::Validate));
  ASSERT_NE(validate, nullptr);
  EXPECT_THAT(validate->callees, Contains(Pc(&fixtures::make_error_code)));
  EXPECT_EQ(map.FindFunction(Pc(&fixtures::make_error_code)), nullptr);  // not instrumented
}

TEST(ProgramMapTest, LocatesCodeInThisExecutableAndInLibc) {
  const std::optional<ModuleAddress> own = LocateInProcess(Pc(&fixtures::Leaf));
  ASSERT_TRUE(own.has_value());
  EXPECT_THAT(own->module, EndsWith("report_program_map_test"));
  // Module-relative: below the run-time PC in a PIE, equal to it only without relocation.
  EXPECT_LE(own->offset, Pc(&fixtures::Leaf));
  const std::optional<ModuleAddress> libc = LocateInProcess(Pc(&std::abort));
  ASSERT_TRUE(libc.has_value());
  EXPECT_THAT(libc->module, ::testing::HasSubstr("libc.so"));
  EXPECT_EQ(LocateInProcess(0), std::nullopt);
}

}  // namespace
}  // namespace kt::report
