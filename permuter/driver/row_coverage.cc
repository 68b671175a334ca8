// MeasureRows (permuter/driver/row_coverage.h). The permuter's Executor and report/ only.
#include "permuter/driver/row_coverage.h"

namespace kt::driver {

Expected<RowCoverage> MeasureRows(permuter::Executor& executor,
                                  std::span<const permuter::PreviousRow> rows,
                                  const report::ProgramMap& map, std::uintptr_t entry) {
  RowCoverage coverage;
  for (const permuter::PreviousRow& row : rows) {
    Expected<permuter::Execution> e = executor.Run(row.values);
    if (!e) return std::move(e).assume_error();
    coverage.edges.push_back(std::move(e.value().edges));
  }
  coverage.figures = report::MeasureKernel(map, entry, coverage.edges);
  return coverage;
}

}  // namespace kt::driver
