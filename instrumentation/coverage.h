// The runtime's C++ API: open and close an execution window, then read the edges hit, the
// compare log, the modules and their pc and control-flow tables. The C++ standard library and
// libc only; never depends on the runner or the permuter.
//
// Thread-compatible. The intended caller is one thread of a forked worker:
//
//   kt::coverage::BeginExecution();
//   RunKernel(call_set);
//   kt::coverage::EndExecution();
//   for (const kt::coverage::EdgeHit& hit : kt::coverage::EdgesHit()) ...
//   for (const kt::coverage::CompareRecord& cmp : kt::coverage::CompareLog()) ...
//
// Edges and compares recorded by other threads of the process while the window is open count
// too (lossily under races). Results are valid until the next BeginExecution().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "instrumentation/compare_record.h"
#include "instrumentation/control_flow.h"

namespace kt::coverage {

// Fixed capacities of the runtime's static storage.
inline constexpr std::size_t kMaxEdges = std::size_t{1} << 20;      // guards beyond get no id
inline constexpr std::size_t kMaxModules = 256;                      // modules beyond are ignored
inline constexpr std::size_t kCompareLogCapacity = std::size_t{1} << 14;  // per execution

// Opens an execution window: clears every hit count and the compare log, then lets the hooks
// record. Calling it again while a window is open starts over. Never allocates.
void BeginExecution() noexcept;
// Closes the window; hooks do nothing (measurable) until the next BeginExecution().
void EndExecution() noexcept;
bool InExecution() noexcept;

// --- Edges -----------------------------------------------------------------------------
// An edge id is a guard's index in constructor order of the instrumented modules (shared
// libraries first, then the executable), so ids are stable for a given binary: module m's
// guards are [first_edge, first_edge + num_edges).

// Edges known to the runtime (0 in a binary without instrumented code).
std::size_t NumEdges() noexcept;

// The saturating hit count of every edge in the last window (0..255), indexed by edge id.
std::span<const std::uint8_t> HitCounts() noexcept;

// libFuzzer's (from AFL) hit-count buckets, 0..7, so that a loop running 5 or 6 times counts
// as the same behaviour but 3 and 4 do not:
//
//   hit count:  1   2   3   4-7   8-15   16-31   32-127   128+
//   bucket:     0   1   2    3     4       5       6       7
//
// A count of 0 is no hit and has no bucket; it maps to 0 only so that the function is total.
constexpr std::uint8_t HitCountBucket(std::uint8_t count) noexcept {
  if (count >= 128) return 7;
  if (count >= 32) return 6;
  if (count >= 16) return 5;
  if (count >= 8) return 4;
  if (count >= 4) return 3;
  return count == 0 ? 0 : static_cast<std::uint8_t>(count - 1);
}
static_assert(HitCountBucket(3) == 2 && HitCountBucket(4) == 3 && HitCountBucket(7) == 3);
static_assert(HitCountBucket(8) == 4 && HitCountBucket(127) == 6 && HitCountBucket(255) == 7);

struct EdgeHit {
  std::uint32_t edge;
  std::uint8_t count;   // saturates at 255
  std::uint8_t bucket;  // HitCountBucket(count)

  friend bool operator==(const EdgeHit&, const EdgeHit&) = default;
};

// The edges hit in the last window, by ascending edge id.
std::vector<EdgeHit> EdgesHit();

// --- Compare log -------------------------------------------------------------------------

// The compares of the last window in execution order, at most kCompareLogCapacity.
std::span<const CompareRecord> CompareLog() noexcept;
// Compares of the last window that did not fit in the log.
std::uint64_t DroppedCompares() noexcept;
// The case constants of a kSwitch record, ascending; empty for any other kind.
std::span<const std::uint64_t> SwitchCases(const CompareRecord& record) noexcept;

// --- Modules and the pc-table ---------------------------------------------------------------

struct ModuleInfo {
  std::uint32_t first_edge = 0;
  std::uint32_t num_edges = 0;   // guards given an edge id
  std::uint32_t num_guards = 0;  // more than num_edges only once kMaxEdges ran out
  bool has_pc_table = false;
  bool has_control_flow = false;
  std::uintptr_t load_base = 0;  // where the loader mapped the module (dladdr); 0 if unknown
  std::string path;              // the module's file as the loader names it; empty if unknown
};

std::size_t NumModules() noexcept;
// Module `module` in constructor order, or nullopt past NumModules().
std::optional<ModuleInfo> GetModule(std::size_t module);

struct EdgeInfo {
  std::uint32_t module = 0;
  std::uint32_t index_in_module = 0;
  std::uintptr_t pc = 0;              // the block's address; the function's for an entry block
  std::uintptr_t function_entry = 0;  // the address of the function holding the block
  bool is_function_entry = false;     // PCFlags bit 0

  friend bool operator==(const EdgeInfo&, const EdgeInfo&) = default;
};

// Where edge `edge` is, from its module's pc-table; nullopt for an unknown edge or a module
// built without pc-table.
std::optional<EdgeInfo> DescribeEdge(std::uint32_t edge) noexcept;
// The edge whose pc-table PC is `pc`, or nullopt. Linear in NumEdges().
std::optional<std::uint32_t> FindEdgeAtPc(std::uintptr_t pc) noexcept;

// The control-flow table of module `module`, parsed; empty for an unknown module or one built
// without control-flow.
ControlFlowGraph ModuleControlFlow(std::size_t module);

// --- Health ------------------------------------------------------------------------------

// What the runtime had to leave out. All zero/false in a healthy build; the permuter prints a
// WARNING otherwise, since missing edges silently shrink every table.
struct RuntimeStats {
  std::uint32_t dropped_modules = 0;   // past kMaxModules
  std::uint32_t dropped_edges = 0;     // guards past kMaxEdges
  std::uint32_t unmatched_tables = 0;  // pc or control-flow tables no module could take
  bool saw_unsupported_instrumentation = false;  // inline-8bit-counters / inline-bool-flag

  friend bool operator==(const RuntimeStats&, const RuntimeStats&) = default;
};
RuntimeStats Stats() noexcept;

}  // namespace kt::coverage
