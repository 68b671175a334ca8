// The string and bytes test kernels (string_kernels.h) as the end-to-end tests run them:
// KernelInfos with named column schemas (KT_BYTES bounds set as the seeder would) and the
// strings the seeder would harvest from each. Not instrumented itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "permuter/internal/hard_kernel_registry.h"

namespace kt::permuter::internal {

struct TextKernel {
  HardKernel kernel;
  std::vector<std::string> strings;  // the literals the kernel compares its texts with
};

// The kernel registered as `name` ("text.driver_name", ...). Aborts on an unknown name: a
// typo in a test, never input.
const TextKernel& Text(std::string_view name);

}  // namespace kt::permuter::internal
