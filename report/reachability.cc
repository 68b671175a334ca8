// Reachable sets over the call edges of the control-flow table (report/reachability.h).
// report/program_map.h and the standard library only.
#include "report/reachability.h"

#include <algorithm>
#include <set>

namespace kt::report {
namespace {

// Adds `start` and every instrumented function it reaches by direct calls to `seen`; the
// newly added ones also go to `added`. Calls into uninstrumented code end the walk there.
void Walk(const ProgramMap& map, std::uintptr_t start, std::set<std::uintptr_t>* seen,
          std::vector<std::uintptr_t>* added) {
  std::vector<std::uintptr_t> pending{start};
  while (!pending.empty()) {
    const std::uintptr_t entry = pending.back();
    pending.pop_back();
    const FunctionInfo* function = map.FindFunction(entry);
    if (function == nullptr || !seen->insert(entry).second) continue;
    added->push_back(entry);
    for (const std::uintptr_t callee : function->callees) {
      if (seen->count(callee) == 0) pending.push_back(callee);
    }
  }
}

}  // namespace

ReachableSet ComputeReachable(const ProgramMap& map, std::uintptr_t kernel_entry,
                              std::span<const std::uint32_t> observed_edges) {
  ReachableSet r;
  r.entry_instrumented = map.FindFunction(kernel_entry) != nullptr;
  std::set<std::uintptr_t> seen;
  std::vector<std::uintptr_t> added;
  Walk(map, kernel_entry, &seen, &added);
  std::set<std::uintptr_t> observed_roots;
  for (const std::uint32_t edge : observed_edges) {
    if (const FunctionInfo* f = map.FunctionOfEdge(edge)) observed_roots.insert(f->entry);
  }
  std::vector<std::uintptr_t> observed;
  for (const std::uintptr_t root : observed_roots) Walk(map, root, &seen, &observed);
  std::sort(observed.begin(), observed.end());
  r.observed = std::move(observed);
  r.functions.assign(seen.begin(), seen.end());
  for (const std::uintptr_t entry : r.functions) {
    const FunctionInfo* function = map.FindFunction(entry);
    r.edges.insert(r.edges.end(), function->edges.begin(), function->edges.end());
    r.calls_indirect = r.calls_indirect || function->calls_indirect;
    if (!function->has_control_flow()) ++r.without_control_flow;
  }
  std::sort(r.edges.begin(), r.edges.end());
  return r;
}

std::vector<std::uint32_t> UnionOfEdges(std::span<const std::vector<std::uint32_t>> rows) {
  std::vector<std::uint32_t> all;
  for (const std::vector<std::uint32_t>& row : rows) all.insert(all.end(), row.begin(), row.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

EdgeFigures MeasureKernel(const ProgramMap& map, std::uintptr_t kernel_entry,
                          std::span<const std::vector<std::uint32_t>> row_edges) {
  const std::vector<std::uint32_t> reached = UnionOfEdges(row_edges);
  const ReachableSet reachable = ComputeReachable(map, kernel_entry, reached);
  EdgeFigures figures;
  figures.reachable = reachable.edges.size();
  for (const std::uint32_t edge : reached) {
    if (std::binary_search(reachable.edges.begin(), reachable.edges.end(), edge)) {
      ++figures.reached;
    }
  }
  return figures;
}

}  // namespace kt::report
