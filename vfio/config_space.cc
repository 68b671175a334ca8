// Guest-visible PCI config space: access checks, the read merge, masked writes and virtual
// BARs. Pure logic; no syscalls, and only bar.h's types and header-only constants.
#include "vfio/config_space.h"

#include <utility>

namespace vfio {
namespace {

// The bits of a `len`-byte access (len 1..4).
constexpr std::uint32_t LenMask(std::uint32_t len) noexcept {
  return len >= 4 ? 0xffff'ffffu : (std::uint32_t{1} << (8 * len)) - 1;
}
static_assert(LenMask(1) == 0xff && LenMask(2) == 0xffff && LenMask(3) == 0xff'ffff &&
              LenMask(4) == 0xffff'ffff);

// The smallest and largest sizes a BAR register of each kind can describe. A 32-bit register
// keeps its low flag bits and needs at least one address bit, so 2 GiB is its largest BAR;
// the ROM's reserved bits 10:1 make 2 KiB its smallest.
constexpr std::uint64_t kMinIoBar = 4;
constexpr std::uint64_t kMinMemBar = 16;
constexpr std::uint64_t kMinRomBar = 2048;
constexpr std::uint64_t kMax32BitBar = std::uint64_t{1} << 31;
constexpr std::uint64_t kMax64BitBar = std::uint64_t{1} << 63;
constexpr std::uint64_t kFourGiB = std::uint64_t{1} << 32;

// The read-only flag bits of a BAR register: I/O bit 0; memory type in bits 2:1 and
// prefetchable in bit 3.
constexpr std::uint32_t TypeBits(const BarInfo& info) noexcept {
  switch (info.kind) {
    case BarKind::kIo: return 0x1;
    case BarKind::kMem32: return info.prefetchable ? 0x8 : 0x0;
    case BarKind::kMem64: return info.prefetchable ? 0xc : 0x4;
  }
  return 0;
}

constexpr std::uint32_t AddressMask(BarKind kind) noexcept {
  return kind == BarKind::kIo ? kIoAddressMask : kMemAddressMask;
}

constexpr std::uint32_t Low32(std::uint64_t v) noexcept { return static_cast<std::uint32_t>(v); }
constexpr std::uint32_t High32(std::uint64_t v) noexcept {
  return static_cast<std::uint32_t>(v >> 32);
}

// The ROM's address bits start at bit 11: its smallest size is exactly the mask's step.
static_assert(Low32(SizeMask(kMinRomBar)) == kRomAddressMask);

// BAR and ROM registers, which InitType0Header must leave as AddBar made them.
constexpr bool IsBarRegister(std::uint32_t offset) noexcept {
  return (offset >= kFirstBarOffset && offset < kFirstBarOffset + 4 * kNumBars) ||
         offset == kRomOffset;
}

}  // namespace

const char* ToString(ConfigError e) noexcept {
  switch (e) {
    case ConfigError::kBadLength: return "bad_length";
    case ConfigError::kMisaligned: return "misaligned";
    case ConfigError::kOutOfRange: return "out_of_range";
    case ConfigError::kMaskConflict: return "mask_conflict";
    case ConfigError::kInvalidBarIndex: return "invalid_bar_index";
    case ConfigError::kInvalidRomKind: return "invalid_rom_kind";
    case ConfigError::kBar64InLastSlot: return "bar64_in_last_slot";
    case ConfigError::kBarInUse: return "bar_in_use";
    case ConfigError::kBarSizeInvalid: return "bar_size_invalid";
    case ConfigError::kBarAddressUnaligned: return "bar_address_unaligned";
    case ConfigError::kBarAddressInvalid: return "bar_address_invalid";
    case ConfigError::kNoBar: return "no_bar";
  }
  return "unknown";
}

const std::error_category& ConfigCategory() noexcept {
  static const internal::EnumCategory<ConfigError> category("vfio.config");
  return category;
}

std::error_code make_error_code(ConfigError e) noexcept {
  return {static_cast<int>(e), ConfigCategory()};
}

Result<std::uint32_t> AllOnesPassthrough::Read(std::uint32_t offset,
                                               std::uint32_t len) const {
  return LenMask(len);
}

Result<void> AllOnesPassthrough::Write(std::uint32_t offset, std::uint32_t len,
                                       std::uint32_t value) {
  return success();
}

Result<std::uint32_t> BufferPassthrough::Read(std::uint32_t offset, std::uint32_t len) const {
  std::uint32_t value = 0;
  for (std::uint32_t i = 0; i < len; ++i) {
    const std::uint64_t at = std::uint64_t{offset} + i;
    const std::uint32_t byte = at < bytes_.size() ? bytes_[at] : 0xff;
    value |= byte << (8 * i);
  }
  return value;
}

Result<void> BufferPassthrough::Write(std::uint32_t offset, std::uint32_t len,
                                      std::uint32_t value) {
  for (std::uint32_t i = 0; i < len; ++i) {
    const std::uint64_t at = std::uint64_t{offset} + i;
    if (at < bytes_.size()) bytes_[at] = static_cast<std::uint8_t>(value >> (8 * i));
  }
  return success();
}

ConfigSpace::ConfigSpace(ConfigSpaceSize size, std::unique_ptr<ConfigPassthrough> passthrough)
    : shadow_(static_cast<std::size_t>(size), 0),
      write_mask_(shadow_.size(), 0),
      w1c_mask_(shadow_.size(), 0),
      emulated_mask_(shadow_.size(), 0),
      passthrough_(passthrough ? std::move(passthrough)
                               : std::make_unique<AllOnesPassthrough>()) {
  // Unimplemented until AddBar: emulated zeros, so sizing reads back 0 and the host's
  // physical BAR addresses are never read, let alone shown.
  for (unsigned i = 0; i < kNumBars; ++i) Install(kFirstBarOffset + 4 * i, 4, FieldInit{});
  Install(kRomOffset, 4, FieldInit{});
}

std::uint32_t ConfigSpace::Load(const std::vector<std::uint8_t>& bytes, std::uint32_t offset,
                                std::uint32_t len) {
  std::uint32_t value = 0;
  for (std::uint32_t i = 0; i < len; ++i) value |= std::uint32_t{bytes[offset + i]} << (8 * i);
  return value;
}

void ConfigSpace::Store(std::vector<std::uint8_t>& bytes, std::uint32_t offset,
                        std::uint32_t len, std::uint32_t value) {
  for (std::uint32_t i = 0; i < len; ++i)
    bytes[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

Result<void> ConfigSpace::CheckAccess(std::uint32_t offset, std::uint32_t len) const {
  if (len != 1 && len != 2 && len != 4) return make_error_code(ConfigError::kBadLength);
  // 64-bit sum: offset is guest-chosen and may be near 2^32.
  if (std::uint64_t{offset} + len > size()) return make_error_code(ConfigError::kOutOfRange);
  if (offset % len != 0) return make_error_code(ConfigError::kMisaligned);
  return success();
}

Result<std::uint32_t> ConfigSpace::Read(std::uint32_t offset, std::uint32_t len) const {
  VFIO_TRY(CheckAccess(offset, len));
  const std::uint32_t emulated = Load(emulated_mask_, offset, len);
  const std::uint32_t shadow = Load(shadow_, offset, len);
  // A fully emulated field never touches the device: no cost, and no host value to leak.
  if (emulated == LenMask(len)) return shadow;
  VFIO_TRY(physical, passthrough_->Read(offset, len));
  return ((shadow & emulated) | (physical & ~emulated)) & LenMask(len);
}

Result<void> ConfigSpace::Write(std::uint32_t offset, std::uint32_t len, std::uint32_t value) {
  VFIO_TRY(CheckAccess(offset, len));
  value &= LenMask(len);  // bits past the access are not on the bus
  // Device first: if it refuses, the shadow must not have moved.
  if (Load(emulated_mask_, offset, len) != LenMask(len)) {
    VFIO_TRY(passthrough_->Write(offset, len, value));  // a macro of several statements
  }
  const std::uint32_t wmask = Load(write_mask_, offset, len);
  const std::uint32_t w1c = Load(w1c_mask_, offset, len);
  std::uint32_t next = (Load(shadow_, offset, len) & ~wmask) | (value & wmask);
  next &= ~(value & w1c);
  Store(shadow_, offset, len, next);
  return success();
}

void ConfigSpace::Install(std::uint32_t offset, std::uint32_t len, const FieldInit& init) {
  Store(shadow_, offset, len, init.value);
  Store(write_mask_, offset, len, init.write_mask);
  Store(w1c_mask_, offset, len, init.w1c_mask);
  Store(emulated_mask_, offset, len, init.emulated_mask);
}

Result<void> ConfigSpace::InitField(std::uint32_t offset, std::uint32_t len,
                                    const FieldInit& init) {
  if (len < 1 || len > 4) return make_error_code(ConfigError::kBadLength);
  if (std::uint64_t{offset} + len > size()) return make_error_code(ConfigError::kOutOfRange);
  // Write and clear on one bit would make the outcome depend on the order of the two rules.
  if ((init.write_mask & init.w1c_mask & LenMask(len)) != 0)
    return make_error_code(ConfigError::kMaskConflict);
  Install(offset, len, init);
  return success();
}

void ConfigSpace::InitType0Header(const DeviceIds& ids) {
  namespace reg = config_reg;
  // Everything else in the header (CardBus CIS, reserved, Min_Gnt/Max_Lat) reads 0.
  for (std::uint32_t offset = 0; offset < reg::kHeaderEnd; offset += 4)
    if (!IsBarRegister(offset)) Install(offset, 4, FieldInit{});
  Install(reg::kVendorId, 2, {.value = ids.vendor_id});
  Install(reg::kDeviceId, 2, {.value = ids.device_id});
  Install(reg::kCommand, 2, {.value = 0, .write_mask = reg::kCommandWriteMask});
  Install(reg::kStatus, 2, {.value = 0, .w1c_mask = reg::kStatusW1cMask});
  Install(reg::kRevisionId, 1, {.value = ids.revision_id});
  Install(reg::kClassCode, 3, {.value = ids.class_code});
  Install(reg::kCacheLineSize, 1, {.value = 0, .write_mask = 0xff});
  Install(reg::kSubsystemVendorId, 2, {.value = ids.subsystem_vendor_id});
  Install(reg::kSubsystemId, 2, {.value = ids.subsystem_id});
  Install(reg::kInterruptLine, 1, {.value = 0, .write_mask = 0xff});
  Install(reg::kInterruptPin, 1, {.value = ids.interrupt_pin});
}

bool ConfigSpace::SlotUsed(unsigned index) const {
  if (bars_[index]) return true;
  return index > 0 && bars_[index - 1] && bars_[index - 1]->kind == BarKind::kMem64;
}

Result<void> ConfigSpace::CheckBar(unsigned index, const BarInfo& info, Gpa address) const {
  if (index > kRomIndex) return make_error_code(ConfigError::kInvalidBarIndex);
  const bool rom = index == kRomIndex;
  if (rom && (info.kind != BarKind::kMem32 || info.prefetchable))
    return make_error_code(ConfigError::kInvalidRomKind);
  const bool mem64 = info.kind == BarKind::kMem64;
  if (mem64 && index == kNumBars - 1) return make_error_code(ConfigError::kBar64InLastSlot);
  if (SlotUsed(index) || (mem64 && SlotUsed(index + 1)))
    return make_error_code(ConfigError::kBarInUse);
  const std::uint64_t min = rom ? kMinRomBar : info.kind == BarKind::kIo ? kMinIoBar : kMinMemBar;
  const std::uint64_t max = mem64 ? kMax64BitBar : kMax32BitBar;
  if (!IsPowerOfTwo(info.size) || info.size < min || info.size > max)
    return make_error_code(ConfigError::kBarSizeInvalid);
  if (!address.IsAligned(info.size)) return make_error_code(ConfigError::kBarAddressUnaligned);
  // A naturally aligned power-of-two BAR cannot pass 2^64, so only the 4 GiB limit of the
  // 32-bit registers remains. Written as a subtraction so it cannot wrap.
  if (!mem64 && address.value() > kFourGiB - info.size)
    return make_error_code(ConfigError::kBarAddressInvalid);
  return success();
}

Result<void> ConfigSpace::AddBar(unsigned index, const BarInfo& info, Gpa address) {
  VFIO_TRY(CheckBar(index, info, address));
  const std::uint64_t mask = SizeMask(info.size);
  const std::uint64_t addr = address.value();
  if (index == kRomIndex) {
    // Disabled until the guest sets the enable bit, as after reset.
    Install(kRomOffset, 4, {.value = Low32(addr), .write_mask = Low32(mask) | kRomEnable});
  } else {
    const std::uint32_t offset = kFirstBarOffset + 4 * index;
    const std::uint32_t address_mask = AddressMask(info.kind);
    Install(offset, 4, {.value = (Low32(addr) & address_mask) | TypeBits(info),
                        .write_mask = Low32(mask) & address_mask});
    if (info.kind == BarKind::kMem64)
      Install(offset + 4, 4, {.value = High32(addr), .write_mask = High32(mask)});
  }
  bars_[index] = info;
  return success();
}

Result<Gpa> ConfigSpace::BarAddress(unsigned index) const {
  if (index > kRomIndex) return make_error_code(ConfigError::kInvalidBarIndex);
  if (!bars_[index]) return make_error_code(ConfigError::kNoBar);
  if (index == kRomIndex) return Gpa(Load(shadow_, kRomOffset, 4) & kRomAddressMask);
  const std::uint32_t offset = kFirstBarOffset + 4 * index;
  const BarKind kind = bars_[index]->kind;
  std::uint64_t addr = Load(shadow_, offset, 4) & AddressMask(kind);
  if (kind == BarKind::kMem64) addr |= std::uint64_t{Load(shadow_, offset + 4, 4)} << 32;
  return Gpa(addr);
}

bool ConfigSpace::CommandBit(std::uint16_t bit) const {
  const Result<std::uint32_t> command = Read(config_reg::kCommand, 2);
  return command && (command.value() & bit) != 0;
}

bool ConfigSpace::MemoryDecodeEnabled() const { return CommandBit(config_reg::kCommandMemory); }

bool ConfigSpace::IoDecodeEnabled() const { return CommandBit(config_reg::kCommandIo); }

bool ConfigSpace::RomEnabled() const {
  return bars_[kRomIndex] && (Load(shadow_, kRomOffset, 4) & kRomEnable) != 0;
}

}  // namespace vfio
