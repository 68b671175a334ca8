// The edges a table's rows reach and the figures computed from them, one way for all three
// commands: `generate` writes them into the table header, `check` compares the checked-in
// rows' figures with the header's, `report` builds its pages from the rows' edges. The
// permuter's Executor, runner/ values and report/reachability.h only.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "permuter/executor.h"
#include "permuter/search.h"
#include "report/reachability.h"
#include "runner/error.h"

namespace kt::driver {

struct RowCoverage {
  std::vector<std::vector<std::uint32_t>> edges;  // per row, in row order, ascending
  // report::MeasureKernel over those edges: what the rows reach of what the kernel can.
  report::EdgeFigures figures;
};

// Runs every row's call set once through `executor`, in row order, and measures what they
// reach from the kernel function at `entry` in `map`. Rows that end in a finding count like
// any other: their edges ran.
//
// Give it a fresh worker, never one that ran the search: a worker that already ran the
// code has its function-local statics initialised, which hides their initialisation edges
// from later rows, so the figures would depend on what ran before. In a fresh worker they
// depend on the rows alone, which is what makes generate's, check's and report's agree.
//
// Example usage:
//   permuter::WorkerExecutor fresh(kernel);
//   Expected<RowCoverage> c =
//       MeasureRows(fresh, rows, map, reinterpret_cast<std::uintptr_t>(kernel.fn));
//   if (c) table.stats.edges_reached = c.value().figures.reached;
Expected<RowCoverage> MeasureRows(permuter::Executor& executor,
                                  std::span<const permuter::PreviousRow> rows,
                                  const report::ProgramMap& map, std::uintptr_t entry);

}  // namespace kt::driver
