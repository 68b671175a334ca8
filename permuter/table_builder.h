// The table one generation writes: the kernel's schema and workspaces, what the search spent
// and reached, and its rows with their outcomes as expectations. runner/table.h and
// permuter/search.h only; never writes a file (runner::WriteTable does, atomically).
#pragma once

#include <span>

#include "permuter/search.h"
#include "runner/schema.h"
#include "runner/table.h"
#include "runner/workspace.h"

namespace kt::permuter {

// The Table of `result`. When `workspaces` is not empty each row's call set ends with the
// workspace index (WorkspaceColumn), which becomes the row's workspace name. Stats take the
// edges reached, executions, budget and exhaustiveness; edges_reachable stays 0 for the
// caller, who knows the kernel's static graph. A finding's reproducer is not a row: a table
// holds expected outcomes only.
//
// Example usage:
//   Expected<SearchResult> r = Search(columns, constants, previous, executor);
//   if (r && !r.value().finding) WriteTable(path, BuildTable(schema, {}, r.value()));
Table BuildTable(const KernelSchema& kernel, std::span<const WorkspaceTemplate> workspaces,
                 const SearchResult& result);

}  // namespace kt::permuter
