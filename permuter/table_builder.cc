// Search results as tables. runner/table.h and the standard library only.
#include "permuter/table_builder.h"

namespace kt::permuter {

Table BuildTable(const KernelSchema& kernel, std::span<const WorkspaceTemplate> workspaces,
                 const SearchResult& result) {
  Table table;
  table.kernel = kernel;
  table.workspaces.assign(workspaces.begin(), workspaces.end());
  table.stats.edges_reached = result.edges.size();
  table.stats.executions = result.stats.executions;
  table.stats.budget = result.stats.budget;
  table.stats.exhaustive = result.stats.exhaustive;
  for (const GeneratedRow& generated : result.rows) {
    Row row;
    row.pinned = generated.pinned;
    row.values = generated.values;
    if (!workspaces.empty() && !row.values.empty()) {
      const std::uint64_t index = row.values.back().as_integer().bits();
      if (index < workspaces.size()) row.workspace = workspaces[index].name;
      row.values.pop_back();
    }
    row.expected = generated.outcome;
    row.expected.detail.clear();  // explains findings; tables hold none
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace kt::permuter
