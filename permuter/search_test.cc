// Tests of permuter/search.h on fake kernels with known hard branches: every edge within
// the default budget, determinism, stability under regeneration, findings and budgets.
#include "permuter/search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "permuter/internal/fake_kernels.h"

namespace kt::permuter {
namespace {

using internal::FakeExecutor;
using internal::FakeKernel;

SearchResult MustSearch(const FakeKernel& kernel, std::span<const PreviousRow> previous = {},
                        const SearchOptions& options = {}, std::uint64_t site_base = 0) {
  FakeExecutor executor(kernel, site_base);
  Expected<SearchResult> r = Search(kernel.columns, {}, previous, executor, options);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? std::move(r).value() : SearchResult{};
}

std::uint64_t U(const Value& v) { return v.as_integer().bits(); }
std::int64_t S(const Value& v) { return static_cast<std::int64_t>(v.as_integer().bits()); }

struct HardBranchCase {
  const char* what;
  const FakeKernel& (*kernel)();
  // True for the call set that takes the hard branch; some table row must.
  bool (*hard)(const std::vector<Value>& row);
};

constexpr HardBranchCase kHardBranches[] = {
    {"32-bit magic", &internal::Magic32Kernel,
     [](const std::vector<Value>& r) { return U(r[0]) == 0xdeadbeef; }},
    {"64-bit magic", &internal::Magic64Kernel,
     [](const std::vector<Value>& r) { return U(r[0]) == 0x0123456789abcdef; }},
    {"3 * x + 7 == 1234567", &internal::LinearKernel,
     [](const std::vector<Value>& r) { return U(r[0]) == 411520; }},
    {"1000000 < x < 1000010", &internal::NarrowRangeKernel,
     [](const std::vector<Value>& r) { return S(r[0]) > 1000000 && S(r[0]) < 1000010; }},
    {"enum x flags", &internal::EnumFlagsKernel,
     [](const std::vector<Value>& r) { return U(r[0]) == 2 && (U(r[1]) & 29) == 13; }},
    {"switch", &internal::SwitchKernel, [](const std::vector<Value>& r) { return S(r[0]) == -5; }},
    {"10000 / d == 7", &internal::DivideKernel,
     [](const std::vector<Value>& r) { return U(r[0]) >= 1251 && U(r[0]) <= 1428; }},
    {"kLut[i] == 42", &internal::ArrayIndexKernel,
     [](const std::vector<Value>& r) { return S(r[0]) == 5; }},
};

TEST(SearchTest, ReachesEveryEdgeOfEachHardBranchWithinTheDefaultBudget) {
  for (const HardBranchCase& c : kHardBranches) {
    const FakeKernel& kernel = c.kernel();
    const SearchResult r = MustSearch(kernel);
    EXPECT_EQ(r.edges, kernel.all_edges) << c.what;
    EXPECT_FALSE(r.finding.has_value()) << c.what;
    EXPECT_FALSE(r.stats.budget_spent) << c.what << ": stopped because a round added nothing";
    EXPECT_LE(r.stats.executions, kDefaultBudget) << c.what;
    std::set<std::uint32_t> table_edges;
    for (const GeneratedRow& row : r.rows) table_edges.insert(row.edges.begin(), row.edges.end());
    EXPECT_EQ(std::vector<std::uint32_t>(table_edges.begin(), table_edges.end()), kernel.all_edges)
        << c.what << ": the minimal table keeps every edge";
    EXPECT_TRUE(std::any_of(r.rows.begin(), r.rows.end(),
                            [&](const GeneratedRow& row) { return c.hard(row.values); }))
        << c.what << ": a row takes the hard branch";
  }
}

TEST(SearchTest, SwitchTableHasARowPerCaseAndOneForDefault) {
  const SearchResult r = MustSearch(internal::SwitchKernel());
  std::set<std::int64_t> values;
  for (const GeneratedRow& row : r.rows) values.insert(S(row.values[0]));
  for (const std::int64_t c : {-5, 17, 42, 1000}) EXPECT_EQ(values.count(c), 1u) << c;
  EXPECT_EQ(r.rows.size(), 5u);
}

TEST(SearchTest, ErrorsAreDistinctOutcomesWithTheirOwnRows) {
  const SearchResult r = MustSearch(internal::ArrayIndexKernel());
  std::set<std::string> outcomes;
  for (const GeneratedRow& row : r.rows) outcomes.insert(row.outcome.text);
  EXPECT_EQ(outcomes, (std::set<std::string>{"error(fake:negative)", "error(fake:too_big)",
                                             "ok(found)", "ok(missed)"}));
}

bool SameRows(const SearchResult& a, const SearchResult& b) {
  if (a.rows.size() != b.rows.size()) return false;
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    if (a.rows[i].values != b.rows[i].values || a.rows[i].outcome.text != b.rows[i].outcome.text ||
        a.rows[i].edges != b.rows[i].edges) {
      return false;
    }
  }
  return true;
}

TEST(SearchTest, TwoGenerationsGiveIdenticalTables) {
  for (const HardBranchCase& c : kHardBranches) {
    const SearchResult a = MustSearch(c.kernel());
    const SearchResult b = MustSearch(c.kernel());
    EXPECT_TRUE(SameRows(a, b)) << c.what;
    EXPECT_EQ(a.stats.executions, b.stats.executions) << c.what;
    EXPECT_EQ(a.stats.rounds, b.stats.rounds) << c.what;
  }
}

TEST(SearchTest, WhereCodeIsLoadedChangesNothing) {
  // Compare sites are PCs; a worker loaded elsewhere (ASLR) reports other numbers.
  const SearchResult low = MustSearch(internal::NestedWindowKernel(0), {}, {}, 0x1000);
  const SearchResult high = MustSearch(internal::NestedWindowKernel(0), {}, {}, 0x7f00'dead'0000);
  EXPECT_TRUE(SameRows(low, high));
  EXPECT_EQ(low.stats.executions, high.stats.executions);
}

std::vector<PreviousRow> AsPrevious(const SearchResult& r) {
  std::vector<PreviousRow> rows;
  for (const GeneratedRow& row : r.rows) rows.push_back({row.values, row.pinned});
  return rows;
}

TEST(SearchTest, RegeneratingFromItsOwnTableChangesNothing) {
  const SearchResult first = MustSearch(internal::NestedWindowKernel(0));
  const std::vector<PreviousRow> previous = AsPrevious(first);
  const SearchResult second = MustSearch(internal::NestedWindowKernel(0), previous);
  EXPECT_TRUE(SameRows(first, second));
  EXPECT_TRUE(std::all_of(second.rows.begin(), second.rows.end(),
                          [](const GeneratedRow& row) { return row.previous; }));
}

TEST(SearchTest, ChangingOneBranchChangesOnlyTheRowsThatReachIt) {
  const SearchResult before = MustSearch(internal::NestedWindowKernel(0));
  const SearchResult after = MustSearch(internal::NestedWindowKernel(1), AsPrevious(before));
  EXPECT_EQ(after.edges, internal::NestedWindowKernel(1).all_edges);
  const auto rows_of = [](const SearchResult& r, bool append) {
    std::set<std::vector<std::uint64_t>> rows;
    for (const GeneratedRow& row : r.rows) {
      if ((U(row.values[2]) == 2) != append) continue;
      std::vector<std::uint64_t> v;
      for (const Value& x : row.values) v.push_back(U(x));
      rows.insert(v);
    }
    return rows;
  };
  EXPECT_EQ(rows_of(before, false), rows_of(after, false))
      << "rows with another mode never reach the window and stay as they were";
  EXPECT_NE(rows_of(before, true), rows_of(after, true)) << "the window moved";
  EXPECT_TRUE(std::any_of(after.rows.begin(), after.rows.end(), [](const GeneratedRow& row) {
    return U(row.values[2]) == 2 && U(row.values[1]) > 6000 && U(row.values[1]) < 6004;
  }));
}

TEST(SearchTest, PinnedRowsSurviveRegeneration) {
  const std::vector<PreviousRow> previous = {{{Value::Int(Integer(31337))}, /*pinned=*/true}};
  const SearchResult r = MustSearch(internal::Magic32Kernel(), previous);
  EXPECT_TRUE(std::any_of(r.rows.begin(), r.rows.end(), [](const GeneratedRow& row) {
    return row.pinned && U(row.values[0]) == 31337;
  }));
}

TEST(SearchTest, ACheckFailureStopsWithTheSmallestFailingValue) {
  const SearchResult r = MustSearch(internal::CheckAbove1000Kernel());
  ASSERT_TRUE(r.finding.has_value());
  EXPECT_EQ(r.finding->reproducer, (std::vector<Value>{Value::Int(Integer(1001))}));
  EXPECT_EQ(r.finding->outcome.text, "check-failed(x <= 1000 at fake_kernels.cc:1)");
  EXPECT_GT(U(r.finding->found[0]), 1000u);
  EXPECT_GT(r.finding->shrink_attempts, 0u);
}

TEST(SearchTest, AnExceptionQuotingItsInputShrinksByType) {
  const SearchResult r = MustSearch(internal::ThrowsAbove70000Kernel());
  ASSERT_TRUE(r.finding.has_value());
  EXPECT_EQ(r.finding->reproducer, (std::vector<Value>{Value::Int(Integer(70001))}));
  EXPECT_EQ(r.finding->outcome.text, "exception(std::out_of_range: x=70001)")
      << "the outcome is the reproducer's own";
}

// Hangs at 0x5ca1ab1e; at 0, every second run is slow enough to time out, as on a loaded
// machine.
class FlakyTimeoutExecutor final : public Executor {
 public:
  Expected<Execution> Run(std::span<const Value> call_set) override {
    const std::uint64_t x = U(call_set[0]);
    internal::FakeTrace t;
    t.Edge(0);
    t.ConstCmp(1, 4, 0x5ca1ab1e, x);
    if (x == 0x5ca1ab1e || (x == 0 && ++zero_runs_ % 2 == 0)) return t.Take(TimeoutOutcome());
    t.Edge(1);
    return t.Take(internal::Ok("done"));
  }

