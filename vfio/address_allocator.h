// A first/last-fit allocator of aligned address ranges inside one pool [base, base + size).
// Plain uint64_t addresses; depends on vfio/address.h and vfio/result.h only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <system_error>
#include <type_traits>
#include <vector>

#include "vfio/result.h"

namespace vfio {

enum class AllocError {
  kZeroSize = 1,        // a pool, allocation or BAR of 0 bytes
  kInvalidAlignment,    // an alignment that is 0 or not a power of two
  kSizeNotPowerOfTwo,   // a BAR size that is not a power of two
  kPoolOverflow,        // base + size of a pool passes 2^64
  kOutOfSpace,          // no free range fits; never a wrap-around
  kOutOfRange,          // AllocateAt outside the pool
  kOverlap,             // AllocateAt meets an existing allocation
  kNotAllocated,        // Free of an address where no allocation starts
  kSizeMismatch,        // Free of an allocation's start with a different size
  kWindowAbove4GiB,     // a 32-bit BAR window (I/O or mmio32) that ends above 4 GiB
};
const char* ToString(AllocError e) noexcept;
const std::error_category& AllocCategory() noexcept;
std::error_code make_error_code(AllocError e) noexcept;

// Where Allocate places a range among the free gaps.
enum class Fit : std::uint8_t {
  kFirst,        // the lowest aligned address that fits
  kLast,         // the highest aligned address that fits (top-down, like Cloud Hypervisor)
  kAboveHighest, // the lowest aligned fit above every live allocation, so successive
                 // allocations increase; space below the highest allocation is not reused
};

// One allocated range [start, start + size).
struct Allocation {
  std::uint64_t start = 0;
  std::uint64_t size = 0;

  friend bool operator==(const Allocation&, const Allocation&) = default;
};

// Allocations inside [base, base + size). Ends are computed inclusively (start + size - 1), so
// a pool ending at 2^64 - 1 works and nothing is computed one past the end.
// Thread-compatible.
//
// Example usage:
//   VFIO_TRY(pool, AddressAllocator::Create(0xc000'0000, 0x1000'0000));  // 256 MiB
//   VFIO_TRY(addr, pool.Allocate(0x10'0000, 0x10'0000));                // 1 MiB, aligned
//   VFIO_TRY(pool.Free(addr, 0x10'0000));
class AddressAllocator {
 public:
  // kZeroSize, or kPoolOverflow when base + size passes 2^64.
  static Result<AddressAllocator> Create(std::uint64_t base, std::uint64_t size);

  // A range of `size` bytes at a multiple of `align` (a power of two) placed by `fit`.
  // kZeroSize, kInvalidAlignment or kOutOfSpace.
  Result<std::uint64_t> Allocate(std::uint64_t size, std::uint64_t align, Fit fit = Fit::kFirst);
  // Exactly [addr, addr + size): kZeroSize, kOutOfRange (outside the pool, or wrapping), or
  // kOverlap.
  Result<void> AllocateAt(std::uint64_t addr, std::uint64_t size);
  // Releases the allocation that starts at addr and has exactly this size: kNotAllocated
  // when none starts there, kSizeMismatch when its size differs.
  Result<void> Free(std::uint64_t addr, std::uint64_t size);

  std::uint64_t base() const noexcept { return first_; }
  // The last address of the pool (inclusive).
  std::uint64_t last() const noexcept { return last_; }
  std::size_t count() const noexcept { return allocations_.size(); }
  std::uint64_t allocated_bytes() const noexcept { return allocated_bytes_; }
  // Every allocation, sorted by start.
  std::vector<Allocation> allocations() const;

 private:
  AddressAllocator(std::uint64_t first, std::uint64_t last) noexcept
      : first_(first), last_(last) {}

  // The lowest (or highest) aligned start in the free gap [gap_first, gap_last] that fits.
  static std::optional<std::uint64_t> FitInGap(std::uint64_t gap_first, std::uint64_t gap_last,
                                               std::uint64_t size, std::uint64_t align,
                                               bool lowest) noexcept;
  std::optional<std::uint64_t> FindFirst(std::uint64_t size, std::uint64_t align) const;
  std::optional<std::uint64_t> FindLast(std::uint64_t size, std::uint64_t align) const;
  std::optional<std::uint64_t> FindAboveHighest(std::uint64_t size, std::uint64_t align) const;

  std::uint64_t first_;
  std::uint64_t last_;
  std::map<std::uint64_t, std::uint64_t> allocations_;  // start -> size
  std::uint64_t allocated_bytes_ = 0;
};

}  // namespace vfio

template <>
struct std::is_error_code_enum<vfio::AllocError> : std::true_type {};
