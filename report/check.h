// `check`'s coverage figures: a kernel's edges reached / reachable now against what its
// table header records, with the line the driver prints. report/reachability.h, runner's
// TableStats and the standard library only.
#pragma once

#include <string>
#include <string_view>

#include "report/reachability.h"
#include "runner/table.h"

namespace kt::report {

struct CoverageCheck {
  bool dropped = false;  // check fails (exit 1)
  std::string line;      // "INFO: ..." or "ERROR: ...", without a line break
};

// Coverage dropped when the rows reach fewer edges than the header records, or a smaller
// share of the reachable edges (the code under test grew and the table did not follow).
// A header recording no reachable edges (0/0, a hand-written table) records no figure and
// never fails. Both figures must come from MeasureKernel, or a change in how reachability
// is counted reads as a drop.
//
//   INFO: coverage dma.map_two edges 41/57 (71.9%), table records 41/57 (71.9%)
//   ERROR: coverage dma.map_two dropped: edges 39/57 (68.4%), table records 41/57 (71.9%)
CoverageCheck CheckCoverage(std::string_view kernel, const EdgeFigures& now,
                            const TableStats& recorded);

}  // namespace kt::report
