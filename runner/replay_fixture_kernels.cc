// Kernels of the replay fixture binary that replay_main_test runs end to end: linked with
// runner/replay_main.cc exactly as a suite's <suite>_replay binary is. Depends on runner/kernel.h
// only.
#include <signal.h>

#include "runner/kernel.h"

namespace replay_fixture {

kt::result<int> Add(std::int32_t a, std::int32_t b) {
  KT_OBSERVE("even", (a + b) % 2 == 0);
  if (a < 0) return std::make_error_code(std::errc::invalid_argument);
  return a + b;
}
KT_KERNEL("fixture.add", Add);

int Crash(bool crash) {
  if (crash) ::raise(SIGSEGV);
  return 0;
}
KT_KERNEL("fixture.crash", Crash);

}  // namespace replay_fixture
