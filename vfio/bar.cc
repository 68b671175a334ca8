// BAR offsets, sizing-protocol decoding and the vfio.bar error category. Depends on
// vfio/result.h only.
#include "vfio/bar.h"

#include <bit>
#include <ostream>

namespace vfio {

const char* ToString(BarError e) noexcept {
  switch (e) {
    case BarError::kInvalidIndex: return "invalid_index";
    case BarError::kUnalignedOffset: return "unaligned_offset";
    case BarError::kNotBarOffset: return "not_bar_offset";
    case BarError::kReservedType: return "reserved_type";
    case BarError::kMem64InLastSlot: return "mem64_in_last_slot";
    case BarError::kMissingUpperHalf: return "missing_upper_half";
    case BarError::kUnexpectedUpperHalf: return "unexpected_upper_half";
    case BarError::kNotImplemented: return "not_implemented";
    case BarError::kNotPowerOfTwo: return "not_power_of_two";
  }
  return "unknown";
}

const std::error_category& BarCategory() noexcept {
  static const internal::EnumCategory<BarError> category("vfio.bar");
  return category;
}

std::error_code make_error_code(BarError e) noexcept {
  return {static_cast<int>(e), BarCategory()};
}

const char* ToString(BarKind kind) noexcept {
  switch (kind) {
    case BarKind::kIo: return "io";
    case BarKind::kMem32: return "mem32";
    case BarKind::kMem64: return "mem64";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, const BarInfo& info) {
  const auto flags = os.flags();
  os << "BarInfo{kind=" << ToString(info.kind)
     << ", prefetchable=" << (info.prefetchable ? "true" : "false") << ", size=0x" << std::hex
     << info.size << "}";
  os.flags(flags);
  return os;
}

Result<std::uint16_t> BarOffset(unsigned index) noexcept {
  if (index < kNumBars) return static_cast<std::uint16_t>(kFirstBarOffset + 4 * index);
  if (index == kRomIndex) return kRomOffset;
  return make_error_code(BarError::kInvalidIndex);
}

Result<unsigned> BarIndexFromOffset(std::uint16_t offset) noexcept {
  if (offset % 4 != 0) return make_error_code(BarError::kUnalignedOffset);
  if (offset == kRomOffset) return kRomIndex;
  if (offset < kFirstBarOffset || offset >= kFirstBarOffset + 4 * kNumBars)
    return make_error_code(BarError::kNotBarOffset);
  return (offset - kFirstBarOffset) / 4u;
}

namespace {

constexpr std::uint32_t kIoSpace = 0x1;
constexpr std::uint32_t kMemTypeMask = 0x6;
constexpr std::uint32_t kMemType32 = 0x0;
constexpr std::uint32_t kMemType64 = 0x4;
constexpr std::uint32_t kPrefetchable = 0x8;
// A 16-bit I/O decoder reads back zeros in the upper half (Linux IO_SPACE_LIMIT on x86).
constexpr std::uint32_t kIo16Limit = 0xffff;

// ~mask + 1 for the address bits of a readback, or an error. With mask != 0 the sum cannot
// wrap, and it is a power of two exactly when the set bits run contiguously to the top:
// the readback of a conforming BAR.
Result<std::uint64_t> SizeFromMask(std::uint64_t mask, std::uint64_t limit) noexcept {
  if (mask == 0) return make_error_code(BarError::kNotImplemented);
  const std::uint64_t size = (~mask & limit) + 1;
  if (!std::has_single_bit(size)) return make_error_code(BarError::kNotPowerOfTwo);
  return size;
}

Result<BarInfo> DecodeIo(std::uint32_t probe_lo) noexcept {
  const std::uint32_t mask = probe_lo & kIoAddressMask;
  const std::uint64_t limit = (mask & ~kIo16Limit) == 0 ? kIo16Limit : UINT32_MAX;
  VFIO_TRY(size, SizeFromMask(mask, limit));
  return BarInfo{BarKind::kIo, false, size};
}

}  // namespace

Result<BarInfo> DecodeBar(unsigned index, std::uint32_t probe_lo,
                          std::optional<std::uint32_t> probe_hi) noexcept {
  if (index >= kNumBars) return make_error_code(BarError::kInvalidIndex);
  if ((probe_lo & kIoSpace) != 0) {
    if (probe_hi) return make_error_code(BarError::kUnexpectedUpperHalf);
    return DecodeIo(probe_lo);
  }
  const std::uint32_t type = probe_lo & kMemTypeMask;
  if (type != kMemType32 && type != kMemType64) return make_error_code(BarError::kReservedType);
  const bool prefetchable = (probe_lo & kPrefetchable) != 0;
  const std::uint64_t lo_mask = probe_lo & kMemAddressMask;
  if (type == kMemType32) {
    if (probe_hi) return make_error_code(BarError::kUnexpectedUpperHalf);
    VFIO_TRY(size, SizeFromMask(lo_mask, UINT32_MAX));
    return BarInfo{BarKind::kMem32, prefetchable, size};
  }
  if (index == kNumBars - 1) return make_error_code(BarError::kMem64InLastSlot);
  if (!probe_hi) return make_error_code(BarError::kMissingUpperHalf);
  const std::uint64_t mask = std::uint64_t{*probe_hi} << 32 | lo_mask;
  VFIO_TRY(size, SizeFromMask(mask, UINT64_MAX));
  return BarInfo{BarKind::kMem64, prefetchable, size};
}

Result<BarInfo> DecodeRomBar(std::uint32_t probe) noexcept {
  VFIO_TRY(size, SizeFromMask(probe & kRomAddressMask, UINT32_MAX));
  return BarInfo{BarKind::kMem32, false, size};
}

}  // namespace vfio
