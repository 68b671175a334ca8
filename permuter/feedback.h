// Step 4 of the permuter contract, the part that needs no further execution: from one
// executed call set and the compares it recorded, the values worth trying next for each
// parameter (input-to-state, switch cases, div and gep against zero). Pure: runner/schema.h,
// runner/value.h and permuter/ only; never an executor or the coverage runtime.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "permuter/compare_event.h"
#include "runner/schema.h"
#include "runner/value.h"

namespace kt::permuter {

// "Give column `column` the value `value`, keep the rest of the call set."
struct Mutation {
  std::size_t column = 0;
  Integer value;
  friend bool operator==(const Mutation&, const Mutation&) = default;
};

// Mutations of `call_set` (one value per column, matching `columns`) from the compare log
// of its execution. For each steerable column (IsSteerable) with value x, and each record
// in log order:
//  - cmp, const cmp: where an operand equals x as the record's width sees it (truncated,
//    sign-extended, or zero-extended from the column's own width), the other operand and
//    its ±1 (wrapping at the width);
//  - switch: where the value equals x, every case and its ±1;
//  - div, gep: where the operand equals x, 0 and ±1 (libFuzzer's "compare with zero");
//    for gep also every index below 64, since a branch on a table entry flips at an index
//    no compare names and no bisection can find (table entries are not ordered).
// Each target t becomes up to three values: x with its low `width` bytes replaced by t (so
// a truncated compare keeps x's high bits), t read unsigned and t read signed at the width.
// Only values the column admits and that differ from x are kept, each once, in the order
// found; at most `max_mutations`.
//
// Example usage:
//   // x = 5 reached `if (x == 0xdeadbeef)`: the runtime logged {kConstCmp, 4, 0xdeadbeef, 5}
//   std::vector<Mutation> m = ProposeMutations(columns, {{Value::Int(5)}}, log);
//   // {0, 0xdeadbeef}, {0, 0xdeadbef0}, {0, 0xdeadbeee}
std::vector<Mutation> ProposeMutations(std::span<const ColumnSchema> columns,
                                       std::span<const Value> call_set,
                                       std::span<const CompareEvent> log,
                                       std::size_t max_mutations = 4096);

}  // namespace kt::permuter
