// Tests of module registration through the init hooks, on synthetic guard, pc and
// control-flow arrays in a binary with no instrumented code. Registration is process-wide,
// permanent and keyed by address, so each registration takes arrays no earlier one used and
// each test expects values relative to what came before; the capacity tests run in a forked
// child. The tests pass in any order and under --gtest_repeat.
#include "instrumentation/coverage.h"

#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <span>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "instrumentation/sancov_interface.h"

namespace kt::coverage {
namespace {

using ::testing::ElementsAre;

constexpr std::uintptr_t kEntry = 1;  // PCFlags bit 0

std::uint32_t NextEdge() { return static_cast<std::uint32_t>(NumEdges()); }

// `n` zeroed guards never registered before, or an empty span once the pool is used up.
std::span<std::uint32_t> FreshGuards(std::size_t n) {
  static std::uint32_t pool[1 << 14];
  static std::size_t used = 0;
  if (n > std::size(pool) - used) return {};
  used += n;
  return {pool + used - n, n};
}

// A copy of `values` at an address no table had before, or an empty span.
std::span<const std::uintptr_t> FreshTable(std::initializer_list<std::uintptr_t> values) {
  static std::uintptr_t pool[1 << 14];
  static std::size_t used = 0;
  if (values.size() > std::size(pool) - used) return {};
  std::uintptr_t* table = pool + used;
  for (const std::uintptr_t value : values) pool[used++] = value;
  return {table, values.size()};
}

// A fake block address no earlier registration used, so FindEdgeAtPc finds this test's edge.
std::uintptr_t FreshPc() {
  static std::uintptr_t next = 0x10000;
  return next += 0x100;
}

void InitGuards(std::span<std::uint32_t> guards) {
  __sanitizer_cov_trace_pc_guard_init(guards.data(), guards.data() + guards.size());
}
void InitPcs(std::span<const std::uintptr_t> pcs) {
  __sanitizer_cov_pcs_init(pcs.data(), pcs.data() + pcs.size());
}
void InitCfs(std::span<const std::uintptr_t> cfs) {
  __sanitizer_cov_cfs_init(cfs.data(), cfs.data() + cfs.size());
}

TEST(RegistrationTest, GivesGuardsConsecutiveIdsInConstructorOrder) {
  const std::span<std::uint32_t> first = FreshGuards(3);
  const std::span<std::uint32_t> second = FreshGuards(2);
  ASSERT_FALSE(first.empty() || second.empty());
  const std::uint32_t base = NextEdge();
  const std::size_t module = NumModules();

  InitGuards(first);
  InitGuards(second);

  // A guard holds its edge id + 1: 0 stays "no id".
  EXPECT_THAT(first, ElementsAre(base + 1, base + 2, base + 3));
  EXPECT_THAT(second, ElementsAre(base + 4, base + 5));
  EXPECT_EQ(NumEdges(), base + 5);
  ASSERT_EQ(NumModules(), module + 2);
  const std::optional<ModuleInfo> info = GetModule(module + 1);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->first_edge, base + 3);
  EXPECT_EQ(info->num_edges, 2u);
  EXPECT_EQ(info->num_guards, 2u);
  EXPECT_FALSE(info->has_pc_table);
  EXPECT_FALSE(info->has_control_flow);
  // The arrays are this executable's data: the loader knows the module.
  EXPECT_NE(info->load_base, 0u);
  EXPECT_FALSE(info->path.empty());
}

TEST(RegistrationTest, IgnoresARepeatedConstructorCall) {
  const std::span<std::uint32_t> guards = FreshGuards(2);
  const std::span<const std::uintptr_t> pcs = FreshTable({0x7100, kEntry, 0x7110, 0});
  ASSERT_FALSE(guards.empty() || pcs.empty());
  InitGuards(guards);
  InitPcs(pcs);
  const std::size_t modules = NumModules();
  const std::size_t edges = NumEdges();
  const RuntimeStats stats = Stats();

  InitGuards(guards);
  InitPcs(pcs);

  EXPECT_EQ(NumModules(), modules);
  EXPECT_EQ(NumEdges(), edges);
  EXPECT_EQ(Stats(), stats);
  EXPECT_EQ(guards[1], edges);  // still the id it got first
}

TEST(RegistrationTest, MapsEachEdgeToItsPcAndFunctionEntry) {
  const std::uintptr_t f = FreshPc(), f_block = f + 0x10, g = FreshPc(), g_block = g + 0x40;
  const std::span<std::uint32_t> guards = FreshGuards(4);
  // Two functions of two blocks each: entry blocks carry PCFlags bit 0.
  const std::span<const std::uintptr_t> pcs =
      FreshTable({f, kEntry, f_block, 0, g, kEntry, g_block, 0});
  ASSERT_FALSE(guards.empty() || pcs.empty());
  const std::uint32_t base = NextEdge();
  const auto module = static_cast<std::uint32_t>(NumModules());
  InitGuards(guards);
  InitPcs(pcs);

  struct Case {
    std::uint32_t index;
    EdgeInfo expected;
  };
  const Case kCases[] = {
      {0, {module, 0, f, f, true}},
      {1, {module, 1, f_block, f, false}},
      {2, {module, 2, g, g, true}},
      {3, {module, 3, g_block, g, false}},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(DescribeEdge(base + c.index), c.expected) << c.index;
    EXPECT_EQ(FindEdgeAtPc(c.expected.pc), base + c.index) << c.index;
  }
  EXPECT_EQ(DescribeEdge(base + 4), std::nullopt);
  EXPECT_EQ(FindEdgeAtPc(g + 0x20), std::nullopt);
  EXPECT_TRUE(GetModule(module)->has_pc_table);
}

TEST(RegistrationTest, RejectsAPcTableOfTheWrongLength) {
  const std::span<std::uint32_t> guards = FreshGuards(2);
  const std::span<const std::uintptr_t> pcs =
      FreshTable({0xa000, kEntry, 0xa010, 0, 0xa020, 0});  // 3 pairs for 2 guards
  ASSERT_FALSE(guards.empty() || pcs.empty());
  const std::uint32_t unmatched = Stats().unmatched_tables;
  InitGuards(guards);
  InitPcs(pcs);

  EXPECT_EQ(Stats().unmatched_tables, unmatched + 1);
  EXPECT_FALSE(GetModule(NumModules() - 1)->has_pc_table);
  EXPECT_EQ(DescribeEdge(guards[0] - 1), std::nullopt);
  EXPECT_EQ(FindEdgeAtPc(0xa010), std::nullopt);
}

TEST(RegistrationTest, GivesTheControlFlowTableToTheLastModuleOnly) {
  const std::span<std::uint32_t> guards = FreshGuards(1);
  const std::span<const std::uintptr_t> cfs = FreshTable({0xb000, 0, 0xc000, kIndirectCallee, 0});
  const std::span<const std::uintptr_t> other_cfs = FreshTable({0xb800, 0, 0});
  ASSERT_FALSE(guards.empty() || cfs.empty() || other_cfs.empty());
  InitGuards(guards);
  InitCfs(cfs);
  const std::uint32_t unmatched = Stats().unmatched_tables;
  InitCfs(other_cfs);  // the module already has one

  const std::size_t module = NumModules() - 1;
  EXPECT_TRUE(GetModule(module)->has_control_flow);
  EXPECT_THAT(ModuleControlFlow(module).blocks(),
              ElementsAre(ControlFlowBlock{0xb000, {}, {0xc000, kIndirectCallee}}));
  EXPECT_EQ(Stats().unmatched_tables, unmatched + 1);
}

TEST(RegistrationTest, GuardHookCountsHitsOfARegisteredEdge) {
  const std::span<std::uint32_t> guards = FreshGuards(2);
  ASSERT_FALSE(guards.empty());
  InitGuards(guards);
  const std::uint32_t edge = guards[1] - 1;

  BeginExecution();
  for (int i = 0; i < 3; ++i) __sanitizer_cov_trace_pc_guard(&guards[1]);
  EndExecution();

  EXPECT_THAT(EdgesHit(), ElementsAre(EdgeHit{edge, 3, 2}));
  EXPECT_EQ(HitCounts()[edge], 3);
  EXPECT_EQ(HitCounts()[edge - 1], 0);
}

TEST(RegistrationTest, FlagsModulesBuiltWithCountersItCannotRead) {
  static char counters[4];
  static bool flags[4];
  __sanitizer_cov_8bit_counters_init(counters, counters + 4);
  __sanitizer_cov_bool_flag_init(flags, flags + 4);
  EXPECT_TRUE(Stats().saw_unsupported_instrumentation);
}

// Registers a module that overflows kMaxEdges, then one more (twice); returns 0 if the first
// got ids up to the capacity and none after, and the second got none and was added once, else
// the number of the failed check.
int CheckEdgeCapacity() {
  static std::uint32_t big[kMaxEdges + 5];
  static std::uint32_t late[2];
  const std::uint32_t room = static_cast<std::uint32_t>(kMaxEdges - NumEdges());
  const std::uint32_t dropped = Stats().dropped_edges;
  __sanitizer_cov_trace_pc_guard_init(big, big + kMaxEdges + 5);
  __sanitizer_cov_trace_pc_guard_init(late, late + 2);
  if (NumEdges() != kMaxEdges) return 1;
  if (big[room - 1] != kMaxEdges || big[room] != 0) return 2;
  if (late[0] != 0 || late[1] != 0) return 3;
  if (Stats().dropped_edges != dropped + (kMaxEdges + 5 - room) + 2) return 4;
  if (GetModule(NumModules() - 1)->num_edges != 0) return 5;
  const std::size_t modules = NumModules();
  __sanitizer_cov_trace_pc_guard_init(late, late + 2);  // repeated: still no id, not re-added
  if (NumModules() != modules) return 6;
  BeginExecution();
  __sanitizer_cov_trace_pc_guard(&big[room]);  // no id: the sink slot, never reported
  __sanitizer_cov_trace_pc_guard(&big[room - 1]);
  EndExecution();
  const std::vector<EdgeHit> hits = EdgesHit();
  if (hits.size() != 1 || hits[0].edge != kMaxEdges - 1) return 7;
  return 0;
}

TEST(RegistrationDeathTest, StopsGivingIdsAtTheEdgeCapacity) {
  EXPECT_EXIT(std::_Exit(CheckEdgeCapacity()), ::testing::ExitedWithCode(0), "");
}

// Registers modules past kMaxModules; returns 0 if exactly the extra ones were dropped.
int CheckModuleCapacity() {
  static std::uint32_t guards[kMaxModules + 2][1];
  const std::size_t room = kMaxModules - NumModules();
  const std::uint32_t dropped = Stats().dropped_modules;
  for (auto& guard : guards) __sanitizer_cov_trace_pc_guard_init(guard, guard + 1);
  if (NumModules() != kMaxModules) return 1;
  if (Stats().dropped_modules != dropped + (kMaxModules + 2 - room)) return 2;
  if (guards[room - 1][0] == 0 || guards[room][0] != 0) return 3;
  return 0;
}

TEST(RegistrationDeathTest, IgnoresModulesPastTheModuleCapacity) {
  EXPECT_EXIT(std::_Exit(CheckModuleCapacity()), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace kt::coverage
