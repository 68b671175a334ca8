// One libFuzzer run of the hard-branch fuzz target (fuzz_target.cc) as a child process,
// watched through its stderr until its coverage reaches every edge of the kernel function
// or its runs are spent.
// Linux (posix_spawn, poll); runner/error.h and the log parser only; never the permuter.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "permuter/bench/bench_error.h"
#include "runner/error.h"

namespace kt::permuter::bench {

struct FuzzRunOptions {
  std::string fuzzer;  // the fuzz target binary
  std::string kernel;  // its --kernel
  std::uint32_t seed = 1;
  std::uint64_t max_runs = 0;  // -runs: the cap on executions
  std::size_t max_len = 0;     // -max_len: the kernel's input size
  // A bound on a stuck child, far above the gap between two of libFuzzer's pulse lines.
  std::chrono::seconds silence{120};
};

struct FuzzRun {
  // The kernel function's edges, as the fuzz target counts them in libFuzzer's pc-table.
  // Only the kernel runs under coverage, so "cov:" at this count is full coverage.
  std::uint64_t edges = 0;
  bool reached = false;
  // Reached: the "#E" of the first line at full coverage. Otherwise the last status line's:
  // the runs libFuzzer spent (the cap).
  std::uint64_t executions = 0;
  // From the spawn to that line (process start and libFuzzer's setup included, as the
  // permuter's figure includes its worker's fork), or until libFuzzer ended.
  double seconds = 0;
  std::uint64_t cov = 0;  // the highest "cov:" seen
  // From the spawn to libFuzzer's INITED line: the fixed cost of a libFuzzer process (its
  // start, its setup, the empty input), which `seconds` includes.
  double startup_seconds = 0;
};

// libFuzzer's command line (without the program): the kernel, a fixed seed, the runs cap,
// the kernel's input size and -use_value_profile=1.
std::vector<std::string> LibFuzzerArgs(const FuzzRunOptions& options);

// Runs the fuzzer and kills it once "cov:" reaches the kernel's edges. Errors: kt.bench spawn,
// silent, or fuzzer_failed (also when it printed no kernel-edges line before its first
// status line), each with the end of the fuzzer's output.
// Thread-compatible; the caller must not reap children it did not start (waitpid(-1)).
Expected<FuzzRun> RunLibFuzzer(const FuzzRunOptions& options);

}  // namespace kt::permuter::bench
