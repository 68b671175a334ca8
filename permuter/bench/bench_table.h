// The benchmark's figures: libFuzzer's runs of one kernel summarised by their median, the
// ratios to the permuter's, and the Markdown table docs/benchmarks.md quotes. Pure; the
// standard library and the two run records only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "permuter/bench/libfuzzer_run.h"
#include "permuter/bench/permuter_run.h"

namespace kt::permuter::bench {

// libFuzzer's runs of one kernel, one per seed, each figure summarised by its median (the
// lower one for an even count). A run that did not reach full coverage counts as needing
// more than it spent, so a median is exact when more than half the runs (the lower median's
// share) reached full coverage, and otherwise a lower bound: the least any unreached run
// spent (the cap, for executions).
struct FuzzSummary {
  std::size_t runs = 0;
  std::size_t reached = 0;
  bool median_reached = false;  // false: the figures below are lower bounds
  std::uint64_t executions = 0;
  double seconds = 0;          // from the spawn
  double fuzzing_seconds = 0;  // from libFuzzer's INITED line: its startup left out
};

FuzzSummary Summarize(std::span<const FuzzRun> runs);

struct BenchRow {
  std::string kernel;
  PermuterRun permuter;
  FuzzSummary libfuzzer;
};

// "51x" (one decimal below 10: "2.5x"), prefixed "> " when `lower_bound`; "n/a" for a
// denominator of zero.
std::string FormatRatio(double numerator, double denominator, bool lower_bound);

// One Markdown table, a row per kernel, columns aligned. The ratios are libFuzzer's figure
// over the permuter's to full coverage; "n/a" where the permuter did not reach it.
std::string FormatTable(std::span<const BenchRow> rows);

}  // namespace kt::permuter::bench
