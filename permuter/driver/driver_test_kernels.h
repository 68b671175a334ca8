// Kernels of known shape for the driver's end-to-end tests: a magic-constant branch over an
// enum, an error outcome, and an invariant that fails at one value. Compiled instrumented,
// registered by the tests in registries of their own. runner/kernel.h only.
#pragma once

#include <cstdint>

#include "runner/kernel.h"

namespace kt::driver::testing {

enum class Shade : std::uint8_t { kLight = 0, kDark = 1 };

// 42 is the magic value: only a dark 42 reaches the last branch.
int Classify(KT_RANGE(-50, 50) int x, Shade shade);

// error(generic:EDOM) when b is 0.
kt::result<int> Divide(KT_RANGE(0, 9) int a, KT_RANGE(0, 3) int b);

// A failed KT_CHECK at exactly x == 77: a finding.
int CheckNot77(KT_RANGE(0, 100) int x);

// 100 + x in the first execution of a process, x after it: a function-local static's
// initialiser (an error category's, say) runs once per process, so what it does is seen
// only by a worker's first execution.
int OncePerProcess(KT_RANGE(0, 3) int x);

}  // namespace kt::driver::testing
