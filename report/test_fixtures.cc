// Instrumented fixtures of known control flow (report/test_fixtures.h). <cstdlib> only.
#include "report/test_fixtures.h"

#include <cstdlib>

namespace kt::report::fixtures {

int Leaf(int x) { return x + 1; }  // marker: leaf

int Diamond(bool take_then) {
  int result;
  if (take_then) {
    result = 1;  // marker: diamond-then
  } else {
    result = 2;  // marker: diamond-else
  }
  return result;
}

int DiamondKernel(bool a, bool b) {
  int sum = Diamond(a);
  if (b) {
    sum += Leaf(1);  // marker: kernel-leaf-call
  }
  return sum;
}

void Tick() {}

void TickTimes(std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; ++i) Tick();
}

int Checked(int x) {
  if (x < 0) std::abort();  // marker: checked-abort
  return x;
}

int Validate(int x) {
  if (x < 0) {
    return make_error_code(FixtureError::kNegative).code;  // marker: validate-error
  }
  return 0;
}

void SpinWhen(bool spin) {
  if (spin) {
    for (;;) Tick();  // marker: spin
  }
}

int Dead(int x) {
  if (x > 0) goto done;
  x = -x;
  goto done;
// Nothing jumps here, so clang keeps a block without predecessors: the unreachable path.
never: __attribute__((unused));
  x = 7;  // marker: dead
done:
  return x;
}

int Twice(int x) { return 2 * x; }  // marker: twice

int Dispatch(int (*fn)(int), int x) { return fn(x); }

int IndirectKernel(bool twice) { return Dispatch(twice ? &Twice : &Leaf, 3); }

}  // namespace kt::report::fixtures
