// Kernels across vfio modules: a device BAR from sizing to allocation to the guest's own
// sizing, guest RAM and BAR windows in one IOMMU, many MSI-X vectors at once, and the DMA
// tracker in step with a (fake) kernel. Depends on the vfio libraries (never
// vfio/passthrough.h), the kernels' models and the runner's kernel API.
#include <cerrno>
#include <cstdint>
#include <optional>
#include <vector>

#include "kernels/internal/device_model.h"
#include "kernels/internal/dma_invariants.h"
#include "kernels/internal/msix_model.h"
#include "kernels/kernel_params.h"
#include "kernels/kernel_types.h"
#include "runner/kernel.h"
#include "vfio/address.h"
#include "vfio/bar.h"
#include "vfio/bar_allocator.h"
#include "vfio/config_space.h"
#include "vfio/dma_map.h"
#include "vfio/fake_kernel.h"
#include "vfio/vfio_device.h"

namespace vfio_kernels {
namespace {

using internal::CheckTracker;
using internal::StatsOf;

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
constexpr std::uint64_t kRamHva = 0x7f00'0000'0000;
constexpr std::uint64_t kBarHva = 0x7e00'0000'0000;

vfio::IovaRange IovaWindow(std::uint64_t first, std::uint64_t last) {
  const auto window = vfio::IovaRange::FromInclusive(vfio::Iova(first), vfio::Iova(last));
  KT_CHECK(window.has_value());
  return window.value();
}

vfio::GpaRange GpaWindow(std::uint64_t start, std::uint64_t size) {
  const auto window = vfio::GpaRange::Make(vfio::Gpa(start), size);
  KT_CHECK(window.has_value());
  return window.value();
}

// One step on the container; the fake kernel's failures are armed only when the tracker
// would pass the request on, so they hit the request they are meant for.
void Step(vfio::FakeKernel& kernel, vfio::Container& container, ContainerOp op,
          const char* name) {
  constexpr std::uint64_t kMiB = 0x10'0000;
  const auto map = [&](std::uint64_t iova, std::uint64_t size) {
    KT_OBSERVE(name, container.MapDma(vfio::Iova(iova), vfio::Hva(kRamHva + iova), size,
                                      vfio::Perm::kReadWrite));
  };
  const auto unmap = [&](std::uint64_t iova, std::uint64_t size) {
    const auto removed = container.UnmapDma(vfio::Iova(iova), size);
    KT_OBSERVE(name, removed ? kt::result<kt::Hex>(kt::Hex(removed.value()))
                             : kt::result<kt::Hex>(removed.error()));
  };
  switch (op) {
    case ContainerOp::kMapRam: return map(kMiB, kMiB);
    case ContainerOp::kMapAdjacent: return map(2 * kMiB, kMiB);
    case ContainerOp::kMapOverlap: return map(3 * kMiB / 2, kMiB);
    case ContainerOp::kMapMsiWindow: return map(0xfee0'0000, 0x1000);
    case ContainerOp::kUnmapRam: return unmap(kMiB, kMiB);
    case ContainerOp::kUnmapAll: {
      const auto removed = container.UnmapAllDma();
      KT_OBSERVE(name, removed ? kt::result<kt::Hex>(kt::Hex(removed.value()))
                               : kt::result<kt::Hex>(removed.error()));
      return;
    }
    case ContainerOp::kMapKernelRefuses: {
      const vfio::Iova iova(4 * kMiB);
      const vfio::Hva hva(kRamHva + iova.value());
      if (container.tracker().CheckMap(iova, hva, kMiB, vfio::Perm::kReadWrite)) {
        kernel.FailNextIoctl(VFIO_IOMMU_MAP_DMA, ENOMEM);
      }
      return map(iova.value(), kMiB);
    }
    case ContainerOp::kUnmapKernelRefuses:
      if (container.tracker().CheckUnmap(vfio::Iova(kMiB), kMiB)) {
        kernel.FailNextIoctl(VFIO_IOMMU_UNMAP_DMA, EINVAL);
      }
      return unmap(kMiB, kMiB);
  }
}

// The tracker holds exactly the kernel's type1 mappings.
void CheckInStep(const vfio::FakeKernel& kernel, const vfio::Container& container) {
  CheckTracker(container.tracker());
  std::vector<vfio::FakeDmaMapping> tracked;
  for (const vfio::DmaMapping& m : container.tracker().mappings()) {
    tracked.push_back({m.iova.value(), m.hva.value(), m.size, static_cast<std::uint32_t>(m.perm)});
  }
  KT_CHECK(tracked == kernel.dma_mappings(container.fd()));
}

}  // namespace

// A device BAR of 2^size_log2 bytes goes from the physical sizing readback (DecodeBar) to a
// guest address (BarAllocator) to a virtual BAR (ConfigSpace::AddBar). Every placement the
// allocator makes is one the config space accepts, and the guest sizing the virtual BAR
// decodes exactly the device's BAR, at an address aligned to that size.
kt::result<vfio::Gpa> BarSizeAlignment(BarType type, KT_RANGE(0, 40) unsigned size_log2,
                                       KT_RANGE(0, 5) unsigned index, BarWindowSet windows) {
  const vfio::BarInfo device = internal::BarInfoOf(type, std::uint64_t{1} << size_log2);
  const internal::SizingReadback probe = internal::ConformingReadback(device);
  VFIO_TRY(bar, vfio::DecodeBar(index, probe.low, probe.high));
  KT_CHECK(bar.kind == device.kind && bar.prefetchable == device.prefetchable);
  KT_CHECK(bar.size >= device.size);  // raised to the register's smallest size, no more
  const vfio::BarWindows w = internal::WindowsOf(windows);
  VFIO_TRY(bars, vfio::BarAllocator::Create(w));
  VFIO_TRY(addr, bars.Allocate(bar));
  internal::CheckPlacement(w, bar, addr);
  vfio::ConfigSpace config;
  KT_CHECK(config.AddBar(index, bar, addr).has_value());
  const bool mem64 = bar.kind == vfio::BarKind::kMem64;
  const std::uint32_t reg = vfio::kFirstBarOffset + 4 * index;
  KT_CHECK(config.Write(reg, 4, 0xffff'ffff).has_value());
  if (mem64) KT_CHECK(config.Write(reg + 4, 4, 0xffff'ffff).has_value());
  const auto low = config.Read(reg, 4);
  const auto high = mem64 ? config.Read(reg + 4, 4) : vfio::Result<std::uint32_t>(0u);
  KT_CHECK(low.has_value() && high.has_value());
  const auto seen = vfio::DecodeBar(index, low.value(),
                                    mem64 ? std::optional(high.value()) : std::nullopt);
  KT_CHECK(seen.has_value() && seen.value() == bar);
  KT_CHECK(addr.value() % seen.value().size == 0);
  return addr;
}
KT_KERNEL("cross.bar_size_alignment", BarSizeAlignment);

// Guest RAM (below 3 GiB, the rest from 4 GiB) is DMA-mapped at IOVA = GPA; a BAR is
// allocated in the MMIO windows (mmio64 at 32 TiB) and, for peer-to-peer, DMA-mapped at its
// GPA too. RAM always maps; the BAR never lands in RAM and its mapping never conflicts with
// RAM's. A 64-bit BAR beyond a 39-bit IOMMU is refused as outside the IOVA windows. The BAR
// size is in bytes, not a power-of-two exponent, so that the sizes the code compares with
// (256 MiB, 1 GiB, ...) are seeds of the search; the allocator refuses the other sizes.
kt::result<DmaStats> RamAndBars(KT_RANGE(1, 16) std::uint32_t ram_gib, BarType type,
                                KT_RANGE(0x1000, 0x4'0000'0000) std::uint64_t bar_size,
                                IommuWidth width) {
  vfio::DmaMapTracker::Options options;
  const std::uint64_t top = width == IommuWidth::k39Bit ? 0x7f'ffff'ffff : 0xffff'ffff'ffff;
  options.windows = {IovaWindow(0x0, 0xfedf'ffff), IovaWindow(0xfef0'0000, top)};
  vfio::DmaMapTracker dma(options);
  const std::uint64_t ram = ram_gib * kGiB;
  const std::uint64_t low_ram = ram < 3 * kGiB ? ram : 3 * kGiB;
  struct Extent {
    std::uint64_t start;
    std::uint64_t size;
  };
  std::vector<Extent> ram_ranges = {{0, low_ram}};
  if (ram > low_ram) ram_ranges.push_back({internal::k4GiB, ram - low_ram});
  for (const Extent& r : ram_ranges) {
    KT_CHECK(dma.Map(vfio::Iova(r.start), vfio::Hva(kRamHva + r.start), r.size,
                     vfio::Perm::kReadWrite)
                 .has_value());
  }
  const vfio::BarWindows w{GpaWindow(0xc000, 0x4000), GpaWindow(3 * kGiB, 0x3ec0'0000),
                           GpaWindow(0x2000'0000'0000, 0x100'0000'0000), std::nullopt};
  VFIO_TRY(bars, vfio::BarAllocator::Create(w));
  const vfio::BarInfo bar = internal::BarInfoOf(type, bar_size);
  VFIO_TRY(addr, bars.Allocate(bar));
  internal::CheckPlacement(w, bar, addr);
  if (bar.kind == vfio::BarKind::kIo) return StatsOf(dma);  // port I/O is not memory
  for (const Extent& r : ram_ranges) {
    KT_CHECK(!internal::Intersect(r.start, r.size, addr.value(), bar.size));
  }
  const auto mapped = dma.Map(vfio::Iova(addr.value()), vfio::Hva(kBarHva), bar.size,
                              vfio::Perm::kReadWrite);
  CheckTracker(dma);
  if (!mapped) {
    KT_CHECK(mapped.error() != vfio::DmaError::kOverlap);
    return mapped.error();
  }
  return StatsOf(dma);
}
KT_KERNEL("cross.ram_and_bars", RamAndBars);

// `active` vectors of an N-vector function programmed by the guest, configured and enabled
// by the VMM and fired; see internal::DriveVectors for what must hold.
kt::result<CoexistView> MsixCoexist(KT_RANGE(1, 2049) std::uint32_t vectors,
                                    KT_RANGE(0, 2049) std::uint32_t active,
                                    bool mask_function_first) {
  return internal::DriveVectors(vectors, active, mask_function_first);
}
KT_KERNEL("cross.msix_coexist", MsixCoexist);

// Three DMA steps on a VFIO container over the fake kernel (type1 v2, Linux 6.1 rules): maps,
// overlaps, the MSI window, unmaps and kernel refusals. After every step the tracker and the
// kernel hold the same mappings: the tracker checks first and changes only once the kernel
// agreed.
kt::result<DmaStats> ContainerDma(ContainerOp op1, ContainerOp op2, ContainerOp op3) {
  vfio::FakeKernel kernel;
  kernel.AddGroup({.id = 7, .viable = true, .devices = {vfio::FakeDevice::Edu("0000:00:03.0")}});
  VFIO_TRY(container, vfio::Container::Open(kernel));
  VFIO_TRY(group, vfio::Group::Open(kernel, 7));
  VFIO_TRY(group.Attach(container));
  VFIO_TRY(container.SetIommuType1v2());
  const ContainerOp ops[] = {op1, op2, op3};
  const char* const names[] = {"step1", "step2", "step3"};
  for (int i = 0; i < 3; ++i) {
    Step(kernel, container, ops[i], names[i]);
    CheckInStep(kernel, container);
  }
  return StatsOf(container.tracker());
}
KT_KERNEL("cross.container_dma", ContainerDma);

}  // namespace vfio_kernels
