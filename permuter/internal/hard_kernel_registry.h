// The hard-branch kernels (hard_kernels.h) as the end-to-end tests run them: registered in
// a private registry with their column schemas, and the edges each function owns according
// to the coverage runtime's pc-table. Not instrumented itself.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "runner/registry.h"
#include "runner/schema.h"

namespace kt::permuter::internal {

struct HardKernel {
  KernelInfo info;
  std::vector<ColumnSchema> columns;  // the signature, named, enums with their enumerators
};

// The kernel registered as `name` ("hard.magic32", ...). Aborts on an unknown name: a typo in
// a test, never input.
const HardKernel& Hard(std::string_view name);

// Every edge whose pc-table entry lies in the function at `fn`, ascending.
std::vector<std::uint32_t> EdgesOfFunction(void (*fn)());

}  // namespace kt::permuter::internal
