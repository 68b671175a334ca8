// Runs one job per kernel in forked child processes, at most N at a time, streaming each
// child's progress and collecting its result text. Results are handed over by index, so
// the caller prints them in a fixed order whatever order the children finish in. POSIX; the
// standard library and runner/error.h only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>

#include "runner/error.h"

namespace kt::driver {

enum class JobError {
  kPipe = 1,  // pipe() failed
  kFork,      // fork() failed
  kWait,      // poll() or waitpid() failed
};
const char* ToString(JobError e) noexcept;
const std::error_category& JobCategory() noexcept;
std::error_code make_error_code(JobError e) noexcept;

// Called in the child, as often as it likes; the parent sees the latest values.
using ProgressSink = std::function<void(std::uint64_t executions, std::uint64_t edges)>;
// The job itself, run in the child: its return value is the result text.
using JobFn = std::function<std::string(std::size_t index, const ProgressSink& progress)>;

struct JobEvents {
  std::function<void(std::size_t index)> on_start;
  std::function<void(std::size_t index, std::uint64_t executions, std::uint64_t edges)>
      on_progress;
  // `result` is nullopt when the child ended without one; `ended` then says how
  // ("killed by signal 11", "exited with status 3").
  std::function<void(std::size_t index, std::optional<std::string> result,
                     const std::string& ended)>
      on_done;
};

// Runs job(i) for i in [0, count), each in its own forked child, starting them in index
// order with at most `parallel` running. Returns once every child has been reaped. The
// callbacks run in this (the parent) process. Call from a single-threaded process: the
// children fork workers of their own.
Expected<void> RunJobs(std::size_t count, unsigned parallel, const JobFn& job,
                       const JobEvents& events);

}  // namespace kt::driver

template <>
struct std::is_error_code_enum<kt::driver::JobError> : std::true_type {};
