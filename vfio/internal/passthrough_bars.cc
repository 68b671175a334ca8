// BAR sizing through a vfio-pci config region and reversible placement. Talks to the kernel
// only through vfio::Device; depends on vfio/bar.h and vfio/bar_allocator.h.
#include "vfio/internal/passthrough_bars.h"

#include <optional>

#include "vfio/passthrough.h"

namespace vfio::internal {
namespace {

// Writes `probe` to the dword at `offset`, reads it back and restores the original. The
// restore runs even when the readback failed, so a half-done probe never leaves all-ones in
// the register; its own error only surfaces when the probe itself went through.
Result<std::uint32_t> Probe(Device& device, std::uint32_t offset, std::uint32_t probe) {
  VFIO_TRY(original, device.ReadConfig(offset, 4));
  VFIO_TRY(device.WriteConfig(offset, 4, probe));
  Result<std::uint32_t> readback = device.ReadConfig(offset, 4);
  Result<void> restored = device.WriteConfig(offset, 4, original);
  if (!readback) return readback.error();
  if (!restored) return restored.error();
  return readback.value();
}

// The decoded BAR at `index` (0..5), or nullopt when it is not implemented.
Result<std::optional<BarInfo>> SizeBar(Device& device, unsigned index) {
  VFIO_TRY(offset, BarOffset(index));
  VFIO_TRY(probe_lo, Probe(device, offset, 0xffff'ffff));
  std::optional<std::uint32_t> probe_hi;
  // In slot 5 there is no upper register to probe; DecodeBar reports kMem64InLastSlot.
  if (IsMem64(probe_lo) && index + 1 < kNumBars) {
    VFIO_TRY(hi, Probe(device, offset + 4, 0xffff'ffff));
    probe_hi = hi;
  }
  Result<BarInfo> info = DecodeBar(index, probe_lo, probe_hi);
  if (!info) {
    if (info.error() == BarError::kNotImplemented) return std::optional<BarInfo>();
    return info.error();
  }
  return std::optional<BarInfo>(info.value());
}

Result<std::optional<BarInfo>> SizeRom(Device& device) {
  VFIO_TRY(probe, Probe(device, kRomOffset, kRomAddressMask));
  Result<BarInfo> info = DecodeRomBar(probe);
  if (!info) {
    if (info.error() == BarError::kNotImplemented) return std::optional<BarInfo>();
    return info.error();
  }
  return std::optional<BarInfo>(info.value());
}

// The region must describe the BAR exactly: the VMM reaches the BAR through it, so a guest BAR
// larger than the region would expose bytes the kernel refuses, and a smaller one would hide
// part of the device.
Result<std::optional<SizedBar>> CheckAgainstRegion(const Device& device, unsigned index,
                                                   const std::optional<BarInfo>& info) {
  VFIO_TRY(region, device.GetRegionInfo(index));
  const std::uint64_t sized = info ? info->size : 0;
  if (region.size != sized) return make_error_code(PassthroughError::kBarSizeMismatch);
  if (!info) return std::optional<SizedBar>();
  // MMIO adds an offset below size to the region's offset: it must not wrap.
  if (region.offset > UINT64_MAX - region.size) return make_error_code(VfioError::kCorruptInfo);
  return std::optional<SizedBar>(SizedBar{index, *info, std::move(region)});
}

}  // namespace

Result<std::vector<SizedBar>> SizeBars(Device& device) {
  std::vector<SizedBar> bars;
  for (unsigned index = 0; index < kNumBars; ++index) {
    VFIO_TRY(info, SizeBar(device, index));
    VFIO_TRY(sized, CheckAgainstRegion(device, index, info));
    if (!sized) continue;
    bars.push_back(std::move(*sized));
    if (bars.back().info.kind == BarKind::kMem64) ++index;  // its upper half
  }
  VFIO_TRY(rom, SizeRom(device));
  VFIO_TRY(sized_rom, CheckAgainstRegion(device, kRomIndex, rom));
  if (sized_rom) bars.push_back(std::move(*sized_rom));
  return bars;
}

BarReservation::~BarReservation() {
  // Nothing to do about a failed Free: the allocation was made here with this exact BarInfo.
  for (const auto& [address, info] : placed_) (void)allocator_->Free(address, info);
}

Result<Gpa> BarReservation::Place(const BarInfo& info) {
  VFIO_TRY(address, allocator_->Allocate(info));
  placed_.emplace_back(address, info);
  return address;
}

}  // namespace vfio::internal
