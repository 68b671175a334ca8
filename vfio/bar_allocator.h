// Guest addresses for PCI BARs: natural alignment, 32-bit BARs below 4 GiB, 64-bit BARs in
// the high window. Depends on vfio/address.h, vfio/address_allocator.h and vfio/bar.h only.
#pragma once

#include <cstdint>
#include <optional>

#include "vfio/address.h"
#include "vfio/address_allocator.h"
#include "vfio/bar.h"
#include "vfio/result.h"

namespace vfio {

// The guest ranges BARs are placed in. io and mmio32 must end at or below 4 GiB (their BAR
// registers are 32 bits wide); 64-bit prefetchable BARs use mmio64_pref when it is present and
// mmio64 otherwise.
struct BarWindows {
  GpaRange io;
  GpaRange mmio32;
  GpaRange mmio64;
  std::optional<GpaRange> mmio64_pref;
};

// Places BARs in their windows. A BAR of size S lands at a multiple of S, and an MMIO BAR at
// least on a page boundary, since the VMM maps and traps BARs at page granularity (Cloud
// Hypervisor, Firecracker). Within one window each allocation lies above every live one
// (Fit::kAboveHighest), so successive addresses increase and, with page-aligned starts, no two
// MMIO BARs ever share a page. Allocate in descending size order (as crosvm does) to avoid
// alignment holes. No fallback from the high window to mmio32. Thread-compatible.
//
// Example usage:
//   VFIO_TRY(bars, BarAllocator::Create({.io = io, .mmio32 = low, .mmio64 = high}));
//   VFIO_TRY(vram, bars.Allocate({BarKind::kMem64, /*prefetchable=*/true, 256 << 20}));
//   // vram.value() & 0x0fff'ffff == 0: a 256 MiB BAR sits on a 256 MiB boundary.
class BarAllocator {
 public:
  // The minimum alignment of an MMIO BAR: one 4 KiB host page.
  static constexpr std::uint64_t kMmioPageSize = 4096;
  static constexpr std::uint64_t k4GiB = std::uint64_t{1} << 32;

  // kWindowAbove4GiB when io or mmio32 ends above 4 GiB.
  static Result<BarAllocator> Create(const BarWindows& windows);

  // The BAR's guest address: kZeroSize, kSizeNotPowerOfTwo, or kOutOfSpace.
  Result<Gpa> Allocate(const BarInfo& bar);
  // Releases the BAR allocated at addr in the window this BarInfo selects, which must have
  // exactly this size: kZeroSize, kSizeNotPowerOfTwo, kNotAllocated or kSizeMismatch.
  Result<void> Free(Gpa addr, const BarInfo& bar);

  const BarWindows& windows() const noexcept { return windows_; }
  // The window's allocator a BAR with this BarInfo uses (for inspection).
  const AddressAllocator& PoolFor(const BarInfo& bar) const noexcept;

 private:
  BarAllocator(const BarWindows& windows, AddressAllocator io, AddressAllocator mmio32,
               AddressAllocator mmio64, std::optional<AddressAllocator> mmio64_pref);

  AddressAllocator& MutablePoolFor(const BarInfo& bar) noexcept;

  BarWindows windows_;
  AddressAllocator io_;
  AddressAllocator mmio32_;
  AddressAllocator mmio64_;
  std::optional<AddressAllocator> mmio64_pref_;
};

// The alignment of a BAR: its size, raised to kMmioPageSize for MMIO. kZeroSize or
// kSizeNotPowerOfTwo for a size no BAR can have.
Result<std::uint64_t> BarAlignment(const BarInfo& bar);

}  // namespace vfio
