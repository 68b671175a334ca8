// Kernels for vfio/config_space.h: guest accesses of any offset and length, virtual BARs
// under the guest's sizing and programming, and field masks. Depends on
// vfio/config_space.h, the kernels' device model and the runner's kernel API only.
#include <cstdint>
#include <span>
#include <vector>

#include "kernels/internal/device_model.h"
#include "kernels/kernel_params.h"
#include "kernels/kernel_types.h"
#include "runner/kernel.h"
#include "vfio/address.h"
#include "vfio/bar.h"
#include "vfio/config_space.h"

namespace vfio_kernels {
namespace {

using internal::Device;
using internal::MakeDevice;

// Everything a config access could change: the shadow, the three masks and the device.
struct Snapshot {
  std::vector<std::uint8_t> shadow;
  std::vector<std::uint8_t> write_mask;
  std::vector<std::uint8_t> w1c_mask;
  std::vector<std::uint8_t> emulated;
  std::vector<std::uint8_t> physical;
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

std::vector<std::uint8_t> Copy(std::span<const std::uint8_t> s) { return {s.begin(), s.end()}; }

Snapshot Snap(const Device& d) {
  return {Copy(d.config.shadow()), Copy(d.config.write_mask()), Copy(d.config.w1c_mask()),
          Copy(d.config.emulated_mask()), d.physical->bytes()};
}

// The documented read: (shadow & emulated) | (physical & ~emulated), byte by byte.
std::uint32_t MergeOf(const Snapshot& s, std::uint32_t offset, std::uint32_t len) {
  std::uint32_t value = 0;
  for (std::uint32_t i = 0; i < len; ++i) {
    const std::uint32_t at = offset + i;
    const std::uint8_t emu = s.emulated[at];
    const std::uint8_t byte = (s.shadow[at] & emu) | (s.physical[at] & ~emu);
    value |= std::uint32_t{byte} << (8 * i);
  }
  return value;
}

bool ValidAccess(std::uint32_t offset, std::uint32_t len, std::uint32_t space) {
  return (len == 1 || len == 2 || len == 4) && std::uint64_t{offset} + len <= space &&
         offset % len == 0;
}

// What a guest write of `value` does to a snapshot: each shadow byte takes the written bits
// its write mask allows, then loses the bits written 1 where it is write-1-to-clear; the
// device sees the whole value when any byte is not fully emulated.
Snapshot AfterWrite(Snapshot s, std::uint32_t offset, std::uint32_t len, std::uint32_t value) {
  bool passthrough = false;
  for (std::uint32_t i = 0; i < len; ++i) {
    const std::uint32_t at = offset + i;
    const auto v = static_cast<std::uint8_t>(value >> (8 * i));
    const std::uint8_t written = (s.shadow[at] & ~s.write_mask[at]) | (v & s.write_mask[at]);
    s.shadow[at] = written & ~(v & s.w1c_mask[at]);
    passthrough = passthrough || s.emulated[at] != 0xff;
  }
  if (passthrough) {
    for (std::uint32_t i = 0; i < len; ++i)
      s.physical[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
  return s;
}

std::uint64_t AddressFor(BarPlacement where, std::uint64_t size) {
  constexpr std::uint64_t k2GiB = std::uint64_t{1} << 31;
  switch (where) {
    case BarPlacement::kAligned: return size <= k2GiB ? k2GiB : size;
    case BarPlacement::kHigh: return 0x40'0000'0000;
    case BarPlacement::kUnaligned: return k2GiB + (size >= 2 ? size / 2 : 1);
    case BarPlacement::kEndsAt4GiB: return size <= internal::k4GiB ? internal::k4GiB - size : 0;
    case BarPlacement::kAt4GiB: return internal::k4GiB;
  }
  return k2GiB;
}

std::uint32_t Read(const vfio::ConfigSpace& config, std::uint32_t offset) {
  const auto value = config.Read(offset, 4);
  KT_CHECK(value.has_value());
  return value.value();
}

void Write(vfio::ConfigSpace& config, std::uint32_t offset, std::uint32_t value) {
  KT_CHECK(config.Write(offset, 4, value).has_value());
}

// The guest's sizing protocol on a BAR register (and the next one for 64-bit): write
// all-ones, read back what is expected, restore the original values.
void SizeProbe(vfio::ConfigSpace& config, std::uint32_t reg, bool mem64,
               std::uint32_t expected_low, std::uint32_t expected_high) {
  const std::uint32_t low = Read(config, reg);
  const std::uint32_t high = mem64 ? Read(config, reg + 4) : 0;
  Write(config, reg, 0xffff'ffff);
  if (mem64) Write(config, reg + 4, 0xffff'ffff);
  KT_CHECK(Read(config, reg) == expected_low);
  if (mem64) KT_CHECK(Read(config, reg + 4) == expected_high);
  Write(config, reg, low);
  if (mem64) Write(config, reg + 4, high);
}

// Shadow isolation: every BAR register is fully emulated and reads its shadow, so no read
// can show the host's BAR (kHostBarValue is unreachable for a shadow: I/O sets bit 0,
// memory and ROM clear bit 1). The upper half of a 64-bit BAR holds whatever the guest
// wrote, so only its emulation is checked.
void CheckIsolation(const vfio::ConfigSpace& config, std::uint32_t upper_half) {
  for (std::uint32_t reg = vfio::kFirstBarOffset; reg <= vfio::kRomOffset; reg += 4) {
    if (reg == 0x28 || reg == 0x2c) continue;  // CardBus CIS and subsystem ids
    const std::uint32_t value = Read(config, reg);
    std::uint32_t shadow = 0;
    for (std::uint32_t b = 0; b < 4; ++b) {
      KT_CHECK(config.emulated_mask()[reg + b] == 0xff);
      shadow |= std::uint32_t{config.shadow()[reg + b]} << (8 * b);
    }
    KT_CHECK(value == shadow);
    if (reg != upper_half) KT_CHECK(value != internal::kHostBarValue);
  }
}

}  // namespace

// One guest read or write of any offset, length and value. Accepted exactly when 1, 2 or 4
// bytes, naturally aligned and inside the space. Reads are idempotent and change nothing,
// and return (shadow & emulated) | (physical & ~emulated); a refused write changes nothing;
// an accepted write changes exactly what the write and W1C masks allow, forwards the value
// to the device when it touches a non-emulated bit, and reads back by the same rule.
kt::result<kt::Hex> Access(SpaceKind space, ConfigOp op, std::uint32_t offset,
                           KT_RANGE(0, 8) std::uint32_t len, std::uint32_t value) {
  Device d = MakeDevice(space);
  const Snapshot before = Snap(d);
  const bool valid = ValidAccess(offset, len, d.config.size());
  if (op == ConfigOp::kRead) {
    const auto first = d.config.Read(offset, len);
    const auto second = d.config.Read(offset, len);
    KT_CHECK(first.has_value() == valid);
    KT_CHECK(Snap(d) == before);
    if (!first) {
      KT_CHECK(!second.has_value() && second.error() == first.error());
      return first.error();
    }
    KT_CHECK(second.has_value() && second.value() == first.value());
    KT_CHECK(first.value() == MergeOf(before, offset, len));
    return kt::Hex(first.value());
  }
  const auto written = d.config.Write(offset, len, value);
  KT_CHECK(written.has_value() == valid);
  const Snapshot after = Snap(d);
  if (!written) {
    KT_CHECK(after == before);
    return written.error();
  }
  KT_CHECK(after == AfterWrite(before, offset, len, value));
  const auto read = d.config.Read(offset, len);
  KT_CHECK(read.has_value() && read.value() == MergeOf(after, offset, len));
  return kt::Hex(read.value());
}
KT_KERNEL("config.access", Access);

// AddBar of any index, type, size and address, then one guest operation on the register.
// AddBar refuses what no BAR register can hold. Once added: reads show the guest's shadow,
// never the host's BAR; sizing reads back ~(size - 1) with the type bits (upper dword too
// for 64-bit) and restoring brings the address back; a 64-bit BAR's address is always its
// upper dword over its lower one; a programmed address keeps only the writable bits.
kt::result<BarView> BarShadow(KT_RANGE(0, 7) unsigned index, BarType type,
                              KT_RANGE(0, 40) unsigned size_log2, BarPlacement where,
                              GuestBarOp op) {
  Device d = MakeDevice(SpaceKind::kConventional);
  vfio::ConfigSpace& config = d.config;
  const std::uint64_t size = std::uint64_t{1} << size_log2;
  const vfio::BarInfo bar = internal::BarInfoOf(type, size);
  const std::uint64_t addr = AddressFor(where, size);
  VFIO_TRY(config.AddBar(index, bar, vfio::Gpa(addr)));
  const bool rom = index == vfio::kRomIndex;
  const bool mem64 = bar.kind == vfio::BarKind::kMem64;
  const std::uint32_t reg = rom ? vfio::kRomOffset : vfio::kFirstBarOffset + 4 * index;
  const std::uint32_t address_mask = rom                           ? vfio::kRomAddressMask
                                     : bar.kind == vfio::BarKind::kIo ? vfio::kIoAddressMask
                                                                   : vfio::kMemAddressMask;
  const std::uint32_t flags = Read(config, reg) & ~address_mask;
  KT_CHECK(config.BarAddress(index).value() == vfio::Gpa(addr));
  // The slot after it: the upper half of a 64-bit BAR is no BAR of its own.
  const auto next = config.BarAddress(index + 1);
  KT_OBSERVE("next_bar", next);
  KT_CHECK(!mem64 || !next.has_value());
  const std::uint64_t mask = vfio::SizeMask(size);
  switch (op) {
    case GuestBarOp::kNone: break;
    case GuestBarOp::kSizeProbe: {
      // Sizing reads back the writable bits plus the flags (and a ROM's enable bit).
      const std::uint32_t enable = rom ? vfio::kRomEnable : 0;
      const std::uint32_t expected_low =
          (static_cast<std::uint32_t>(mask) & address_mask) | flags | enable;
      SizeProbe(config, reg, mem64, expected_low, static_cast<std::uint32_t>(mask >> 32));
      KT_CHECK(config.BarAddress(index).value() == vfio::Gpa(addr));
      break;
    }
    case GuestBarOp::kProbeLowOnly: Write(config, reg, 0xffff'ffff); break;
    case GuestBarOp::kProgram: {
      const std::uint64_t moved = addr + size;
      Write(config, reg, static_cast<std::uint32_t>(moved));
      if (mem64) Write(config, reg + 4, static_cast<std::uint32_t>(moved >> 32));
      const std::uint64_t expected =
          mem64 ? moved & mask & ~std::uint64_t{0xf}
                : static_cast<std::uint32_t>(moved) & static_cast<std::uint32_t>(mask) &
                      address_mask;
      KT_CHECK(config.BarAddress(index).value() == vfio::Gpa(expected));
      break;
    }
    case GuestBarOp::kProgramUpperOnly: Write(config, reg + 4, 1); break;
    case GuestBarOp::kWriteByte: KT_CHECK(config.Write(reg + 1, 1, 0xff).has_value()); break;
  }
  const std::uint32_t low = Read(config, reg);
  const std::uint32_t high = mem64 ? Read(config, reg + 4) : 0;
  const std::uint64_t guest_view = std::uint64_t{high} << 32 | (low & address_mask);
  KT_CHECK(config.BarAddress(index).value() == vfio::Gpa(guest_view));
  KT_CHECK((low & ~address_mask & ~vfio::kRomEnable) == (flags & ~vfio::kRomEnable));
  CheckIsolation(config, mem64 ? reg + 4 : 0);
  return BarView{guest_view, low, high};
}
KT_KERNEL("config.bar_shadow", BarShadow);

// InitField of 0..5 bytes at any offset with any masks, then the guest writes guest_value
// there and reads back. InitField refuses a bad length, a field past the space and a bit both
// writable and write-1-to-clear, changing nothing; the guest's write and read then follow
// the installed masks exactly (see Access): a write-1-to-clear bit written as 0 stays set,
// which an all-ones write alone could not show.
kt::result<kt::Hex> InitField(KT_RANGE(0, 0x104) std::uint32_t offset,
                              KT_RANGE(0, 5) std::uint32_t len, std::uint32_t write_mask,
                              std::uint32_t w1c_mask, std::uint32_t emulated_mask,
                              std::uint32_t guest_value) {
  Device d = MakeDevice(SpaceKind::kConventional);
  const Snapshot before = Snap(d);
  const vfio::FieldInit init{0x5a5a'5a5a, write_mask, w1c_mask, emulated_mask};
  const auto installed = d.config.InitField(offset, len, init);
  const std::uint32_t bits = len >= 4 ? 0xffff'ffff : (std::uint32_t{1} << (8 * len)) - 1;
  KT_CHECK(installed.has_value() == (len >= 1 && len <= 4 && offset + len <= d.config.size() &&
                                     (write_mask & w1c_mask & bits) == 0));
  if (!installed) {
    KT_CHECK(Snap(d) == before);
    return installed.error();
  }
  Snapshot expected = before;
  for (std::uint32_t i = 0; i < len; ++i) {
    const auto byte = [i](std::uint32_t v) { return static_cast<std::uint8_t>(v >> (8 * i)); };
    expected.shadow[offset + i] = byte(init.value);
    expected.write_mask[offset + i] = byte(write_mask);
    expected.w1c_mask[offset + i] = byte(w1c_mask);
    expected.emulated[offset + i] = byte(emulated_mask);
  }
  KT_CHECK(Snap(d) == expected);
  VFIO_TRY(d.config.Write(offset, len, guest_value));
  KT_CHECK(Snap(d) == AfterWrite(expected, offset, len, guest_value));
  VFIO_TRY(read, d.config.Read(offset, len));
  KT_CHECK(read == MergeOf(Snap(d), offset, len));
  return kt::Hex(read);
}
KT_KERNEL("config.init_field", InitField);

}  // namespace vfio_kernels
