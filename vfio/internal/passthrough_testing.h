// Test support for the PassthroughDevice tests: fake vfio-pci functions with chosen BARs and
// MSI-X layouts, the fixture (fake kernel, container, BAR windows) and a guest MSI-X driver.
// Depends on the vfio library, the fake kernel and GoogleTest; included by tests only.
#pragma once

#include <linux/vfio.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "vfio/fake_kernel.h"
#include "vfio/passthrough.h"
#include "vfio/result.h"

// Unwraps a Result into `lhs`, or fails the test with the error's category and message.
#define ASSERT_OK_AND_ASSIGN(lhs, expr)                                        \
  auto lhs##_result = (expr);                                                  \
  ASSERT_TRUE(lhs##_result) << lhs##_result.error().category().name() << ":"   \
                            << lhs##_result.error().message();                 \
  auto lhs = std::move(lhs##_result).value()

namespace vfio::internal {

// One BAR register of a custom device: its value (address and flag bits) and region size. A
// 64-bit BAR's upper dword is `upper`.
struct TestBar {
  unsigned index = 0;
  std::uint32_t value = 0;
  std::uint64_t size = 0;
  std::uint32_t upper = 0;
};

struct TestMsix {
  std::uint32_t vectors = 1;
  std::uint32_t table_dword = 0;  // offset | BIR
  std::uint32_t pba_dword = 0;
  std::uint32_t kernel_vectors = 0;  // the MSI-X IRQ count GET_IRQ_INFO reports; 0: vectors
};

inline void Put32(std::vector<std::uint8_t>& bytes, std::size_t offset, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

// A conventional (256-byte) function with these BARs, an optional ROM of `rom_size` bytes at
// index 6 and an optional MSI-X capability at 0x40. Memory regions are backed by zeroed data
// (at most 64 KiB of it) so MMIO reaches them.
inline FakeDevice TestDevice(std::string name, const std::vector<TestBar>& bars,
                             std::optional<TestMsix> msix, std::uint64_t rom_size = 0) {
  constexpr std::uint32_t kRw = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
  FakeDevice d;
  d.name = std::move(name);
  std::vector<std::uint8_t> config(0x100);
  Put32(config, 0x00, 0xbeef1af4);
  for (const TestBar& bar : bars) {
    const std::uint32_t offset = bar.index == 6 ? 0x30 : 0x10 + 4 * bar.index;
    Put32(config, offset, bar.value);
    if ((bar.value & 0x7) == 0x4) Put32(config, offset + 4, bar.upper);
    FakeRegion& region = d.regions[bar.index];
    region.size = bar.size;
    region.flags = kRw | VFIO_REGION_INFO_FLAG_MMAP;
    region.data.resize(std::min<std::uint64_t>(bar.size, 64 << 10));
  }
  if (rom_size != 0) {
    Put32(config, 0x30, 0xfff0'0000);
    d.regions[VFIO_PCI_ROM_REGION_INDEX] = {rom_size, VFIO_REGION_INFO_FLAG_READ,
                                            std::vector<std::uint8_t>(rom_size, 0x55), {}, false};
  }
  if (msix) {
    config[0x06] = 0x10;  // Status: capability list
    config[0x34] = 0x40;
    Put32(config, 0x40, (msix->vectors - 1) << 16 | 0x11);
    Put32(config, 0x44, msix->table_dword);
    Put32(config, 0x48, msix->pba_dword);
    d.irq_counts[VFIO_PCI_MSIX_IRQ_INDEX] =
        msix->kernel_vectors != 0 ? msix->kernel_vectors : msix->vectors;
  }
  d.regions[VFIO_PCI_CONFIG_REGION_INDEX] = {config.size(), kRw, std::move(config), {}, false};
  return d;
}

// The fixture's devices and guest layout. Host BAR addresses (0xfe...) lie outside the mmio32
// window, so a guest address can never equal a host one by accident.
constexpr unsigned kE1000eGroup = 3;
constexpr char kE1000e[] = "0000:00:03.0";
constexpr unsigned kEduGroup = 4;
constexpr char kEdu[] = "0000:00:04.0";
constexpr unsigned kTestGroup = 5;
constexpr char kTest[] = "0000:00:05.0";

constexpr std::uint64_t kIoBase = 0xc000;
constexpr std::uint64_t kIoSize = 0x4000;
constexpr std::uint64_t kMmio32Base = 0xc000'0000;
constexpr std::uint64_t kMmio32Size = 0x2000'0000;
constexpr std::uint64_t kMmio64Base = 0x100'0000'0000;
constexpr std::uint64_t kMmio64Size = 0x10'0000'0000;
constexpr std::uint32_t kGsiBase = 24;

constexpr std::uint32_t kCommand = 0x04;
constexpr std::uint32_t kCommandMemory = 0x2;
constexpr std::uint32_t kE1000eMsixCap = 0xa0;  // where FakeDevice::E1000e puts it
constexpr std::uint32_t kTestMsixCap = 0x40;    // where TestDevice puts it
constexpr std::uint16_t kMsixEnable = 0x8000;
constexpr std::uint16_t kMsixFunctionMask = 0x4000;

inline BarWindows Windows(std::uint64_t mmio64_base = kMmio64Base,
                          std::uint64_t mmio64_size = kMmio64Size) {
  return {GpaRange::Make(Gpa(kIoBase), kIoSize).value(),
          GpaRange::Make(Gpa(kMmio32Base), kMmio32Size).value(),
          GpaRange::Make(Gpa(mmio64_base), mmio64_size).value(), std::nullopt};
}

inline MsiMessage MessageFor(std::uint32_t vector) {
  return {0xfee0'0000 + (std::uint64_t{vector} << 12), 0x4000 + vector};
}

// A FakeKernel with e1000e in group 3 and edu in group 4, behind vfio-pci's BAR fixup; one
// container and one BarAllocator shared by every device a test opens.
class PassthroughTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kernel_.AddGroup({kE1000eGroup, true, {FakeDevice::E1000e(kE1000e)}});
    kernel_.AddGroup({kEduGroup, true, {FakeDevice::Edu(kEdu)}});
    ASSERT_OK_AND_ASSIGN(container, Container::Open(backend_));
    container_.emplace(std::move(container));
    UseWindows(Windows());
  }

  void UseWindows(const BarWindows& windows) {
    ASSERT_OK_AND_ASSIGN(bars, BarAllocator::Create(windows));
    bars_.emplace(std::move(bars));
  }

  Result<PassthroughDevice> Open(unsigned group, const char* name) {
    VFIO_TRY(bdf, ParseBdf(name));
    return PassthroughDevice::Open(backend_, *container_, group, bdf, *bars_,
                                   {.gsi_base = kGsiBase});
  }

  Result<PassthroughDevice> OpenTest(FakeDevice device) {
    kernel_.AddGroup({kTestGroup, true, {std::move(device)}});
    return Open(kTestGroup, kTest);
  }

  FakeKernel kernel_;
  Backend& backend_ = kernel_;
  std::optional<Container> container_;
  std::optional<BarAllocator> bars_;
};

// What a guest MSI-X driver does: program table entries through MMIO and flip Message Control
// through config cycles.
struct GuestMsix {
  PassthroughDevice& device;
  std::uint32_t cap;

  Gpa Entry(std::uint32_t vector, std::uint32_t field) const {
    const MsixCapability& c = *device.msix_capability();
    return Gpa(device.BarAddress(c.table_bir).value().value() + c.table_offset + 16 * vector +
               field);
  }
  Gpa Pba() const {
    const MsixCapability& c = *device.msix_capability();
    return Gpa(device.BarAddress(c.pba_bir).value().value() + c.pba_offset);
  }
  Result<void> Program(std::uint32_t vector, const MsiMessage& m) {
    VFIO_TRY(device.WriteMmio(Entry(vector, 0), 8, m.address));
    return device.WriteMmio(Entry(vector, 8), 4, m.data);
  }
  Result<void> Mask(std::uint32_t vector, bool masked) {
    return device.WriteMmio(Entry(vector, 12), 4, masked ? 1 : 0);
  }
  Result<void> Control(std::uint16_t value) { return device.WriteConfig(cap + 2, 2, value); }
  // Memory decode on, then MSI-X enabled with the function unmasked.
  Result<void> Enable() {
    VFIO_TRY(device.WriteConfig(kCommand, 2, kCommandMemory));
    return Control(kMsixEnable);
  }
};

inline const PlacedBar* FindBar(const PassthroughDevice& device, unsigned index) {
  for (const PlacedBar& bar : device.bars())
    if (bar.index == index) return &bar;
  return nullptr;
}

}  // namespace vfio::internal
