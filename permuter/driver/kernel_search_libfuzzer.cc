// SearchKernel with libFuzzer linked in (the renamed libclang_rt.fuzzer_no_main). runner/,
// permuter/ and the seed document only.
#include "permuter/driver/kernel_search.h"

#include <utility>

#include "permuter/fuzz_codec.h"
#include "permuter/fuzz_search.h"

namespace kt::driver {

Expected<permuter::SearchResult> SearchKernel(const KernelInfo& kernel,
                                              std::span<const ColumnSchema> columns,
                                              const SeedDocument& seeds,
                                              std::span<const permuter::PreviousRow> previous,
                                              permuter::Executor& executor,
                                              const permuter::SearchOptions& options,
                                              std::FILE* log) {
  permuter::FuzzStats fuzz;
  Expected<permuter::SearchResult> r = permuter::SearchKernel(
      columns, seeds.constants, seeds.strings, previous, executor, options, &fuzz);
  if (!r || !permuter::HasTextColumn(columns)) return r;
  // The figure a reader of the table cannot reconstruct: how soon the search stopped finding
  // edges, which says how much of the budget the kernel needs.
  std::fprintf(log,
               "INFO: %s: libFuzzer: %zu edges, the last new one after %llu of %llu executions "
               "(%llu inputs, %llu seed inputs, %llu dictionary words)\n",
               kernel.name.c_str(), r.value().edges.size(),
               static_cast<unsigned long long>(fuzz.executions_to_last_new_edge),
               static_cast<unsigned long long>(r.value().stats.executions),
               static_cast<unsigned long long>(fuzz.callbacks),
               static_cast<unsigned long long>(fuzz.seed_inputs),
               static_cast<unsigned long long>(fuzz.dictionary_words));
  return r;
}

}  // namespace kt::driver
