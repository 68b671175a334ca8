// Tests of check's coverage comparison (report/check.h).
#include "report/check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kt::report {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TableStats Recorded(std::uint64_t reached, std::uint64_t reachable) {
  TableStats stats;
  stats.edges_reached = reached;
  stats.edges_reachable = reachable;
  return stats;
}

TEST(CheckTest, FailsOnlyWhenCoverageDropsBelowTheHeader) {
  struct Case {
    const char* what;
    EdgeFigures now;
    std::uint64_t recorded_reached, recorded_reachable;
    bool dropped;
  };
  constexpr Case kCases[] = {
      {"unchanged", {41, 57}, 41, 57, false},
      {"more edges reached", {45, 57}, 41, 57, false},
      {"fewer edges reached", {40, 57}, 41, 57, true},
      {"code grew, table did not follow", {41, 60}, 41, 57, true},
      {"code grew and the table followed", {44, 60}, 41, 57, false},
      {"code shrank", {30, 40}, 41, 57, true},
      {"header records no figures", {0, 10}, 0, 0, false},
      {"nothing reachable, as recorded", {0, 0}, 0, 0, false},
  };
  for (const Case& c : kCases) {
    const CoverageCheck check =
        CheckCoverage("k", c.now, Recorded(c.recorded_reached, c.recorded_reachable));
    EXPECT_EQ(check.dropped, c.dropped) << c.what;
    EXPECT_THAT(check.line, StartsWith(c.dropped ? "ERROR: " : "INFO: ")) << c.what;
  }
}

TEST(CheckTest, LinePrintsBothFiguresWithPercentages) {
  EXPECT_EQ(CheckCoverage("dma.map_two", {41, 57}, Recorded(41, 57)).line,
            "INFO: coverage dma.map_two edges 41/57 (71.9%), table records 41/57 (71.9%)");
  EXPECT_EQ(CheckCoverage("dma.map_two", {39, 57}, Recorded(41, 57)).line,
            "ERROR: coverage dma.map_two dropped: edges 39/57 (68.4%), table records 41/57 "
            "(71.9%)");
  EXPECT_THAT(CheckCoverage("k", {1, 2}, Recorded(0, 0)).line,
              HasSubstr("table records no edge figures"));
}

}  // namespace
}  // namespace kt::report
