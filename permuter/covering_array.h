// Step 2 of the permuter contract: the initial call sets as rows of seed indices, every
// combination when that fits a limit and a pairwise covering array (IPOG) otherwise. Pure
// and deterministic; the standard library only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace kt::permuter {

enum class Strength {
  kExhaustive = 1,  // every combination
  kPairwise,        // every pair of values of every two columns, in some row
  kEachValue,       // every value of every column, in some row (when even pairs overflow)
};
// "exhaustive", "pairwise", "each_value".
const char* ToString(Strength s) noexcept;

struct CoveringArray {
  Strength strength = Strength::kExhaustive;
  // rows[r][c] indexes column c's domain. No two rows are equal.
  std::vector<std::vector<std::uint32_t>> rows;
};

// Rows over columns of the given domain sizes:
//  - the full product, odometer order (last column fastest), when it has at most `limit`
//    rows; a column of size 0 makes it empty, no columns make it one empty row;
//  - otherwise, when the two largest sizes multiply to at most `limit` (the least any
//    pairwise array needs), a pairwise array built IPOG-style (columns in decreasing size,
//    horizontal growth by most new pairs with the smallest index on ties, vertical growth
//    with don't-cares, leftover don't-cares set to index 0); typically within 1.5x of that
//    lower bound, and may exceed `limit` by that overhead;
//  - otherwise the first `limit` rows of an each-value array: row r takes r mod size.
//
// Example usage:
//   CoveringArray a = BuildCoveringArray({{3, 3, 3, 3}}, /*limit=*/20);  // 81 > 20
//   // a.strength == Strength::kPairwise; 9 <= a.rows.size() <= 13
CoveringArray BuildCoveringArray(std::span<const std::size_t> sizes, std::uint64_t limit);

}  // namespace kt::permuter
