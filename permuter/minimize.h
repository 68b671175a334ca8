// Step 6 of the permuter contract and the finding's reproducer: a deterministic greedy set
// cover that picks the table's rows, and a shrinker that makes a failing call set small.
// runner/schema.h, runner/value.h and runner/error.h only; what "still fails" means is the
// caller's predicate, never an executor here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "runner/error.h"
#include "runner/schema.h"
#include "runner/value.h"

namespace kt::permuter {

// One executed call set the cover may pick. Views: the caller's storage must outlive the
// call to SelectCover.
struct CoverCandidate {
  std::span<const Value> values;
  std::span<const std::uint32_t> edges;  // ascending, unique
  // One row per distinct key is kept, like an edge: the outcome class a table must show.
  std::string outcome_key;
  bool pinned = false;    // added by hand: always kept, its features count as covered
  bool previous = false;  // a row of the previous table: considered before new rows
};

// The rows of a minimal table: every edge and every outcome key some candidate has, in as
// few rows as greedy finds. Pinned rows first. Then greedy (repeatedly the candidate
// covering the most uncovered features) among the previous table's rows alone, then among
// all candidates, ties going to the simpler values (CompareSimplicity), then to the lower
// index. Then a redundancy pass drops, last picked first, every unpinned row whose
// features all other kept rows cover. Previous rows go first, not merely win ties, so a
// change to the kernel replaces only the rows whose coverage it took away (PICT's /e
// seeding): a row whose path is untouched keeps covering what it covered. Returns indices
// into `candidates`, ordered by CompareCallSets then index, so regeneration on the same
// build is byte-identical.
//
// Example usage:
//   std::vector<CoverCandidate> c = {{a, edges_a, "ok"}, {b, edges_b, "error(x:y)"}};
//   for (std::size_t i : SelectCover(c)) table.push_back(c[i].values);
std::vector<std::size_t> SelectCover(std::span<const CoverCandidate> candidates);

// Whether a call set still ends in the finding being shrunk; an error stops the shrinker.
using StillFails = std::function<Expected<bool>(std::span<const Value>)>;

struct ShrinkResult {
  std::vector<Value> values;  // the smallest failing call set found
  std::size_t attempts = 0;   // calls of the predicate
};

// Shrinks `failing` (which the predicate is assumed to fail) one column at a time, passes
// repeated until one changes nothing or `max_attempts` predicate calls are spent:
//   int, strong  to the value nearest 0 in range if that fails, else bisected between it
//                and the current value for the failing value nearest it;
//   enum         to the first enumerator, in declaration order, that fails;
//   flags        to none, else with each set flag cleared in turn;
//   bool         to false;  string, bytes: to empty, else to halving prefixes.
// Every accepted step keeps the finding, so the result fails as the input did.
//
// Example usage:
//   // crashes for every size > 1000
//   Expected<ShrinkResult> r = Shrink(columns, {Value::Int(0xffff'ffff)}, crashes, 200);
//   // r->values == {Value::Int(1001)}
Expected<ShrinkResult> Shrink(std::span<const ColumnSchema> columns, std::vector<Value> failing,
                              const StillFails& still_fails, std::size_t max_attempts);

}  // namespace kt::permuter
