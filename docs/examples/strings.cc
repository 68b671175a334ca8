// The string and byte kernels of docs/writing-kernels.md. The runner's kernel API and the
// parking meter only.
#include <cstddef>
#include <span>
#include <string_view>

#include "docs/examples/parking.h"
#include "runner/kernel.h"

namespace parking {

// [START plate]
// KT_BYTES bounds the length generation tries; replay takes any string a row holds.
kt::result<std::size_t> PlateKernel(KT_BYTES(8) std::string_view plate) {
  return CheckPlate(plate);
}
KT_KERNEL("parking.plate", PlateKernel);
// [END plate]

// [START plate_bytes]
// Raw bytes: tables write them as x"4142".
kt::result<std::size_t> PlateBytesKernel(KT_BYTES(8) std::span<const std::byte> raw) {
  return CheckPlate(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}
KT_KERNEL("parking.plate_bytes", PlateBytesKernel);
// [END plate_bytes]

}  // namespace parking
