// Shared guest and device models of the VFIO kernels. Depends on the vfio BAR, allocator,
// config-space and capability headers and runner/kernel.h only.
#include "kernels/internal/device_model.h"

#include <memory>
#include <utility>
#include <vector>

#include "runner/kernel.h"
#include "vfio/capabilities.h"

namespace vfio_kernels::internal {
namespace {

vfio::GpaRange Window(std::uint64_t start, std::uint64_t size) {
  const auto window = vfio::GpaRange::Make(vfio::Gpa(start), size);
  KT_CHECK(window.has_value());
  return window.value();
}


}  // namespace

vfio::BarInfo BarInfoOf(BarType type, std::uint64_t size) {
  switch (type) {
    case BarType::kIo: return {vfio::BarKind::kIo, false, size};
    case BarType::kMem32: return {vfio::BarKind::kMem32, false, size};
    case BarType::kMem32Pref: return {vfio::BarKind::kMem32, true, size};
    case BarType::kMem64: return {vfio::BarKind::kMem64, false, size};
    case BarType::kMem64Pref: return {vfio::BarKind::kMem64, true, size};
  }
  return {vfio::BarKind::kMem32, false, size};
}

BarType OtherWindowType(BarType type) {
  return type == BarType::kMem32 || type == BarType::kMem32Pref ? BarType::kIo
                                                                : BarType::kMem32;
}

bool Is32BitBar(const vfio::BarInfo& bar) { return bar.kind != vfio::BarKind::kMem64; }

vfio::BarWindows WindowsOf(BarWindowSet set) {
  // q35-like: I/O above the legacy ports, mmio32 from 3 GiB up to the IOAPIC, mmio64 at
  // 256 GiB (inside a 39-bit IOMMU's reach).
  vfio::BarWindows w{Window(0xc000, 0x4000), Window(0xc000'0000, 0x3ec0'0000),
                     Window(0x40'0000'0000, 0x40'0000'0000), std::nullopt};
  switch (set) {
    case BarWindowSet::kQ35: break;
    case BarWindowSet::kQ35WithPref: w.mmio64_pref = Window(0x80'0000'0000, 0x80'0000'0000); break;
    case BarWindowSet::kTiny:
      w.io = Window(0x1000, 0x100);
      w.mmio32 = Window(0xe000'0000, 0x1'0000);
      w.mmio64 = Window(0x1'0000'0000, 0x10'0000);
      break;
    case BarWindowSet::kUnalignedBase:
      w.io = Window(0xc004, 0x3ffc);
      w.mmio32 = Window(0xc000'1000, 0x3ebf'f000);
      w.mmio64 = Window(0x40'0000'1000, 0x3f'ffff'f000);
      break;
    case BarWindowSet::kTopOfSpace: w.mmio64 = Window(0xffff'ff00'0000'0000, 0x100'0000'0000); break;
    case BarWindowSet::kMmio32Above4GiB: w.mmio32 = Window(0xf000'0000, 0x2000'0000); break;
  }
  return w;
}

const vfio::GpaRange& ExpectedWindow(const vfio::BarWindows& windows, const vfio::BarInfo& bar) {
  switch (bar.kind) {
    case vfio::BarKind::kIo: return windows.io;
    case vfio::BarKind::kMem32: return windows.mmio32;
    case vfio::BarKind::kMem64: break;
  }
  return bar.prefetchable && windows.mmio64_pref ? *windows.mmio64_pref : windows.mmio64;
}

void CheckPlacement(const vfio::BarWindows& windows, const vfio::BarInfo& bar, vfio::Gpa addr) {
  KT_CHECK(vfio::IsPowerOfTwo(bar.size));
  KT_CHECK(addr.value() % bar.size == 0);  // natural alignment
  KT_CHECK(bar.size != k256MiB || (addr.value() & 0x0fff'ffff) == 0);
  if (bar.kind != vfio::BarKind::kIo) KT_CHECK(addr.IsAligned(vfio::BarAllocator::kMmioPageSize));
  const vfio::GpaRange& window = ExpectedWindow(windows, bar);
  KT_CHECK(addr >= window.start() && bar.size - 1 <= window.last().value() - addr.value());
  if (Is32BitBar(bar)) KT_CHECK(bar.size <= k4GiB && addr.value() <= k4GiB - bar.size);
}

SizingReadback ConformingReadback(const vfio::BarInfo& bar) {
  const std::uint64_t mask = vfio::SizeMask(bar.size);
  const std::uint32_t low = static_cast<std::uint32_t>(mask);
  const std::uint32_t pref = bar.prefetchable ? 0x8 : 0x0;
  switch (bar.kind) {
    case vfio::BarKind::kIo: return {(low & vfio::kIoAddressMask) | 0x1, std::nullopt};
    case vfio::BarKind::kMem32: return {(low & vfio::kMemAddressMask) | pref, std::nullopt};
    case vfio::BarKind::kMem64:
      return {(low & vfio::kMemAddressMask) | 0x4 | pref, static_cast<std::uint32_t>(mask >> 32)};
  }
  return {};
}

Device MakeDevice(SpaceKind kind) {
  const vfio::ConfigSpaceSize size = kind == SpaceKind::kExpress
                                         ? vfio::ConfigSpaceSize::kExpress
                                         : vfio::ConfigSpaceSize::kConventional;
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(0xa5 ^ i);
  for (std::uint32_t reg = vfio::kFirstBarOffset; reg <= vfio::kRomOffset; reg += 4) {
    if (reg >= vfio::kFirstBarOffset + 4 * vfio::kNumBars && reg != vfio::kRomOffset) continue;
    for (std::uint32_t b = 0; b < 4; ++b)
      bytes[reg + b] = static_cast<std::uint8_t>(kHostBarValue >> (8 * b));
  }
  auto physical = std::make_unique<vfio::BufferPassthrough>(std::move(bytes));
  const vfio::BufferPassthrough* raw = physical.get();
  Device device{vfio::ConfigSpace(size, std::move(physical)), raw};
  vfio::ConfigSpace& config = device.config;
  config.InitType0Header({.vendor_id = 0x8086, .device_id = 0x10d3, .revision_id = 0,
                          .class_code = 0x02'0000, .subsystem_vendor_id = 0x8086,
                          .subsystem_id = 0, .interrupt_pin = 1});
  const vfio::BarInfo bar{vfio::BarKind::kMem32, false, 0x10'0000};
  KT_CHECK(config.AddBar(kDeviceBar, bar, vfio::Gpa(0xc000'0000)).has_value());
  vfio::CapabilityBuilder caps(config);
  const auto pm = caps.Add(0x01, 8);
  KT_CHECK(pm.has_value() && pm.value() == kDevicePmOffset);
  const auto msix = caps.AddMsix(5, kDeviceBar, 0x0, kDeviceBar, 0x800);
  KT_CHECK(msix.has_value() && msix.value() == kDeviceMsixOffset);
  // Bits 15:8 guest-writable, 23:16 write-1-to-clear, 31:24 the device's own.
  const vfio::FieldInit mixed{.value = 0x1234'5678, .write_mask = 0x0000'ff00,
                              .w1c_mask = 0x00ff'0000, .emulated_mask = 0x00ff'ffff};
  KT_CHECK(config.InitField(0x60, 4, mixed).has_value());
  if (kind == SpaceKind::kExpress) {
    const auto aer = caps.AddExtended(0x0001, 1, 0x48);
    KT_CHECK(aer.has_value() && aer.value() == vfio::kExtendedCapStart);
  }
  return device;
}

}  // namespace vfio_kernels::internal
