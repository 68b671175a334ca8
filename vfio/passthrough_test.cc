// Cross-module tests of PassthroughDevice and GuestMemory against the FakeKernel with QEMU's
// edu and e1000e and custom functions (VFIO.md §8): bring-up, BARs, MMIO and guest RAM. The
// MSI-X tests are in internal/passthrough_msix_test.cc. Depends on the vfio library and the fake.
#include "vfio/passthrough.h"

#include <linux/vfio.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "vfio/fake_kernel.h"
#include "vfio/internal/passthrough_testing.h"

namespace vfio::internal {
namespace {

// ---- Bring-up and BAR placement ----

struct BarCase {
  const char* device;
  unsigned index;
  BarKind kind;
  std::uint64_t size;
};
constexpr BarCase kBarCases[] = {
    {kE1000e, 0, BarKind::kMem32, 128 << 10}, {kE1000e, 1, BarKind::kMem32, 128 << 10},
    {kE1000e, 2, BarKind::kIo, 32},           {kE1000e, 3, BarKind::kMem32, 16 << 10},
    {kEdu, 0, BarKind::kMem32, 1 << 20},
};

TEST_F(PassthroughTest, BringsUpEduAndE1000eWithNaturallyAlignedBarsInTheirWindows) {
  ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
  ASSERT_OK_AND_ASSIGN(edu, Open(kEduGroup, kEdu));
  EXPECT_EQ(nic.bars().size(), 4u);
  EXPECT_EQ(edu.bars().size(), 1u);
  const BarWindows windows = Windows();
  for (const BarCase& c : kBarCases) {
    SCOPED_TRACE(std::string(c.device) + " BAR" + std::to_string(c.index));
    const PlacedBar* bar = FindBar(std::string(c.device) == kEdu ? edu : nic, c.index);
    ASSERT_NE(bar, nullptr);
    EXPECT_EQ(bar->info.kind, c.kind);
    EXPECT_EQ(bar->info.size, c.size) << "sized through the config region";
    EXPECT_EQ(bar->address.value() % c.size, 0u) << "natural alignment";
    const GpaRange& window = c.kind == BarKind::kIo ? windows.io : windows.mmio32;
    EXPECT_TRUE(window.Contains(GpaRange::Make(bar->address, c.size).value()));
  }
  // The two devices share one allocator: no memory BAR meets another.
  std::vector<GpaRange> memory;
  for (const auto* device : {&nic, &edu}) {
    for (const PlacedBar& bar : device->bars()) {
      if (bar.info.kind != BarKind::kIo)
        memory.push_back(GpaRange::Make(bar.address, bar.info.size).value());
    }
  }
  for (std::size_t i = 0; i < memory.size(); ++i) {
    for (std::size_t j = i + 1; j < memory.size(); ++j) EXPECT_FALSE(memory[i].Overlaps(memory[j]));
  }
  EXPECT_EQ(edu.msix(), nullptr) << "edu has MSI, not MSI-X";
  ASSERT_NE(nic.msix(), nullptr);
  EXPECT_EQ(nic.msix()->size(), 5u);
  EXPECT_EQ(nic.msix_capability()->table_bir, 3);
}

TEST_F(PassthroughTest, GuestReadsItsShadowBarNeverTheHostsAndTheDeviceKeepsItsOwn) {
  ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
  const std::vector<std::uint8_t> host = kernel_.config(kE1000e);
  constexpr std::uint32_t kHostBar0 = 0xfeb8'0000;
  const auto host_bar0 = static_cast<std::uint32_t>(host[0x10] | host[0x11] << 8 |
                                                    host[0x12] << 16 | host[0x13] << 24);
  EXPECT_EQ(host_bar0, kHostBar0) << "sizing restored the device's register";
  ASSERT_OK_AND_ASSIGN(guest_bar0, nic.ReadConfig(0x10, 4));
  EXPECT_NE(guest_bar0, kHostBar0);
  EXPECT_EQ(guest_bar0, FindBar(nic, 0)->address.value());
  ASSERT_OK_AND_ASSIGN(guest_bar2, nic.ReadConfig(0x18, 4));
  EXPECT_EQ(guest_bar2, FindBar(nic, 2)->address.value() | 0x1) << "I/O flag bit";
}

struct SizingCase {
  std::uint32_t offset;
  std::uint32_t readback;  // ~(size - 1) | flag bits
};
constexpr SizingCase kE1000eSizing[] = {
    {0x10, 0xfffe'0000}, {0x14, 0xfffe'0000}, {0x18, 0xffff'ffe1}, {0x1c, 0xffff'c000},
    {0x20, 0}, {0x24, 0}, {0x30, 0},
};

TEST_F(PassthroughTest, GuestSizesBarsThroughTheVirtualConfigSpaceWithoutTouchingTheDevice) {
  ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
  const std::vector<std::uint8_t> host = kernel_.config(kE1000e);
  for (const SizingCase& c : kE1000eSizing) {
    SCOPED_TRACE(c.offset);
    ASSERT_OK_AND_ASSIGN(original, nic.ReadConfig(c.offset, 4));
    ASSERT_TRUE(nic.WriteConfig(c.offset, 4, 0xffff'ffff));
    EXPECT_EQ(nic.ReadConfig(c.offset, 4).value(), c.readback);
    ASSERT_TRUE(nic.WriteConfig(c.offset, 4, original));
    EXPECT_EQ(nic.ReadConfig(c.offset, 4).value(), original);
  }
  EXPECT_EQ(kernel_.config(kE1000e), host) << "BAR writes stay in the shadow";
}

TEST_F(PassthroughTest, MmioReachesTheDeviceRegionOnlyWhileTheBarDecodes) {
  ASSERT_OK_AND_ASSIGN(edu, Open(kEduGroup, kEdu));
  const Gpa bar0 = FindBar(edu, 0)->address;
  EXPECT_EQ(edu.ReadMmio(bar0, 4).error(), PassthroughError::kNoBarAtAddress)
      << "memory decode is off after reset";
  ASSERT_TRUE(edu.WriteConfig(kCommand, 2, kCommandMemory));
  EXPECT_EQ(edu.ReadMmio(bar0, 4).value(), 0x010000edu) << "edu's identification register";
  // The guest moves BAR0 within its window: decoding follows, the old address is dead.
  const Gpa moved(bar0.value() + (16 << 20));
  ASSERT_TRUE(edu.WriteConfig(0x10, 4, static_cast<std::uint32_t>(moved.value())));
  EXPECT_EQ(edu.ReadMmio(moved, 4).value(), 0x010000edu);
  EXPECT_EQ(edu.ReadMmio(bar0, 4).error(), PassthroughError::kNoBarAtAddress);
  // Outside the mmio32 window the BAR does not decode at all.
  ASSERT_TRUE(edu.WriteConfig(0x10, 4, 0x1000'0000));
  EXPECT_EQ(edu.ReadMmio(Gpa(0x1000'0000), 4).error(), PassthroughError::kNoBarAtAddress);
}

TEST_F(PassthroughTest, MmioTheKernelRefusesIsAnErrorAndIoBarsAreNotMmio) {
  ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
  ASSERT_TRUE(nic.WriteConfig(kCommand, 2, kCommandMemory));
  // The fake's e1000e BAR0 has no backing bytes: pread fails with EINVAL.
  EXPECT_EQ(nic.ReadMmio(FindBar(nic, 0)->address, 4).error(), PassthroughError::kRegionIo);
  EXPECT_EQ(nic.WriteMmio(FindBar(nic, 0)->address, 4, 0).error(), PassthroughError::kRegionIo);
  EXPECT_EQ(nic.ReadMmio(Gpa(kIoBase), 4).error(), PassthroughError::kNoBarAtAddress)
      << "an I/O BAR is port space, never MMIO";
}

struct BadMmioCase {
  const char* name;
  std::uint64_t offset;  // from edu's BAR0
  std::uint32_t size;
  PassthroughError error;
};
constexpr BadMmioCase kBadMmio[] = {
    {"size_zero", 0, 0, PassthroughError::kBadAccessSize},
    {"size_three", 0, 3, PassthroughError::kBadAccessSize},
    {"size_sixteen", 0, 16, PassthroughError::kBadAccessSize},
    {"misaligned", 2, 4, PassthroughError::kBadAccessSize},
    {"past_the_bar", 1 << 20, 4, PassthroughError::kNoBarAtAddress},
    {"below_the_bar", static_cast<std::uint64_t>(-8), 8, PassthroughError::kNoBarAtAddress},
};

TEST_F(PassthroughTest, RejectsMalformedGuestMmioWithoutTouchingTheDevice) {
  ASSERT_OK_AND_ASSIGN(edu, Open(kEduGroup, kEdu));
  ASSERT_TRUE(edu.WriteConfig(kCommand, 2, kCommandMemory));
  const std::uint64_t bar0 = FindBar(edu, 0)->address.value();
  for (const BadMmioCase& c : kBadMmio) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(edu.ReadMmio(Gpa(bar0 + c.offset), c.size).error(), c.error);
    EXPECT_EQ(edu.WriteMmio(Gpa(bar0 + c.offset), c.size, 0).error(), c.error);
  }
  EXPECT_EQ(edu.ReadMmio(Gpa(bar0), 4).value(), 0x010000edu) << "the device is unchanged";
}

// ---- BAR indices and bring-up failures ----

TEST_F(PassthroughTest, BarsZeroFiveAndTheRomArePlacedAndIndexSevenIsInvalid) {
  ASSERT_OK_AND_ASSIGN(dev, OpenTest(TestDevice(kTest, {{0, 0xfe00'0000, 4 << 10},
                                                        {5, 0xfe10'0000, 8 << 10}},
                                                std::nullopt, /*rom_size=*/64 << 10)));
  std::vector<unsigned> indices;
  for (const PlacedBar& bar : dev.bars()) indices.push_back(bar.index);
  EXPECT_EQ(indices, (std::vector<unsigned>{0, 5, kRomIndex}));
  EXPECT_EQ(FindBar(dev, kRomIndex)->info, (BarInfo{BarKind::kMem32, false, 64 << 10}));
  EXPECT_EQ(dev.BarAddress(7).error(), ConfigError::kInvalidBarIndex);
  EXPECT_EQ(dev.BarAddress(1).error(), ConfigError::kNoBar);
  const Gpa bar5 = FindBar(dev, 5)->address;
  const Gpa rom = FindBar(dev, kRomIndex)->address;
  EXPECT_EQ(dev.ReadConfig(0x24, 4).value(), bar5.value());
  EXPECT_EQ(dev.ReadConfig(0x30, 4).value(), rom.value()) << "ROM disabled after reset";
  ASSERT_TRUE(dev.WriteConfig(kCommand, 2, kCommandMemory));
  EXPECT_EQ(dev.ReadMmio(Gpa(bar5.value() + (8 << 10) - 4), 4).value(), 0u) << "BAR5's end";
  EXPECT_EQ(dev.ReadMmio(rom, 4).error(), PassthroughError::kNoBarAtAddress);
  ASSERT_TRUE(dev.WriteConfig(0x30, 4, static_cast<std::uint32_t>(rom.value()) | 1));
  EXPECT_EQ(dev.ReadMmio(rom, 4).value(), 0x5555'5555u) << "the ROM's bytes";
  EXPECT_EQ(dev.WriteMmio(rom, 4, 0).error(), PassthroughError::kRegionNotAccessible);
}

struct BringUpFailure {
  const char* name;
  std::vector<TestBar> bars;
  std::optional<TestMsix> msix;
  std::error_code error;
  std::uint64_t config_size = 0x100;  // of the config region
};

TEST_F(PassthroughTest, RefusesDevicesTheModulesRejectAndReturnsEveryBarItPlaced) {
  const TestBar bar0{0, 0xfe00'0000, 4 << 10};
  const BringUpFailure cases[] = {
      {"mem64_in_slot_5", {bar0, {5, 0x4, 4 << 10}}, std::nullopt, BarError::kMem64InLastSlot},
      {"size_not_power_of_two", {bar0, {1, 0x0, 3 << 10}}, std::nullopt,
       BarError::kNotPowerOfTwo},
      {"msix_table_bir_6", {bar0}, TestMsix{1, 0x6, 0x800}, CapabilityError::kInvalidBir},
      {"msix_pba_bir_7", {bar0}, TestMsix{1, 0x0, 0x807}, CapabilityError::kInvalidBir},
      {"msix_in_absent_bar", {bar0}, TestMsix{1, 0x2, 0x800}, MsixError::kTableOutsideBar},
      {"msix_past_bar_end", {bar0}, TestMsix{2, 0xff0, 0x800}, MsixError::kTableOutsideBar},
      {"msix_in_io_bar", {bar0, {1, 0x1, 256}}, TestMsix{1, 0x1, 0x81},
       PassthroughError::kMsixInIoBar},
      {"kernel_has_fewer_vectors", {bar0}, TestMsix{4, 0x0, 0x800, /*kernel_vectors=*/3},
       PassthroughError::kMsixVectorsUnsupported},
      {"config_region_too_small", {bar0}, std::nullopt, PassthroughError::kConfigRegionTooSmall,
       0x40},
  };
  unsigned group = 100;
  for (const BringUpFailure& c : cases) {
    SCOPED_TRACE(c.name);
    FakeDevice device = TestDevice(kTest, c.bars, c.msix);
    device.regions[VFIO_PCI_CONFIG_REGION_INDEX].size = c.config_size;
    device.regions[VFIO_PCI_CONFIG_REGION_INDEX].data.resize(c.config_size);
    kernel_.AddGroup({++group, true, {std::move(device)}});
    const auto opened = Open(group, kTest);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error(), c.error) << opened.error().message();
    EXPECT_EQ(bars_->PoolFor(BarInfo{BarKind::kMem32, false, 4096}).count(), 0u);
    EXPECT_EQ(bars_->PoolFor(BarInfo{BarKind::kIo, false, 4}).count(), 0u);
  }
}

// A kernel whose GET_REGION_INFO reports BAR0 twice as large as the BAR register decodes.
class BarZeroRegionDoubled final : public Backend {
 public:
  explicit BarZeroRegionDoubled(Backend& inner) : inner_(inner) {}
  int Open(const std::string& path) override { return inner_.Open(path); }
  int Close(int fd) override { return inner_.Close(fd); }
  int Ioctl(int fd, unsigned long request, void* arg) override {
    const int rc = inner_.Ioctl(fd, request, arg);
    auto* info = static_cast<vfio_region_info*>(arg);
    if (rc >= 0 && request == VFIO_DEVICE_GET_REGION_INFO && info->index == 0) info->size *= 2;
    return rc;
  }
  int IoctlValue(int fd, unsigned long request, unsigned long value) override {
    return inner_.IoctlValue(fd, request, value);
  }
  std::int64_t Pread(int fd, std::span<std::byte> buf, std::uint64_t offset) override {
    return inner_.Pread(fd, buf, offset);
  }
  std::int64_t Pwrite(int fd, std::span<const std::byte> buf, std::uint64_t offset) override {
    return inner_.Pwrite(fd, buf, offset);
  }
  int CreateEventfd() override { return inner_.CreateEventfd(); }
  int ReadEventfd(int fd, std::uint64_t* count) override { return inner_.ReadEventfd(fd, count); }

 private:
  Backend& inner_;
};

TEST_F(PassthroughTest, RefusesAKernelWhoseBarSizingDisagreesWithItsRegions) {
  BarZeroRegionDoubled skewed(backend_);
  ASSERT_OK_AND_ASSIGN(container, Container::Open(skewed));
  ASSERT_OK_AND_ASSIGN(bdf, ParseBdf(kEdu));
  const auto opened = PassthroughDevice::Open(skewed, container, kEduGroup, bdf, *bars_);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error(), PassthroughError::kBarSizeMismatch);
  EXPECT_EQ(kernel_.config(kEdu)[0x13], 0xfe) << "the probe restored BAR0 (0xfea00000)";
  EXPECT_EQ(bars_->PoolFor(BarInfo{BarKind::kMem32, false, 4096}).count(), 0u);
}

TEST_F(PassthroughTest, DestroyingTheDeviceReturnsItsBars) {
  const BarInfo mem32{BarKind::kMem32, false, 4096};
  {
    ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
    EXPECT_EQ(bars_->PoolFor(mem32).count(), 3u);
    PassthroughDevice moved = std::move(nic);  // the reservation moves with the device
    EXPECT_EQ(bars_->PoolFor(mem32).count(), 3u);
  }
  EXPECT_EQ(bars_->PoolFor(mem32).count(), 0u);
  ASSERT_OK_AND_ASSIGN(again, Open(kE1000eGroup, kE1000e));
  EXPECT_EQ(FindBar(again, 0)->address.value(), kMmio32Base) << "the same space, reused";
}

// ---- Guest RAM for DMA ----

struct RamCase {
  const char* name;
  std::uint64_t gpa;
  std::uint64_t size;
  std::error_code error;  // {} when the map succeeds
};

TEST_F(PassthroughTest, GuestRamAndBarWindowsNeverConflictInDma) {
  const RamCase cases[] = {
      {"low_ram", 0, 512 << 20, {}},
      {"ending_at_the_window", kMmio32Base - (1 << 20), 1 << 20, {}},
      {"into_the_window", kMmio32Base - 0x1000, 0x2000, PassthroughError::kRamOverlapsBarWindow},
      {"inside_the_window", kMmio32Base + (1 << 20), 0x1000,
       PassthroughError::kRamOverlapsBarWindow},
      {"over_the_window_end", kMmio32Base + kMmio32Size - 0x1000, 0x2000,
       PassthroughError::kRamOverlapsBarWindow},
      {"around_the_window", kMmio32Base - 0x1000, kMmio32Size + 0x2000,
       PassthroughError::kRamOverlapsBarWindow},
      {"in_the_high_window", kMmio64Base, 0x1000, PassthroughError::kRamOverlapsBarWindow},
      {"over_other_ram", 0x1000, 0x1000, DmaError::kOverlap},
      {"above_4_gib", std::uint64_t{1} << 32, 1 << 30, {}},
  };
  ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
  ASSERT_OK_AND_ASSIGN(edu, Open(kEduGroup, kEdu));
  GuestMemory ram(*container_, Windows());
  for (const RamCase& c : cases) {
    SCOPED_TRACE(c.name);
    const Result<void> mapped = ram.Map(Gpa(c.gpa), Hva(0x7000'0000'0000 + c.gpa), c.size);
    EXPECT_EQ(mapped ? std::error_code() : mapped.error(), c.error);
  }
  EXPECT_EQ(ram.regions().size(), 3u);
  EXPECT_EQ(kernel_.dma_mappings(container_->fd()).size(), 3u) << "refusals never reach MAP_DMA";
  for (const DmaMapping& m : container_->tracker().mappings()) {
    const GpaRange dma = GpaRange::Make(Gpa(m.iova.value()), m.size).value();
    for (const auto* device : {&nic, &edu}) {
      for (const PlacedBar& bar : device->bars()) {
        if (bar.info.kind == BarKind::kIo) continue;
        EXPECT_FALSE(dma.Overlaps(GpaRange::Make(bar.address, bar.info.size).value()));
      }
    }
  }
  EXPECT_EQ(ram.Unmap(Gpa(0), 512 << 20).value(), std::uint64_t{512} << 20);
  EXPECT_EQ(ram.regions().size(), 2u);
}

TEST_F(PassthroughTest, ZeroSizesAreRejectedEverywhere) {
  ASSERT_OK_AND_ASSIGN(edu, Open(kEduGroup, kEdu));
  ASSERT_TRUE(edu.WriteConfig(kCommand, 2, kCommandMemory));
  const Gpa bar0 = FindBar(edu, 0)->address;
  GuestMemory ram(*container_, Windows());
  EXPECT_EQ(ram.Map(Gpa(0), Hva(0x7000'0000'0000), 0).error(), AddressError::kZeroSize);
  EXPECT_EQ(ram.Unmap(Gpa(0), 0).error(), AddressError::kZeroSize);
  EXPECT_EQ(container_->tracker().count(), 0u);
  EXPECT_EQ(edu.ReadMmio(bar0, 0).error(), PassthroughError::kBadAccessSize);
  EXPECT_EQ(edu.WriteMmio(bar0, 0, 0).error(), PassthroughError::kBadAccessSize);
  EXPECT_EQ(edu.ReadConfig(0x10, 0).error(), ConfigError::kBadLength);
  EXPECT_EQ(edu.WriteConfig(0x10, 0, 0).error(), ConfigError::kBadLength);
  // A region of size 0 is an absent BAR, even when the register holds an address.
  ASSERT_OK_AND_ASSIGN(dev, OpenTest(TestDevice(kTest, {{0, 0xfe00'0000, 0}}, std::nullopt)));
  EXPECT_TRUE(dev.bars().empty());
  EXPECT_EQ(dev.ReadConfig(0x10, 4).value(), 0u);
}

TEST_F(PassthroughTest, MaximumAddressesNeverOverflow) {
  // A high window that ends at the last byte of the 64-bit space, filled by one 64-bit BAR.
  constexpr std::uint64_t kTopSize = 64 << 10;
  constexpr std::uint64_t kTop = 0 - kTopSize;
  UseWindows(Windows(kTop, kTopSize));
  ASSERT_OK_AND_ASSIGN(dev, OpenTest(TestDevice(kTest, {{0, 0x4, kTopSize, 0}}, std::nullopt)));
  EXPECT_EQ(FindBar(dev, 0)->address.value(), kTop);
  EXPECT_EQ(dev.ReadConfig(0x10, 4).value(), 0xffff'0004u);
  EXPECT_EQ(dev.ReadConfig(0x14, 4).value(), 0xffff'ffffu) << "upper half of the address";
  ASSERT_TRUE(dev.WriteConfig(kCommand, 2, kCommandMemory));
  ASSERT_TRUE(dev.WriteMmio(Gpa(UINT64_MAX - 7), 8, 0x1122'3344'5566'7788));
  EXPECT_EQ(dev.ReadMmio(Gpa(UINT64_MAX - 7), 8).value(), 0x1122'3344'5566'7788u);
  EXPECT_EQ(dev.ReadMmio(Gpa(UINT64_MAX), 1).value(), 0x11u);
  EXPECT_EQ(dev.ReadMmio(Gpa(UINT64_MAX - 3), 8).error(), PassthroughError::kBadAccessSize);
  GuestMemory ram(*container_, Windows(kTop, kTopSize));
  EXPECT_EQ(ram.Map(Gpa(UINT64_MAX - 0xfff), Hva(0x1000), 0x2000).error(),
            AddressError::kOverflow);
  EXPECT_EQ(ram.Map(Gpa(kTop - 0x1000), Hva(0x1000), 0x1000).error(),
            DmaError::kOutsideIovaWindow) << "below the window, above the IOMMU's reach";
  EXPECT_EQ(ram.Map(Gpa(0x1000), Hva(UINT64_MAX - 0xfff), 0x2000).error(),
            DmaError::kHvaOverflow);
  GuestMemory shifted(*container_, Windows(kTop, kTopSize), GpaIovaMapping(INT64_MAX));
  EXPECT_EQ(shifted.Map(Gpa((std::uint64_t{1} << 63) + 0x1000), Hva(0x1000), 0x1000).error(),
            AddressError::kOverflow) << "GPA + offset passes 2^64";
  EXPECT_EQ(container_->tracker().count(), 0u);
}

}  // namespace
}  // namespace vfio::internal
