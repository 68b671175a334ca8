// Reading the fuzz target's stderr: libFuzzer's status lines ("#608\tNEW    cov: 3 ft: 37 ...")
// and the fuzz target's own line with the kernel function's edges. The standard library
// only; never a process or libFuzzer itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kt::permuter::bench {

// One status line: after `executions` inputs (libFuzzer's "#E"), `cov` edges were covered.
struct StatusLine {
  std::uint64_t executions = 0;
  std::uint64_t cov = 0;    // 0 when libFuzzer printed no "cov:" (it omits a zero)
  std::string_view event;   // INITED, NEW, REDUCE, pulse, DONE, RELOAD: a view into the line
};

// The status line `line` (without its newline), or nullopt for any other line.
std::optional<StatusLine> ParseStatusLine(std::string_view line) noexcept;

// The fuzz target prints this, then the kernel function's edges in libFuzzer's coverage map
// and the kernel's name, before libFuzzer starts: "INFO: kernel edges: 7 hard.switch".
inline constexpr std::string_view kKernelEdgesTag = "INFO: kernel edges: ";

// The edges a kernel-edges line announces, or nullopt for any other line.
std::optional<std::uint64_t> ParseKernelEdges(std::string_view line) noexcept;

}  // namespace kt::permuter::bench
