// Parser of clang's control-flow table (instrumentation/control_flow.h). Standard library only.
#include "instrumentation/control_flow.h"

#include <algorithm>

namespace kt::coverage {
namespace {

// Appends entries from table[*pos] up to the next 0 and steps past it; false if the table
// ends first.
bool ReadZeroTerminated(std::span<const std::uintptr_t> table, std::size_t* pos,
                        std::vector<std::uintptr_t>* out) {
  while (*pos < table.size()) {
    const std::uintptr_t entry = table[(*pos)++];
    if (entry == 0) return true;
    out->push_back(entry);
  }
  return false;
}

}  // namespace

ControlFlowGraph ControlFlowGraph::Parse(std::span<const std::uintptr_t> table) {
  ControlFlowGraph graph;
  std::size_t pos = 0;
  while (pos < table.size()) {
    ControlFlowBlock block;
    block.pc = table[pos++];
    if (!ReadZeroTerminated(table, &pos, &block.successors) ||
        !ReadZeroTerminated(table, &pos, &block.callees)) {
      graph.truncated_ = true;
      break;
    }
    graph.blocks_.push_back(std::move(block));
  }
  graph.by_pc_.resize(graph.blocks_.size());
  for (std::uint32_t i = 0; i < graph.by_pc_.size(); ++i) graph.by_pc_[i] = i;
  // Ties (two rows with one pc, only in a malformed table) keep table order, so that Find
  // returns the first.
  std::sort(graph.by_pc_.begin(), graph.by_pc_.end(), [&](std::uint32_t a, std::uint32_t b) {
    const std::uintptr_t pc_a = graph.blocks_[a].pc, pc_b = graph.blocks_[b].pc;
    return pc_a != pc_b ? pc_a < pc_b : a < b;
  });
  return graph;
}

const ControlFlowBlock* ControlFlowGraph::Find(std::uintptr_t pc) const noexcept {
  const auto it = std::lower_bound(by_pc_.begin(), by_pc_.end(), pc,
                                   [&](std::uint32_t i, std::uintptr_t value) {
                                     return blocks_[i].pc < value;
                                   });
  if (it == by_pc_.end() || blocks_[*it].pc != pc) return nullptr;
  return &blocks_[*it];
}

}  // namespace kt::coverage
