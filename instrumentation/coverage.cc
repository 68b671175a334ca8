// The read side of the runtime (instrumentation/coverage.h): windows, edges, the compare log,
// modules. Allocates only in functions returning containers; never runs inside a hook.
#include "instrumentation/coverage.h"

#include <dlfcn.h>

#include <cstring>

#include "instrumentation/internal/state.h"

namespace kt::coverage {

static_assert(kMaxEdges == internal::kMaxEdges);
static_assert(kMaxModules == internal::kMaxModules);
static_assert(kCompareLogCapacity == internal::kCompareLogCapacity);

namespace {

using internal::g_state;
using internal::ModuleRecord;

// The module holding edge `edge`, or null. Modules hold consecutive id ranges.
const ModuleRecord* ModuleOfEdge(std::uint32_t edge, std::uint32_t* module_index) noexcept {
  for (std::uint32_t m = 0; m < g_state.num_modules; ++m) {
    const ModuleRecord& module = g_state.modules[m];
    if (edge - module.first_edge < module.num_edges) {  // unsigned: also rejects edge < first
      *module_index = m;
      return &module;
    }
  }
  return nullptr;
}

}  // namespace

// The window flag takes release stores and acquire loads, not sequentially consistent ones:
// on x86 those are plain moves, where a seq_cst store is a locked exchange that cost about
// 40% of an uninstrumented execution in coverage_benchmark.cc. Hooks of other threads may
// see a change late, which the contract already allows (lossy under races).
void BeginExecution() noexcept {
  // Only the counters of known edges (and the sink slot) are cleared, not all of kMaxEdges.
  __atomic_store_n(&internal::g_window_open, false, __ATOMIC_RELEASE);
  std::memset(g_state.hit_counts, 0, std::size_t{g_state.num_edges} + 1);
  __atomic_store_n(&g_state.num_compares, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&internal::g_window_open, true, __ATOMIC_RELEASE);
}

void EndExecution() noexcept {
  __atomic_store_n(&internal::g_window_open, false, __ATOMIC_RELEASE);
}

bool InExecution() noexcept {
  return __atomic_load_n(&internal::g_window_open, __ATOMIC_ACQUIRE);
}

std::size_t NumEdges() noexcept { return g_state.num_edges; }

std::span<const std::uint8_t> HitCounts() noexcept {
  return {g_state.hit_counts + 1, g_state.num_edges};  // slot 0 is the sink
}

std::vector<EdgeHit> EdgesHit() {
  std::vector<EdgeHit> hits;
  const std::span<const std::uint8_t> counts = HitCounts();
  for (std::uint32_t edge = 0; edge < counts.size(); ++edge) {
    if (counts[edge] != 0) hits.push_back({edge, counts[edge], HitCountBucket(counts[edge])});
  }
  return hits;
}

std::span<const CompareRecord> CompareLog() noexcept {
  const std::uint64_t attempted = __atomic_load_n(&g_state.num_compares, __ATOMIC_RELAXED);
  const std::size_t logged = attempted < kCompareLogCapacity ? attempted : kCompareLogCapacity;
  return {g_state.compares, logged};
}

std::uint64_t DroppedCompares() noexcept {
  const std::uint64_t attempted = __atomic_load_n(&g_state.num_compares, __ATOMIC_RELAXED);
  return attempted < kCompareLogCapacity ? 0 : attempted - kCompareLogCapacity;
}

std::span<const std::uint64_t> SwitchCases(const CompareRecord& record) noexcept {
  if (record.kind != CompareKind::kSwitch || record.switch_table == nullptr) return {};
  return {record.switch_table + 2, record.switch_table[0]};
}

std::size_t NumModules() noexcept { return g_state.num_modules; }

std::optional<ModuleInfo> GetModule(std::size_t module) {
  if (module >= g_state.num_modules) return std::nullopt;
  const ModuleRecord& record = g_state.modules[module];
  ModuleInfo info;
  info.first_edge = record.first_edge;
  info.num_edges = record.num_edges;
  info.num_guards = record.num_guards;
  info.has_pc_table = record.pcs != nullptr;
  info.has_control_flow = record.cfs_begin != nullptr;
  // The guards are the module's own data, so the loader knows which object holds them.
  Dl_info dl{};
  if (dladdr(record.guards, &dl) != 0) {
    info.load_base = reinterpret_cast<std::uintptr_t>(dl.dli_fbase);
    if (dl.dli_fname != nullptr) info.path = dl.dli_fname;
  }
  return info;
}

std::optional<EdgeInfo> DescribeEdge(std::uint32_t edge) noexcept {
  std::uint32_t module_index = 0;
  const ModuleRecord* module = ModuleOfEdge(edge, &module_index);
  if (module == nullptr || module->pcs == nullptr) return std::nullopt;
  const std::uint32_t index = edge - module->first_edge;
  // A function's pc-table entries are contiguous and start with its entry block.
  std::uint32_t entry = index;
  while (entry > 0 && (module->pcs[2 * entry + 1] & internal::kPcFlagFunctionEntry) == 0) {
    --entry;
  }
  EdgeInfo info;
  info.module = module_index;
  info.index_in_module = index;
  info.pc = module->pcs[2 * index];
  info.function_entry = module->pcs[2 * entry];
  info.is_function_entry = (module->pcs[2 * index + 1] & internal::kPcFlagFunctionEntry) != 0;
  return info;
}

std::optional<std::uint32_t> FindEdgeAtPc(std::uintptr_t pc) noexcept {
  for (std::uint32_t m = 0; m < g_state.num_modules; ++m) {
    const ModuleRecord& module = g_state.modules[m];
    if (module.pcs == nullptr) continue;
    for (std::uint32_t i = 0; i < module.num_edges; ++i) {
      if (module.pcs[2 * i] == pc) return module.first_edge + i;
    }
  }
  return std::nullopt;
}

ControlFlowGraph ModuleControlFlow(std::size_t module) {
  if (module >= g_state.num_modules) return {};
  const ModuleRecord& record = g_state.modules[module];
  if (record.cfs_begin == nullptr) return {};
  return ControlFlowGraph::Parse(
      {record.cfs_begin, static_cast<std::size_t>(record.cfs_end - record.cfs_begin)});
}

RuntimeStats Stats() noexcept {
  RuntimeStats stats;
  stats.dropped_modules = g_state.dropped_modules;
  stats.dropped_edges = g_state.dropped_edges;
  stats.unmatched_tables = g_state.unmatched_tables;
  stats.saw_unsupported_instrumentation = g_state.saw_unsupported_instrumentation;
  return stats;
}

}  // namespace kt::coverage
