// Tests of permuter/minimize.h: the set cover's choices and tie-breaks, and the shrinker.
#include "permuter/minimize.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

namespace kt::permuter {
namespace {

// Owns what CoverCandidate views.
struct Row {
  std::vector<Value> values;
  std::vector<std::uint32_t> edges;
  std::string key = "ok";
  bool pinned = false;
  bool previous = false;
};

std::vector<Value> V(std::initializer_list<std::int64_t> v) {
  std::vector<Value> out;
  for (const std::int64_t i : v) out.push_back(Value::Int(Integer(i)));
  return out;
}

std::vector<std::size_t> Select(const std::vector<Row>& rows) {
  std::vector<CoverCandidate> c;
  for (const Row& r : rows) c.push_back({r.values, r.edges, r.key, r.pinned, r.previous});
  return SelectCover(c);
}

TEST(MinimizeTest, CoverKeepsEveryEdgeInTheFewestRowsGreedyFinds) {
  const std::vector<Row> rows = {
      {V({1}), {0, 1}}, {V({2}), {0, 2}},    {V({3}), {0, 1, 2, 3}},
      {V({4}), {0, 4}}, {V({5}), {0, 3, 4}}, {V({6}), {0, 1}},
  };
  EXPECT_EQ(Select(rows), (std::vector<std::size_t>{2, 3}));
}

TEST(MinimizeTest, KeepsOneRowPerDistinctOutcome) {
  const std::vector<Row> rows = {
      {V({1}), {0, 1}, "ok"},
      {V({2}), {0, 1}, "error(vfio.dma:overlap)"},
      {V({3}), {0, 1}, "ok"},
  };
  EXPECT_EQ(Select(rows), (std::vector<std::size_t>{0, 1}));
}

TEST(MinimizeTest, PrefersPreviousTableRowsOnTies) {
  const std::vector<Row> rows = {
      {V({0}), {0, 1}},
      {V({999}), {0, 1}, "ok", false, /*previous=*/true},
  };
  EXPECT_EQ(Select(rows), (std::vector<std::size_t>{1}));
}

TEST(MinimizeTest, PrefersSimplerValuesThenLowerIndexOnTies) {
  const std::vector<Row> rows = {
      {V({-7, 0}), {0, 1}},
      {V({7, 0}), {0, 1}},
      {V({7, 0}), {0, 1}},
  };
  EXPECT_EQ(Select(rows), (std::vector<std::size_t>{1}));
}

TEST(MinimizeTest, PreviousRowsGoFirstWhileTheyAddCoverage) {
  const std::vector<Row> rows = {
      {V({9}), {0, 5}, "ok", false, /*previous=*/true},
      {V({5}), {0, 1, 2}},
      {V({1}), {0, 1, 5}},
  };
  EXPECT_EQ(Select(rows), (std::vector<std::size_t>{1, 0}))
      << "plain greedy takes 1 then 5; the previous row 9 stays and 5 joins it";
}

TEST(MinimizeTest, ANewRowThatSubsumesAPreviousRowReplacesIt) {
  const std::vector<Row> rows = {
      {V({0}), {0, 1}, "ok", false, /*previous=*/true},
      {V({60}), {0, 1, 2, 3}},
  };
  EXPECT_EQ(Select(rows), (std::vector<std::size_t>{1}));
}

TEST(MinimizeTest, PreviousRowsThatAddNothingAreDropped) {
  const std::vector<Row> rows = {
      {V({0}), {0, 1, 2}, "ok", false, /*previous=*/true},
      {V({1}), {0, 1}, "ok", false, /*previous=*/true},
  };
  EXPECT_EQ(Select(rows), (std::vector<std::size_t>{0}));
}

TEST(MinimizeTest, RedundancyPassDropsAnEarlyPickLaterPicksCover) {
  // Greedy takes X (5 new) first; Y and Z then each add one edge and together cover X.
  const std::vector<Row> rows = {
      {V({1}), {1, 2, 3, 4, 5}},  // X
      {V({2}), {1, 2, 3, 7}},     // Y
      {V({3}), {4, 5, 8}},        // Z
  };
  EXPECT_EQ(Select(rows), (std::vector<std::size_t>{1, 2}));
}

TEST(MinimizeTest, PinnedRowsStayEvenWhenRedundant) {
  const std::vector<Row> rows = {
      {V({1}), {0, 1, 2}},
      {V({2}), {0}, "ok", /*pinned=*/true},
  };
  EXPECT_EQ(Select(rows), (std::vector<std::size_t>{0, 1}));
}

TEST(MinimizeTest, OutputIsInValueOrder) {
  const std::vector<Row> rows = {
      {V({30}), {3}},
      {V({-4}), {4}},
      {V({10}), {1}},
      {V({20}), {2}},
  };
  EXPECT_EQ(Select(rows), (std::vector<std::size_t>{1, 2, 3, 0}));
}

TEST(MinimizeTest, EmptyInputSelectsNothing) { EXPECT_TRUE(Select({}).empty()); }

// --- Shrink ---------------------------------------------------------------------------

ColumnSchema Int(int bits, bool is_signed) {
  ColumnSchema c;
  c.name = "x";
  c.kind = ParamKind::kInt;
  c.int_type = {bits, is_signed};
  return c;
}

struct ShrinkCase {
  const char* what;
  ColumnSchema column;
  std::int64_t failing;
  bool (*fails)(std::int64_t);
  std::int64_t shrunk;
};

TEST(MinimizeTest, ShrinksIntegersToTheFailingValueNearestZero) {
  ColumnSchema ranged = Int(32, false);
  ranged.range_lo = Integer(100);
  ranged.range_hi = Integer(5000);
  const ShrinkCase cases[] = {
      {"threshold", Int(32, false), 0xffffffff, [](std::int64_t x) { return x > 1000; }, 1001},
      {"zero fails", Int(32, false), 77, [](std::int64_t) { return true; }, 0},
      {"negative threshold", Int(32, true), INT32_MIN, [](std::int64_t x) { return x < -50; }, -51},
      {"range floor", ranged, 4000, [](std::int64_t x) { return x >= 100; }, 100},
      {"a magic value cannot shrink", Int(32, false), 0xdeadbeef,
       [](std::int64_t x) { return x == 0xdeadbeef; }, 0xdeadbeef},
  };
  for (const ShrinkCase& c : cases) {
    const std::vector<ColumnSchema> columns = {c.column};
    const auto fails = c.fails;
    const Expected<ShrinkResult> r = Shrink(
        columns, {Value::Int(Integer(c.failing))},
        [fails](std::span<const Value> v) -> Expected<bool> {
          // Two's complement bits read as int64: exact for every value these cases use.
          return fails(static_cast<std::int64_t>(v[0].as_integer().bits()));
        },
        200);
    ASSERT_TRUE(r.has_value()) << c.what;
    EXPECT_EQ(r.value().values, (std::vector<Value>{Value::Int(Integer(c.shrunk))})) << c.what;
  }
}

TEST(MinimizeTest, ShrinksEnumsFlagsAndBoolsTowardTheirSimplestValue) {
  ColumnSchema mode;
  mode.kind = ParamKind::kEnum;
  mode.int_type = {32, false};
  mode.enumerators = {{"kA", Integer(0)}, {"kB", Integer(7)}, {"kC", Integer(3)}};
  ColumnSchema flags;
  flags.kind = ParamKind::kFlags;
  flags.int_type = {32, false};
  flags.enumerators = {{"kX", Integer(1)}, {"kY", Integer(2)}, {"kZ", Integer(4)}};
  ColumnSchema boolean;
  boolean.kind = ParamKind::kBool;
  const std::vector<ColumnSchema> columns = {mode, flags, boolean};
  // Fails when mode is not kA and flag kZ is set, whatever the bool.
  const StillFails fails = [](std::span<const Value> v) -> Expected<bool> {
    return v[0].as_integer() != Integer(0) && (v[1].as_integer().bits() & 4) != 0;
  };
  const Expected<ShrinkResult> r = Shrink(
      columns, {Value::Enum(Integer(3)), Value::Enum(Integer(7)), Value::Bool(true)}, fails, 100);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r.value().values, (std::vector<Value>{Value::Enum(Integer(7)), Value::Enum(Integer(4)),
                                                  Value::Bool(false)}))
      << "kB is the first failing enumerator in declaration order";
}

TEST(MinimizeTest, ShrinksTextToTheShortestFailingPrefix) {
  ColumnSchema s;
  s.kind = ParamKind::kString;
  const std::vector<ColumnSchema> columns = {s};
  const StillFails fails = [](std::span<const Value> v) -> Expected<bool> {
    return v[0].as_string().size() >= 3;
  };
  const Expected<ShrinkResult> r = Shrink(columns, {Value::String("abcdefgh")}, fails, 100);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r.value().values, (std::vector<Value>{Value::String("abc")}));
}

TEST(MinimizeTest, ShrinkStopsAtMaxAttempts) {
  const std::vector<ColumnSchema> columns = {Int(64, false)};
  std::size_t calls = 0;
  const StillFails fails = [&](std::span<const Value> v) -> Expected<bool> {
    ++calls;
    return v[0].as_integer() > Integer(12345);
  };
  const Expected<ShrinkResult> r = Shrink(columns, {Value::Int(Integer(UINT64_MAX))}, fails, 10);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(calls, 10u);
  EXPECT_EQ(r.value().attempts, 10u);
  EXPECT_GT(r.value().values[0].as_integer(), Integer(12345)) << "every accepted step still fails";
}

TEST(MinimizeTest, ShrinkPassesPredicateErrorsOn) {
  const std::vector<ColumnSchema> columns = {Int(32, false)};
  const StillFails broken = [](std::span<const Value>) -> Expected<bool> {
    return Error{std::make_error_code(std::errc::io_error), "worker died"};
  };
  const Expected<ShrinkResult> r = Shrink(columns, {Value::Int(Integer(9))}, broken, 10);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "worker died");
}

}  // namespace
}  // namespace kt::permuter
