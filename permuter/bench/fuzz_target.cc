// libFuzzer's entry points for the hard-branch kernels: `--kernel=NAME` picks the kernel
// (libFuzzer ignores flags that start with "--"), every input is decoded into its typed
// parameters and calls it. Before fuzzing it prints the kernel function's edges, counted in
// libFuzzer's own pc-table, so a run knows when its "cov:" means full coverage. Linked with
// -fsanitize=fuzzer, against hard_kernels.cc compiled with libFuzzer's coverage; never the
// kerneltest instrumentation runtime, which defines the same SanitizerCoverage hooks.
//
// Example usage:
//   permuter_bench_hard_fuzzer --kernel=hard.linear -use_value_profile=1 -seed=1 \
//       -runs=5000000 -max_len=4
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "permuter/bench/fuzz_kernels.h"
#include "permuter/bench/libfuzzer_log.h"

// The bounds of the pc-tables of every instrumented object (-fsanitize-coverage=pc-table),
// defined by the linker for the __sancov_pcs section; weak, so a build without coverage
// still links (and counts no edge).
extern "C" __attribute__((weak)) const std::uintptr_t __start___sancov_pcs[];
extern "C" __attribute__((weak)) const std::uintptr_t __stop___sancov_pcs[];

namespace {

constexpr std::string_view kKernelFlag = "--kernel=";

// Set once by LLVMFuzzerInitialize, before libFuzzer runs an input.
const kt::permuter::bench::FuzzKernel* g_kernel = nullptr;

// The edges of the function at `entry`. A pc-table is (pc, flags) pairs, a function's blocks
// contiguous from its entry block, whose pc is the function's address and whose flags have
// bit 0 set: the layout libFuzzer's own per-function coverage report relies on.
std::size_t EdgesOfFunction(void (*entry)()) {
  const auto pc = reinterpret_cast<std::uintptr_t>(entry);
  const std::uintptr_t* p = __start___sancov_pcs;
  const std::uintptr_t* const end = __stop___sancov_pcs;
  std::size_t edges = 0;
  bool inside = false;
  for (; p != nullptr && p + 1 < end; p += 2) {
    if (p[1] & 1) inside = p[0] == pc;
    if (inside) ++edges;
  }
  return edges;
}

void PrintKernels() {
  for (const kt::permuter::bench::FuzzKernel& k : kt::permuter::bench::FuzzKernels()) {
    std::fprintf(stderr, "  %.*s\n", static_cast<int>(k.name.size()), k.name.data());
  }
}

}  // namespace

// Called by libFuzzer's main before it parses its own flags.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  std::string_view name;
  for (int i = 1; i < *argc; ++i) {
    const std::string_view arg = (*argv)[i];
    if (arg.starts_with(kKernelFlag)) name = arg.substr(kKernelFlag.size());
  }
  g_kernel = kt::permuter::bench::FindFuzzKernel(name);
  if (g_kernel == nullptr) {
    // libFuzzer owns main(); this is the one place the binary can refuse a bad command line.
    std::fprintf(stderr, "ERROR: --kernel=%.*s names no kernel; one of:\n",
                 static_cast<int>(name.size()), name.data());
    PrintKernels();
    std::exit(2);
  }
  const std::string_view tag = kt::permuter::bench::kKernelEdgesTag;
  std::fprintf(stderr, "%.*s%zu %.*s\n", static_cast<int>(tag.size()), tag.data(),
               EdgesOfFunction(g_kernel->function), static_cast<int>(name.size()), name.data());
  return 0;
}

// Called by libFuzzer once per input.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  g_kernel->run({data, size});
  return 0;
}