 private:
  int zero_runs_ = 0;
};

TEST(SearchTest, ATimeoutMustRepeatToShrinkTheReproducer) {
  FlakyTimeoutExecutor executor;
  const std::vector<ColumnSchema> columns = {internal::IntColumn("x", 32, false)};
  const Expected<SearchResult> r = Search(columns, {}, {}, executor);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r.value().finding.has_value());
  EXPECT_EQ(r.value().finding->outcome.text, "timeout()");
  EXPECT_EQ(r.value().finding->reproducer, (std::vector<Value>{Value::Int(Integer(0x5ca1ab1e))}))
      << "0 timed out once, then ran: slow, not hung";
}

TEST(SearchTest, TheBudgetCountsExecutions) {
  SearchOptions options;
  options.budget = 25;
  const SearchResult r = MustSearch(internal::LinearKernel(), {}, options);
  EXPECT_TRUE(r.stats.budget_spent);
  EXPECT_EQ(r.stats.executions, 25u);
  EXPECT_EQ(r.stats.budget, 25u);
  EXPECT_LT(r.edges.size(), internal::LinearKernel().all_edges.size())
      << "25 executions cannot bisect to 411520";
}

TEST(SearchTest, InitialCallSetsArePairwiseWhenTheProductExceedsTheirShare) {
  SearchOptions options;
  options.budget = 600;  // 300 for the initial call sets: 16 * 16 pairs fit, 3 * 16 * 16 not
  const SearchResult r = MustSearch(internal::NestedWindowKernel(0), {}, options);
  EXPECT_EQ(r.stats.initial, Strength::kPairwise);
  EXPECT_FALSE(r.stats.exhaustive);
  const SearchResult full = MustSearch(internal::NestedWindowKernel(0));
  EXPECT_EQ(full.stats.initial, Strength::kExhaustive);
  EXPECT_TRUE(full.stats.exhaustive);
}

