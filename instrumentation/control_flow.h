// The control-flow table clang emits with -fsanitize-coverage=control-flow, parsed into
// blocks with their successors and callees. Pure data: the C++ standard library only; it
// reads a table, it never touches the runtime's state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace kt::coverage {

// A callee entry for an indirect call: clang records that one exists, not its target.
inline constexpr std::uintptr_t kIndirectCallee = ~std::uintptr_t{0};

// One basic block. `pc` is the block's address, or the function's address for its entry
// block: the same values the pc-table uses, so a block with a guard maps to its edge through
// FindEdgeAtPc(). Blocks pruned from guard instrumentation still appear here.
struct ControlFlowBlock {
  std::uintptr_t pc = 0;
  std::vector<std::uintptr_t> successors;  // in branch order; duplicates kept
  std::vector<std::uintptr_t> callees;     // function addresses, kIndirectCallee, in call order

  friend bool operator==(const ControlFlowBlock&, const ControlFlowBlock&) = default;
};

// The blocks of one module's table, in table order (functions contiguous, entry block first).
// Thread-compatible; a value type.
//
// Example usage:
//
//   ControlFlowGraph cfg = ModuleControlFlow(0);
//   if (const ControlFlowBlock* entry = cfg.Find(reinterpret_cast<std::uintptr_t>(&Kernel)))
//     for (std::uintptr_t next : entry->successors) Visit(cfg.Find(next));
class ControlFlowGraph {
 public:
  ControlFlowGraph() = default;

  // Parses rows of {block, successors..., 0, callees..., 0}. Never fails: a last row cut
  // short by the end of `table` is left out and truncated() turns true.
  static ControlFlowGraph Parse(std::span<const std::uintptr_t> table);

  std::span<const ControlFlowBlock> blocks() const noexcept { return blocks_; }
  std::size_t size() const noexcept { return blocks_.size(); }
  bool empty() const noexcept { return blocks_.empty(); }
  bool truncated() const noexcept { return truncated_; }

  // The block at `pc`, or null. O(log n).
  const ControlFlowBlock* Find(std::uintptr_t pc) const noexcept;

 private:
  std::vector<ControlFlowBlock> blocks_;
  std::vector<std::uint32_t> by_pc_;  // indexes into blocks_, sorted by pc
  bool truncated_ = false;
};

}  // namespace kt::coverage
