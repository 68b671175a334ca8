// Running one kernel call in a forked child with a timeout, so a crash, a hang, a sanitizer
// report or an exit() becomes an outcome instead of the end of the caller. POSIX; the
// standard library and runner/ only.
#pragma once

#include <chrono>
#include <span>
#include <system_error>
#include <type_traits>

#include "runner/error.h"
#include "runner/outcome.h"
#include "runner/registry.h"
#include "runner/value.h"
#include "runner/workspace.h"

namespace kt {

enum class ChildError {
  kPipe = 1,  // pipe() failed
  kFork,      // fork() failed
  kWait,      // waitpid() failed
  kSetup,     // the child could not run the kernel (its message says why)
};
const char* ToString(ChildError e) noexcept;
const std::error_category& ChildCategory() noexcept;
std::error_code make_error_code(ChildError e) noexcept;

struct ChildOptions {
  // Configuration, never table content: a timeout prints as timeout() whatever its length.
  std::chrono::milliseconds timeout{10'000};
};

// Execute(kernel, args, workspace) in a forked child. The child's outcome comes back through
// a pipe; a child killed by a signal gives crash(SIGSEGV), one that outlives the timeout is
// killed and gives timeout(), one that exits after a sanitizer report gives
// sanitizer(AddressSanitizer: heap-use-after-free) (a sanitizer's own report of a deadly
// signal, e.g. "SEGV", gives crash(SIGSEGV) as without sanitizers), and any other exit
// without an outcome gives exit(status). The child's stderr is kept in Outcome::detail.
// The call set is validated here first, so decoding errors are the caller's as with Execute.
// Call from a single-threaded process: a child forked from a threaded one may deadlock.
Expected<Outcome> ExecuteInChild(const KernelInfo& kernel, std::span<const Value> args,
                                 const WorkspaceTemplate* workspace,
                                 const ChildOptions& options = {});

}  // namespace kt

template <>
struct std::is_error_code_enum<kt::ChildError> : std::true_type {};
