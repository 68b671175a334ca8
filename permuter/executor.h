// The permuter's view of running a kernel: one call set in, its edges, its compares and its
// outcome out. Implemented by the forked worker (permuter/worker_executor.h) and, in tests,
// by fakes that emulate instrumented kernels. runner/outcome.h and permuter/ only.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "permuter/compare_event.h"
#include "runner/error.h"
#include "runner/outcome.h"
#include "runner/value.h"

namespace kt::permuter {

struct Execution {
  std::vector<std::uint32_t> edges;    // ascending, unique edge ids
  std::vector<CompareEvent> compares;  // in execution order
  Outcome outcome;                     // a finding (crash, timeout, ...) is an outcome too
};

// Thread-compatible; the search calls it from one thread, one call set at a time.
class Executor {
 public:
  virtual ~Executor() = default;
  // An error is the executor's own failure (a worker that cannot start, a call set that
  // does not decode), never the kernel's: a crash or a failed KT_CHECK is an Outcome.
  virtual Expected<Execution> Run(std::span<const Value> call_set) = 0;
};

}  // namespace kt::permuter
