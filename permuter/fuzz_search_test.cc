// Tests of permuter/fuzz_search.h on fake kernels with string and bytes parameters, run
// in-process: every edge within the default budget, byte-identical repeats, the budget,
// previous and pinned rows, findings, and the dispatch the suite driver calls.
#include "permuter/fuzz_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "permuter/internal/fake_text_kernels.h"
#include "permuter/table_builder.h"

namespace kt::permuter {
namespace {

using internal::FakeExecutor;
using internal::FakeKernel;

struct Generated {
  FuzzResult result;
  std::uint64_t executor_runs = 0;
};

Generated MustFuzz(const FakeKernel& kernel, std::span<const std::string> strings = {},
                   std::span<const PreviousRow> previous = {}, const FuzzOptions& options = {}) {
  FakeExecutor executor(kernel);
  Expected<FuzzResult> r = FuzzSearch(kernel.columns, {}, strings, previous, executor, options);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return {r ? std::move(r).value() : FuzzResult{}, executor.runs()};
}

std::string TableText(const FakeKernel& kernel, const SearchResult& r) {
  const KernelSchema schema{kernel.name, "fake_text_kernels.cc", 1, kernel.columns};
  Expected<std::string> text = FormatTable(BuildTable(schema, {}, r));
  EXPECT_TRUE(text.has_value()) << (text ? "" : text.error().message);
  return text ? std::move(text).value() : std::string();
}

bool Reaches(const SearchResult& r, const FakeKernel& k) {
  return std::includes(r.edges.begin(), r.edges.end(), k.all_edges.begin(), k.all_edges.end());
}

const std::vector<std::string> kDriverStrings = {"vfio-pci", "vfio"};

TEST(FuzzSearchTest, FindsTheExactStringTheKernelComparesWithFromTheSeedersHarvest) {
  const FakeKernel& k = internal::DriverNameKernel();
  const Generated g = MustFuzz(k, kDriverStrings);
  EXPECT_TRUE(Reaches(g.result.search, k));
  EXPECT_TRUE(std::any_of(g.result.search.rows.begin(), g.result.search.rows.end(),
                          [](const GeneratedRow& row) {
                            return row.values[0] == Value::String("vfio-pci") &&
                                   row.outcome.text == "ok(vfio_pci)";
                          }));
  EXPECT_GT(g.result.fuzz.dictionary_words, 0u);
}

TEST(FuzzSearchTest, ReachesEveryEdgeOfLengthAndEnumKernelsWithoutHarvest) {
  for (const FakeKernel* k : {&internal::LengthKernel(), &internal::EnumBytesKernel()}) {
    const Generated g = MustFuzz(*k);
    EXPECT_FALSE(g.result.search.finding.has_value()) << k->name;
    EXPECT_TRUE(Reaches(g.result.search, *k)) << k->name << ": " << g.result.search.edges.size();
    EXPECT_LE(g.result.search.stats.executions, kDefaultBudget) << k->name;
    EXPECT_LE(g.result.fuzz.executions_to_last_new_edge, g.result.search.stats.executions);
  }
}

TEST(FuzzSearchTest, SplitsTheInputBetweenTwoStringsAndABool) {
  const FakeKernel& k = internal::TwoStringsKernel();
  const std::vector<std::string> strings = {"kt"};
  const Generated g = MustFuzz(k, strings);
  EXPECT_TRUE(Reaches(g.result.search, k)) << g.result.search.edges.size();
  EXPECT_TRUE(std::any_of(g.result.search.rows.begin(), g.result.search.rows.end(),
                          [](const GeneratedRow& row) { return row.outcome.text == "ok(both)"; }));
}

TEST(FuzzSearchTest, TheTableKeepsOneRowPerEdgeSetAndOutcomeAtMost) {
  const FakeKernel& k = internal::EnumBytesKernel();
  const Generated g = MustFuzz(k);
  std::set<std::string> outcomes;
  for (const GeneratedRow& row : g.result.search.rows) outcomes.insert(row.outcome.text);
  // read, short_write, bad_magic, privileged_write, write, reset_with_data, reset.
  EXPECT_EQ(outcomes.size(), 7u);
  EXPECT_EQ(g.result.search.rows.size(), 7u);
}

// Determinism does not need the default budget; a smaller one keeps the sanitizer build fast.
constexpr std::uint64_t kSmallBudget = 3'000;

TEST(FuzzSearchTest, TwoGenerationsWriteByteIdenticalTables) {
  FuzzOptions options;
  options.search.budget = kSmallBudget;
  for (const FakeKernel* k : {&internal::DriverNameKernel(), &internal::LengthKernel(),
                              &internal::EnumBytesKernel(), &internal::TwoStringsKernel()}) {
    const Generated a = MustFuzz(*k, kDriverStrings, {}, options);
    const Generated b = MustFuzz(*k, kDriverStrings, {}, options);
    EXPECT_EQ(TableText(*k, a.result.search), TableText(*k, b.result.search)) << k->name;
    EXPECT_EQ(a.result.search.stats.executions, b.result.search.stats.executions) << k->name;
    EXPECT_EQ(a.result.fuzz.callbacks, b.result.fuzz.callbacks) << k->name;
  }
}

TEST(FuzzSearchTest, TheBudgetCountsExecutionsAndRepeatsAreAnsweredFromMemory) {
  FuzzOptions options;
  options.search.budget = 300;
  const Generated g = MustFuzz(internal::LengthKernel(), {}, {}, options);
  EXPECT_EQ(g.result.search.stats.executions, 300u);
  EXPECT_TRUE(g.result.search.stats.budget_spent);
  EXPECT_EQ(g.executor_runs, 300u);
  // libFuzzer ran more inputs than the executor: the repeats cost nothing.
  EXPECT_GT(g.result.fuzz.callbacks, g.executor_runs);
}

TEST(FuzzSearchTest, ALibFuzzerThatRunsOutOfInputsEndsTheSearchBeforeTheBudget) {
  // A bool and a 1-byte buffer: 2 x 257 call sets, far fewer than the budget.
  ColumnSchema flag;
  flag.name = "flag";
  flag.kind = ParamKind::kBool;
  const FakeKernel k{"fake.tiny",
                     {flag, internal::BytesColumn("b", 1)},
                     [](std::span<const Value>, internal::FakeTrace& t) {
                       t.Edge(0);
                       return internal::Ok("x");
                     },
                     {0}};
  FuzzOptions options;
  options.search.budget = 2'000;
  options.runs_per_execution = 2;
  const Generated g = MustFuzz(k, {}, {}, options);
  EXPECT_LE(g.result.search.stats.executions, 2u * 257u);
  EXPECT_FALSE(g.result.search.stats.budget_spent);
  EXPECT_GE(g.result.fuzz.callbacks, 2'000u * 2u);
}

TEST(FuzzSearchTest, PinnedAndPreviousRowsSurviveRegeneration) {
  const FakeKernel& k = internal::DriverNameKernel();
  const std::vector<PreviousRow> previous = {
      {{Value::String("vfio-pci")}, /*pinned=*/false},
      {{Value::String("zzz")}, /*pinned=*/true},
  };
  FuzzOptions options;
  options.search.budget = kSmallBudget;
  const Generated g = MustFuzz(k, kDriverStrings, previous, options);
  const auto has = [&](const Value& v, bool pinned) {
    return std::any_of(g.result.search.rows.begin(), g.result.search.rows.end(),
                       [&](const GeneratedRow& row) {
                         return row.values[0] == v && row.pinned == pinned;
                       });
  };
  EXPECT_TRUE(has(Value::String("vfio-pci"), false));
  EXPECT_TRUE(has(Value::String("zzz"), true));
}

TEST(FuzzSearchTest, AFindingStopsTheSearchWithAShorterReproducerThatStillFails) {
  const FakeKernel& k = internal::CheckOnPrefixKernel();
  const std::vector<std::string> strings = {"BAD!"};
  const Generated g = MustFuzz(k, strings);
  ASSERT_TRUE(g.result.search.finding.has_value());
  const Finding& f = *g.result.search.finding;
  EXPECT_EQ(f.outcome.kind, OutcomeKind::kCheckFailed);
  EXPECT_TRUE(f.reproducer[0].as_string().starts_with("BAD!")) << DebugString(f.reproducer[0]);
  EXPECT_LE(f.reproducer[0].as_string().size(), f.found[0].as_string().size());
  EXPECT_LT(g.result.search.stats.executions, kDefaultBudget);
}

TEST(FuzzSearchTest, AKernelWithoutTextColumnsIsRefusedAndDispatchedToSearch) {
  const FakeKernel& k = internal::Magic32Kernel();
  FakeExecutor executor(k);
  Expected<FuzzResult> fuzz = FuzzSearch(k.columns, {}, {}, {}, executor);
  ASSERT_FALSE(fuzz.has_value());
  EXPECT_EQ(fuzz.error().code, make_error_code(FuzzError::kNoTextColumn));
  FuzzStats stats;
  stats.callbacks = 7;
  Expected<SearchResult> any = SearchKernel(k.columns, {}, {}, {}, executor, {}, &stats);
  ASSERT_TRUE(any.has_value()) << any.error().message;
  EXPECT_TRUE(std::includes(any.value().edges.begin(), any.value().edges.end(),
                            k.all_edges.begin(), k.all_edges.end()));
  EXPECT_EQ(stats.callbacks, 7u) << "Search has no libFuzzer figures to give";
}

TEST(FuzzSearchTest, SearchKernelSendsTextKernelsToLibFuzzer) {
  const FakeKernel& k = internal::DriverNameKernel();
  FakeExecutor executor(k);
  SearchOptions options;
  options.budget = kSmallBudget;
  FuzzStats stats;
  Expected<SearchResult> r =
      SearchKernel(k.columns, {}, kDriverStrings, {}, executor, options, &stats);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_TRUE(Reaches(r.value(), k));
  EXPECT_FALSE(r.value().stats.exhaustive);
  EXPECT_GT(stats.callbacks, 0u) << "libFuzzer's figures come back";
  EXPECT_GT(stats.dictionary_words, 0u) << "the harvested strings are its dictionary";
  EXPECT_LE(stats.executions_to_last_new_edge, r.value().stats.executions);
}

TEST(FuzzSearchTest, FuzzErrorsPrintAsCategoryAndName) {
  const std::error_code code = make_error_code(FuzzError::kLibFuzzer);
  EXPECT_STREQ(code.category().name(), "kt.fuzz");
  EXPECT_EQ(code.message(), "libfuzzer");
}

}  // namespace
}  // namespace kt::permuter
