// The plain-text rendering of a suite report, for the driver's terminal output and CI logs:
// a summary table of the kernels first, readable for a suite of fifty, and on request each
// kernel's unreached edges with their source lines (libFuzzer's UNCOVERED_PC, with the line
// itself) and its functions' paths. report/report.h and report/check.h only.
#pragma once

#include <string>

#include "report/report.h"

namespace kt::report {

struct TextOptions {
  // After the table, per kernel: its unreached edges under the source root, its functions
  // with their path counts by class, and up to SuiteReport::max_paths_shown paths each with
  // the row that exercises it.
  bool details = false;
};

// Lines end in '\n'. The table has a header row and one aligned row per kernel, in report
// order, then the suite's total: edges reached/reachable, the share, what the table header
// records, rows, paths exercised/enumerated and unreached edges under the source root. Its
// last column notes a kernel without a table, one whose rows now reach less than its header
// records (report::CheckCoverage: "dropped") and one whose own code has no edges:
//
//   kernel  edges   cover  table  rows  paths  unreached
//   b.full    2/2  100.0%      -     1    0/0          0  no table
//   a.half    3/4   75.0%    3/4     2    2/3          1
//   total     5/6   83.3%
//   INFO: report total edges 5/6 (83.3%) in 2 kernels, 0 below their table's figures
//
// Details are tagged lines for grep, each path indented under its function (the function
// line is one line, wrapped here):
//
//   INFO: kernel a.half edges 3/4 (75.0%) by 2 rows; table records 3/4 (75.0%); kernels/a.cc:3
//   INFO: unreached a.half src/a.cc:12:5 in Check(int): if (x < 0) {
//   INFO: unreached a.half 1 more outside the source root
//   INFO: function a.half Check(int) at src/a.cc:10 edges 3/4, paths normal 1/2,
//         error 1/1, degenerate 0/0, unreachable 0/0
//     normal: lines 10 -> 11; exercised by row_0 and 1 more
//     error: lines 10 -> 12; exercised by row_1
//     normal: lines 10 -> 13; no row
//
// Source lines are shown without their indentation; edges outside the source root are only
// counted.
std::string RenderText(const SuiteReport& report, const TextOptions& options = {});

}  // namespace kt::report
