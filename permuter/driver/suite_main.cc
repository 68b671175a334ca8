// The main of every <suite>_kt binary. kerneltest_add_suite() (cmake/KtSuite.cmake) compiles
// it into each suite with the suite's defaults as KT_SUITE_* definitions. It passes only
// literals on, so this object defines no inline function the instrumented objects also
// define (the linker keeps the first copy it sees). permuter/driver/driver.h only.
#include "permuter/driver/driver.h"

#if !defined(KT_SUITE_NAME) || !defined(KT_SUITE_TABLES_DIR) || !defined(KT_SUITE_SEEDS_DIR) || \
    !defined(KT_SUITE_SOURCE_ROOT) || !defined(KT_SUITE_BUDGET)
#error "suite_main.cc is built by kerneltest_add_suite(), which defines KT_SUITE_*"
#endif

int main(int argc, char** argv) {
  return kt::driver::SuiteMain(argc, argv, KT_SUITE_NAME, KT_SUITE_TABLES_DIR, KT_SUITE_SEEDS_DIR,
                               KT_SUITE_SOURCE_ROOT, KT_SUITE_BUDGET);
}
