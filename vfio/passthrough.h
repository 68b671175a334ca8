// The cross-module layer a VMM uses to hand one vfio-pci function to a guest: bring-up from
// the VFIO objects, the guest's config space, MMIO and MSI-X, and guest RAM for DMA. Built from
// the vfio/ modules only; never makes a syscall itself (the kernel is a vfio::Backend).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <system_error>
#include <type_traits>
#include <vector>

#include "vfio/address.h"
#include "vfio/bar.h"
#include "vfio/bar_allocator.h"
#include "vfio/capabilities.h"
#include "vfio/config_space.h"
#include "vfio/dma_map.h"
#include "vfio/msix.h"
#include "vfio/msix_vectors.h"
#include "vfio/pci_address.h"
#include "vfio/result.h"
#include "vfio/vfio_device.h"

namespace vfio {

// What the modules' own errors do not already say (those pass through unchanged: a BAR that
// decodes badly is a vfio.bar error, a bad MSI-X table access a vfio.msix one, and so on).
enum class PassthroughError {
  kConfigRegionTooSmall = 1,  // the config region is below 256 bytes: no type-0 header
  kBarSizeMismatch,           // the sizing protocol and GET_REGION_INFO disagree on a BAR
  kMsixInIoBar,               // the MSI-X table or PBA lives in an I/O BAR
  kMsixVectorsUnsupported,    // the kernel's MSI-X IRQ count is below the capability's N
  kGsiOverflow,               // gsi_base + N - 1 passes 2^32 - 1
  kBadAccessSize,             // an MMIO access of other than 1, 2, 4 or 8 naturally aligned bytes
  kNoBarAtAddress,            // no memory BAR decodes the address (or memory decode is off)
  kRegionNotAccessible,       // the BAR's region does not allow the read (or the write)
  kRegionIo,                  // pread/pwrite on the BAR's region failed
  kRamOverlapsBarWindow,      // GuestMemory: RAM that meets a BAR window
};
const char* ToString(PassthroughError e) noexcept;
const std::error_category& PassthroughCategory() noexcept;
std::error_code make_error_code(PassthroughError e) noexcept;

// One BAR as the bring-up placed it: what sizing found, the guest address BarAllocator gave
// it, the window it was placed in (a guest address outside it does not decode, as a BAR
// outside its host bridge's aperture), and the device region behind it.
struct PlacedBar {
  unsigned index = 0;  // 0..5, or kRomIndex
  BarInfo info;
  Gpa address;
  GpaRange window;
  RegionInfo region;
};

// An MSI the VMM must inject into the guest (KVM_SIGNAL_MSI, or its own interrupt controller).
struct MsiDelivery {
  std::uint32_t vector = 0;
  MsiMessage message;

  friend bool operator==(const MsiDelivery&, const MsiDelivery&) = default;
};

struct PassthroughOptions {
  // MSI-X vector v is routed through GSI gsi_base + v.
  std::uint32_t gsi_base = 0;
};

namespace internal {
class PassthroughMsix;
class BarReservation;
}  // namespace internal

// One vfio-pci function passed through to one guest.
//
// Bring-up (Open) attaches the device's group to the container, sizes every BAR through the
// config region (all-ones, read back, restore: DecodeBar) and checks each size against the
// kernel's region info, places the BARs with the caller's BarAllocator (largest first, natural
// alignment), and builds the guest's ConfigSpace: shadow BARs holding the guest addresses and
// everything else passed through to the device's config region, except the MSI-X capability,
// whose Message Control the VMM emulates. The MSI-X table and PBA named by that capability
// are emulated in MsixState; guest MMIO to the rest of a BAR reaches the device region.
//
// Interrupts: guest table and Message Control writes become SET_IRQS calls (MSI-X is enabled in
// the kernel with every vector unbound when the guest enables it, and a vector gets its eventfd
// when it first becomes deliverable) and MsixVectors routes with GSI gsi_base + vector.
// PollInterrupts turns eventfd signals into deliveries (TakeInterrupts) or, for a masked
// vector, pending bits, which an unmask delivers.
//
// Every guest access is checked: a bad offset, size or address is an error that changes
// nothing, never a crash. A kernel failure while applying an MSI-X change reverts the guest-
// visible change (best effort) and returns the error.
//
// Thread-compatible. Move-only. The Backend and the BarAllocator must outlive the device; its
// BARs go back to the allocator when it is destroyed.
//
// Example usage:
//   VFIO_TRY(bars, vfio::BarAllocator::Create(windows));
//   VFIO_TRY(nic, vfio::PassthroughDevice::Open(backend, container, 7, bdf, bars));
//   VFIO_TRY(nic.WriteConfig(0x04, 2, 0x0002));           // guest: memory decode on
//   VFIO_TRY(nic.WriteMmio(table + 0xc, 4, 0));            // guest: unmask vector 0
//   VFIO_TRY(fired, nic.PollInterrupts());
//   for (const vfio::MsiDelivery& d : nic.TakeInterrupts()) Inject(d.message);
class PassthroughDevice {
 public:
  // Opens group `group_id`, attaches it to `container` (and sets the type1 v2 IOMMU when the
  // container has none yet), opens `bdf` and brings it up as described above. Errors are the
  // modules' (vfio.linux, vfio.bar, vfio.alloc, vfio.config, vfio.capabilities, vfio.msix) or
  // PassthroughError; a failed bring-up returns every BAR it placed.
  static Result<PassthroughDevice> Open(Backend& backend, Container& container,
                                        unsigned group_id, const Bdf& bdf, BarAllocator& bars,
                                        const PassthroughOptions& options = PassthroughOptions());

