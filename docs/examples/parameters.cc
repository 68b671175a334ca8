// The kernels of docs/writing-kernels.md that show the parameter kinds, KT_OBSERVE and
// KT_CHECK. The runner's kernel API and the parking meter only.
#include <cstdint>

#include "docs/examples/parking.h"
#include "runner/kernel.h"

namespace parking {

// [START quote_all]
// An enum, a strong integer with a range, a flag set and a bool: the permuter combines
// every Zone, the seeds of `stay`, every Extra, none, all and each pair, and both weekends.
kt::result<Price> QuoteAllKernel(Zone zone, KT_RANGE(0, 14 * 24 * 60) Minutes stay,
                                 Extra extras, bool weekend) {
  kt::result<Price> price = Quote(zone, stay, extras, weekend);
  if (!price) return price;
  // [START observe]
  // A column of its own in the table, compared by replay like the outcome.
  KT_OBSERVE("hours", (stay.value() + 59) / 60);
  // [END observe]
  // [START check]
  // An invariant. If it fails, generation stops with a finding and a reproducer; it never
  // becomes an expected outcome.
  KT_CHECK(price.value().cents == 0 || stay.value() > kFreeMinutes);
  // [END check]
  return price;
}
KT_KERNEL("parking.quote_all", QuoteAllKernel);
// [END quote_all]

// [START payment_kernel]
// Two KT_FLAGS parameters: each takes none, every enumerator (kAny too), and every pair.
kt::result<Payment> PaymentKernel(Payment accepted, Payment offered) {
  return ChoosePayment(accepted, offered);
}
KT_KERNEL("parking.payment", PaymentKernel);
// [END payment_kernel]

// [START plain_return]
// A plain return type is recorded as ok(value), void as ok().
bool IsFreeKernel(Zone zone, KT_RANGE(0, 60) std::uint32_t minutes, Extra extras) {
  const kt::result<Price> price = Quote(zone, Minutes(minutes), extras, /*weekend=*/false);
  return price && price.value().cents == 0;
}
KT_KERNEL("parking.is_free", IsFreeKernel);
// [END plain_return]

}  // namespace parking
