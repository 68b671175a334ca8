// The benchmark's parts: the fuzz target's decoders, libFuzzer's log lines, the medians,
// ratios and table, the flags, and real runs of each side on small kernels.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "permuter/bench/bench_flags.h"
#include "permuter/bench/bench_table.h"
#include "permuter/bench/fuzz_kernels.h"
#include "permuter/bench/libfuzzer_log.h"
#include "permuter/bench/libfuzzer_run.h"
#include "permuter/bench/permuter_run.h"
#include "permuter/internal/hard_kernel_registry.h"

namespace kt::permuter::bench {
namespace {

struct DecodeCase {
  const char* kernel;
  std::vector<std::uint8_t> input;
  int expected;  // the kernel's return: which branch the decoded call took
};

const DecodeCase kDecodeCases[] = {
    {"hard.magic32", {0xef, 0xbe, 0xad, 0xde}, 1},
    {"hard.magic32", {0xde, 0xad, 0xbe, 0xef}, 0},  // big-endian is another value
    {"hard.magic32", {0xef, 0xbe, 0xad, 0xde, 0x55}, 1},  // bytes past the size are ignored
    {"hard.magic64", {0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01}, 1},
    {"hard.magic64", {0xef, 0xcd, 0xab, 0x89}, 0},
    {"hard.linear", {0x80, 0x47, 0x06, 0x00}, 1},  // 411520
    {"hard.narrow_range", {0x45, 0x42, 0x0f}, 1},  // 1000005, zero-padded
    {"hard.narrow_range", {0x45, 0x42, 0x0f, 0, 0, 0, 0, 0x80}, 0},  // negative
    {"hard.enum_flags", {2, 0b01101}, 2},  // kAppend, kSync | kAtomic | kTemp
    {"hard.enum_flags", {5, 0b01101}, 2},  // the mode is an index modulo 3
    {"hard.enum_flags", {2, 0b11101}, 1},  // with kLarge
    {"hard.enum_flags", {0, 0b01101}, 0},  // kRead
    {"hard.switch", {0xfb, 0xff, 0xff, 0xff}, 1},  // -5
    {"hard.switch", {0xe8, 0x03}, 4},  // 1000, zero-padded
    {"hard.divide", {}, -1},  // the empty input is d == 0
    {"hard.divide", {0x14, 0x05}, 1},  // 1300
    {"hard.array_index", {5}, 1},
    {"hard.array_index", {0xff, 0xff, 0xff, 0xff}, -1},  // -1
};

TEST(FuzzKernelsTest, DecodesEachInputIntoTheBranchItsValuesTake) {
  for (const DecodeCase& c : kDecodeCases) {
    const FuzzKernel* k = FindFuzzKernel(c.kernel);
    ASSERT_NE(k, nullptr) << c.kernel;
    EXPECT_EQ(k->run(c.input), c.expected) << c.kernel << " on " << c.input.size() << " bytes";
  }
}

std::size_t BytesOf(const ColumnSchema& column) {
  if (column.kind == ParamKind::kEnum || column.kind == ParamKind::kFlags) return 1;
  return static_cast<std::size_t>(column.int_type.bits / 8);
}

TEST(FuzzKernelsTest, InputSizeIsThePermutersParametersInBytes) {
  ASSERT_EQ(FuzzKernels().size(), 8u);
  for (const FuzzKernel& k : FuzzKernels()) {
    std::size_t bytes = 0;
    for (const ColumnSchema& column : internal::Hard(k.name).columns) bytes += BytesOf(column);
    EXPECT_EQ(k.input_size, bytes) << k.name;
  }
}

TEST(FuzzKernelsTest, FindsNoUnknownKernel) {
  EXPECT_EQ(FindFuzzKernel("hard.check_above_1000"), nullptr);
  EXPECT_EQ(FindFuzzKernel(""), nullptr);
}

struct LoadCase {
  std::vector<std::uint8_t> input;
  std::size_t offset;
  std::size_t width;
  std::uint64_t expected;
};

const LoadCase kLoadCases[] = {
    {{0x01, 0x02, 0x03, 0x04}, 0, 4, 0x04030201},
    {{0x01, 0x02, 0x03, 0x04}, 1, 2, 0x0302},
    {{0x01, 0x02}, 0, 4, 0x0201},
    {{0x01, 0x02}, 2, 4, 0},
    {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 0, 8, 0xffffffffffffffff},
};

TEST(FuzzKernelsTest, LoadsLittleEndianPaddingWithZeros) {
  for (const LoadCase& c : kLoadCases) {
    EXPECT_EQ(LoadLittleEndian(c.input, c.offset, c.width), c.expected)
        << c.input.size() << " bytes at " << c.offset << ", width " << c.width;
  }
}

struct StatusCase {
  const char* line;
  bool is_status;
  std::uint64_t executions;
  std::uint64_t cov;
  const char* event;
};

constexpr StatusCase kStatusCases[] = {
    {"#2\tINITED cov: 2 ft: 4 corp: 1/1b exec/s: 0 rss: 27Mb", true, 2, 2, "INITED"},
    {"#608\tNEW    cov: 3 ft: 37 corp: 30/93b lim: 4 exec/s: 0 rss: 27Mb L: 4/4 MS: 4 CMP-", true,
     608, 3, "NEW"},
    {"#647\tREDUCE cov: 3 ft: 39 corp: 31/97b lim: 4 exec/s: 0 rss: 27Mb L: 4/4", true, 647, 3,
     "REDUCE"},
    {"#524288\tpulse  cov: 3 ft: 66 corp: 60/177b lim: 4 exec/s: 262144 rss: 27Mb", true, 524288,
     3, "pulse"},
    {"#5000000\tDONE   cov: 4 ft: 70 corp: 62/185b lim: 4 exec/s: 625000 rss: 28Mb", true,
     5000000, 4, "DONE"},
    {"#2\tINITED exec/s: 0 rss: 27Mb", true, 2, 0, "INITED"},  // libFuzzer omits a zero cov
    {"INFO: Seed: 1", false, 0, 0, ""},
    {"#12", false, 0, 0, ""},
    {"#x\tNEW cov: 3 exec/s: 0", false, 0, 0, ""},
    {"#9\tNEW cov: three exec/s: 0", false, 0, 0, ""},
    {"#9\tNEW cov: 3 ft: 4", false, 0, 0, ""},  // cut short
    {"Done 5000000 runs in 8 second(s)", false, 0, 0, ""},
};

TEST(LibFuzzerLogTest, ParsesStatusLinesAndNothingElse) {
  for (const StatusCase& c : kStatusCases) {
    const std::optional<StatusLine> s = ParseStatusLine(c.line);
    ASSERT_EQ(s.has_value(), c.is_status) << c.line;
    if (!s) continue;
    EXPECT_EQ(s->executions, c.executions) << c.line;
    EXPECT_EQ(s->cov, c.cov) << c.line;
    EXPECT_EQ(s->event, c.event) << c.line;
  }
}

struct EdgesCase {
  const char* line;
  std::optional<std::uint64_t> expected;
};

const EdgesCase kEdgesCases[] = {
    {"INFO: kernel edges: 7 hard.switch", 7},
    {"INFO: kernel edges: 3", 3},
    {"INFO: kernel edges: 7x hard.switch", std::nullopt},
    {"INFO: kernel edges: hard.switch", std::nullopt},
    {"INFO: Loaded 1 modules   (691 inline 8-bit counters): 691 [0x5655, 0x5656), ", std::nullopt},
};

TEST(LibFuzzerLogTest, ParsesTheFuzzTargetsKernelEdgesLine) {
  for (const EdgesCase& c : kEdgesCases) {
    EXPECT_EQ(ParseKernelEdges(c.line), c.expected) << c.line;
  }
}

// Runs whose startup is 0 unless a test sets it.
FuzzRun Reached(std::uint64_t executions, double seconds) {
  return {3, true, executions, seconds, 3, 0};
}
FuzzRun Unreached(std::uint64_t executions, double seconds) {
  return {3, false, executions, seconds, 2, 0};
}

struct SummaryCase {
  const char* name;
  std::vector<FuzzRun> runs;
  FuzzSummary expected;
};

const SummaryCase kSummaryCases[] = {
    {"three reached", {Reached(300, 0.3), Reached(100, 0.2), Reached(200, 0.1)},
     {3, 3, true, 200, 0.2, 0.2}},
    {"even count: the lower median", {Reached(400, 0.4), Reached(100, 0.1)},
     {2, 2, true, 100, 0.1, 0.1}},
    {"one of three unreached: still exact",
     {Unreached(1000, 0.05), Reached(100, 0.2), Reached(300, 0.3)}, {3, 2, true, 300, 0.3, 0.3}},
    {"two of three unreached: a lower bound",
     {Unreached(1000, 0.9), Reached(100, 0.2), Unreached(1000, 0.7)},
     {3, 1, false, 1000, 0.7, 0.7}},
    {"no runs", {}, {0, 0, false, 0, 0, 0}},
};

TEST(BenchTableTest, SummarisesByTheMedianWithUnreachedRunsAsLowerBounds) {
  for (const SummaryCase& c : kSummaryCases) {
    const FuzzSummary s = Summarize(c.runs);
    EXPECT_EQ(s.runs, c.expected.runs) << c.name;
    EXPECT_EQ(s.reached, c.expected.reached) << c.name;
    EXPECT_EQ(s.median_reached, c.expected.median_reached) << c.name;
    EXPECT_EQ(s.executions, c.expected.executions) << c.name;
    EXPECT_DOUBLE_EQ(s.seconds, c.expected.seconds) << c.name;
    EXPECT_DOUBLE_EQ(s.fuzzing_seconds, c.expected.fuzzing_seconds) << c.name;
  }
}

TEST(BenchTableTest, TimeAfterInitedLeavesEachRunsOwnStartupOut) {
  FuzzRun runs[] = {Reached(100, 0.5), Unreached(1000, 0.9), Reached(200, 0.6)};
  runs[0].startup_seconds = 0.1;  // fuzzed 0.4
  runs[1].startup_seconds = 0.1;  // fuzzed 0.8 without reaching full coverage
  runs[2].startup_seconds = 0.1;  // fuzzed 0.5: the middle of 0.4, 0.5 and more than 0.8
  EXPECT_DOUBLE_EQ(Summarize(runs).fuzzing_seconds, 0.5);
  runs[0].reached = false;  // now a lower bound: the least of the unreached, 0.4 and 0.8
  EXPECT_DOUBLE_EQ(Summarize(runs).fuzzing_seconds, 0.4);
}

struct RatioCase {
  double numerator;
  double denominator;
  bool lower_bound;
  const char* expected;
};

constexpr RatioCase kRatioCases[] = {
    {608, 12, false, "51x"},
    {25, 10, false, "2.5x"},
    {5, 10, false, "0.5x"},
    {5000000, 12, true, "> 416667x"},
    {1, 0, false, "n/a"},
};

TEST(BenchTableTest, FormatsRatiosWithTheirBound) {
  for (const RatioCase& c : kRatioCases) {
    EXPECT_EQ(FormatRatio(c.numerator, c.denominator, c.lower_bound), c.expected)
        << c.numerator << "/" << c.denominator;
  }
}

// The trimmed cells of line `index` of a Markdown table.
std::vector<std::string> Cells(const std::string& table, std::size_t index) {
  std::size_t begin = 0;
  for (std::size_t i = 0; i < index; ++i) begin = table.find('\n', begin) + 1;
  const std::string line = table.substr(begin, table.find('\n', begin) - begin);
  std::vector<std::string> cells;
  for (std::size_t bar = line.find('|'); bar + 1 < line.size(); bar = line.find('|', bar + 1)) {
    std::string cell = line.substr(bar + 1, line.find('|', bar + 1) - bar - 1);
    cell.erase(0, cell.find_first_not_of(' '));
    cell.erase(cell.find_last_not_of(' ') + 1);
    cells.push_back(cell);
  }
  return cells;
}

TEST(BenchTableTest, TableMarksLowerBoundsAndAPermuterThatMissed) {
  const PermuterRun ok{3, true, 12, 0.004, 40, 0.010, false};
  const PermuterRun missed{3, false, 0, 0, 20000, 2.0, false};
  const BenchRow rows[] = {
      {"hard.magic32", ok, {3, 3, true, 608, 0.025, 0.002}},
      {"hard.linear", ok, {3, 0, false, 1000000, 2.5, 2.3}},
      {"hard.divide", missed, {3, 3, true, 900, 0.030, 0.008}},
  };
  const std::string table = FormatTable(rows);
  EXPECT_EQ(Cells(table, 0).size(), 12u) << table;
  EXPECT_EQ(Cells(table, 2), (std::vector<std::string>{"hard.magic32", "3", "12", "4.0",
                                                       "40 / 10.0", "3/3", "608", "25.0", "2.0",
                                                       "51x", "6.2x", "0.5x"}))
      << table;
  EXPECT_EQ(Cells(table, 3), (std::vector<std::string>{"hard.linear", "3", "12", "4.0",
                                                       "40 / 10.0", "0/3", "> 1000000",
                                                       "> 2500.0", "> 2300.0", "> 83333x",
                                                       "> 625x", "> 575x"}))
      << table;
  EXPECT_EQ(Cells(table, 4), (std::vector<std::string>{"hard.divide", "3", "not reached", "-",
                                                       "20000 / 2000.0", "3/3", "900", "30.0",
                                                       "8.0", "n/a", "n/a", "n/a"}))
      << table;
}

struct FlagsCase {
  std::vector<const char*> args;
  bool ok;
  std::uint32_t seeds;
  std::uint64_t runs;
  std::size_t kernels;
};

const FlagsCase kFlagsCases[] = {
    {{"bench"}, true, kDefaultSeeds, kDefaultRuns, 0},
    {{"bench", "--seeds=3", "--runs=1000", "--kernel=hard.linear", "--kernel=hard.switch"}, true,
     3, 1000, 2},
    {{"bench", "--seeds=0"}, false, 0, 0, 0},
    {{"bench", "--runs=1e6"}, false, 0, 0, 0},
    {{"bench", "--runs="}, false, 0, 0, 0},
    {{"bench", "--kernel="}, false, 0, 0, 0},
    {{"bench", "--jobs=2"}, false, 0, 0, 0},
    {{"bench", "-runs=5"}, false, 0, 0, 0},
};

TEST(BenchFlagsTest, ParsesValidFlagsAndNamesTheBadOne) {
  for (const FlagsCase& c : kFlagsCases) {
    const std::string joined = c.args.size() > 1 ? c.args.back() : "(none)";
    const Expected<BenchOptions> o = ParseBenchFlags(c.args, "fuzzer");
    ASSERT_EQ(o.has_value(), c.ok) << joined;
    if (!o) {
      EXPECT_EQ(o.error().code, BenchError::kUsage) << joined;
      EXPECT_NE(o.error().message.find(c.args.back()), std::string::npos) << o.error().message;
      continue;
    }
    EXPECT_EQ(o.value().seeds, c.seeds) << joined;
    EXPECT_EQ(o.value().runs, c.runs) << joined;
    EXPECT_EQ(o.value().kernels.size(), c.kernels) << joined;
    EXPECT_EQ(o.value().fuzzer, "fuzzer") << joined;
  }
}

FuzzRunOptions Options(std::string_view kernel, std::uint64_t runs) {
  const FuzzKernel* k = FindFuzzKernel(kernel);
  return {KT_BENCH_FUZZER, std::string(kernel), 1, runs, k == nullptr ? 4 : k->input_size};
}

TEST(LibFuzzerRunTest, CountsThePermutersEdgesAndStopsAtFullCoverage) {
  for (const FuzzKernel& k : FuzzKernels()) {
    const std::size_t edges = internal::EdgesOfFunction(internal::Hard(k.name).info.fn).size();
    const Expected<FuzzRun> run = RunLibFuzzer(Options(k.name, 1));
    ASSERT_TRUE(run.has_value()) << run.error().message;
    EXPECT_EQ(run.value().edges, edges) << k.name;
  }
  const Expected<FuzzRun> run = RunLibFuzzer(Options("hard.array_index", 1'000'000));
  ASSERT_TRUE(run.has_value()) << run.error().message;
  EXPECT_TRUE(run.value().reached);
  EXPECT_EQ(run.value().cov, run.value().edges);
  EXPECT_LT(run.value().executions, 1'000'000u);
}

TEST(LibFuzzerRunTest, ReportsNotReachedWhenTheCapRunsOut) {
  const Expected<FuzzRun> run = RunLibFuzzer(Options("hard.magic64", 50));
  ASSERT_TRUE(run.has_value()) << run.error().message;
  EXPECT_FALSE(run.value().reached);
  EXPECT_EQ(run.value().executions, 50u);
  EXPECT_LT(run.value().cov, 3u);
}

TEST(LibFuzzerRunTest, FailsOnAKernelTheTargetDoesNotKnow) {
  const Expected<FuzzRun> run = RunLibFuzzer(Options("hard.nope", 10));
  ASSERT_FALSE(run.has_value());
  EXPECT_EQ(run.error().code, BenchError::kFuzzerFailed);
  EXPECT_NE(run.error().message.find("names no kernel"), std::string::npos) << run.error().message;
}

TEST(LibFuzzerRunTest, FailsToSpawnAMissingBinary) {
  FuzzRunOptions options = Options("hard.magic32", 10);
  options.fuzzer = "/nonexistent/fuzzer";
  const Expected<FuzzRun> run = RunLibFuzzer(options);
  ASSERT_FALSE(run.has_value());
  EXPECT_EQ(run.error().code, BenchError::kSpawn);
}

TEST(PermuterRunTest, ReachesEveryEdgeAndCountsTheExecutionsToIt) {
  const Expected<PermuterRun> run = RunPermuter(internal::Hard("hard.linear"));
  ASSERT_TRUE(run.has_value()) << run.error().message;
  EXPECT_TRUE(run.value().reached);
  EXPECT_FALSE(run.value().finding);
  EXPECT_GT(run.value().edges, 1u);
  EXPECT_GT(run.value().executions_to_full, 0u);
  EXPECT_LE(run.value().executions_to_full, run.value().executions);
  EXPECT_LE(run.value().seconds_to_full, run.value().seconds);
}

}  // namespace
}  // namespace kt::permuter::bench
