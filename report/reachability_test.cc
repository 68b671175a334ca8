// Tests of reachable sets and edge figures (report/reachability.h) on the instrumented
// fixtures (test_fixtures.h), run in coverage windows of this process.
#include "report/reachability.h"

#include <cstdint>
#include <functional>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "instrumentation/coverage.h"
#include "report/test_fixtures.h"

namespace kt::report {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

template <class F>
std::uintptr_t Pc(F* function) {
  return reinterpret_cast<std::uintptr_t>(function);
}

// The edges one call hits, as a table row records them.
std::vector<std::uint32_t> EdgesOf(const std::function<void()>& run) {
  coverage::BeginExecution();
  run();
  coverage::EndExecution();
  std::vector<std::uint32_t> edges;
  for (const coverage::EdgeHit& hit : coverage::EdgesHit()) edges.push_back(hit.edge);
  return edges;
}

// DiamondKernel reaches itself (3 edges), Diamond (3) and Leaf (1) through direct calls.
TEST(ReachabilityTest, KernelReachesItsDirectCalleesEdges) {
  const ProgramMap map = ProgramMap::FromRuntime();
  const ReachableSet r = ComputeReachable(map, Pc(&fixtures::DiamondKernel), {});
  EXPECT_TRUE(r.entry_instrumented);
  EXPECT_EQ(r.functions.size(), 3u);
  EXPECT_EQ(r.edges.size(), 7u);
  EXPECT_THAT(r.observed, IsEmpty());
  EXPECT_FALSE(r.calls_indirect);
  EXPECT_EQ(r.without_control_flow, 0u);
}

TEST(ReachabilityTest, RowsReachExactlyTheEdgesTheyRan) {
  const ProgramMap map = ProgramMap::FromRuntime();
  struct Case {
    const char* rows;
    std::vector<std::function<void()>> runs;
    EdgeFigures figures;
  };
  const Case kCases[] = {
      // entry, b's else edge; Diamond's entry and then-block.
      {"(true, false)", {[] { fixtures::DiamondKernel(true, false); }}, {4, 7}},
      // adds Diamond's else-block, the kernel's then-block and Leaf.
      {"(true, false), (false, true)",
       {[] { fixtures::DiamondKernel(true, false); }, [] { fixtures::DiamondKernel(false, true); }},
       {7, 7}},
      {"no rows", {}, {0, 7}},
  };
  for (const Case& c : kCases) {
    std::vector<std::vector<std::uint32_t>> rows;
    for (const auto& run : c.runs) rows.push_back(EdgesOf(run));
    EXPECT_EQ(MeasureKernel(map, Pc(&fixtures::DiamondKernel), rows), c.figures) << c.rows;
  }
}

// IndirectKernel reaches Dispatch directly; Twice only through Dispatch's pointer call.
TEST(ReachabilityTest, IndirectCalleeJoinsTheReachableSetWhenARowRunsIt) {
  const ProgramMap map = ProgramMap::FromRuntime();
  const ReachableSet alone = ComputeReachable(map, Pc(&fixtures::IndirectKernel), {});
  EXPECT_TRUE(alone.calls_indirect);
  EXPECT_THAT(alone.functions, ::testing::Not(::testing::Contains(Pc(&fixtures::Twice))));
  const std::vector<std::uint32_t> row = EdgesOf([] { fixtures::IndirectKernel(true); });
  const ReachableSet resolved = ComputeReachable(map, Pc(&fixtures::IndirectKernel), row);
  EXPECT_THAT(resolved.observed, ElementsAre(Pc(&fixtures::Twice)));
  EXPECT_EQ(resolved.edges.size(), alone.edges.size() + 1);  // Twice's one edge
  EXPECT_EQ(resolved.functions.size(), alone.functions.size() + 1);
}

TEST(ReachabilityTest, ObservedEdgesAreAlwaysReachable) {
  const ProgramMap map = ProgramMap::FromRuntime();
  // Leaf is no callee of Checked: a row that ran it anyway (an indirect call, a callback)
  // still counts it reachable, so reached never exceeds reachable.
  const std::vector<std::vector<std::uint32_t>> rows = {
      EdgesOf([] { fixtures::Checked(1); }), EdgesOf([] { fixtures::Leaf(1); })};
  // Checked's 3 edges and Leaf's 1; only Checked's abort block is missed.
  EXPECT_EQ(MeasureKernel(map, Pc(&fixtures::Checked), rows), (EdgeFigures{3, 4}));
}

TEST(ReachabilityTest, UninstrumentedEntryReachesNothingButWhatRowsRan) {
  const ProgramMap map = ProgramMap::FromRuntime();
  const ReachableSet none = ComputeReachable(map, Pc(&fixtures::make_error_code), {});
  EXPECT_FALSE(none.entry_instrumented);
  EXPECT_THAT(none.edges, IsEmpty());
  const ReachableSet ran =
      ComputeReachable(map, Pc(&fixtures::make_error_code), EdgesOf([] { fixtures::Leaf(0); }));
  EXPECT_EQ(ran.edges.size(), 1u);
}

TEST(ReachabilityTest, UnionOfEdgesIsSortedAndDistinct) {
  const std::vector<std::vector<std::uint32_t>> rows = {{5, 1, 3}, {3, 2}, {}};
  EXPECT_THAT(UnionOfEdges(rows), ElementsAre(1u, 2u, 3u, 5u));
}

}  // namespace
}  // namespace kt::report
