// The runtime's fixed-size state and the fast paths the hooks inline. Included only by the
// runtime's own (never instrumented) files; compiler builtins and <cstdint>/<cstddef> only.
//
// No std:: inline function is called from here: an inline function instantiated both in this
// runtime and in an instrumented file is merged by the linker into one copy, possibly the
// instrumented one, which would call back into the hook that called it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "instrumentation/compare_record.h"
#include "instrumentation/platform.h"

namespace kt::coverage::internal {

// Capacities; coverage.h publishes them. 1 MiB of counters covers every guard of a large
// test binary (a libFuzzer-sized map); a kernel execution that compares more than 16 Ki
// times gets its first 16 Ki compares logged and the rest counted.
inline constexpr std::size_t kMaxEdges = std::size_t{1} << 20;
inline constexpr std::size_t kMaxModules = 256;
inline constexpr std::size_t kCompareLogCapacity = std::size_t{1} << 14;

// PCFlags bit 0 in the pc-table: the PC is a function's entry block.
inline constexpr std::uintptr_t kPcFlagFunctionEntry = 1;

// One instrumented module (the executable or a shared library), in the order its
// constructor ran. Pointers reference the module's own sections, so a module must never be
// unloaded (dlclose) while the runtime can still read it.
struct ModuleRecord {
  std::uint32_t* guards;            // [guards, guards + num_guards)
  std::uint32_t num_guards;
  std::uint32_t first_edge;         // edge id of guards[0]
  std::uint32_t num_edges;          // guards given an id; fewer once kMaxEdges runs out
  const std::uintptr_t* pcs;        // num_guards {PC, PCFlags} pairs, or null
  const std::uintptr_t* cfs_begin;  // control-flow table, or null
  const std::uintptr_t* cfs_end;
};

// Zero-initialised at load time (constinit), so module constructors may register before
// any dynamic initialiser has run.
struct State {
  // Hit counters indexed by guard value: slot 0 is a sink for guards that never got an edge
  // id (no branch on the hot path), slot e + 1 counts edge e and saturates at 255.
  alignas(64) std::uint8_t hit_counts[kMaxEdges + 1];
  CompareRecord compares[kCompareLogCapacity];
  // Compares attempted in the current window, logged or not: the log holds the first
  // min(num_compares, kCompareLogCapacity), the rest are dropped.
  std::uint64_t num_compares;
  ModuleRecord modules[kMaxModules];
  std::uint32_t num_modules;
  std::uint32_t num_edges;
  std::uint32_t dropped_modules;
  std::uint32_t dropped_edges;
  std::uint32_t unmatched_tables;
  // Set when a module was built with a coverage mode this runtime does not read
  // (inline-8bit-counters, inline-bool-flag): its edges are invisible here.
  bool saw_unsupported_instrumentation;
};

extern State g_state;
// Defined in sancov_hooks.cc; see the comment there for why it lives with the hooks.
extern bool g_window_open;

// Module registration, called from instrumented modules' constructors (rare; not inlined).
void RegisterGuards(std::uint32_t* start, std::uint32_t* stop) noexcept;
void RegisterPcTable(const std::uintptr_t* begin, const std::uintptr_t* end) noexcept;
void RegisterControlFlow(const std::uintptr_t* begin, const std::uintptr_t* end) noexcept;
void NoteUnsupportedInstrumentation() noexcept;

KT_ALWAYS_INLINE KT_NO_SANITIZE bool WindowOpen() noexcept {
  return __atomic_load_n(&g_window_open, __ATOMIC_RELAXED);
}

// Lossy under races (relaxed load then store, not an atomic add): a locked add would double
// the cost of every block, and a lost count only moves a hit between two buckets.
// A guard is ordinary writable memory of the instrumented module: the clamp (a cmov) keeps a
// kernel's stray write to one from becoming an out-of-bounds write by the runtime.
KT_ALWAYS_INLINE KT_NO_SANITIZE void OnEdge(std::uint32_t guard) noexcept {
  std::uint8_t* counter = &g_state.hit_counts[guard <= kMaxEdges ? guard : 0];
  const std::uint8_t count = __atomic_load_n(counter, __ATOMIC_RELAXED);
  __atomic_store_n(counter, static_cast<std::uint8_t>(count + (count != 0xff)), __ATOMIC_RELAXED);
}

// Lossy under races too: the slot is claimed with a relaxed load and store, not an atomic
// add, which made an instrumented execution in coverage_benchmark.cc 3x slower (12.8x the
// uninstrumented run instead of 4.1x). Kernels run on one thread; if kernel threads do
// compare concurrently, two may fill one slot (a mixed record: a wasted try for the
// permuter, never an out-of-bounds write) and the dropped count becomes a lower bound.
KT_ALWAYS_INLINE KT_NO_SANITIZE void OnCompare(CompareKind kind, std::uint8_t width,
                                               std::uintptr_t pc, std::uint64_t arg1,
                                               std::uint64_t arg2,
                                               const std::uint64_t* switch_table) noexcept {
  const std::uint64_t slot = __atomic_load_n(&g_state.num_compares, __ATOMIC_RELAXED);
  __atomic_store_n(&g_state.num_compares, slot + 1, __ATOMIC_RELAXED);
  if (slot >= kCompareLogCapacity) return;
  CompareRecord& record = g_state.compares[slot];
  record.pc = pc;
  record.arg1 = arg1;
  record.arg2 = arg2;
  record.switch_table = switch_table;
  record.width = width;
  record.kind = kind;
}

}  // namespace kt::coverage::internal
