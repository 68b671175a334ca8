// Tests of the whole report (report/report.h) on the fixture suite (internal/fixture_suite.h:
// kernels of test_fixtures.h whose rows run in coverage windows of this process), symbolised
// through llvm-symbolizer-19.
#include "report/report.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/internal/fixture_suite.h"
#include "report/internal/test_markers.h"
#include "report/test_fixtures.h"

namespace kt::report {
namespace {

using internal::FixtureSuite;
using internal::MarkerLine;
using ::testing::EndsWith;
using ::testing::HasSubstr;

SuiteReport Build(const ReportOptions& options = {}) {
  Expected<Symbolizer> symbolizer = Symbolizer::Start();
  if (!symbolizer) ADD_FAILURE() << symbolizer.error().message;
  Expected<SuiteReport> report =
      BuildReport(ProgramMap::FromRuntime(), FixtureSuite(), symbolizer.value(), options);
  if (!report) ADD_FAILURE() << report.error().message;
  return std::move(report).value();
}

const FunctionReport* FindFunction(const KernelReport& k, std::string_view name) {
  for (const FunctionReport& f : k.functions) {
    if (f.site.function == name) return &f;
  }
  return nullptr;
}

TEST(ReportTest, KernelFiguresCountReachedAgainstReachableEdges) {
  const SuiteReport report = Build();
  ASSERT_EQ(report.kernels.size(), 6u);
  const KernelReport& diamond = report.kernels[0];
  EXPECT_EQ(diamond.name, "fixture.diamond");
  EXPECT_EQ(diamond.figures, (EdgeFigures{4, 7}));
  EXPECT_EQ(diamond.unreached.size(), 3u);
  EXPECT_EQ(diamond.functions.size(), 3u);
  EXPECT_EQ(diamond.recorded->edges_reached, 4u);
  EXPECT_EQ(report.kernels[1].figures, (EdgeFigures{2, 3}));  // Checked misses its abort
  EXPECT_EQ(report.kernels[4].figures.reached, 0u);           // no rows
}

TEST(ReportTest, UnreachedEdgeNamesItsFileLineAndSourceText) {
  const SuiteReport report = Build();
  const KernelReport& diamond = report.kernels[0];
  const std::uint32_t line = MarkerLine("diamond-else");
  const EdgeReport* else_edge = nullptr;
  for (const EdgeReport& e : diamond.unreached) {
    if (e.site.line == line) else_edge = &e;
  }
  ASSERT_NE(else_edge, nullptr) << "no unreached edge at line " << line;
  EXPECT_THAT(else_edge->site.file, EndsWith("report/test_fixtures.cc"));
  EXPECT_EQ(else_edge->site.function, "kt::report::fixtures::Diamond(bool)");
  ASSERT_TRUE(else_edge->site.text.has_value());
  EXPECT_THAT(*else_edge->site.text, HasSubstr("result = 2;"));
  EXPECT_THAT(else_edge->address.module, EndsWith("report_report_test"));
  EXPECT_TRUE(else_edge->under_test);
  // The other two: the kernel's call to Leaf and Leaf itself, never run by the row.
  std::vector<std::uint32_t> lines;
  for (const EdgeReport& e : diamond.unreached) lines.push_back(e.site.line);
  EXPECT_THAT(lines, ::testing::UnorderedElementsAre(MarkerLine("leaf"), line,
                                                     MarkerLine("kernel-leaf-call")));
}

TEST(ReportTest, SourceRootShortensFileNames) {
  std::string root = KT_REPORT_FIXTURES_CC;
  root.erase(root.size() - std::string("report/test_fixtures.cc").size());
  ReportOptions options;
  options.source_root = root;
  const SuiteReport report = Build(options);
  EXPECT_EQ(report.kernels[0].unreached.front().site.file, "report/test_fixtures.cc");
  EXPECT_EQ(report.kernels[0].listings.front().file, "report/test_fixtures.cc");
}

TEST(ReportTest, FunctionsOutsideTheSourceRootCountButAreNotListed) {
  ReportOptions options;
  options.source_root = "/nonexistent/root";
  const SuiteReport report = Build(options);
  const KernelReport& diamond = report.kernels[0];
  EXPECT_EQ(diamond.figures, (EdgeFigures{4, 7}));
  EXPECT_EQ(diamond.outside_functions, 3u);
  EXPECT_EQ(diamond.outside_figures, (EdgeFigures{4, 7}));
  EXPECT_TRUE(diamond.functions.empty());
  EXPECT_TRUE(diamond.listings.empty());
  ASSERT_EQ(diamond.unreached.size(), 3u);  // still reachable, still missed
  EXPECT_FALSE(diamond.unreached.front().under_test);
}

TEST(ReportTest, ListingMarksReachedAndUnreachedLines) {
  const SuiteReport report = Build();
  ASSERT_EQ(report.kernels[0].listings.size(), 1u);
  const Listing& listing = report.kernels[0].listings.front();
  struct Case {
    const char* marker;
    std::uint32_t reached, unreached;
  };
  constexpr Case kCases[] = {{"diamond-then", 1, 0}, {"diamond-else", 0, 1}, {"leaf", 0, 1}};
  for (const Case& c : kCases) {
    const std::uint32_t number = MarkerLine(c.marker);
    const ListingLine* found = nullptr;
    for (const ListingLine& line : listing.lines) {
      if (line.number == number) found = &line;
    }
    ASSERT_NE(found, nullptr) << c.marker;
    EXPECT_EQ(found->reached, c.reached) << c.marker;
    EXPECT_EQ(found->unreached, c.unreached) << c.marker;
    EXPECT_THAT(found->text, HasSubstr(std::string("// marker: ") + c.marker));
  }
}

// Each class from a real table: abort and make_error_code make error paths, an endless loop
// a degenerate one, a label nothing jumps to an unreachable one.
TEST(ReportTest, FunctionsPathsAreClassifiedAndMatchedAgainstRows) {
  const SuiteReport report = Build();
  struct Case {
    std::size_t kernel;
    const char* function;
    PathCounts expected;
  };
  const Case kCases[] = {
      {1, "kt::report::fixtures::Checked(int)", {{1, 1, 0, 0}, {1, 0, 0, 0}}},
      {2, "kt::report::fixtures::Validate(int)", {{1, 1, 0, 0}, {1, 1, 0, 0}}},
      {4, "kt::report::fixtures::SpinWhen(bool)", {{1, 0, 1, 0}, {0, 0, 0, 0}}},
      {5, "kt::report::fixtures::Dead(int)", {{2, 0, 0, 1}, {1, 0, 0, 0}}},
  };
  for (const Case& c : kCases) {
    const FunctionReport* f = FindFunction(report.kernels[c.kernel], c.function);
    ASSERT_NE(f, nullptr) << c.function;
    EXPECT_EQ(f->paths.total, c.expected.total) << c.function;
    EXPECT_EQ(f->paths.exercised, c.expected.exercised) << c.function;
  }
}

TEST(ReportTest, ErrorPathNamesTheRowThatExercisesIt) {
  const SuiteReport report = Build();
  const FunctionReport* f = FindFunction(report.kernels[2], "kt::report::fixtures::Validate(int)");
  ASSERT_NE(f, nullptr);
  for (const PathReport& p : f->path_list) {
    ASSERT_TRUE(p.first_row.has_value()) << ToString(p.kind);
    EXPECT_EQ(report.kernels[2].rows[*p.first_row], p.kind == PathKind::kError ? "row_1" : "row_0");
    EXPECT_EQ(p.rows_exercising, 1u);
  }
  const PathReport& error = f->path_list[0].kind == PathKind::kError ? f->path_list[0]
                                                                     : f->path_list[1];
  EXPECT_THAT(error.lines, ::testing::Contains(MarkerLine("validate-error")));
}

TEST(ReportTest, LoopBoundSetsTheCountedLoopsPathCount) {
  for (const std::size_t bound : {1u, 3u}) {
    ReportOptions options;
    options.limits.loop_bound = bound;
    const SuiteReport report = Build(options);
    const FunctionReport* f =
        FindFunction(report.kernels[3], "kt::report::fixtures::TickTimes(unsigned int)");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->paths.total[0], bound + 1) << bound;
    EXPECT_EQ(f->cut_by_loop_bound, 1u) << bound;
  }
}

TEST(ReportTest, SuiteTotalCountsDistinctEdges) {
  const SuiteReport report = Build();
  std::uint64_t reachable = 0;
  for (const KernelReport& k : report.kernels) reachable += k.figures.reachable;
  // Leaf is reachable from fixture.diamond only; Tick from two kernels, counted once.
  EXPECT_LT(report.total.reachable, reachable);
  EXPECT_EQ(report.total.reachable, reachable - 1);
}

TEST(ReportTest, PercentRoundsDown) {
  struct Case {
    EdgeFigures f;
    const char* text;
  };
  constexpr Case kCases[] = {
      {{41, 57}, "71.9%"}, {{1999, 2000}, "99.9%"}, {{0, 0}, "100.0%"}, {{0, 5}, "0.0%"}};
  for (const Case& c : kCases) EXPECT_EQ(FormatPercent(c.f), c.text) << c.text;
}

}  // namespace
}  // namespace kt::report
