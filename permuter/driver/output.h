// What the driver prints: per-kernel lines in kernel order whatever order the jobs finish
// in, a progress bar when stdout is a terminal, or one JSON document with --json.
// Deterministic: the same results print the same bytes. permuter/driver/, report/'s
// percentages and the standard library only.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "permuter/driver/flags.h"
#include "permuter/driver/kernel_result.h"

namespace kt::driver {

// The plain lines of one result, each ending in '\n', tagged INFO:, WARNING:, ERROR: or
// FINDING: (a stale table's diff follows its ERROR line). `program` names the binary in the
// commands the lines suggest. check adds report::CheckCoverage's line for every kernel whose
// rows ran; report prints nothing for a kernel that is fine (its figures come as a table).
std::string FormatResultLines(const KernelResult& r, Command command, std::string_view program);

// The bar drawn while jobs run:
//   [=====     ] 2/4  hello.greet  1234 executions  17 edges  9 rows done
std::string FormatProgressBar(std::size_t done, std::size_t total, std::string_view kernel,
                              std::uint64_t executions, std::uint64_t edges,
                              std::uint64_t rows_done);

// Collects results of one generate, check or report run and prints them. Thread-compatible;
// the driver's parent process owns it.
class RunPrinter {
 public:
  struct Config {
    Command command = Command::kCheck;
    std::string suite;
    std::string program;  // the binary's name, for suggested commands
    std::string tables_dir;
    bool json = false;
    bool progress_bar = false;  // stdout is a terminal and not --json
  };

  RunPrinter(std::FILE* out, Config config, std::vector<std::string> kernels);

  void Progress(std::size_t index, std::uint64_t executions, std::uint64_t edges);
  // Prints every result from the next unprinted kernel on that has arrived.
  void Done(std::size_t index, KernelResult result);
  // Tables in the tables directory that no kernel of this binary owns: an error for check,
  // a warning otherwise.
  void SetOrphans(std::vector<std::string> paths);
  // Prints the summary (or the JSON document) and returns the exit code (ResultExitCode).
  int Finish();
  // Every result printed so far, in kernel order: all of them once every Done has come.
  const std::vector<KernelResult>& results() const noexcept { return printed_; }

 private:
  void ClearBar();
  void DrawBar();

  std::FILE* out_;
  Config config_;
  std::vector<std::string> kernels_;
  std::map<std::size_t, KernelResult> arrived_;  // not printed yet
  std::vector<KernelResult> printed_;
  std::vector<std::string> orphans_;
  std::size_t bar_kernel_ = 0;
  std::uint64_t bar_executions_ = 0;
  std::uint64_t bar_edges_ = 0;
  std::uint64_t rows_done_ = 0;
  bool bar_shown_ = false;
};

}  // namespace kt::driver
