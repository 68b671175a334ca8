// One generation of a hard-branch kernel by the permuter, as permuter/e2e_test.cc runs it
// (Search over a forked WorkerExecutor, the default budget), timed to the execution that
// first reached every edge of the kernel function. Linux; the permuter, the hard-kernel
// registry and the coverage runtime's read side; never libFuzzer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "permuter/internal/hard_kernel_registry.h"
#include "runner/error.h"

namespace kt::permuter::bench {

struct PermuterRun {
  std::size_t edges = 0;  // the kernel function's own edges
  bool reached = false;   // every one of them, within the budget
  // Executions up to and including the one that reached the last of them, and the wall
  // time from the executor's construction (its worker's fork included) to its end.
  std::uint64_t executions_to_full = 0;
  double seconds_to_full = 0;
  // The whole generation: until a round added no edge, then the set cover.
  std::uint64_t executions = 0;
  double seconds = 0;
  bool finding = false;  // a kernel of the eight never finds one; reported if it does
};

// Generates `kernel`'s table and times it. Errors: the search's own (a worker that cannot
// start), passed through. Construct and run from a single-threaded process (fork).
Expected<PermuterRun> RunPermuter(const internal::HardKernel& kernel);

}  // namespace kt::permuter::bench
