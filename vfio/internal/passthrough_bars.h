// PassthroughDevice's BAR bring-up: sizing through the config region, checked against the
// kernel's region info, and guest placement that is undone on destruction. Depends on
// vfio/vfio_device.h, vfio/bar.h and vfio/bar_allocator.h only; included by passthrough.cc.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "vfio/address.h"
#include "vfio/bar.h"
#include "vfio/bar_allocator.h"
#include "vfio/result.h"
#include "vfio/vfio_device.h"

namespace vfio::internal {

// One implemented BAR: what the sizing protocol decoded and the region behind it.
struct SizedBar {
  unsigned index = 0;  // 0..5, or kRomIndex
  BarInfo info;
  RegionInfo region;
};

// Sizes BARs 0..5 and the expansion ROM through `device`'s config region: read the register,
// write all-ones (the ROM: its address mask, leaving it disabled), read back, restore. A
// 64-bit BAR is sized with its upper slot, which is then skipped. Each result must equal the
// region's size from GET_REGION_INFO (an unimplemented BAR has size 0 on both sides), else
// PassthroughError::kBarSizeMismatch. DecodeBar's errors other than kNotImplemented pass
// through (a 64-bit BAR in slot 5 is BarError::kMem64InLastSlot). Sorted by index.
Result<std::vector<SizedBar>> SizeBars(Device& device);

// Guest addresses taken from a BarAllocator, given back on destruction: a failed bring-up
// and a destroyed device both return their BARs. Move-only; the allocator must outlive it.
class BarReservation {
 public:
  explicit BarReservation(BarAllocator& allocator) noexcept : allocator_(&allocator) {}
  BarReservation(const BarReservation&) = delete;
  BarReservation& operator=(const BarReservation&) = delete;
  ~BarReservation();

  // BarAllocator::Allocate, remembered for the release.
  Result<Gpa> Place(const BarInfo& info);

  const BarAllocator& allocator() const noexcept { return *allocator_; }

 private:
  BarAllocator* allocator_;
  std::vector<std::pair<Gpa, BarInfo>> placed_;
};

}  // namespace vfio::internal
