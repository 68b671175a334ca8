// A fixture binary with two kernels of one name, which replay_main must refuse at startup. Depends
// on runner/kernel.h only.
#include "runner/kernel.h"

namespace replay_fixture {

int One() { return 1; }
KT_KERNEL("fixture.twice", One);

int Two() { return 2; }
KT_KERNEL("fixture.twice", Two);

}  // namespace replay_fixture
