// The workspace kernel of docs/writing-kernels.md. The runner's kernel API and the parking
// meter only.
#include <cstddef>

#include "docs/examples/parking.h"
#include "runner/kernel.h"

namespace parking {

// [START receipt]
// Each row runs in a fresh directory made from one of the templates below; the table
// records the directory afterwards, which replay compares too.
kt::result<std::size_t> ReceiptKernel(Zone zone, bool weekend) {
  const kt::Workspace* ws = kt::CurrentWorkspace();
  KT_CHECK(ws != nullptr);
  const kt::result<Price> price = Quote(zone, Minutes(90), Extra::kNone, weekend);
  if (!price) return price.error();
  // ws->fd() for openat(2); ws->Path("receipts.txt") for path-based calls.
  return AppendReceipt(ws->fd(), price.value());
}
KT_KERNEL("parking.receipt", ReceiptKernel,
          kt::Workspaces{{{"empty", {}},
                          {"one_receipt", {kt::File("receipts.txt", "6.00\n")}}}});
// [END receipt]

}  // namespace parking
