// vfio-pci's virtual BAR registers (vfio_pci_config.c, vfio_bar_fixup) in front of a Backend
// whose config region stores BAR writes verbatim, as FakeKernel does, so the BAR sizing
// protocol reads back on the fake what it reads back on Linux. For the passthrough test and
// example only; header-only, depends on vfio/vfio_device.h and the uapi <linux/vfio.h>.
#pragma once

#include <linux/vfio.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "vfio/vfio_device.h"

namespace vfio::internal {

// Forwards every call to `inner`. After a config write that touches a BAR or the ROM register,
// it rewrites the seven registers as vfio_bar_fixup computes them:
//   BAR i:      (value & ~(size_i - 1) & address bits) | the BAR's original flag bits
//   upper half: value & high 32 bits of ~(size - 1) of the 64-bit BAR below it
//   ROM:        value & (~(size - 1) | enable)
//   size 0:     0 (unimplemented)
// with sizes from GET_REGION_INFO and flag bits captured before the first write. Once
// FakeKernel models this itself, the fixup leaves its registers unchanged. Thread-compatible;
// `inner` must outlive it.
class BarFixupBackend final : public Backend {
 public:
  explicit BarFixupBackend(Backend& inner) : inner_(inner) {}

  int Open(const std::string& path) override { return inner_.Open(path); }
  int Close(int fd) override {
    devices_.erase(fd);  // the number may come back as another file
    return inner_.Close(fd);
  }
  int Ioctl(int fd, unsigned long request, void* arg) override {
    return inner_.Ioctl(fd, request, arg);
  }
  int IoctlValue(int fd, unsigned long request, unsigned long value) override {
    return inner_.IoctlValue(fd, request, value);
  }
  std::int64_t Pread(int fd, std::span<std::byte> buf, std::uint64_t offset) override {
    return inner_.Pread(fd, buf, offset);
  }
  std::int64_t Pwrite(int fd, std::span<const std::byte> buf, std::uint64_t offset) override {
    const Bars* bars = BarsOf(fd);
    const bool touches = bars != nullptr && TouchesBars(*bars, offset, buf.size());
    const std::int64_t n = inner_.Pwrite(fd, buf, offset);
    if (touches && n > 0) Fixup(fd, *bars);
    return n;
  }
  int CreateEventfd() override { return inner_.CreateEventfd(); }
  int ReadEventfd(int fd, std::uint64_t* count) override {
    return inner_.ReadEventfd(fd, count);
  }

 private:
  static constexpr unsigned kRegisters = 7;  // BAR 0..5 and the ROM
  static constexpr std::uint32_t kRegisterOffsets[kRegisters] = {0x10, 0x14, 0x18, 0x1c,
                                                                 0x20, 0x24, 0x30};

  struct Bars {
    std::uint64_t config_offset = 0;
    std::array<std::uint64_t, kRegisters> sizes{};
    std::array<std::uint32_t, kRegisters> flags{};
    std::array<bool, kRegisters> upper_half{};  // the high dword of the 64-bit BAR below
  };

  // The device's BAR sizes and flags, learnt on first use; nullptr for a non-device fd.
  const Bars* BarsOf(int fd) {
    if (const auto it = devices_.find(fd); it != devices_.end()) return &it->second;
    const std::optional<vfio_region_info> config = RegionInfo(fd, VFIO_PCI_CONFIG_REGION_INDEX);
    if (!config) return nullptr;
    Bars bars;
    bars.config_offset = config->offset;
    for (unsigned i = 0; i < kRegisters; ++i) {
      const std::optional<vfio_region_info> region = RegionInfo(fd, i);
      bars.sizes[i] = region ? region->size : 0;
      const std::uint32_t value = ReadRegister(fd, bars, i);
      const bool io = i != kRegisters - 1 && (value & 0x1) != 0;
      bars.flags[i] = i == kRegisters - 1 ? 0 : value & (io ? 0x1u : 0xfu);
      if (i > 0 && i < kRegisters - 1 && !bars.upper_half[i - 1] && !IsIo(bars.flags[i - 1]) &&
          (bars.flags[i - 1] & 0x6) == 0x4) {
        bars.upper_half[i] = true;
      }
    }
    return &devices_.emplace(fd, bars).first->second;
  }

  static bool IsIo(std::uint32_t flags) { return (flags & 0x1) != 0; }

  static bool TouchesBars(const Bars& bars, std::uint64_t offset, std::size_t len) {
    if (offset < bars.config_offset) return false;
    const std::uint64_t at = offset - bars.config_offset;
    for (const std::uint32_t reg : kRegisterOffsets) {
      if (at < reg + 4 && reg < at + len) return true;
    }
    return false;
  }

  std::optional<vfio_region_info> RegionInfo(int fd, std::uint32_t index) {
    vfio_region_info info{};
    info.argsz = sizeof(info);
    info.index = index;
    if (inner_.Ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &info) < 0) return std::nullopt;
    return info;
  }

  std::uint32_t ReadRegister(int fd, const Bars& bars, unsigned i) {
    std::array<std::byte, 4> bytes{};
    if (inner_.Pread(fd, bytes, bars.config_offset + kRegisterOffsets[i]) != 4) return 0;
    std::uint32_t value = 0;
    for (unsigned b = 0; b < 4; ++b) value |= std::to_integer<std::uint32_t>(bytes[b]) << (8 * b);
    return value;
  }

  void WriteRegister(int fd, const Bars& bars, unsigned i, std::uint32_t value) {
    std::array<std::byte, 4> bytes{};
    for (unsigned b = 0; b < 4; ++b) bytes[b] = static_cast<std::byte>(value >> (8 * b));
    inner_.Pwrite(fd, bytes, bars.config_offset + kRegisterOffsets[i]);
  }

  void Fixup(int fd, const Bars& bars) {
    for (unsigned i = 0; i < kRegisters; ++i) {
      const std::uint32_t value = ReadRegister(fd, bars, i);
      std::uint32_t fixed = 0;
      if (bars.upper_half[i]) {
        fixed = value & static_cast<std::uint32_t>(~(bars.sizes[i - 1] - 1) >> 32);
      } else if (bars.sizes[i] == 0) {
        fixed = 0;
      } else if (i == kRegisters - 1) {
        fixed = value & (static_cast<std::uint32_t>(~(bars.sizes[i] - 1)) | 0x1u);
      } else {
        const std::uint32_t address_bits = IsIo(bars.flags[i]) ? 0xffff'fffcu : 0xffff'fff0u;
        fixed = (value & static_cast<std::uint32_t>(~(bars.sizes[i] - 1)) & address_bits) |
                bars.flags[i];
      }
      if (fixed != value) WriteRegister(fd, bars, i, fixed);
    }
  }

  Backend& inner_;
  std::map<int, Bars> devices_;
};

}  // namespace vfio::internal
