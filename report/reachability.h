// What a kernel can reach: the functions its entry reaches through the control-flow table's
// call edges, with indirect calls resolved from what executions observed, and the edges
// (guards) of those functions; and how many of them a table's rows reach. report/program_map.h
// and the standard library only.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "report/program_map.h"

namespace kt::report {

struct ReachableSet {
  std::vector<std::uintptr_t> functions;  // entries of the reachable instrumented functions
  std::vector<std::uint32_t> edges;       // every edge of those functions, ascending
  // Functions the static walk from the entry missed but executions ran: indirect callees
  // (and whatever they call), ascending. A subset of `functions`.
  std::vector<std::uintptr_t> observed;
  bool entry_instrumented = false;  // false: the kernel's own code has no edges
  bool calls_indirect = false;      // a reachable function calls through a pointer
  // Reachable functions without control-flow rows: their callees are unknown, so the set is
  // a lower bound unless this is 0.
  std::size_t without_control_flow = 0;
};

// The reachable set of the kernel whose function starts at `kernel_entry`. `observed_edges`
// are the edges its executions hit (any order, duplicates allowed): each one's function ran,
// so it is reachable, and so is everything it calls. That is how an indirect call is
// resolved: clang records only that it exists, the executions show where it went. It also
// makes every observed edge reachable, so reached <= reachable always holds.
ReachableSet ComputeReachable(const ProgramMap& map, std::uintptr_t kernel_entry,
                              std::span<const std::uint32_t> observed_edges);

struct EdgeFigures {
  std::uint64_t reached = 0;
  std::uint64_t reachable = 0;
  friend bool operator==(const EdgeFigures&, const EdgeFigures&) = default;
};

// The union of the rows' edge sets, ascending and distinct.
std::vector<std::uint32_t> UnionOfEdges(std::span<const std::vector<std::uint32_t>> rows);

// The figures the table header and `check` use: the reachable set from `kernel_entry` with
// the rows' edges as the observations, and how many of its edges the rows reach.
//
// Example usage:
//   const ProgramMap map = ProgramMap::FromRuntime();
//   EdgeFigures f = MeasureKernel(map, reinterpret_cast<std::uintptr_t>(kernel.fn), row_edges);
//   table.stats.edges_reached = f.reached;  table.stats.edges_reachable = f.reachable;
EdgeFigures MeasureKernel(const ProgramMap& map, std::uintptr_t kernel_entry,
                          std::span<const std::vector<std::uint32_t>> row_edges);

}  // namespace kt::report
