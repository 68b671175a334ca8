// PCI Base Address Registers: index <-> config offset, and decoding the sizing protocol.
// Pure logic; depends on vfio/result.h only.
#pragma once

#include <cstdint>

#include "vfio/result.h"

namespace vfio {

enum class BarKind : std::uint8_t { kIo, kMem32, kMem64 };

// What the sizing protocol tells of one BAR. size is a power of two (>= 4 for I/O, >= 16 for
// memory); a 64-bit BAR occupies its slot and the next.
struct BarInfo {
  BarKind kind = BarKind::kMem32;
  bool prefetchable = false;
  std::uint64_t size = 0;

  friend bool operator==(const BarInfo&, const BarInfo&) = default;
};

}  // namespace vfio
