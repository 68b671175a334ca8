// Entry-to-exit paths of one function's control-flow graph, by depth-first search with a loop
// bound and limits on length, count and work, each classified normal, error, degenerate or
// unreachable. The design follows mirage's cfg/paths (research/mirage-cfg-paths-mod.rs.txt),
// on clang's control-flow table instead of MIR. Pure: instrumentation/control_flow.h and the
// standard library only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "instrumentation/control_flow.h"

namespace kt::report {

// How a path ends. The table has no terminators, so the classes rest on its shape:
//   kNormal       reaches a block without successors (a return) and passes no error block
//   kError        reaches such a block through an error block: one the caller marks for
//                 calling abort, a failed-check or sanitizer handler, or building an error
//                 (report/report.cc decides which blocks, from the callees' names)
//   kDegenerate   reaches a block from which no block without successors can be reached: an
//                 infinite loop or a dead end, so the path has no valid exit
//   kUnreachable  starts at a block the entry cannot reach (dead code the compiler kept)
enum class PathKind { kNormal = 1, kError, kDegenerate, kUnreachable };
inline constexpr std::size_t kNumPathKinds = 4;
// "normal", "error", "degenerate", "unreachable".
const char* ToString(PathKind kind) noexcept;

struct PathLimits {
  // Times a path may go around a loop: each block appears at most loop_bound + 1 times, so a
  // counted loop gives loop_bound + 1 paths (0, 1, ... loop_bound iterations).
  std::size_t loop_bound = 2;
  std::size_t max_length = 512;  // blocks per path; longer ones are dropped and counted
  std::size_t max_paths = 1024;  // per function; enumeration stops at the limit
  // Blocks pushed per function: bounds the search when the loop bound prunes most prefixes
  // and few paths come out.
  std::size_t max_steps = std::size_t{1} << 20;
};

struct Path {
  PathKind kind = PathKind::kNormal;
  std::vector<std::uint32_t> blocks;  // indexes into the function's blocks, in path order
};

struct PathEnumeration {
  std::vector<Path> paths;  // in discovery order: successors in branch order
  bool hit_max_paths = false;
  bool hit_max_steps = false;
  std::size_t cut_by_length = 0;      // prefixes dropped at max_length
  std::size_t cut_by_loop_bound = 0;  // successors not followed because of the loop bound
  std::size_t dangling_successors = 0;  // successors outside the function's rows (ignored)

  bool limit_hit() const noexcept {
    return hit_max_paths || hit_max_steps || cut_by_length != 0;
  }
  std::size_t Count(PathKind kind) const noexcept;
};

// Enumerates the paths of the function whose control-flow rows are `blocks` (entry first, as
// ProgramMap::BlocksOf gives them). `error_blocks[i]` marks block i as an error block; a
// vector shorter than `blocks` leaves the rest unmarked. Never fails: limits end the search
// and say so in the result.
PathEnumeration EnumeratePaths(std::span<const coverage::ControlFlowBlock> blocks,
                               const std::vector<bool>& error_blocks, const PathLimits& limits);

}  // namespace kt::report
