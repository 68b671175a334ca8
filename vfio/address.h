// Strongly typed guest-physical, host-virtual and device (IOVA) addresses, checked arithmetic
// and half-open ranges. Header-only; depends on vfio/result.h only.
#pragma once

#include <compare>
#include <cstdint>
#include <system_error>
#include <type_traits>

#include "vfio/result.h"

namespace vfio {

enum class AddressError {
  kOverflow = 1,     // start + n (or align-up) passes 2^64
  kUnderflow,        // a difference with lo > hi
  kZeroSize,         // a range of size 0
  kNotPowerOfTwo,    // an alignment that is not a power of two
};
const char* ToString(AddressError e) noexcept;
const std::error_category& AddressCategory() noexcept;
std::error_code make_error_code(AddressError e) noexcept;

constexpr bool IsPowerOfTwo(std::uint64_t v) noexcept { return v != 0 && (v & (v - 1)) == 0; }

// An address in one address space. No implicit conversion from or to integers or to an
// address of another space, and no Addr + Addr: offsets are plain uint64_t.
template <class Tag>
class Addr {
 public:
  constexpr Addr() noexcept = default;
  constexpr explicit Addr(std::uint64_t value) noexcept : value_(value) {}

  constexpr std::uint64_t value() const noexcept { return value_; }

  // *this + n, or kOverflow when that passes 2^64 - 1.
  Result<Addr> CheckedAdd(std::uint64_t n) const noexcept;
  // *this - lo, or kUnderflow when lo > *this.
  Result<std::uint64_t> CheckedDiff(Addr lo) const noexcept;
  // True when the address is a multiple of `align`, which must be a power of two.
  constexpr bool IsAligned(std::uint64_t align) const noexcept {
    return IsPowerOfTwo(align) && (value_ & (align - 1)) == 0;
  }
  // The smallest multiple of `align` >= *this; kNotPowerOfTwo or kOverflow.
  Result<Addr> AlignUp(std::uint64_t align) const noexcept;
  // `align` must be a power of two.
  constexpr Addr AlignDown(std::uint64_t align) const noexcept {
    return Addr(value_ & ~(align - 1));
  }

  friend constexpr auto operator<=>(Addr, Addr) noexcept = default;

 private:
  std::uint64_t value_ = 0;
};

// Members returning Result<Addr> are defined here: Result<T> needs a complete T.
template <class Tag>
Result<Addr<Tag>> Addr<Tag>::CheckedAdd(std::uint64_t n) const noexcept {
  if (n > UINT64_MAX - value_) return make_error_code(AddressError::kOverflow);
  return Addr(value_ + n);
}

template <class Tag>
Result<std::uint64_t> Addr<Tag>::CheckedDiff(Addr lo) const noexcept {
  if (lo.value_ > value_) return make_error_code(AddressError::kUnderflow);
  return value_ - lo.value_;
}

template <class Tag>
Result<Addr<Tag>> Addr<Tag>::AlignUp(std::uint64_t align) const noexcept {
  if (!IsPowerOfTwo(align)) return make_error_code(AddressError::kNotPowerOfTwo);
  const std::uint64_t mask = align - 1;
  if (value_ > UINT64_MAX - mask) return make_error_code(AddressError::kOverflow);
  return Addr((value_ + mask) & ~mask);
}

using Gpa = Addr<struct GpaTag>;    // guest physical
using Hva = Addr<struct HvaTag>;    // host virtual
using Iova = Addr<struct IovaTag>;  // device / IOMMU virtual

// Half-open [start, start + size) with size > 0 and start + size <= 2^64 (the range may end
// exactly at the top of the space; last() is then 2^64 - 1).
template <class Tag>
class Range {
 public:
  using Address = Addr<Tag>;

  // kZeroSize, or kOverflow when start + size passes 2^64.
  static Result<Range> Make(Address start, std::uint64_t size) noexcept;
  // [first, last] inclusive; kUnderflow when last < first, kOverflow for all of 2^64.
  static Result<Range> FromInclusive(Address first, Address last) noexcept;

  constexpr Address start() const noexcept { return start_; }
  constexpr std::uint64_t size() const noexcept { return size_; }
  // The last address inside the range (inclusive); never overflows.
  constexpr Address last() const noexcept { return Address(start_.value() + (size_ - 1)); }

  constexpr bool Contains(Address a) const noexcept { return start_ <= a && a <= last(); }
  constexpr bool Contains(const Range& r) const noexcept {
    return start_ <= r.start_ && r.last() <= last();
  }
  constexpr bool Overlaps(const Range& r) const noexcept {
    return start_ <= r.last() && r.start_ <= last();
  }

  friend constexpr bool operator==(const Range&, const Range&) noexcept = default;

 private:
  constexpr Range(Address start, std::uint64_t size) noexcept : start_(start), size_(size) {}

  Address start_;
  std::uint64_t size_;
};

template <class Tag>
Result<Range<Tag>> Range<Tag>::Make(Address start, std::uint64_t size) noexcept {
  if (size == 0) return make_error_code(AddressError::kZeroSize);
  if (size - 1 > UINT64_MAX - start.value()) return make_error_code(AddressError::kOverflow);
  return Range(start, size);
}

template <class Tag>
Result<Range<Tag>> Range<Tag>::FromInclusive(Address first, Address last) noexcept {
  if (last < first) return make_error_code(AddressError::kUnderflow);
  if (first.value() == 0 && last.value() == UINT64_MAX)
    return make_error_code(AddressError::kOverflow);
  return Range(first, last.value() - first.value() + 1);
}

using GpaRange = Range<GpaTag>;
using HvaRange = Range<HvaTag>;
using IovaRange = Range<IovaTag>;

// Explicit GPA <-> IOVA translation: iova = gpa + offset; leaving the 64-bit space is an error.
// The identity mapping is offset 0. Round-trips: ToGpa(ToIova(g)) == g whenever ToIova(g)
// succeeds.
class GpaIovaMapping {
 public:
  constexpr GpaIovaMapping() noexcept = default;
  constexpr explicit GpaIovaMapping(std::int64_t offset) noexcept : offset_(offset) {}
  static constexpr GpaIovaMapping Identity() noexcept { return GpaIovaMapping(0); }

  constexpr std::int64_t offset() const noexcept { return offset_; }
  Result<Iova> ToIova(Gpa g) const noexcept {
    return Shift<Iova>(g.value(), /*up=*/offset_ >= 0);
  }
  Result<Gpa> ToGpa(Iova i) const noexcept {
    return Shift<Gpa>(i.value(), /*up=*/offset_ < 0);
  }

 private:
  // v moved by |offset_| up or down. The magnitude is computed in uint64_t so INT64_MIN has
  // a well-defined absolute value.
  template <class To>
  Result<To> Shift(std::uint64_t v, bool up) const noexcept {
    const std::uint64_t mag = offset_ < 0 ? 0 - static_cast<std::uint64_t>(offset_)
                                          : static_cast<std::uint64_t>(offset_);
    if (up) {
      if (mag > UINT64_MAX - v) return make_error_code(AddressError::kOverflow);
      return To(v + mag);
    }
    if (mag > v) return make_error_code(AddressError::kUnderflow);
    return To(v - mag);
  }

  std::int64_t offset_ = 0;
};

}  // namespace vfio

template <>
struct std::is_error_code_enum<vfio::AddressError> : std::true_type {};
