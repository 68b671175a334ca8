// The finding of docs/writing-kernels.md: a kernel whose invariant is wrong. It is compiled
// with the others but in no suite, since generating it fails by design. The runner's kernel
// API and the parking meter only.
#include <cstdint>

#include "docs/examples/parking.h"
#include "runner/kernel.h"

namespace parking {

// [START finding]
// "A badge always parks for free": true in the centre and the suburbs, not at the airport.
kt::result<Price> BadgeKernel(Zone zone, KT_RANGE(0, 2000) std::uint32_t minutes) {
  kt::result<Price> price = Quote(zone, Minutes(minutes), Extra::kBadge, /*weekend=*/false);
  KT_CHECK(!price || price.value().cents == 0);
  return price;
}
KT_KERNEL("parking.badge", BadgeKernel);
// [END finding]

}  // namespace parking
