// The search behind one kernel's generate and check: Search for kernels of integer-like
// parameters, libFuzzer's FuzzSearch for kernels with a string or bytes parameter. runner/,
// permuter/ and the seed document only; never the driver's jobs or output.
#pragma once

#include <cstdio>
#include <span>

#include "permuter/driver/seed_reader.h"
#include "permuter/executor.h"
#include "permuter/search.h"
#include "runner/error.h"
#include "runner/registry.h"
#include "runner/schema.h"

namespace kt::driver {

// Searches `kernel` over `columns` (the seeds' parameters, then the workspace column, if any)
// from the seeds' constants and strings and the `previous` rows, through `executor`. A kernel
// with a string or bytes parameter goes to libFuzzer (permuter/fuzz_search.h), which also
// writes one line to `log`:
//   INFO: <kernel>: libFuzzer: <E> edges, the last new one after <N> of <M> executions
//         (<I> inputs, <S> seed inputs, <W> dictionary words)
// Errors: the search's own; kt.fuzz libfuzzer for a string or bytes kernel in a driver built
// without libFuzzer (a compiler without libclang_rt.fuzzer_no_main). Call from a
// single-threaded process: both searches fork.
Expected<permuter::SearchResult> SearchKernel(const KernelInfo& kernel,
                                              std::span<const ColumnSchema> columns,
                                              const SeedDocument& seeds,
                                              std::span<const permuter::PreviousRow> previous,
                                              permuter::Executor& executor,
                                              const permuter::SearchOptions& options,
                                              std::FILE* log);

}  // namespace kt::driver