  PassthroughDevice(PassthroughDevice&&) noexcept;
  PassthroughDevice& operator=(PassthroughDevice&&) noexcept;
  ~PassthroughDevice();

  // Guest config cycles: 1, 2 or 4 bytes, naturally aligned, inside the space (ConfigError
  // otherwise). A write to MSI-X Message Control acts on MsixState and the kernel.
  Result<std::uint32_t> ReadConfig(std::uint32_t offset, std::uint32_t len) const;
  Result<void> WriteConfig(std::uint32_t offset, std::uint32_t len, std::uint32_t value);

  // Guest MMIO at a guest physical address: 1, 2, 4 or 8 bytes, naturally aligned, inside one
  // memory BAR that decodes (Command memory bit set, its guest address inside its window; the
  // ROM also needs its enable bit). The MSI-X table and PBA are emulated; the rest of the BAR
  // is the device region. Values are little-endian.
  Result<std::uint64_t> ReadMmio(Gpa address, std::uint32_t size) const;
  Result<void> WriteMmio(Gpa address, std::uint32_t size, std::uint64_t value);

  // Reads every bound MSI-X eventfd; a signalled vector is delivered (see TakeInterrupts) when
  // deliverable and made pending otherwise. Returns how many vectors had fired; 0 without
  // MSI-X.
  Result<std::uint32_t> PollInterrupts();
  // The MSIs to inject, oldest first, and forgets them. Fires of one vector not yet taken
  // coalesce into one delivery carrying its latest message, as an edge-triggered MSI does; so
  // at most one per vector is held.
  std::vector<MsiDelivery> TakeInterrupts();

  // Every BAR the bring-up placed, by index.
  const std::vector<PlacedBar>& bars() const noexcept { return bars_; }
  // The address the guest has programmed into BAR `index` (ConfigError::kInvalidBarIndex above
  // 6, kNoBar for a slot without a BAR).
  Result<Gpa> BarAddress(unsigned index) const { return config_.BarAddress(index); }

  const ConfigSpace& config() const noexcept { return config_; }
  // nullopt / nullptr when the device has no MSI-X capability.
  const std::optional<MsixCapability>& msix_capability() const noexcept { return msix_cap_; }
  const MsixState* msix() const noexcept;
  const MsixVectors* msix_vectors() const noexcept;

  Device& device() noexcept { return *device_; }
  const Device& device() const noexcept { return *device_; }

 private:
  struct Hit;

  PassthroughDevice(Backend& backend, Group group, std::unique_ptr<Device> device,
                    ConfigSpaceSize size);

  Result<void> BringUp(BarAllocator& allocator, const PassthroughOptions& options);
  Result<void> SetUpMsix(const PassthroughOptions& options);
  bool TouchesMsixControl(std::uint32_t offset, std::uint32_t len) const noexcept;
  void SyncMsixControl();
  // The BAR that decodes [address, address + size), and the offset inside it.
  Result<Hit> Decode(Gpa address, std::uint32_t size) const;
  bool Decodes(const PlacedBar& bar) const;
  bool InMsixStructure(const Hit& hit, std::uint32_t size) const noexcept;

  // Declaration order is destruction order in reverse: the config space and the MSI-X state
  // use the device, and the device fd must close before its group's.
  Backend* backend_;
  Group group_;
  std::unique_ptr<Device> device_;
  std::unique_ptr<internal::BarReservation> reservation_;
  std::vector<PlacedBar> bars_;
  ConfigSpace config_;
  std::optional<MsixCapability> msix_cap_;
  std::unique_ptr<internal::PassthroughMsix> msix_;
};

// Guest RAM a passed-through device may DMA to: each region is mapped in the container at
// IOVA = mapping(GPA). RAM that meets one of the memory BAR windows is refused, so RAM
// mappings and BARs never claim the same guest address (the I/O window is port space, not
// memory, and is not reserved). Thread-compatible. The Container must outlive it.
//
// Example usage:
//   vfio::GuestMemory ram(container, windows);
//   VFIO_TRY(ram.Map(vfio::Gpa(0), hva, 512 << 20));  // IOVA 0 -> the guest's first 512 MiB
class GuestMemory {
 public:
  struct Region {
    Gpa gpa;
    Hva hva;
    std::uint64_t size = 0;
    Perm perm = Perm::kReadWrite;

    friend bool operator==(const Region&, const Region&) = default;
  };

  GuestMemory(Container& container, const BarWindows& windows,
              GpaIovaMapping mapping = GpaIovaMapping::Identity());

  // Errors in this order: vfio.address kZeroSize or kOverflow for the GPA range,
  // kRamOverlapsBarWindow, vfio.address for the IOVA conversion, then Container::MapDma's
  // (alignment, overlap with other RAM, IOVA window, entry limit, the kernel).
  Result<void> Map(Gpa gpa, Hva hva, std::uint64_t size, Perm perm = Perm::kReadWrite);
  // Unmaps every region inside [gpa, gpa + size); returns the bytes removed (0 is not an
  // error). DmaError::kPartialUnmap when the range cuts a region.
  Result<std::uint64_t> Unmap(Gpa gpa, std::uint64_t size);

  // Every mapped region, by GPA.
  std::vector<Region> regions() const;
  // The guest ranges RAM may not meet.
  const std::vector<GpaRange>& reserved() const noexcept { return reserved_; }
  const GpaIovaMapping& mapping() const noexcept { return mapping_; }

 private:
  Container* container_;
  std::vector<GpaRange> reserved_;
  GpaIovaMapping mapping_;
  std::map<std::uint64_t, Region> regions_;  // by GPA
};

}  // namespace vfio

template <>
struct std::is_error_code_enum<vfio::PassthroughError> : std::true_type {};
