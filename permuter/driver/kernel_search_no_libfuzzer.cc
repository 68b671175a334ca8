// SearchKernel in a driver built without libFuzzer (no libclang_rt.fuzzer_no_main for the
// compiler): every kernel goes to Search, and a string or bytes kernel gets a warning, since
// its text columns then take only their seed values and its table will differ from the one a
// driver with libFuzzer generates. runner/, permuter/ and the seed document only.
#include "permuter/driver/kernel_search.h"

#include "permuter/fuzz_codec.h"

namespace kt::driver {

Expected<permuter::SearchResult> SearchKernel(const KernelInfo& kernel,
                                              std::span<const ColumnSchema> columns,
                                              const SeedDocument& seeds,
                                              std::span<const permuter::PreviousRow> previous,
                                              permuter::Executor& executor,
                                              const permuter::SearchOptions& options,
                                              std::FILE* log) {
  if (permuter::HasTextColumn(columns)) {
    std::fprintf(log,
                 "WARNING: %s: this driver was built without libFuzzer (Debian's "
                 "libclang-rt-19-dev); its string and bytes columns take only their seed "
                 "values\n",
                 kernel.name.c_str());
  }
  return permuter::Search(columns, seeds.constants, previous, executor, options);
}

}  // namespace kt::driver
