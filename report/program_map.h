// The static shape of a process's instrumented code for the report: every edge with its PC and
// function, every instrumented function with its control-flow rows, direct callees and edges.
// Built from the coverage runtime's read side or from plain tables; never depends on the
// runner, the permuter or the symbolizer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "instrumentation/control_flow.h"

namespace kt::report {

// One pc-table entry: an edge (guard) id, its block's PC and the entry of its function.
struct EdgeSite {
  std::uint32_t edge = 0;
  std::uintptr_t pc = 0;
  std::uintptr_t function = 0;
};

// One instrumented function. Its control-flow rows are the table rows from its entry row up
// to the next function's entry row: clang writes a function's blocks contiguously, entry
// first, and keeps blocks nothing branches to, which the path enumeration needs.
struct FunctionInfo {
  std::uintptr_t entry = 0;
  std::vector<std::uint32_t> edges;     // ascending
  std::vector<std::uintptr_t> callees;  // direct, distinct, in table order
  bool calls_indirect = false;          // some block calls through a pointer
  // Where its rows are: graph index and [first_block, first_block + num_blocks). No rows
  // (num_blocks == 0) when its module was built without -fsanitize-coverage=control-flow.
  std::size_t graph = 0;
  std::size_t first_block = 0;
  std::size_t num_blocks = 0;

  bool has_control_flow() const noexcept { return num_blocks != 0; }
};

// Where a run-time address lives on disk: the object's path and the address as the object's
// file and its debug information number it (the run-time address less the load bias).
struct ModuleAddress {
  std::string module;
  std::uint64_t offset = 0;
  friend bool operator==(const ModuleAddress&, const ModuleAddress&) = default;
};

// Finds the loaded object holding `pc` (dl_iterate_phdr): nullopt for an address no object
// maps. The main executable is named through /proc/self/exe, since the loader names it "".
// The bias comes from the program headers, not ModuleInfo::load_base, so that a non-PIE
// executable (bias 0, mapped at 0x400000) is numbered right too.
std::optional<ModuleAddress> LocateInProcess(std::uintptr_t pc);

// Thread-compatible; a value type, immutable after construction.
//
// Example usage:
//
//   const ProgramMap map = ProgramMap::FromRuntime();
//   if (const FunctionInfo* f = map.FindFunction(reinterpret_cast<std::uintptr_t>(&Kernel)))
//     for (const coverage::ControlFlowBlock& block : map.BlocksOf(*f)) ...
class ProgramMap {
 public:
  ProgramMap() = default;
  // `edges` in any order; `graphs` one per module (an empty graph for a module without
  // control-flow). An edge listed twice keeps the site with the lower PC.
  ProgramMap(std::vector<EdgeSite> edges, std::vector<coverage::ControlFlowGraph> graphs);

  // This process's instrumented modules, as the coverage runtime describes them.
  static ProgramMap FromRuntime();

  std::span<const FunctionInfo> functions() const noexcept { return functions_; }
  std::span<const EdgeSite> edges() const noexcept { return edges_; }

  // The function whose entry is `entry`, or null (not instrumented).
  const FunctionInfo* FindFunction(std::uintptr_t entry) const noexcept;
  // The function holding `edge`, or null for an unknown edge.
  const FunctionInfo* FunctionOfEdge(std::uint32_t edge) const noexcept;
  // The site of `edge`, or null.
  const EdgeSite* FindEdge(std::uint32_t edge) const noexcept;
  // The edge whose block is at `pc` (blocks pruned from guards have none).
  std::optional<std::uint32_t> EdgeAtPc(std::uintptr_t pc) const noexcept;
  // `function`'s control-flow rows, entry first; empty without control-flow.
  std::span<const coverage::ControlFlowBlock> BlocksOf(const FunctionInfo& function) const;

 private:
  void SplitIntoFunctions();

  std::vector<EdgeSite> edges_;           // by ascending edge id
  std::vector<std::size_t> edges_by_pc_;  // indexes into edges_, by ascending pc
  std::vector<coverage::ControlFlowGraph> graphs_;
  std::vector<FunctionInfo> functions_;   // by ascending entry
};

}  // namespace kt::report
