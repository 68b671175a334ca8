// PassthroughDevice bring-up, guest config and MMIO routing, and GuestMemory. Talks to the
// kernel only through vfio::Backend and the vfio_device.h objects.
#include "vfio/passthrough.h"

#include <linux/vfio.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <utility>

#include "vfio/internal/passthrough_bars.h"
#include "vfio/internal/passthrough_msix.h"

namespace vfio {

const char* ToString(PassthroughError e) noexcept {
  switch (e) {
    case PassthroughError::kConfigRegionTooSmall: return "config_region_too_small";
    case PassthroughError::kBarSizeMismatch: return "bar_size_mismatch";
    case PassthroughError::kMsixInIoBar: return "msix_in_io_bar";
    case PassthroughError::kMsixVectorsUnsupported: return "msix_vectors_unsupported";
    case PassthroughError::kGsiOverflow: return "gsi_overflow";
    case PassthroughError::kBadAccessSize: return "bad_access_size";
    case PassthroughError::kNoBarAtAddress: return "no_bar_at_address";
    case PassthroughError::kRegionNotAccessible: return "region_not_accessible";
    case PassthroughError::kRegionIo: return "region_io";
    case PassthroughError::kRamOverlapsBarWindow: return "ram_overlaps_bar_window";
  }
  return "unknown";
}

const std::error_category& PassthroughCategory() noexcept {
  static const internal::EnumCategory<PassthroughError> category("vfio.passthrough");
  return category;
}

std::error_code make_error_code(PassthroughError e) noexcept {
  return {static_cast<int>(e), PassthroughCategory()};
}

namespace {

// The guest view's passthrough bytes come from the device's config region. Device checks
// every access against the region again, so a ConfigSpace larger than the region is safe.
class DeviceConfig final : public ConfigPassthrough {
 public:
  explicit DeviceConfig(Device& device) : device_(&device) {}
  Result<std::uint32_t> Read(std::uint32_t offset, std::uint32_t len) const override {
    return device_->ReadConfig(offset, len);
  }
  Result<void> Write(std::uint32_t offset, std::uint32_t len, std::uint32_t value) override {
    return device_->WriteConfig(offset, len, value);
  }

