// Which edges a kernel can reach: the edges of every function its direct calls lead to,
// transitively, from the pc-table (edges by function) and the control-flow table (blocks,
// successors, callees). The coverage runtime's read side and the standard library only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "instrumentation/control_flow.h"

namespace kt::driver {

struct Reachable {
  std::vector<std::uint32_t> edges;  // ascending
  std::size_t functions = 0;         // instrumented functions reached through direct calls
  // A reached function calls through a pointer: the targets are unknown, so `edges` is a
  // lower bound (the driver adds the edges executions actually reached).
  bool has_indirect_calls = false;
  // False when the entry has no control-flow table (built without -fsanitize-coverage=
  // control-flow): `edges` then holds the entry function's own edges only.
  bool from_control_flow = false;
};

// The static call graph of the instrumented code. Thread-compatible; a value type.
//
// Example usage:
//   const CoverageMap map = CoverageMap::FromRuntime();
//   Reachable r = map.ReachableFrom(reinterpret_cast<std::uintptr_t>(kernel.fn));
class CoverageMap {
 public:
  // `edges_by_function`: every edge keyed by the entry address of its function.
  CoverageMap(std::map<std::uintptr_t, std::vector<std::uint32_t>> edges_by_function,
              std::vector<coverage::ControlFlowGraph> graphs);

  // The map of this process's instrumented modules, as the coverage runtime describes them.
  static CoverageMap FromRuntime();

  // Every edge of the function at `entry` and of each instrumented function it reaches by
  // direct calls. Calls to uninstrumented functions end the walk there.
  Reachable ReachableFrom(std::uintptr_t entry) const;

 private:
  const coverage::ControlFlowBlock* FindBlock(std::uintptr_t pc) const;

  std::map<std::uintptr_t, std::vector<std::uint32_t>> edges_by_function_;
  std::vector<coverage::ControlFlowGraph> graphs_;
};

}  // namespace kt::driver