TEST(SearchTest, StaleGeneratedRowsAreDropped) {
  const std::vector<PreviousRow> previous = {
      {{Value::Int(Integer(1)), Value::Int(Integer(2))}},  // the kernel lost a parameter
      {{Value::String("x")}},                              // the parameter is an integer now
      {{Value::Int(Integer(0xdeadbeef))}}};
  const SearchResult r = MustSearch(internal::Magic32Kernel(), previous);
  EXPECT_EQ(r.edges, internal::Magic32Kernel().all_edges);
  EXPECT_TRUE(std::any_of(r.rows.begin(), r.rows.end(), [](const GeneratedRow& row) {
    return row.previous && U(row.values[0]) == 0xdeadbeef;
  }));
}

TEST(SearchTest, ExecutorErrorsPassThrough) {
  const std::vector<PreviousRow> previous = {
      {{Value::Int(Integer(1)), Value::Int(Integer(2))}, /*pinned=*/true}};
  FakeExecutor executor(internal::Magic32Kernel());
  const Expected<SearchResult> r =
      Search(internal::Magic32Kernel().columns, {}, previous, executor);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "wrong arity");
}

TEST(SearchTest, MalformedColumnsAreDomainErrors) {
  std::vector<ColumnSchema> columns = internal::Magic32Kernel().columns;
  columns[0].range_lo = Integer(9);
  columns[0].range_hi = Integer(1);
  FakeExecutor executor(internal::Magic32Kernel());
  const Expected<SearchResult> r = Search(columns, {}, {}, executor);
  ASSERT_FALSE(r.has_value());
  EXPECT_STREQ(r.error().code.category().name(), "kt.domain");
  EXPECT_EQ(executor.runs(), 0u);
}

TEST(SearchTest, HarvestedConstantsBecomeSeeds) {
  const std::vector<Integer> constants = {Integer(411520)};
  FakeExecutor executor(internal::LinearKernel());
  const Expected<SearchResult> r =
      Search(internal::LinearKernel().columns, constants, {}, executor);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r.value().edges, internal::LinearKernel().all_edges);
  EXPECT_EQ(r.value().stats.rounds, 1u)
      << "found by the initial call sets; one round finds no more";
}

TEST(SearchTest, OutcomeKeysAndFindingIdentity) {
  Outcome ok;
  ok.kind = OutcomeKind::kValue;
  ok.text = "ok(3)";
  EXPECT_EQ(OutcomeKey(ok), "ok");
  const Outcome err = internal::Err("overlap");
  EXPECT_EQ(OutcomeKey(err), "error(fake:overlap)");
  EXPECT_TRUE(SameFinding(ExceptionOutcome("std::out_of_range", "x=1"),
                          ExceptionOutcome("std::out_of_range", "x=2")));
  EXPECT_FALSE(SameFinding(ExceptionOutcome("std::out_of_range", "x"),
                           ExceptionOutcome("std::logic_error", "x")));
  EXPECT_FALSE(SameFinding(CrashOutcome(11), CrashOutcome(6)));
  EXPECT_TRUE(SameFinding(TimeoutOutcome(), TimeoutOutcome()));
}

}  // namespace
}  // namespace kt::permuter