 private:
  Device* device_;
};

Result<ConfigSpaceSize> SpaceSizeOf(const Device& device) {
  const std::uint64_t size = device.config_region().size;
  if (size >= static_cast<std::uint64_t>(ConfigSpaceSize::kExpress))
    return ConfigSpaceSize::kExpress;
  if (size >= static_cast<std::uint64_t>(ConfigSpaceSize::kConventional))
    return ConfigSpaceSize::kConventional;
  return make_error_code(PassthroughError::kConfigRegionTooSmall);
}

// The window BarAllocator placed a BAR of this kind in.
Result<GpaRange> WindowOf(const BarAllocator& allocator, const BarInfo& info) {
  const AddressAllocator& pool = allocator.PoolFor(info);
  return GpaRange::FromInclusive(Gpa(pool.base()), Gpa(pool.last()));
}

bool IsAccessSize(std::uint32_t size) { return size == 1 || size == 2 || size == 4 || size == 8; }

constexpr std::uint32_t kMsixControlOffset = 2;  // from the capability header
constexpr std::uint32_t kMsixTableOffset = 4;
constexpr std::uint32_t kMsixPbaOffset = 8;

}  // namespace

struct PassthroughDevice::Hit {
  const PlacedBar* bar = nullptr;
  std::uint64_t offset = 0;  // inside the BAR
};

PassthroughDevice::PassthroughDevice(Backend& backend, Group group,
                                     std::unique_ptr<Device> device, ConfigSpaceSize size)
    : backend_(&backend),
      group_(std::move(group)),
      device_(std::move(device)),
      config_(size, std::make_unique<DeviceConfig>(*device_)) {}

PassthroughDevice::PassthroughDevice(PassthroughDevice&&) noexcept = default;
PassthroughDevice& PassthroughDevice::operator=(PassthroughDevice&&) noexcept = default;
PassthroughDevice::~PassthroughDevice() = default;

Result<PassthroughDevice> PassthroughDevice::Open(Backend& backend, Container& container,
                                                  unsigned group_id, const Bdf& bdf,
                                                  BarAllocator& bars,
                                                  const PassthroughOptions& options) {
  VFIO_TRY(group, Group::Open(backend, group_id));
  VFIO_TRY(group.Attach(container));
  // The IOMMU can only be set once a group is attached; a second device reuses it.
  if (!container.iommu_set()) {
    VFIO_TRY(container.SetIommuType1v2());
  }
  VFIO_TRY(device, group.OpenDevice(bdf));
  VFIO_TRY(size, SpaceSizeOf(device));
  PassthroughDevice passthrough(backend, std::move(group),
                                std::make_unique<Device>(std::move(device)), size);
  VFIO_TRY(passthrough.BringUp(bars, options));
  return passthrough;
}

Result<void> PassthroughDevice::BringUp(BarAllocator& allocator,
                                        const PassthroughOptions& options) {
  reservation_ = std::make_unique<internal::BarReservation>(allocator);
  VFIO_TRY(sized, internal::SizeBars(*device_));
  // Largest first: with natural alignment that leaves no holes between BARs (crosvm's order).
  // Ties go by index, so placement is deterministic.
  std::sort(sized.begin(), sized.end(), [](const auto& a, const auto& b) {
    return a.info.size != b.info.size ? a.info.size > b.info.size : a.index < b.index;
  });
  for (internal::SizedBar& bar : sized) {
    VFIO_TRY(address, reservation_->Place(bar.info));
    VFIO_TRY(window, WindowOf(allocator, bar.info));
    bars_.push_back({bar.index, bar.info, address, window, std::move(bar.region)});
  }
  std::sort(bars_.begin(), bars_.end(),
            [](const PlacedBar& a, const PlacedBar& b) { return a.index < b.index; });
  for (const PlacedBar& bar : bars_) {
    VFIO_TRY(config_.AddBar(bar.index, bar.info, bar.address));
  }
  return SetUpMsix(options);
}

// The capability as the guest sees it is fixed at bring-up: header, Table and PBA dwords
// read-only and emulated, so no later device change can move the table away from the layout
// MsixState checks accesses against; Message Control is MsixState's own word.
Result<void> PassthroughDevice::SetUpMsix(const PassthroughOptions& options) {
  Result<MsixCapability> found = FindMsixCapability(config_);
  if (!found) {
    if (found.error() == CapabilityError::kNotFound) return success();
    return found.error();
  }
  const MsixCapability& cap = found.value();
  std::array<std::uint64_t, kMsixBarCount> sizes{};
  std::array<bool, kMsixBarCount> io{};
  for (const PlacedBar& bar : bars_) {
    if (bar.index >= kMsixBarCount) continue;
    sizes[bar.index] = bar.info.size;
    io[bar.index] = bar.info.kind == BarKind::kIo;
  }
  VFIO_TRY(msix, internal::PassthroughMsix::Create(*device_, *backend_, cap, sizes, io,
                                                   options.gsi_base));
  VFIO_TRY(header, config_.Read(cap.offset, 2));
  VFIO_TRY(config_.InitField(cap.offset, 2, {.value = header}));
  VFIO_TRY(config_.InitField(cap.offset + kMsixTableOffset, 4,
                             {.value = cap.table_offset | cap.table_bir}));
  VFIO_TRY(config_.InitField(cap.offset + kMsixPbaOffset, 4,
                             {.value = cap.pba_offset | cap.pba_bir}));
  msix_ = std::make_unique<internal::PassthroughMsix>(std::move(msix));
  msix_cap_ = cap;
  SyncMsixControl();
  return success();
}

const MsixState* PassthroughDevice::msix() const noexcept {
  return msix_ ? &msix_->state() : nullptr;
}

const MsixVectors* PassthroughDevice::msix_vectors() const noexcept {
  return msix_ ? &msix_->vectors() : nullptr;
}

Result<std::uint32_t> PassthroughDevice::ReadConfig(std::uint32_t offset,
                                                    std::uint32_t len) const {
  return config_.Read(offset, len);
}

bool PassthroughDevice::TouchesMsixControl(std::uint32_t offset,
                                           std::uint32_t len) const noexcept {
  if (!msix_cap_) return false;
  const std::uint64_t control = std::uint64_t{msix_cap_->offset} + kMsixControlOffset;
  // 64-bit sums: offset is guest-chosen and may be near 2^32.
  return offset < control + 2 && control < std::uint64_t{offset} + len;
}

void PassthroughDevice::SyncMsixControl() {
  // Cannot fail: the capability's registers were read from inside the space at bring-up.
  (void)config_.InitField(msix_cap_->offset + kMsixControlOffset, 2,
                          {.value = msix_->ReadControl(),
                           .write_mask = kMsixControlFunctionMask | kMsixControlEnable});
}

Result<void> PassthroughDevice::WriteConfig(std::uint32_t offset, std::uint32_t len,
                                            std::uint32_t value) {
  if (!TouchesMsixControl(offset, len)) return config_.Write(offset, len, value);
  // The write masks leave the shadow holding the guest's word with only bits 14 and 15 new.
  VFIO_TRY(config_.Write(offset, len, value));
  VFIO_TRY(control, config_.Read(msix_cap_->offset + kMsixControlOffset, 2));
  Result<void> done = msix_->WriteControl(static_cast<std::uint16_t>(control));
  // On failure MsixState went back to the old word; the guest must read that one.
  SyncMsixControl();
  return done;
}

bool PassthroughDevice::Decodes(const PlacedBar& bar) const {
  if (bar.info.kind == BarKind::kIo) return false;  // port space, not MMIO
  return bar.index != kRomIndex || config_.RomEnabled();
}

Result<PassthroughDevice::Hit> PassthroughDevice::Decode(Gpa address, std::uint32_t size) const {
  if (!IsAccessSize(size) || !address.IsAligned(size))
    return make_error_code(PassthroughError::kBadAccessSize);
  // Decode off is the safe reading of a failed Command read too (CVE-2020-12888).
  if (!config_.MemoryDecodeEnabled()) return make_error_code(PassthroughError::kNoBarAtAddress);
  for (const PlacedBar& bar : bars_) {
    if (!Decodes(bar)) continue;
    Result<Gpa> start = config_.BarAddress(bar.index);
    if (!start) continue;
    Result<GpaRange> range = GpaRange::Make(start.value(), bar.info.size);
    // Mid-sizing (all-ones) or moved out of its aperture by the guest: not decoded.
    if (!range || !bar.window.Contains(range.value())) continue;
    if (!range.value().Contains(address)) continue;
    // Never past the BAR's end: the access is aligned to its size (<= 8) and the BAR to its
    // own (>= 16, a power of two), so a BAR that holds the first byte holds them all.
    return Hit{&bar, address.value() - start.value().value()};
  }
  return make_error_code(PassthroughError::kNoBarAtAddress);
}

bool PassthroughDevice::InMsixStructure(const Hit& hit, std::uint32_t size) const noexcept {
  // An access that only partly meets the table goes to MsixState too, which refuses it: the
  // device region must never see a byte of the structures the VMM emulates.
  return msix_ && hit.bar->index < kMsixBarCount &&
         msix_->Claims(hit.bar->index, hit.offset, size);
}

Result<std::uint64_t> PassthroughDevice::ReadMmio(Gpa address, std::uint32_t size) const {
  VFIO_TRY(hit, Decode(address, size));
  if (InMsixStructure(hit, size)) return msix_->ReadBar(hit.bar->index, hit.offset, size);
  const RegionInfo& region = hit.bar->region;
  if (!(region.flags & VFIO_REGION_INFO_FLAG_READ))
    return make_error_code(PassthroughError::kRegionNotAccessible);
  std::array<std::byte, 8> bytes{};
  const std::int64_t n = backend_->Pread(device_->fd(), std::span(bytes.data(), size),
                                         region.offset + hit.offset);
  if (n < 0) return make_error_code(PassthroughError::kRegionIo);
  if (n != size) return make_error_code(VfioError::kShortTransfer);
  // MMIO is little-endian, as PCI is.
  std::uint64_t value = 0;
  for (std::uint32_t i = 0; i < size; ++i)
    value |= std::to_integer<std::uint64_t>(bytes[i]) << (8 * i);
  return value;
}

Result<void> PassthroughDevice::WriteMmio(Gpa address, std::uint32_t size, std::uint64_t value) {
  VFIO_TRY(hit, Decode(address, size));
  if (InMsixStructure(hit, size)) return msix_->WriteBar(hit.bar->index, hit.offset, size, value);
  const RegionInfo& region = hit.bar->region;
  if (!(region.flags & VFIO_REGION_INFO_FLAG_WRITE))
    return make_error_code(PassthroughError::kRegionNotAccessible);
  std::array<std::byte, 8> bytes{};
  for (std::uint32_t i = 0; i < size; ++i) bytes[i] = static_cast<std::byte>(value >> (8 * i));
  const std::int64_t n = backend_->Pwrite(device_->fd(), std::span(bytes.data(), size),
                                          region.offset + hit.offset);
  if (n < 0) return make_error_code(PassthroughError::kRegionIo);
  if (n != size) return make_error_code(VfioError::kShortTransfer);
  return success();
}

Result<std::uint32_t> PassthroughDevice::PollInterrupts() {
  if (!msix_) return 0u;
  return msix_->Poll();
}

std::vector<MsiDelivery> PassthroughDevice::TakeInterrupts() {
  if (!msix_) return {};
  return msix_->TakeDeliveries();
}

GuestMemory::GuestMemory(Container& container, const BarWindows& windows,
                         GpaIovaMapping mapping)
    : container_(&container), reserved_{windows.mmio32, windows.mmio64}, mapping_(mapping) {
  if (windows.mmio64_pref) reserved_.push_back(*windows.mmio64_pref);
}

Result<void> GuestMemory::Map(Gpa gpa, Hva hva, std::uint64_t size, Perm perm) {
  VFIO_TRY(range, GpaRange::Make(gpa, size));
  for (const GpaRange& window : reserved_) {
    if (range.Overlaps(window)) return make_error_code(PassthroughError::kRamOverlapsBarWindow);
  }
  VFIO_TRY(iova, mapping_.ToIova(gpa));
  VFIO_TRY(container_->MapDma(iova, hva, size, perm));
  regions_.emplace(gpa.value(), Region{gpa, hva, size, perm});
  return success();
}

Result<std::uint64_t> GuestMemory::Unmap(Gpa gpa, std::uint64_t size) {
  VFIO_TRY(range, GpaRange::Make(gpa, size));
  VFIO_TRY(iova, mapping_.ToIova(gpa));
  VFIO_TRY(removed, container_->UnmapDma(iova, size));
  // The container removed exactly the mappings inside the range, all of them regions here
  // or none: the tracker refuses an unmap that would cut one.
  auto it = regions_.lower_bound(gpa.value());
  while (it != regions_.end() && range.Contains(it->second.gpa)) it = regions_.erase(it);
  return removed;
}

std::vector<GuestMemory::Region> GuestMemory::regions() const {
  std::vector<Region> out;
  out.reserve(regions_.size());
  for (const auto& [gpa, region] : regions_) out.push_back(region);
  return out;
}

}  // namespace vfio
