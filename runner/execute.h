// Running a registered kernel once, in this process: decode the call set, set up the
// workspace, call, catch, observe. The one entry point the permuter and replay share for
// in-process executions. The standard library and runner/ only.
#pragma once

#include <span>

#include "runner/error.h"
#include "runner/outcome.h"
#include "runner/registry.h"
#include "runner/value.h"
#include "runner/workspace.h"

namespace kt {

// Runs `kernel` with `args`; when `workspace` is given the kernel runs in a fresh directory
// populated from it (kt::CurrentWorkspace()) and the outcome records the directory after the
// call. An exception becomes exception(type: what), a failed KT_CHECK check-failed(...);
// observations are kept whatever the outcome. Errors are the runner's, not the kernel's: a
// call set that does not decode (kt.invoke), a workspace that cannot be made or read back
// (kt.workspace). A crash or hang takes the process with it: see ExecuteInChild.
// Thread-compatible: concurrent executions need distinct kernels' state, nothing more.
Expected<Outcome> Execute(const KernelInfo& kernel, std::span<const Value> args,
                          const WorkspaceTemplate* workspace = nullptr);

}  // namespace kt
