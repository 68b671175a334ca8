// Guest-visible PCI config space: a shadow with per-byte write, write-1-to-clear and emulated
// masks over a passthrough view of the physical device. Pure logic; depends on vfio/result.h,
// vfio/address.h and the BAR types and register constants of vfio/bar.h only (no syscalls).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <system_error>
#include <type_traits>
#include <vector>

#include "vfio/address.h"
#include "vfio/bar.h"
#include "vfio/result.h"

namespace vfio {

enum class ConfigError {
  kBadLength = 1,        // an access of other than 1, 2 or 4 bytes (InitField: 1..4)
  kMisaligned,           // an access whose offset is not a multiple of its length
  kOutOfRange,           // an access that ends past the config space
  kMaskConflict,         // InitField: a bit both writable and write-1-to-clear
  kInvalidBarIndex,      // a BAR index above 6 (6 is the expansion ROM)
  kInvalidRomKind,       // the ROM must be a non-prefetchable 32-bit memory BAR
  kBar64InLastSlot,      // a 64-bit BAR in slot 5 has no upper slot
  kBarInUse,             // the slot, or a 64-bit BAR's upper slot, already holds a BAR
  kBarSizeInvalid,       // not a power of two, or outside [minimum, maximum] for its kind
  kBarAddressUnaligned,  // the address is not a multiple of the size
  kBarAddressInvalid,    // a 32-bit, I/O or ROM BAR that ends above 4 GiB
  kNoBar,                // no BAR was added at that index
};
const char* ToString(ConfigError e) noexcept;
const std::error_category& ConfigCategory() noexcept;
std::error_code make_error_code(ConfigError e) noexcept;

// Offsets and bits of the type-0 (endpoint) header; the BAR and ROM offsets are bar.h's.
// VFIO passes endpoints through, never bridges, so the type-1 layout is not modelled.
namespace config_reg {
inline constexpr std::uint32_t kVendorId = 0x00;
inline constexpr std::uint32_t kDeviceId = 0x02;
inline constexpr std::uint32_t kCommand = 0x04;
inline constexpr std::uint32_t kStatus = 0x06;
inline constexpr std::uint32_t kRevisionId = 0x08;
inline constexpr std::uint32_t kClassCode = 0x09;  // 3 bytes: prog-if, subclass, class
inline constexpr std::uint32_t kCacheLineSize = 0x0c;
inline constexpr std::uint32_t kHeaderType = 0x0e;
inline constexpr std::uint32_t kSubsystemVendorId = 0x2c;
inline constexpr std::uint32_t kSubsystemId = 0x2e;
inline constexpr std::uint32_t kCapabilityList = 0x34;
inline constexpr std::uint32_t kInterruptLine = 0x3c;
inline constexpr std::uint32_t kInterruptPin = 0x3d;
inline constexpr std::uint32_t kHeaderEnd = 0x40;  // device-specific space starts here

inline constexpr std::uint16_t kCommandIo = 1u << 0;
inline constexpr std::uint16_t kCommandMemory = 1u << 1;
inline constexpr std::uint16_t kStatusCapabilityList = 1u << 4;
// I/O, memory, bus master, parity, SERR, INTx disable: what QEMU's pci_init_wmask allows.
inline constexpr std::uint16_t kCommandWriteMask = 0x0547;
// Parity, signalled/received target abort, received master abort, signalled SERR, detected
// parity: the error bits a driver clears by writing 1 (QEMU's pci_init_w1cmask).
inline constexpr std::uint16_t kStatusW1cMask = 0xf900;
}  // namespace config_reg

enum class ConfigSpaceSize : std::uint16_t { kConventional = 256, kExpress = 4096 };

// The physical device behind the emulation: where reads of non-emulated bits come from and
// where writes that touch them go. offset and len are always valid for the space (len 1, 2
// or 4, naturally aligned, inside it); values are little-endian, as on the PCI bus.
class ConfigPassthrough {
 public:
  virtual ~ConfigPassthrough() = default;
  virtual Result<std::uint32_t> Read(std::uint32_t offset, std::uint32_t len) const = 0;
  virtual Result<void> Write(std::uint32_t offset, std::uint32_t len, std::uint32_t value) = 0;
};

// No device: reads float to all-ones and writes are dropped, as on a master abort.
class AllOnesPassthrough final : public ConfigPassthrough {
 public:
  Result<std::uint32_t> Read(std::uint32_t offset, std::uint32_t len) const override;
  Result<void> Write(std::uint32_t offset, std::uint32_t len, std::uint32_t value) override;
};

// A device image in memory (a snapshot of the real device, or a fake in tests): every bit is
// read-write, bytes past the end of the buffer read as 0xff and ignore writes.
class BufferPassthrough final : public ConfigPassthrough {
 public:
  explicit BufferPassthrough(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
  Result<std::uint32_t> Read(std::uint32_t offset, std::uint32_t len) const override;
  Result<void> Write(std::uint32_t offset, std::uint32_t len, std::uint32_t value) override;
  const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

// What InitField installs on each bit of a field. A bit may be writable or write-1-to-clear,
// not both. Emulated bits read from the shadow, the others from the passthrough.
struct FieldInit {
  std::uint32_t value = 0;
  std::uint32_t write_mask = 0;
  std::uint32_t w1c_mask = 0;
  std::uint32_t emulated_mask = 0xffff'ffff;
};

// The identity registers InitType0Header installs, all read-only and emulated.
struct DeviceIds {
  std::uint16_t vendor_id = 0xffff;  // what an absent function reads, until set
  std::uint16_t device_id = 0xffff;
  std::uint8_t revision_id = 0;
  std::uint32_t class_code = 0;  // low 24 bits: class << 16 | subclass << 8 | prog-if
  std::uint16_t subsystem_vendor_id = 0;
  std::uint16_t subsystem_id = 0;
  std::uint8_t interrupt_pin = 0;  // 0 none, 1..4 INTA..INTD
};

// The config space one guest sees for one function.
//
// Reads are (shadow & emulated) | (physical & ~emulated) per bit and have no side effects.
// Guest writes change the shadow through the masks: new = (old & ~wmask) | (value & wmask),
// then new &= ~(value & w1c). A write touching any non-emulated bit is first forwarded as is
// to the passthrough, whose kernel driver filters what the guest may not change (as QEMU
// does); fields that must never reach the device, the BARs and the ROM, are fully emulated.
// Guest accesses are 1, 2 or 4 bytes, naturally aligned and inside the space; anything else
// is a ConfigError and changes nothing.
//
// A new space has every byte passthrough, read-only and zero in the shadow, except the six
// BARs and the ROM: those are emulated from the start and read 0 (unimplemented) until
// AddBar, so the host's physical BAR addresses never reach the guest.
//
// Thread-compatible. Movable, not copyable (it owns its passthrough); a moved-from space may
// only be assigned to or destroyed.
class ConfigSpace {
 public:
  // passthrough may be null: then the device reads as absent (AllOnesPassthrough).
  explicit ConfigSpace(ConfigSpaceSize size = ConfigSpaceSize::kConventional,
                       std::unique_ptr<ConfigPassthrough> passthrough = nullptr);

  // A guest read: kBadLength, kOutOfRange, kMisaligned (in that order of precedence), or the
  // passthrough's error; never changes any state.
  Result<std::uint32_t> Read(std::uint32_t offset, std::uint32_t len) const;
  // A guest write: the Read errors, or the passthrough's error; a rejected write changes
  // nothing.
  Result<void> Write(std::uint32_t offset, std::uint32_t len, std::uint32_t value);

  // VMM-side setup of 1..4 bytes at any alignment (the class code is 3 bytes at 0x09):
  // replaces their shadow and masks. kBadLength, kOutOfRange or kMaskConflict.
  Result<void> InitField(std::uint32_t offset, std::uint32_t len, const FieldInit& init);
  // A type-0 header over 0x00..0x3f: ids read-only, Command writable per kCommandWriteMask,
  // Status error bits W1C, cache line size and interrupt line writable, everything else 0
  // and read-only; all of it emulated. The BARs and the ROM are left as they are.
  void InitType0Header(const DeviceIds& ids);

  // Installs BAR `index` (0..5, or 6 for the ROM) at guest address `address`: the shadow
  // holds the address and the type bits, the write mask is ~(size - 1) without the type
  // bits (ROM: plus the enable bit), so the guest's sizing protocol works by plain writes.
  // Errors, checked in this order: ConfigError's kInvalidBarIndex to kBarAddressInvalid.
  Result<void> AddBar(unsigned index, const BarInfo& info, Gpa address);
  // The address the guest has programmed into BAR `index` (mem64: upper:lower).
  // kInvalidBarIndex, or kNoBar for a slot AddBar did not fill (a mem64's upper slot too).
  Result<Gpa> BarAddress(unsigned index) const;
  // Command bits 1 and 0 as the guest sees them; false if the passthrough read fails, since
  // treating decode as off is the safe side (CVE-2020-12888).
  bool MemoryDecodeEnabled() const;
  bool IoDecodeEnabled() const;
  // ROM enable bit (0x30 bit 0); false when there is no ROM.
  bool RomEnabled() const;

  std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(shadow_.size()); }
  std::span<const std::uint8_t> shadow() const noexcept { return shadow_; }
  std::span<const std::uint8_t> write_mask() const noexcept { return write_mask_; }
  std::span<const std::uint8_t> w1c_mask() const noexcept { return w1c_mask_; }
  std::span<const std::uint8_t> emulated_mask() const noexcept { return emulated_mask_; }

 private:
  Result<void> CheckAccess(std::uint32_t offset, std::uint32_t len) const;
  Result<void> CheckBar(unsigned index, const BarInfo& info, Gpa address) const;
  // Replaces shadow and masks of pre-checked bytes.
  void Install(std::uint32_t offset, std::uint32_t len, const FieldInit& init);
  bool SlotUsed(unsigned index) const;
  // Little-endian load/store of `len` bytes of one of the byte arrays; offsets pre-checked.
  static std::uint32_t Load(const std::vector<std::uint8_t>& bytes, std::uint32_t offset,
                            std::uint32_t len);
  static void Store(std::vector<std::uint8_t>& bytes, std::uint32_t offset, std::uint32_t len,
                    std::uint32_t value);
  bool CommandBit(std::uint16_t bit) const;

  std::vector<std::uint8_t> shadow_;
  std::vector<std::uint8_t> write_mask_;
  std::vector<std::uint8_t> w1c_mask_;
  std::vector<std::uint8_t> emulated_mask_;
  std::unique_ptr<ConfigPassthrough> passthrough_;
  std::array<std::optional<BarInfo>, kRomIndex + 1> bars_;
};

}  // namespace vfio

template <>
struct std::is_error_code_enum<vfio::ConfigError> : std::true_type {};
