// PCI Base Address Registers: index <-> config offset, and decoding the sizing protocol.
// Pure logic; depends on vfio/result.h only.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <system_error>
#include <type_traits>

#include "vfio/result.h"

namespace vfio {

enum class BarKind : std::uint8_t { kIo, kMem32, kMem64 };

// What the sizing protocol tells of one BAR. size is a power of two (>= 4 for I/O, >= 16 for
// memory); a 64-bit BAR occupies its slot and the next.
struct BarInfo {
  BarKind kind = BarKind::kMem32;
  bool prefetchable = false;
  std::uint64_t size = 0;

  friend bool operator==(const BarInfo&, const BarInfo&) = default;
};

// Type-0 header layout: BARs 0..5 at 0x10 + 4 * index, the expansion ROM at 0x30 (index 6,
// as in VFIO_PCI_ROM_REGION_INDEX).
inline constexpr unsigned kNumBars = 6;
inline constexpr unsigned kRomIndex = 6;
inline constexpr std::uint16_t kFirstBarOffset = 0x10;
inline constexpr std::uint16_t kRomOffset = 0x30;

// Address bits of a BAR register; the rest are flags. I/O: bit 0 = 1, bit 1 reserved.
// Memory: bit 0 = 0, bits 2:1 type (00 32-bit, 10 64-bit, 01 and 11 reserved), bit 3
// prefetchable. ROM: bit 0 = enable, bits 10:1 reserved.
inline constexpr std::uint32_t kIoAddressMask = 0xffff'fffc;
inline constexpr std::uint32_t kMemAddressMask = 0xffff'fff0;
inline constexpr std::uint32_t kRomAddressMask = 0xffff'f800;
inline constexpr std::uint32_t kRomEnable = 0x1;

enum class BarError {
  kInvalidIndex = 1,     // BarOffset: index > 6; DecodeBar: index > 5 (the ROM has its own)
  kUnalignedOffset,      // BarIndexFromOffset: offset not a multiple of 4
  kNotBarOffset,         // BarIndexFromOffset: an aligned offset that holds no BAR
  kReservedType,         // memory type 01b or 11b
  kMem64InLastSlot,      // a 64-bit BAR in slot 5 would need the ROM's register as its upper half
  kMissingUpperHalf,     // a 64-bit BAR decoded without the upper dword's readback
  kUnexpectedUpperHalf,  // an upper dword given for an I/O or 32-bit BAR
  kNotImplemented,       // the address bits read back 0: the BAR does not exist
  kNotPowerOfTwo,        // the address bits that read back 1 are not contiguous up to the top
};
const char* ToString(BarError e) noexcept;
const std::error_category& BarCategory() noexcept;
std::error_code make_error_code(BarError e) noexcept;

// "io", "mem32", "mem64".
const char* ToString(BarKind kind) noexcept;
// BarInfo{kind=mem64, prefetchable=true, size=0x100000}: one spelling per value.
std::ostream& operator<<(std::ostream& os, const BarInfo& info);

// The config-space offset of BAR `index` (0..5) or of the ROM (kRomIndex); kInvalidIndex
// beyond. Always DWORD-aligned.
Result<std::uint16_t> BarOffset(unsigned index) noexcept;
// The inverse of BarOffset: kUnalignedOffset for an offset inside a dword, kNotBarOffset for
// an aligned offset that is not one of the seven BAR registers.
Result<unsigned> BarIndexFromOffset(std::uint16_t offset) noexcept;

// True when a BAR register value (or its sizing readback: the type bits are read-only)
// announces a 64-bit memory BAR, i.e. the caller must also probe the next slot.
constexpr bool IsMem64(std::uint32_t bar) noexcept { return (bar & 0x7) == 0x4; }

// Decodes the sizing protocol of BAR `index` (0..5): write 0xffff'ffff, read back, restore.
// probe_lo is the readback of the BAR's own register; probe_hi is the readback of the next
// register and must be present exactly when IsMem64(probe_lo). Size = ~(address bits) + 1,
// with a 64-bit BAR's upper dword as the high half. An I/O BAR whose upper 16 address bits
// read back 0 has a 16-bit decoder and is sized within 64 KiB (as Linux does with
// IO_SPACE_LIMIT). The reserved I/O bit 1 is ignored. Errors are checked in the order of the
// BarError enumerators from kInvalidIndex on.
//
// Example usage (edu BAR0 through VFIO):
//   VFIO_TRY(info, vfio::DecodeBar(0, 0xfff0'0000, std::nullopt));
//   // info == BarInfo{BarKind::kMem32, false, 0x10'0000}
Result<BarInfo> DecodeBar(unsigned index, std::uint32_t probe_lo,
                          std::optional<std::uint32_t> probe_hi) noexcept;

// Decodes the expansion ROM's sizing readback (write 0xffff'f800 or all-ones, read back):
// size = ~(probe & kRomAddressMask) + 1, reported as a non-prefetchable 32-bit memory BAR
// of at least 2 KiB. The enable bit and the reserved bits 10:1 do not affect the size.
Result<BarInfo> DecodeRomBar(std::uint32_t probe) noexcept;

// Whether a ROM register value has its decode enable bit set.
constexpr bool RomEnabled(std::uint32_t rom) noexcept { return (rom & kRomEnable) != 0; }

// The writable address bits of a BAR of `size` bytes, ~(size - 1): what a virtual BAR
// reads back after an all-ones write (low dword, plus the upper dword for 64-bit). Meaningful
// for a power-of-two size only; SizeMask(0) is 0.
constexpr std::uint64_t SizeMask(std::uint64_t size) noexcept { return ~(size - 1); }

}  // namespace vfio

template <>
struct std::is_error_code_enum<vfio::BarError> : std::true_type {};
