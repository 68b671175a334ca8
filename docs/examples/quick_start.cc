// The first kernel of docs/quick-start.md. The runner's kernel API and the parking meter
// only.
// [START first_kernel]
#include <cstdint>

#include "docs/examples/parking.h"
#include "runner/kernel.h"

namespace parking {

// The permuter tries every Zone, and for `minutes` values inside KT_RANGE: its ends, powers
// of two, and the constants Quote compares the stay with (kFreeMinutes, a day), each +-1.
kt::result<Price> QuoteKernel(Zone zone, KT_RANGE(0, 2000) std::uint32_t minutes) {
  return Quote(zone, Minutes(minutes), Extra::kNone, /*weekend=*/false);
}
KT_KERNEL("parking.quote", QuoteKernel);

}  // namespace parking
// [END first_kernel]
