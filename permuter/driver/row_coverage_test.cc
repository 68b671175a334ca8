// Tests of MeasureRows: each row runs once, in order, and the figures are report's, over a
// hand-written program map in clang's control-flow table layout and an executor that
// returns fixed edge sets.
#include "permuter/driver/row_coverage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "runner/registry.h"

namespace kt::driver {
namespace {

using ::testing::ElementsAre;

// F (edges 0, 1) calls G (edges 2, 3) directly; H (edge 4) is called by no one, as an
// indirect callee looks in the table.
constexpr std::uintptr_t kF = 0x100, kG = 0x200, kH = 0x300;
constexpr std::uintptr_t kTable[] = {
    kF, kF + 0x10, 0, kG, 0,  //
    kF + 0x10, 0, 0,          //
    kG, kG + 0x10, 0, 0,      //
    kG + 0x10, 0, 0,          //
    kH, 0, 0,                 //
};

report::ProgramMap Map() {
  std::vector<report::EdgeSite> edges = {
      {0, kF, kF}, {1, kF + 0x10, kF}, {2, kG, kG}, {3, kG + 0x10, kG}, {4, kH, kH}};
  return report::ProgramMap(std::move(edges), {coverage::ControlFlowGraph::Parse(kTable)});
}

Value Int(int v) { return Value::Int(Integer(v)); }

// Returns the edges listed for the call set's first value and records the calls it saw.
class ScriptedExecutor final : public permuter::Executor {
 public:
  explicit ScriptedExecutor(std::map<int, std::vector<std::uint32_t>> edges)
      : edges_(std::move(edges)) {}

  Expected<permuter::Execution> Run(std::span<const Value> call_set) override {
    const int key = static_cast<int>(call_set[0].as_integer().bits());
    calls.push_back(key);
    if (!edges_.count(key)) return MakeError(RegistryError::kNotFound, "no such row");
    permuter::Execution e;
    e.edges = edges_.at(key);
    return e;
  }

  std::vector<int> calls;

 private:
  std::map<int, std::vector<std::uint32_t>> edges_;
};

TEST(RowCoverageTest, RunsEachRowOnceInOrderAndKeepsItsEdges) {
  ScriptedExecutor executor({{7, {0, 2}}, {3, {0, 1}}});
  const std::vector<permuter::PreviousRow> rows = {{{Int(7)}, false}, {{Int(3)}, true}};
  const Expected<RowCoverage> c = MeasureRows(executor, rows, Map(), kF);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_THAT(executor.calls, ElementsAre(7, 3));
  EXPECT_THAT(c.value().edges, ElementsAre(ElementsAre(0, 2), ElementsAre(0, 1)));
}

TEST(RowCoverageTest, FiguresAreTheReportsOverTheRowsEdges) {
  struct Case {
    const char* name;
    std::map<int, std::vector<std::uint32_t>> edges;
    report::EdgeFigures figures;
  };
  const Case kCases[] = {
      // F and G are reachable by direct calls: 4 edges.
      {"F's entry only", {{1, {0}}}, {1, 4}},
      {"every direct edge", {{1, {0, 1}}, {2, {2, 3}}}, {4, 4}},
      // A row that ran H shows the indirect call's target: H joins the reachable set.
      {"through the indirect call", {{1, {0, 4}}}, {2, 5}},
      {"no rows", {}, {0, 4}},
  };
  for (const Case& c : kCases) {
    ScriptedExecutor executor(c.edges);
    std::vector<permuter::PreviousRow> rows;
    for (const auto& [key, edges] : c.edges) rows.push_back({{Int(key)}, false});
    const Expected<RowCoverage> measured = MeasureRows(executor, rows, Map(), kF);
    ASSERT_TRUE(measured.has_value()) << c.name;
    EXPECT_EQ(measured.value().figures, c.figures) << c.name;
  }
}

TEST(RowCoverageTest, AnExecutorFailureIsTheResult) {
  ScriptedExecutor executor({{1, {0}}});
  const std::vector<permuter::PreviousRow> rows = {{{Int(1)}, false}, {{Int(2)}, false}};
  const Expected<RowCoverage> c = MeasureRows(executor, rows, Map(), kF);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code, make_error_code(RegistryError::kNotFound));
  EXPECT_EQ(c.error().message, "no such row");
}

}  // namespace
}  // namespace kt::driver
