// Tests of path enumeration (report/paths.h): synthetic control-flow tables of every shape
// and class, each limit, and the instrumented fixtures' real tables (test_fixtures.h).
#include "report/paths.h"

#include <cstdint>
#include <initializer_list>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/program_map.h"
#include "report/test_fixtures.h"

namespace kt::report {
namespace {

using ::testing::ElementsAre;

// One synthetic row: a block, its successors and its callees. PCs are small numbers.
struct Row {
  std::uintptr_t pc;
  std::vector<std::uintptr_t> successors;
  std::vector<std::uintptr_t> callees = {};
};

coverage::ControlFlowGraph Graph(std::initializer_list<Row> rows) {
  std::vector<std::uintptr_t> table;
  for (const Row& row : rows) {
    table.push_back(row.pc);
    table.insert(table.end(), row.successors.begin(), row.successors.end());
    table.push_back(0);
    table.insert(table.end(), row.callees.begin(), row.callees.end());
    table.push_back(0);
  }
  return coverage::ControlFlowGraph::Parse(table);
}

struct ClassCase {
  const char* shape;
  coverage::ControlFlowGraph graph;
  std::vector<bool> error_blocks;
  std::size_t normal, error, degenerate, unreachable;
};

TEST(PathsTest, ClassifiesEveryShape) {
  const ClassCase kCases[] = {
      {"straight line", Graph({{1, {2}}, {2, {3}}, {3, {}}}), {}, 1, 0, 0, 0},
      {"diamond", Graph({{1, {2, 3}}, {2, {4}}, {3, {4}}, {4, {}}}), {}, 2, 0, 0, 0},
      {"abort in one branch", Graph({{1, {2, 3}}, {2, {}}, {3, {}}}), {false, true}, 1, 1, 0, 0},
      {"error block mid-path", Graph({{1, {2}}, {2, {3}}, {3, {}}}), {false, true}, 0, 1, 0, 0},
      {"infinite loop in one branch", Graph({{1, {2, 3}}, {2, {2}}, {3, {}}}), {}, 1, 0, 1, 0},
      {"no exit at all", Graph({{1, {2}}, {2, {2}}}), {}, 0, 0, 1, 0},
      {"dead block joining the exit", Graph({{1, {3}}, {2, {3}}, {3, {}}}), {}, 1, 0, 0, 1},
      {"dead loop without a root", Graph({{1, {}}, {2, {3}}, {3, {2}}}), {}, 1, 0, 0, 1},
  };
  for (const ClassCase& c : kCases) {
    const PathEnumeration e = EnumeratePaths(c.graph.blocks(), c.error_blocks, PathLimits{});
    EXPECT_EQ(e.Count(PathKind::kNormal), c.normal) << c.shape;
    EXPECT_EQ(e.Count(PathKind::kError), c.error) << c.shape;
    EXPECT_EQ(e.Count(PathKind::kDegenerate), c.degenerate) << c.shape;
    EXPECT_EQ(e.Count(PathKind::kUnreachable), c.unreachable) << c.shape;
    EXPECT_FALSE(e.limit_hit()) << c.shape;
  }
}

TEST(PathsTest, PathsListBlocksInOrderAndFollowBranchOrder) {
  const coverage::ControlFlowGraph g = Graph({{1, {2, 3}}, {2, {4}}, {3, {4}}, {4, {}}});
  const PathEnumeration e = EnumeratePaths(g.blocks(), {}, PathLimits{});
  ASSERT_EQ(e.paths.size(), 2u);
  EXPECT_THAT(e.paths[0].blocks, ElementsAre(0u, 1u, 3u));
  EXPECT_THAT(e.paths[1].blocks, ElementsAre(0u, 2u, 3u));
}

TEST(PathsTest, DegeneratePathStopsAtTheFirstBlockWithoutAnExit) {
  const coverage::ControlFlowGraph g = Graph({{1, {2, 3}}, {2, {4}}, {4, {2}}, {3, {}}});
  const PathEnumeration e = EnumeratePaths(g.blocks(), {}, PathLimits{});
  ASSERT_EQ(e.Count(PathKind::kDegenerate), 1u);
  EXPECT_THAT(e.paths[0].blocks, ElementsAre(0u, 1u));
}

// A loop header with a body and an exit: loop_bound iterations give loop_bound + 1 paths.
TEST(PathsTest, LoopBoundAllowsThatManyIterations) {
  const coverage::ControlFlowGraph g = Graph({{1, {2}}, {2, {3, 4}}, {3, {2}}, {4, {}}});
  struct Case {
    std::size_t loop_bound;
    std::size_t paths;
  };
  constexpr Case kCases[] = {{0, 1}, {1, 2}, {2, 3}, {5, 6}};
  for (const Case& c : kCases) {
    PathLimits limits;
    limits.loop_bound = c.loop_bound;
    const PathEnumeration e = EnumeratePaths(g.blocks(), {}, limits);
    EXPECT_EQ(e.Count(PathKind::kNormal), c.paths) << c.loop_bound;
    EXPECT_EQ(e.paths.size(), c.paths) << c.loop_bound;
    EXPECT_EQ(e.cut_by_loop_bound, 1u) << c.loop_bound;
    EXPECT_FALSE(e.limit_hit()) << c.loop_bound;
  }
}

// Eight diamonds in a row: 2^8 paths.
coverage::ControlFlowGraph DiamondChain() {
  std::vector<std::uintptr_t> table;
  for (std::uintptr_t d = 0; d < 8; ++d) {
    const std::uintptr_t top = 10 + 3 * d, next = top + 3;
    table.insert(table.end(), {top, top + 1, top + 2, 0, 0});
    table.insert(table.end(), {top + 1, next, 0, 0});
    table.insert(table.end(), {top + 2, next, 0, 0});
  }
  table.insert(table.end(), {10 + 3 * 8, 0, 0});
  return coverage::ControlFlowGraph::Parse(table);
}

TEST(PathsTest, CountLimitStopsTheSearchAndSaysSo) {
  const coverage::ControlFlowGraph g = DiamondChain();
  EXPECT_EQ(EnumeratePaths(g.blocks(), {}, PathLimits{}).paths.size(), 256u);
  PathLimits limits;
  limits.max_paths = 5;
  const PathEnumeration e = EnumeratePaths(g.blocks(), {}, limits);
  EXPECT_EQ(e.paths.size(), 5u);
  EXPECT_TRUE(e.hit_max_paths);
  EXPECT_TRUE(e.limit_hit());
}

TEST(PathsTest, LengthLimitDropsLongPathsAndCountsThem) {
  const coverage::ControlFlowGraph g = Graph({{1, {2, 4}}, {2, {3}}, {3, {4}}, {4, {}}});
  PathLimits limits;
  limits.max_length = 3;
  const PathEnumeration e = EnumeratePaths(g.blocks(), {}, limits);
  ASSERT_EQ(e.paths.size(), 1u);  // 1 -> 4 fits; 1 -> 2 -> 3 -> 4 does not
  EXPECT_THAT(e.paths[0].blocks, ElementsAre(0u, 3u));
  EXPECT_EQ(e.cut_by_length, 1u);
  EXPECT_TRUE(e.limit_hit());
}

TEST(PathsTest, WorkLimitStopsASearchThatFindsFewPaths) {
  const coverage::ControlFlowGraph g = DiamondChain();
  PathLimits limits;
  limits.max_steps = 18;  // the first path takes 17 steps, the second two more
  const PathEnumeration e = EnumeratePaths(g.blocks(), {}, limits);
  EXPECT_TRUE(e.hit_max_steps);
  EXPECT_EQ(e.paths.size(), 1u);
}

TEST(PathsTest, SuccessorOutsideTheFunctionIsIgnoredAndCounted) {
  const coverage::ControlFlowGraph g = Graph({{1, {99, 2}}, {2, {}}});
  const PathEnumeration e = EnumeratePaths(g.blocks(), {}, PathLimits{});
  EXPECT_EQ(e.dangling_successors, 1u);
  EXPECT_EQ(e.Count(PathKind::kNormal), 1u);
}

TEST(PathsTest, EmptyFunctionHasNoPaths) {
  EXPECT_TRUE(EnumeratePaths({}, {}, PathLimits{}).paths.empty());
}

TEST(PathsTest, KindsPrintAsSnakeCase) {
  EXPECT_STREQ(ToString(PathKind::kNormal), "normal");
  EXPECT_STREQ(ToString(PathKind::kError), "error");
  EXPECT_STREQ(ToString(PathKind::kDegenerate), "degenerate");
  EXPECT_STREQ(ToString(PathKind::kUnreachable), "unreachable");
}

// --- The instrumented fixtures' own tables -------------------------------------------------

template <class F>
std::span<const coverage::ControlFlowBlock> BlocksOf(const ProgramMap& map, F* function) {
  const FunctionInfo* info = map.FindFunction(reinterpret_cast<std::uintptr_t>(function));
  return info == nullptr ? std::span<const coverage::ControlFlowBlock>() : map.BlocksOf(*info);
}

TEST(PathsTest, CountedLoopFixtureGivesOnePathPerIterationUpToTheBound) {
  const ProgramMap map = ProgramMap::FromRuntime();
  const auto blocks = BlocksOf(map, &fixtures::TickTimes);
  ASSERT_FALSE(blocks.empty());
  for (const std::size_t bound : {0u, 1u, 2u, 4u}) {
    PathLimits limits;
    limits.loop_bound = bound;
    const PathEnumeration e = EnumeratePaths(blocks, {}, limits);
    EXPECT_EQ(e.paths.size(), bound + 1) << bound;
    EXPECT_EQ(e.Count(PathKind::kNormal), bound + 1) << bound;
  }
}

TEST(PathsTest, SpinFixtureHasOneDegenerateAndOneNormalPath) {
  const ProgramMap map = ProgramMap::FromRuntime();
  const PathEnumeration e = EnumeratePaths(BlocksOf(map, &fixtures::SpinWhen), {}, PathLimits{});
  EXPECT_EQ(e.Count(PathKind::kDegenerate), 1u);
  EXPECT_EQ(e.Count(PathKind::kNormal), 1u);
  EXPECT_EQ(e.paths.size(), 2u);
}

TEST(PathsTest, DeadLabelFixtureHasOneUnreachablePath) {
  const ProgramMap map = ProgramMap::FromRuntime();
  const PathEnumeration e = EnumeratePaths(BlocksOf(map, &fixtures::Dead), {}, PathLimits{});
  EXPECT_EQ(e.Count(PathKind::kUnreachable), 1u);
  EXPECT_EQ(e.Count(PathKind::kNormal), 2u);
}

}  // namespace
}  // namespace kt::report
