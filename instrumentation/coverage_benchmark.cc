// The runtime's overhead: executions per second of one small kernel, instrumented and not,
// each execution inside an execution window as the permuter runs it. Google Benchmark; prints
// both rates and their ratio. Depends on the runtime and the two kernel builds only.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "instrumentation/benchmark_kernel.h"
#include "instrumentation/coverage.h"

namespace kt::coverage::bench {
namespace {

using Kernel = int (*)(const DmaRequest&) noexcept;

// Requests reaching every outcome, so both builds run every path in the same proportions.
constexpr DmaRequest kRequests[] = {
    {0x0000'0000, 0x0000, 3},  // zero size
    {0x0000'0800, 0x1000, 3},  // unaligned
    {0xffff'ffff'ffff'f000, 0x2000, 3},  // wraps
    {0x0900'0000, 0x1000, 0},  // no permission
    {0x0001'2000, 0x1000, 1},  // overlaps the second mapping
    {0x8010'0000, 0x1000, 2},  // overlaps the last mapping
    {0x0300'0000, 0x1000, 3},  // valid
    {0x2000'0000, 0x10'0000, 1},  // valid
};

void BM_Execution(benchmark::State& state, Kernel kernel) {
  std::size_t next = 0;
  for (auto _ : state) {
    BeginExecution();
    benchmark::DoNotOptimize(kernel(kRequests[next]));
    EndExecution();
    next = (next + 1) % std::size(kRequests);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Execution, uninstrumented, &plain::CheckDmaMap);
BENCHMARK_CAPTURE(BM_Execution, instrumented, &instrumented::CheckDmaMap);

// The console output plus each benchmark's executions per second, for the summary lines.
class RateReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      const auto it = run.counters.find("items_per_second");
      if (run.run_type == Run::RT_Iteration && it != run.counters.end()) {
        rates_[run.benchmark_name()] = it->second.value;
      }
    }
  }

  // Executions per second of the benchmark named `name`, or 0 if it did not run.
  double Rate(const std::string& name) const {
    const auto it = rates_.find(name);
    return it == rates_.end() ? 0.0 : it->second;
  }

 private:
  std::map<std::string, double> rates_;
};

void PrintSummary(const RateReporter& reporter) {
  const double plain = reporter.Rate("BM_Execution/uninstrumented");
  const double instrumented = reporter.Rate("BM_Execution/instrumented");
  std::printf("INFO: %zu edges in %zu instrumented modules\n", NumEdges(), NumModules());
  std::printf("INFO: uninstrumented: %.0f executions/s\n", plain);
  std::printf("INFO: instrumented:   %.0f executions/s\n", instrumented);
  if (plain > 0 && instrumented > 0) {
    std::printf("INFO: instrumented/uninstrumented throughput: %.3f (%.2fx slower)\n",
                instrumented / plain, plain / instrumented);
  }
}

}  // namespace
}  // namespace kt::coverage::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  kt::coverage::bench::RateReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  kt::coverage::bench::PrintSummary(reporter);
  return 0;
}
