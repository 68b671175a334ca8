// The guest and device models several VFIO kernels share: BAR types and guest windows, what
// a conforming BAR reads back when sized, the placement rules every allocated BAR obeys, and
// a passed-through device's config space. Depends on vfio/bar.h, vfio/bar_allocator.h,
// vfio/config_space.h, vfio/capabilities.h and runner/kernel.h only.
#pragma once

#include <cstdint>
#include <optional>

#include "kernels/kernel_params.h"
#include "vfio/address.h"
#include "vfio/bar.h"
#include "vfio/bar_allocator.h"
#include "vfio/config_space.h"

namespace vfio_kernels::internal {

inline constexpr std::uint64_t k4GiB = std::uint64_t{1} << 32;
inline constexpr std::uint64_t k256MiB = std::uint64_t{1} << 28;

vfio::BarInfo BarInfoOf(BarType type, std::uint64_t size);
// A BAR type that never shares a window with `type`: I/O for mem32, mem32 for the others.
BarType OtherWindowType(BarType type);
bool Is32BitBar(const vfio::BarInfo& bar);

// The windows of a set; kMmio32Above4GiB has an mmio32 window whose end passes 4 GiB.
vfio::BarWindows WindowsOf(BarWindowSet set);
// The window a BAR belongs in, chosen apart from BarAllocator: I/O -> io, mem32 -> mmio32,
// prefetchable mem64 -> mmio64_pref when present, other mem64 -> mmio64.
const vfio::GpaRange& ExpectedWindow(const vfio::BarWindows& windows, const vfio::BarInfo& bar);

// KT_CHECKs every rule an allocated BAR obeys: natural alignment (a 256 MiB BAR at
// addr & 0x0fff'ffff == 0), at least page alignment for MMIO, wholly inside its window, and a
// 32-bit BAR ending at or below 4 GiB.
void CheckPlacement(const vfio::BarWindows& windows, const vfio::BarInfo& bar, vfio::Gpa addr);

// The sizing readback of a conforming device BAR (all-ones written): ~(size - 1) in the
// address bits plus the type bits, and the upper dword for a 64-bit BAR.
struct SizingReadback {
  std::uint32_t low = 0;
  std::optional<std::uint32_t> high;
};
SizingReadback ConformingReadback(const vfio::BarInfo& bar);

// What the host's physical BAR registers hold. Bits 1:0 = 10b: no guest read of an emulated
// BAR can produce it (I/O sets bit 0, memory and ROM clear bit 1).
inline constexpr std::uint32_t kHostBarValue = 0xfeb0'0002;

// A passed-through device as the guest sees it: a type-0 header, BAR 3 a 1 MiB mem32 BAR at
// 0xc0000000, power management at 0x40, MSI-X (5 vectors, table and PBA in BAR 3) at 0x48,
// a half-emulated register at 0x60 (write, W1C and passthrough bits) and, in an Express
// space, an AER capability at 0x100. Everything else is passthrough to `physical`, whose
// bytes are 0xa5 ^ offset except the BAR registers (kHostBarValue).
struct Device {
  vfio::ConfigSpace config;
  const vfio::BufferPassthrough* physical = nullptr;  // owned by config
};
inline constexpr unsigned kDeviceBar = 3;
inline constexpr std::uint16_t kDeviceMsixOffset = 0x48;
inline constexpr std::uint16_t kDevicePmOffset = 0x40;
Device MakeDevice(SpaceKind kind);

}  // namespace vfio_kernels::internal
