// Step 7 of the permuter contract: the Executor that runs a registered kernel in a forked
// worker process, inside a coverage window, and survives whatever the kernel does. The
// worker stays alive across executions; a crash, a hang (per-execution timeout), an abort,
// an exit() or a sanitizer report becomes the execution's outcome and the next execution
// starts a fresh worker. Linux; runner/ (registry, execute, outcome) and the coverage
// runtime's read side only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <type_traits>

#include "permuter/executor.h"
#include "runner/registry.h"
#include "runner/schema.h"

namespace kt::permuter {

enum class WorkerError {
  kSocket = 1,  // socketpair() or pipe() failed
  kFork,        // fork() failed
  kProtocol,    // the worker replied with bytes that do not decode
  kSetup,       // the worker could not run the call set (the runner's message says why)
  kWorkspace,   // a workspace index outside the kernel's templates
};
const char* ToString(WorkerError e) noexcept;
const std::error_category& WorkerCategory() noexcept;
std::error_code make_error_code(WorkerError e) noexcept;

struct WorkerOptions {
  // Configuration, never table content: a timeout prints as timeout() whatever its length.
  std::chrono::milliseconds timeout{1'000};
};

// The extra trailing column a kernel with workspace templates takes: an enum whose
// enumerators are the template names, valued by index. nullopt for a kernel without.
std::optional<ColumnSchema> WorkspaceColumn(const KernelInfo& kernel);

// Runs `kernel` (which must outlive the executor) in a worker forked from this process, so
// the worker sees the same instrumented code and edge ids. A call set holds one value per
// kernel parameter, plus the workspace index (WorkspaceColumn) when the kernel has
// templates. Edges are the worker's whole coverage window: every instrumented edge the
// kernel and the code it calls reached.
// Thread-compatible; construct and Run from a single-threaded process (fork).
//
// Example usage:
//   WorkerExecutor executor(*Registry::Global().Find("dma.map_two").value());
//   Expected<Execution> e = executor.Run(call_set);
//   if (e && IsFinding(e.value().outcome.kind)) Report(e.value().outcome);
class WorkerExecutor final : public Executor {
 public:
  explicit WorkerExecutor(const KernelInfo& kernel, WorkerOptions options = {});
  ~WorkerExecutor() override;
  WorkerExecutor(const WorkerExecutor&) = delete;
  WorkerExecutor& operator=(const WorkerExecutor&) = delete;

  Expected<Execution> Run(std::span<const Value> call_set) override;

  // Workers started so far: 1 after the first Run, one more after each finding that ended
  // a worker.
  std::size_t starts() const noexcept { return starts_; }

 private:
  enum class Wait { kReply, kDied, kTimeout };

  Expected<void> Start();
  // Kills (if running) and reaps the worker; its exit status, if it had one.
  std::optional<int> Stop(bool kill_first);
  Wait ReadReply(std::chrono::steady_clock::time_point deadline, std::string* payload);
  // Reads the worker's stderr until it closes (the worker ended) or the timeout.
  void DrainStderr(std::int64_t timeout_ms);
  Outcome Died(int status);

  const KernelInfo& kernel_;
  WorkerOptions options_;
  pid_t pid_ = -1;
  int socket_ = -1;  // requests out, replies in
  int stderr_ = -1;  // the worker's stderr, read end
  std::string inbox_;
  std::string stderr_text_;  // of the current execution, the tail kept
  std::size_t starts_ = 0;
};

}  // namespace kt::permuter

template <>
struct std::is_error_code_enum<kt::permuter::WorkerError> : std::true_type {};
