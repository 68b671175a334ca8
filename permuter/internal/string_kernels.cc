// The string and bytes test kernels. Instrumented; each a single function (no helpers of its
// own) so its edges are exactly the guards of that function.
#include "permuter/internal/string_kernels.h"

namespace kt::permuter::text {

int DriverName(std::string_view name) {
  if (name == "vfio-pci") return 2;
  if (name.starts_with("vfio")) return 1;
  return 0;
}

int Length(std::span<const std::byte> data) {
  if (data.empty()) return -1;
  if (data.size() < 16) return 1;
  if (data.size() <= 40) return 2;
  return 3;
}

int EnumBytes(Op op, std::span<const std::byte> data) {
  switch (op) {
    case Op::kRead: return 0;
    case Op::kWrite:
      if (data.size() < 2) return -1;
      if (data[0] != std::byte{0x7f}) return -2;
      if (static_cast<unsigned>(data[1]) > 0xf0) return 2;
      return 1;
    default:  // kReset; a case label would leave an unreachable edge after the switch
      if (!data.empty()) return -3;
      return 3;
  }
}

int CrashOnPrefix(std::string_view name) {
  if (name.starts_with("boom")) {
    volatile int* null = nullptr;
    *null = 1;
  }
  return 0;
}

}  // namespace kt::permuter::text
