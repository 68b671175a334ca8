// Tests of static reachability over hand-written control-flow tables in clang's layout.
#include "permuter/driver/reachability.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace kt::driver {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Stand-ins for function and block addresses.
constexpr std::uintptr_t kF = 0x100, kF1 = 0x110, kF2 = 0x120, kF3 = 0x130;
constexpr std::uintptr_t kG = 0x200, kUninstrumented = 0x300, kUnreached = 0x400;

// F: entry -> {F1, F2}; F1 calls G; F2 calls through a pointer; F3 is dead code calling the
// unreached function. G calls F back (recursion) and an uninstrumented function.
constexpr std::uintptr_t kTable[] = {
    kF, kF1, kF2, 0, 0,                              //
    kF1, 0, kG, 0,                                   //
    kF2, 0, coverage::kIndirectCallee, 0,            //
    kF3, 0, kUnreached, 0,                           //
    kG, 0, kF, kUninstrumented, 0,                   //
    kUnreached, 0, 0,                                //
};

CoverageMap MakeMap() {
  std::map<std::uintptr_t, std::vector<std::uint32_t>> edges = {
      {kF, {0, 1, 2, 3}}, {kG, {4, 5}}, {kUnreached, {6}}};
  return CoverageMap(std::move(edges), {coverage::ControlFlowGraph::Parse(kTable)});
}

TEST(ReachabilityTest, FollowsDirectCallsFromReachableBlocksOnly) {
  const Reachable r = MakeMap().ReachableFrom(kF);
  EXPECT_THAT(r.edges, ElementsAre(0, 1, 2, 3, 4, 5))
      << "F3 is not reachable from F's entry, so the function it calls is not either";
  EXPECT_EQ(r.functions, 2u) << "F and G; the uninstrumented callee ends the walk";
  EXPECT_TRUE(r.has_indirect_calls);
  EXPECT_TRUE(r.from_control_flow);
}

TEST(ReachabilityTest, ALeafFunctionReachesItsOwnEdges) {
  const Reachable r = MakeMap().ReachableFrom(kUnreached);
  EXPECT_THAT(r.edges, ElementsAre(6));
  EXPECT_EQ(r.functions, 1u);
  EXPECT_FALSE(r.has_indirect_calls);
}

TEST(ReachabilityTest, WithoutAControlFlowTableOnlyTheFunctionsOwnEdgesCount) {
  CoverageMap map({{kF, {0, 1}}, {kG, {2}}}, {});
  const Reachable r = map.ReachableFrom(kF);
  EXPECT_THAT(r.edges, ElementsAre(0, 1));
  EXPECT_FALSE(r.from_control_flow);
  EXPECT_THAT(map.ReachableFrom(0x999).edges, IsEmpty());
}

}  // namespace
}  // namespace kt::driver
