// Exact arithmetic on kt::Integer through a 128-bit integer, which holds the union of the
// int64 and uint64 ranges and every sum or difference of two such values. Header-only;
// runner/value.h and the compiler's __int128 only.
#pragma once

#include <cstdint>

#include "runner/value.h"

namespace kt::permuter::internal {

// GCC and Clang both provide __int128 on every 64-bit target this project builds for.
using Wide = __int128;

inline constexpr Wide kWideMin = -(static_cast<Wide>(1) << 63);     // INT64_MIN
inline constexpr Wide kWideMax = (static_cast<Wide>(1) << 64) - 1;  // UINT64_MAX

constexpr Wide ToWide(const Integer& i) noexcept {
  return i.negative() ? -static_cast<Wide>(i.magnitude()) : static_cast<Wide>(i.bits());
}

// True when `w` is a value kt::Integer can hold.
constexpr bool FitsInteger(Wide w) noexcept { return w >= kWideMin && w <= kWideMax; }

// The Integer holding `w`; callers check FitsInteger first (values outside are clamped to
// the nearest end, so a missed check gives a wrong value, never undefined behaviour).
constexpr Integer FromWide(Wide w) noexcept {
  if (w < kWideMin) w = kWideMin;
  if (w > kWideMax) w = kWideMax;
  if (w < 0) return Integer::Negative(static_cast<std::uint64_t>(-w));
  return Integer(static_cast<std::uint64_t>(w));
}

// The low `bytes` bytes of a two's complement pattern, zero-extended: what the coverage
// runtime records for an operand of that width.
constexpr std::uint64_t Truncate(std::uint64_t bits, int bytes) noexcept {
  return bytes >= 8 ? bits : bits & ((std::uint64_t{1} << (8 * bytes)) - 1);
}

// The low `bytes` bytes of `bits` read as a signed integer of that width.
constexpr std::int64_t SignExtend(std::uint64_t bits, int bytes) noexcept {
  if (bytes >= 8) return static_cast<std::int64_t>(bits);
  const int shift = 64 - 8 * bytes;
  return static_cast<std::int64_t>(bits << shift) >> shift;
}

static_assert(ToWide(FromWide(kWideMin)) == kWideMin && ToWide(FromWide(kWideMax)) == kWideMax);
static_assert(Truncate(~std::uint64_t{0}, 4) == 0xffffffffu && SignExtend(0xff, 1) == -1);
static_assert(SignExtend(0x7f, 1) == 127 && SignExtend(0x8000, 2) == -32768);

}  // namespace kt::permuter::internal
