// Step 4 of the permuter contract, the part that executes: KernelTest's divide and conquer.
// Where a compared operand is computed from a parameter (3 * x + 7 == 1234567), no operand
// equals the parameter and input-to-state has nothing to copy; instead the parameter's
// range is bisected for the point where the compare's outcome changes. The standard library
// and runner/value.h only; what a probe runs is the caller's business.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "runner/value.h"

namespace kt::permuter {

// What an execution looked like at one point, compared for equality only: a compare's
// outcome code (CompareOutcome), or any other summary the caller chooses.
using ProbeKey = std::uint64_t;
// The key with the parameter set to x, or nullopt to stop searching (budget spent, an
// executor error, a finding).
using Probe = std::function<std::optional<ProbeKey>(const Integer& x)>;

// Two adjacent integers (above == below + 1) whose keys differ: the two sides of a change.
struct Boundary {
  Integer below;
  Integer above;
  friend bool operator==(const Boundary&, const Boundary&) = default;
};

// Probes every point of `points` (ascending; neighbours out of order are not searched), then
// bisects between each two neighbours whose keys differ down to the adjacent pair where the key
// changes. A midpoint whose key differs from both ends splits the search in two, so every change
// visible at the probed points is found (a change that flips back between two probes with equal
// keys is not). Returns the boundaries in ascending order, at most `max_boundaries`; stops early
// when `probe` returns nullopt. A piecewise-constant key over a range of width 2^64 costs at
// most 64 probes per boundary beyond the points.
//
// Example usage:
//   // Where does 3 * x + 7 reach 1234567?  key = (3x + 7 < 1234567)
//   std::vector<Boundary> b = FindBoundaries(seeds, [](const Integer& x) {
//     return std::optional<ProbeKey>(3 * *x.To<std::uint64_t>() + 7 < 1234567);
//   }, 8);
//   // b == {{411520, 411521}}
std::vector<Boundary> FindBoundaries(std::span<const Integer> points, const Probe& probe,
                                     std::size_t max_boundaries);

}  // namespace kt::permuter
