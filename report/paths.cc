// Path enumeration and classification (report/paths.h). The standard library only.
#include "report/paths.h"

#include <algorithm>
#include <utility>

namespace kt::report {
namespace {

// The function's blocks as indexes: successors inside the function, which blocks can still
// reach an exit, and which the entry reaches.
struct Graph {
  std::vector<std::vector<std::uint32_t>> successors;
  std::vector<bool> is_exit;       // no successors at all in the table
  std::vector<bool> reaches_exit;  // some path from here ends at an exit
  std::vector<bool> from_entry;
  std::vector<bool> has_predecessor;
};

std::vector<bool> Closure(const std::vector<std::vector<std::uint32_t>>& next,
                          std::vector<std::uint32_t> start) {
  std::vector<bool> seen(next.size(), false);
  for (const std::uint32_t b : start) seen[b] = true;
  while (!start.empty()) {
    const std::uint32_t b = start.back();
    start.pop_back();
    for (const std::uint32_t n : next[b]) {
      if (!seen[n]) {
        seen[n] = true;
        start.push_back(n);
      }
    }
  }
  return seen;
}

Graph BuildGraph(std::span<const coverage::ControlFlowBlock> blocks, std::size_t* dangling) {
  const auto n = static_cast<std::uint32_t>(blocks.size());
  std::vector<std::pair<std::uintptr_t, std::uint32_t>> by_pc;
  for (std::uint32_t i = 0; i < n; ++i) by_pc.emplace_back(blocks[i].pc, i);
  std::sort(by_pc.begin(), by_pc.end());
  Graph g;
  g.successors.resize(n);
  g.is_exit.assign(n, false);
  g.has_predecessor.assign(n, false);
  std::vector<std::vector<std::uint32_t>> predecessors(n);
  std::vector<std::uint32_t> exits;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (blocks[i].successors.empty()) {
      g.is_exit[i] = true;
      exits.push_back(i);
    }
    for (const std::uintptr_t pc : blocks[i].successors) {
      const auto it = std::lower_bound(by_pc.begin(), by_pc.end(),
                                       std::pair<std::uintptr_t, std::uint32_t>{pc, 0});
      if (it == by_pc.end() || it->first != pc) {
        ++*dangling;
        continue;
      }
      g.successors[i].push_back(it->second);
      predecessors[it->second].push_back(i);
      g.has_predecessor[it->second] = true;
    }
  }
  g.reaches_exit = Closure(predecessors, std::move(exits));
  g.from_entry = n == 0 ? std::vector<bool>() : Closure(g.successors, {0});
  return g;
}

// One depth-first search at a time from a root; the result accumulates across roots.
class Enumerator {
 public:
  Enumerator(const Graph& graph, const std::vector<bool>& error_blocks, const PathLimits& limits,
             PathEnumeration* out)
      : graph_(graph),
        error_blocks_(error_blocks),
        limits_(limits),
        out_(out),
        visits_(graph.successors.size(), 0) {}

  // Every path from `root`; from a root the entry cannot reach, each is kUnreachable.
  void From(std::uint32_t root, bool unreachable) {
    if (Stopped()) return;
    unreachable_ = unreachable;
    Enter(root);
    while (!stack_.empty() && !Stopped()) {
      Frame& frame = stack_.back();
      const std::vector<std::uint32_t>& next = graph_.successors[frame.block];
      if (frame.next == next.size()) {
        Leave();
        continue;
      }
      const std::uint32_t successor = next[frame.next++];
      if (visits_[successor] > limits_.loop_bound) {
        ++out_->cut_by_loop_bound;
      } else if (path_.size() >= limits_.max_length) {
        ++out_->cut_by_length;
      } else {
        Enter(successor);
      }
    }
    while (!stack_.empty()) Leave();
  }

 private:
  struct Frame {
    std::uint32_t block;
    std::size_t next;  // the successor to try next
  };

  bool Stopped() const { return out_->hit_max_paths || out_->hit_max_steps; }

  void Enter(std::uint32_t block) {
    if (++steps_ > limits_.max_steps) {
      out_->hit_max_steps = true;
      return;
    }
    path_.push_back(block);
    ++visits_[block];
    if (IsError(block)) ++errors_on_path_;
    stack_.push_back({block, 0});
    // A path ends where no exit is left to reach (degenerate) or at an exit.
    if (!graph_.reaches_exit[block]) {
      Emit(PathKind::kDegenerate);
      Leave();
    } else if (graph_.is_exit[block]) {
      Emit(errors_on_path_ != 0 ? PathKind::kError : PathKind::kNormal);
      Leave();
    }
  }

  void Leave() {
    const std::uint32_t block = stack_.back().block;
    stack_.pop_back();
    path_.pop_back();
    --visits_[block];
    if (IsError(block)) --errors_on_path_;
  }

  void Emit(PathKind kind) {
    if (out_->paths.size() >= limits_.max_paths) {
      out_->hit_max_paths = true;
      return;
    }
    out_->paths.push_back({unreachable_ ? PathKind::kUnreachable : kind, path_});
  }

  bool IsError(std::uint32_t block) const {
    return block < error_blocks_.size() && error_blocks_[block];
  }

  const Graph& graph_;
  const std::vector<bool>& error_blocks_;
  const PathLimits& limits_;
  PathEnumeration* out_;
  std::vector<Frame> stack_;
  std::vector<std::uint32_t> path_;
  std::vector<std::size_t> visits_;  // occurrences on the current path
  std::size_t errors_on_path_ = 0;
  std::size_t steps_ = 0;
  bool unreachable_ = false;
};

}  // namespace

const char* ToString(PathKind kind) noexcept {
  switch (kind) {
    case PathKind::kNormal: return "normal";
    case PathKind::kError: return "error";
    case PathKind::kDegenerate: return "degenerate";
    case PathKind::kUnreachable: return "unreachable";
  }
  return "unknown";
}

std::size_t PathEnumeration::Count(PathKind kind) const noexcept {
  return static_cast<std::size_t>(std::count_if(
      paths.begin(), paths.end(), [kind](const Path& p) { return p.kind == kind; }));
}

PathEnumeration EnumeratePaths(std::span<const coverage::ControlFlowBlock> blocks,
                               const std::vector<bool>& error_blocks, const PathLimits& limits) {
  PathEnumeration out;
  if (blocks.empty()) return out;
  const Graph graph = BuildGraph(blocks, &out.dangling_successors);
  Enumerator search(graph, error_blocks, limits, &out);
  search.From(0, /*unreachable=*/false);
  // Dead code: first from blocks nothing branches to, then from any dead block no earlier
  // root reaches (a dead loop has no such root). One search per dead region.
  const auto n = static_cast<std::uint32_t>(blocks.size());
  std::vector<bool> claimed = graph.from_entry;
  for (const bool roots_only : {true, false}) {
    for (std::uint32_t b = 1; b < n; ++b) {
      if (claimed[b] || (roots_only && graph.has_predecessor[b])) continue;
      search.From(b, /*unreachable=*/true);
      const std::vector<bool> region = Closure(graph.successors, {b});
      for (std::uint32_t r = 0; r < n; ++r) claimed[r] = claimed[r] || region[r];
    }
  }
  return out;
}

}  // namespace kt::report
