// Times the seeder per kernel translation unit of testdata/: parse, kernel discovery,
// classification and constant harvesting (cross-TU included for harvest.cc), no file output.
#include <string>

#include "ast_seeder/seeder_testing.h"
#include "benchmark/benchmark.h"

namespace ast_seeder {
namespace {

using testing::SeedFiles;
using testing::TestdataPath;

void SeedOne(benchmark::State& state, const char* source, bool cross_tu) {
  SeederOptions options;
  options.index_sources = {TestdataPath(source)};
  if (cross_tu) {
    options.index_sources.push_back(TestdataPath("harvest_helper.cc"));
    options.index_sources.push_back(TestdataPath("harvest_far.cc"));
  }
  std::size_t kernels = 0;
  for (auto _ : state) {
    const testing::SeedRun run = SeedFiles({TestdataPath(source)}, options);
    if (!run.ok) {
      state.SkipWithError(run.diagnostics.c_str());
      return;
    }
    kernels = run.output.kernels.size();
  }
  state.counters["kernels"] = static_cast<double>(kernels);
}

// Each iteration parses a whole TU (and, for harvest.cc, two helper TUs): seconds, not
// microseconds, so a few iterations give a stable figure in bounded ctest time.
BENCHMARK_CAPTURE(SeedOne, kinds_cc, "kinds.cc", false)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK_CAPTURE(SeedOne, harvest_cc_cross_tu, "harvest.cc", true)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK_CAPTURE(SeedOne, test_file_create_cc, "test_file_create.cc", false)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace
}  // namespace ast_seeder

BENCHMARK_MAIN();
