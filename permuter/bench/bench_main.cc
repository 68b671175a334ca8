// The benchmark driver: for each hard-branch kernel, one permuter generation and one
// libFuzzer run per seed, side by side on one machine, then the table of executions, wall
// times and ratios to full coverage. Progress lines on stderr, the table on stdout. Linux;
// links the instrumented hard kernels and the permuter, runs libFuzzer only as a child.
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "permuter/bench/bench_flags.h"
#include "permuter/bench/bench_table.h"
#include "permuter/bench/fuzz_kernels.h"
#include "permuter/bench/libfuzzer_run.h"
#include "permuter/bench/permuter_run.h"
#include "permuter/internal/hard_kernel_registry.h"

namespace kt::permuter::bench {
namespace {

constexpr int kExitMissed = 1;
constexpr int kExitSetup = 2;

void PrintError(const Error& e) {
  std::fprintf(stderr, "ERROR: %s:%s: %s\n", e.code.category().name(),
               e.code.message().c_str(), e.message.c_str());
}

std::string Name(std::string_view s) { return std::string(s); }

void PrintPermuter(const FuzzKernel& k, const PermuterRun& p) {
  std::fprintf(stderr,
               "INFO: permuter %s: %s%zu edges after %llu executions (%.1f ms); whole run "
               "%llu executions (%.1f ms)\n",
               Name(k.name).c_str(), p.reached ? "" : "NOT all ", p.edges,
               static_cast<unsigned long long>(p.executions_to_full), p.seconds_to_full * 1000,
               static_cast<unsigned long long>(p.executions), p.seconds * 1000);
}

void PrintFuzzRun(const FuzzKernel& k, std::uint32_t seed, const FuzzRun& f) {
  std::fprintf(stderr,
               "INFO: libFuzzer %s -seed=%u: cov %llu/%llu %s %llu executions (%.1f ms, of "
               "which startup %.1f ms)\n",
               Name(k.name).c_str(), seed, static_cast<unsigned long long>(f.cov),
               static_cast<unsigned long long>(f.edges), f.reached ? "after" : "not reached within",
               static_cast<unsigned long long>(f.executions), f.seconds * 1000,
               f.startup_seconds * 1000);
}

// One kernel's row; an error when a side could not run at all.
Expected<BenchRow> Measure(const FuzzKernel& k, const BenchOptions& options) {
  BenchRow row{Name(k.name), {}, {}};
  Expected<PermuterRun> permuter = RunPermuter(internal::Hard(k.name));
  if (!permuter) return permuter.error();
  row.permuter = permuter.value();
  PrintPermuter(k, row.permuter);
  std::vector<FuzzRun> runs;
  for (std::uint32_t seed = 1; seed <= options.seeds; ++seed) {
    Expected<FuzzRun> run =
        RunLibFuzzer({options.fuzzer, row.kernel, seed, options.runs, k.input_size});
    if (!run) return run.error();
    // Both sides' "full coverage" must be the same set of blocks for the figures to compare.
    if (run.value().edges != row.permuter.edges) {
      return MakeError(BenchError::kFuzzerFailed,
                       row.kernel + ": libFuzzer's build has " +
                           std::to_string(run.value().edges) + " edges, the permuter's " +
                           std::to_string(row.permuter.edges) + "; the figures would not compare");
    }
    PrintFuzzRun(k, seed, run.value());
    runs.push_back(run.value());
  }
  row.libfuzzer = Summarize(runs);
  return row;
}

// The 1-, 5- and 15-minute load averages: wall times on a shared machine need them.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  if (!(in >> one >> five >> fifteen)) return "unknown";
  return one + " " + five + " " + fifteen;
}

// The kernels `names` (every kernel when empty). kt.bench:usage for an unknown name.
Expected<std::vector<const FuzzKernel*>> Select(const std::vector<std::string>& names) {
  std::vector<const FuzzKernel*> kernels;
  for (const FuzzKernel& k : FuzzKernels()) {
    if (names.empty()) kernels.push_back(&k);
  }
  for (const std::string& name : names) {
    kernels.push_back(FindFuzzKernel(name));
    if (kernels.back() == nullptr) {
      return MakeError(BenchError::kUsage, "--kernel=" + name + ": no such kernel");
    }
  }
  return kernels;
}

int Main(int argc, char** argv) {
  Expected<BenchOptions> parsed = ParseBenchFlags({argv, static_cast<std::size_t>(argc)},
                                                  KT_BENCH_FUZZER);
  if (!parsed || parsed.value().help) {
    if (!parsed) PrintError(parsed.error());
    std::fputs(BenchUsage(argv[0]).c_str(), parsed ? stdout : stderr);
    return parsed ? 0 : kExitSetup;
  }
  const BenchOptions& options = parsed.value();
  Expected<std::vector<const FuzzKernel*>> kernels = Select(options.kernels);
  if (!kernels) {
    PrintError(kernels.error());
    return kExitSetup;
  }
  std::fprintf(stderr,
               "INFO: libFuzzer: %u seeds per kernel, -runs=%llu, -use_value_profile=1; "
               "%u cores, load average %s\n",
               options.seeds, static_cast<unsigned long long>(options.runs),
               std::thread::hardware_concurrency(), LoadAverage().c_str());
  std::vector<BenchRow> rows;
  for (const FuzzKernel* k : kernels.value()) {
    Expected<BenchRow> row = Measure(*k, options);
    if (!row) {
      PrintError(row.error());
      return kExitSetup;
    }
    rows.push_back(row.value());
  }
  std::fputs(FormatTable(rows).c_str(), stdout);
  int status = 0;
  for (const BenchRow& row : rows) {
    if (!row.permuter.reached || row.permuter.finding) {
      std::fprintf(stderr, "ERROR: the permuter %s on %s\n",
                   row.permuter.finding ? "stopped on a finding" : "missed an edge",
                   row.kernel.c_str());
      status = kExitMissed;
    }
  }
  return status;
}

}  // namespace
}  // namespace kt::permuter::bench

int main(int argc, char** argv) { return kt::permuter::bench::Main(argc, argv); }
