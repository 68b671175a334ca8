// The kernel author's API: KT_KERNEL, KT_OBSERVE, KT_CHECK, kt::result and the workspace,
// plus the parameter annotations. What kernels include; builds with any C++20 compiler.
//
// Example usage:
//   kt::result<DmaStats> MapTwo(KT_RANGE(0, 0xffff'f000) std::uint64_t iova, MapOrder order,
//                               vfio::Perm perm) {
//     vfio::DmaMapTracker m;
//     ...
//     KT_OBSERVE("mappings", m.size());
//     KT_CHECK(m.NoOverlaps());
//     return stats;
//   }
//   KT_KERNEL("dma.map_two", MapTwo);
#pragma once

#include "runner/annotations.h"
#include "runner/error.h"
#include "runner/outcome.h"
#include "runner/registry.h"
#include "runner/workspace.h"

#define KT_INTERNAL_CONCAT2(a, b) a##b
#define KT_INTERNAL_CONCAT(a, b) KT_INTERNAL_CONCAT2(a, b)

// Registers `fn` (a function defined before this line) as kernel `name`, unique in the
// suite. An optional third argument gives workspace templates (kt::Workspaces). Expands to a
// namespace-scope variable annotated kt.kernel whose initializer takes &fn, which is how the
// ast_seeder finds kernels. Two kernels with one name are an error at startup.
#define KT_KERNEL(name, fn, ...)                                                             \
  KT_INTERNAL_KERNEL_ANNOTATION(name)                                                        \
  static const ::kt::internal::KernelRegistration KT_INTERNAL_CONCAT(kt_kernel_, __LINE__) { \
    name, &fn, __FILE__, __LINE__ __VA_OPT__(, ) __VA_ARGS__                                 \
  }

// Records a postcondition column: replay compares `value` (printed canonically, see
// runner/print.h) under `name`, an identifier. Outside an execution it does nothing.
#define KT_OBSERVE(name, value) ::kt::internal::Observe((name), (value), __FILE__, __LINE__)

// An invariant: when false the execution ends as the finding
// check-failed(<expression> at <file>:<line>), never as an expected outcome.
#define KT_CHECK(...)                                                \
  do {                                                               \
    if (!static_cast<bool>(__VA_ARGS__)) {                           \
      ::kt::internal::CheckFailed(#__VA_ARGS__, __FILE__, __LINE__); \
    }                                                                \
  } while (false)
