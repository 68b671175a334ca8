// libFuzzer's LLVMFuzzerRunDriver in a forked child of the controller, as a stream of inputs
// the controller answers with coverage. The child never runs a kernel: its callback sends each
// input over a socket and turns the answer into libFuzzer's extra counters (the
// __libfuzzer_extra_counters section) and its table of recent compares. Linux (fork,
// memfd_create, prctl); permuter/ and the renamed libFuzzer runtime (see
// permuter/rename_libfuzzer.cmake) only; never the coverage runtime or the runner's executor.
//
// Why a child: LLVMFuzzerRunDriver ends in exit(), keeps its state in globals (one Fuzzer per
// process), and installs signal and malloc hooks; a forked child confines all of that to one
// kernel's search and leaves the controller, its worker and its other kernels untouched.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "permuter/compare_event.h"
#include "runner/error.h"

namespace kt::permuter::internal {

// The extra counters the child's libFuzzer watches. A feature index (from the controller)
// lands in counter index % kNumCounters: one kernel's search reaches far fewer edges.
inline constexpr std::size_t kNumCounters = std::size_t{1} << 16;

// One libFuzzer run. Thread-compatible; construct, Start and use from one thread of a
// process that may fork.
//
// Example usage:
//   LibFuzzerProcess fuzzer;
//   KT_TRY(fuzzer.Start({"-seed=1", "-runs=1000", "-max_len=64"}));
//   while (true) {
//     auto input = fuzzer.Next();              // an error: the child misbehaved
//     if (!input || !*input) break;            // nullopt: libFuzzer finished its runs
//     KT_TRY(fuzzer.Answer(FeaturesOf(**input), {}));
//   }
class LibFuzzerProcess {
 public:
  LibFuzzerProcess() = default;
  ~LibFuzzerProcess();  // kills and reaps a child still running
  LibFuzzerProcess(const LibFuzzerProcess&) = delete;
  LibFuzzerProcess& operator=(const LibFuzzerProcess&) = delete;

  // Forks the child, which runs LLVMFuzzerRunDriver with `flags` (libFuzzer's -name=value
  // flags, after a program name). Errors: kt.fuzz socket or fork.
  Expected<void> Start(std::span<const std::string> flags);

  // The next input libFuzzer ran, or nullopt once the child ended by itself (libFuzzer spent
  // its -runs); callbacks() then says how many inputs it ran. Errors: kt.fuzz protocol (bytes
  // that do not frame), kt.fuzz libfuzzer (the child died, or sent nothing for `silence`),
  // each with the child's stderr tail.
  Expected<std::optional<std::string>> Next(
      std::chrono::milliseconds silence = std::chrono::minutes(2));

  // libFuzzer's view of the input Next returned: the feature indices it reached (the
  // counters to set) and compares for its table of recent compares (4- and 8-byte compares
  // and switches; the rest are dropped). Errors: kt.fuzz libfuzzer when the child is gone.
  Expected<void> Answer(std::span<const std::uint32_t> features,
                        std::span<const CompareEvent> compares);

  // Ends the child (it exits from its callback without libFuzzer's exit path) and reaps it.
  void Stop();

  // Inputs libFuzzer ran so far: Next's successful returns of an input.
  std::uint64_t callbacks() const noexcept { return callbacks_; }
  // The end of what the child wrote to stderr and stdout (libFuzzer's INFO lines).
  std::string OutputTail() const;

 private:
  // Reaps the child (SIGKILL first when `kill_first`); its wait status, if reaped.
  std::optional<int> Reap(bool kill_first);
  Error ChildError(const std::string& what) const;

  pid_t pid_ = -1;
  int socket_ = -1;
  int output_ = -1;  // memfd holding the child's stderr and stdout
  std::string inbox_;
  std::uint64_t callbacks_ = 0;
};

}  // namespace kt::permuter::internal
