// Tests of the control-flow table parser on hand-written tables in clang's layout.
#include "instrumentation/control_flow.h"

#include <cstdint>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kt::coverage {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Stand-ins for block and function addresses.
constexpr std::uintptr_t kA = 0x1000, kB = 0x1010, kC = 0x1020, kD = 0x1030, kBar = 0x2000;

// The example of clang's SanitizerCoverage docs: `if (x > 0) bar(x); else x = 0; return x;`
// as blocks A -> {B, C}, B calls bar, B and C -> D.
constexpr std::uintptr_t kDocsExample[] = {
    kA, kB, kC, 0, 0,  //
    kB, kD, 0, kBar, 0,  //
    kC, kD, 0, 0,  //
    kD, 0, 0,
};

TEST(ControlFlowGraphTest, ParsesTheClangDocsExample) {
  const ControlFlowGraph graph = ControlFlowGraph::Parse(kDocsExample);
  EXPECT_FALSE(graph.truncated());
  EXPECT_THAT(graph.blocks(),
              ElementsAre(ControlFlowBlock{kA, {kB, kC}, {}}, ControlFlowBlock{kB, {kD}, {kBar}},
                          ControlFlowBlock{kC, {kD}, {}}, ControlFlowBlock{kD, {}, {}}));
}

TEST(ControlFlowGraphTest, FindsEveryBlockByPcAndNothingElse) {
  const ControlFlowGraph graph = ControlFlowGraph::Parse(kDocsExample);
  for (const std::uintptr_t pc : {kD, kA, kC, kB}) {
    const ControlFlowBlock* block = graph.Find(pc);
    ASSERT_NE(block, nullptr) << pc;
    EXPECT_EQ(block->pc, pc);
  }
  EXPECT_EQ(graph.Find(kBar), nullptr);
  EXPECT_EQ(graph.Find(kA + 1), nullptr);
}

TEST(ControlFlowGraphTest, KeepsIndirectCallsAsMarkers) {
  constexpr std::uintptr_t kTable[] = {kA, 0, kBar, kIndirectCallee, kBar, 0};
  const ControlFlowGraph graph = ControlFlowGraph::Parse(kTable);
  ASSERT_EQ(graph.size(), 1u);
  EXPECT_THAT(graph.blocks()[0].callees, ElementsAre(kBar, kIndirectCallee, kBar));
  EXPECT_THAT(graph.blocks()[0].successors, IsEmpty());
}

TEST(ControlFlowGraphTest, DropsARowCutShortAndSaysTruncated) {
  struct Case {
    const char* what;
    std::size_t length;  // of kDocsExample
  };
  constexpr Case kCases[] = {
      {"ends inside the successors", 7},  // kB, kD, then the end
      {"ends inside the callees", 9},     // kB, kD, 0, kBar, then the end
      {"ends after the block pc", 6},
  };
  for (const Case& c : kCases) {
    const ControlFlowGraph graph =
        ControlFlowGraph::Parse(std::span<const std::uintptr_t>(kDocsExample, c.length));
    EXPECT_TRUE(graph.truncated()) << c.what;
    EXPECT_THAT(graph.blocks(), ElementsAre(ControlFlowBlock{kA, {kB, kC}, {}})) << c.what;
  }
}

TEST(ControlFlowGraphTest, EmptyTableIsAnEmptyGraph) {
  const ControlFlowGraph graph = ControlFlowGraph::Parse({});
  EXPECT_TRUE(graph.empty());
  EXPECT_FALSE(graph.truncated());
  EXPECT_EQ(graph.Find(kA), nullptr);
}

}  // namespace
}  // namespace kt::coverage
