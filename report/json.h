// The JSON rendering of a suite report, for CI dashboards: the figures the HTML shows
// (edges, unreached edges with source lines, per function path counts by class and limits
// hit), without the listings. report/report.h only.
#pragma once

#include <string>

#include "report/report.h"

namespace kt::report {

// One JSON document, two-space indented, ending in a newline. Deterministic. Shape:
//   {"suite": "...", "limits": {...}, "edges": {"reached": R, "reachable": N,
//    "coverage": 0.7193}, "kernels": [{"name", "source", "edges", "recorded" (or null),
//    "rows", "calls_indirect", "observed_functions", "without_control_flow",
//    "outside_root": {"functions", "edges"}, "paths": {"normal": {"total", "exercised"}, "error", "degenerate", "unreachable"},
//    "unreached": [{"edge", "module", "offset", "file", "line", "column", "function",
//    "under_test", "text"}], "functions": [{"name", "file", "line", "edges", "has_control_flow",
//    "observed_only", "paths", "limits": {"max_paths", "max_steps", "cut_by_length",
//    "cut_by_loop_bound"}}]}]}
std::string RenderJson(const SuiteReport& report);

}  // namespace kt::report
