// The driver tests' kernels, instrumented at -O0 (see CMakeLists.txt) so every branch is an
// edge as written. runner/kernel.h only.
#include "permuter/driver/driver_test_kernels.h"

#include <system_error>

namespace kt::driver::testing {

int Classify(int x, Shade shade) {
  if (x < 0) return -1;
  if (x == 0) return 0;
  if (shade == Shade::kDark && x == 42) return 42;
  return 1;
}

kt::result<int> Divide(int a, int b) {
  if (b == 0) return std::make_error_code(std::errc::argument_out_of_domain);
  KT_OBSERVE("remainder", a % b);
  return a / b;
}

int CheckNot77(int x) {
  KT_CHECK(x != 77);
  return x;
}

int OncePerProcess(int x) {
  static bool first_execution = true;
  if (first_execution) {
    first_execution = false;
    return 100 + x;
  }
  return x;
}

}  // namespace kt::driver::testing
