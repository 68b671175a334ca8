// Static reachability over the control-flow table. The coverage runtime's read side only.
#include "permuter/driver/reachability.h"

#include <algorithm>
#include <set>
#include <utility>

#include "instrumentation/coverage.h"

namespace kt::driver {

CoverageMap::CoverageMap(std::map<std::uintptr_t, std::vector<std::uint32_t>> edges_by_function,
                         std::vector<coverage::ControlFlowGraph> graphs)
    : edges_by_function_(std::move(edges_by_function)), graphs_(std::move(graphs)) {}

CoverageMap CoverageMap::FromRuntime() {
  std::map<std::uintptr_t, std::vector<std::uint32_t>> by_function;
  const auto num_edges = static_cast<std::uint32_t>(coverage::NumEdges());
  for (std::uint32_t e = 0; e < num_edges; ++e) {
    if (const std::optional<coverage::EdgeInfo> info = coverage::DescribeEdge(e)) {
      by_function[info->function_entry].push_back(e);
    }
  }
  std::vector<coverage::ControlFlowGraph> graphs;
  for (std::size_t m = 0; m < coverage::NumModules(); ++m) {
    graphs.push_back(coverage::ModuleControlFlow(m));
  }
  return CoverageMap(std::move(by_function), std::move(graphs));
}

const coverage::ControlFlowBlock* CoverageMap::FindBlock(std::uintptr_t pc) const {
  for (const coverage::ControlFlowGraph& g : graphs_) {
    if (const coverage::ControlFlowBlock* b = g.Find(pc)) return b;
  }
  return nullptr;
}

Reachable CoverageMap::ReachableFrom(std::uintptr_t entry) const {
  Reachable r;
  r.from_control_flow = FindBlock(entry) != nullptr;
  std::set<std::uintptr_t> functions{entry};
  std::vector<std::uintptr_t> pending{entry};
  std::set<std::uint32_t> edges;
  while (!pending.empty()) {
    const std::uintptr_t function = pending.back();
    pending.pop_back();
    const auto own = edges_by_function_.find(function);
    if (own == edges_by_function_.end()) continue;  // not instrumented: the walk ends here
    ++r.functions;
    edges.insert(own->second.begin(), own->second.end());
    // The function's blocks are those its entry block reaches through successors; their
    // callees are the next functions.
    std::set<std::uintptr_t> blocks{function};
    std::vector<std::uintptr_t> to_visit{function};
    while (!to_visit.empty()) {
      const coverage::ControlFlowBlock* block = FindBlock(to_visit.back());
      to_visit.pop_back();
      if (block == nullptr) continue;
      for (const std::uintptr_t next : block->successors) {
        if (blocks.insert(next).second) to_visit.push_back(next);
      }
      for (const std::uintptr_t callee : block->callees) {
        if (callee == coverage::kIndirectCallee) {
          r.has_indirect_calls = true;
        } else if (functions.insert(callee).second) {
          pending.push_back(callee);
        }
      }
    }
  }
  r.edges.assign(edges.begin(), edges.end());
  return r;
}

}  // namespace kt::driver
