// The benchmark driver's command line. The standard library and bench_error.h only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "permuter/bench/bench_error.h"
#include "runner/error.h"

namespace kt::permuter::bench {

// The figures in docs/benchmarks.md come from these defaults.
inline constexpr std::uint32_t kDefaultSeeds = 5;
inline constexpr std::uint64_t kDefaultRuns = 5'000'000;

struct BenchOptions {
  std::string fuzzer;                  // --fuzzer: the fuzz target binary
  std::uint32_t seeds = kDefaultSeeds;  // --seeds: libFuzzer runs per kernel, -seed=1..N
  std::uint64_t runs = kDefaultRuns;    // --runs: libFuzzer's -runs, the cap per run
  std::vector<std::string> kernels;     // --kernel, repeatable; empty: every kernel
  bool help = false;
};

// Parses args (args[0] is the program) over `default_fuzzer`. kt.bench:usage naming the bad
// argument: an unknown flag, a value that is missing, not a number, or zero.
Expected<BenchOptions> ParseBenchFlags(std::span<const char* const> args,
                                       std::string default_fuzzer);

std::string BenchUsage(std::string_view program);

}  // namespace kt::permuter::bench
