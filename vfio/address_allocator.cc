// AddressAllocator: gap search over a std::map<start, size> with inclusive-end arithmetic.
// Depends on vfio/address.h (IsPowerOfTwo) and vfio/result.h only.
#include "vfio/address_allocator.h"

#include <iterator>

#include "vfio/address.h"

namespace vfio {

const char* ToString(AllocError e) noexcept {
  switch (e) {
    case AllocError::kZeroSize: return "zero_size";
    case AllocError::kInvalidAlignment: return "invalid_alignment";
    case AllocError::kSizeNotPowerOfTwo: return "size_not_power_of_two";
    case AllocError::kPoolOverflow: return "pool_overflow";
    case AllocError::kOutOfSpace: return "out_of_space";
    case AllocError::kOutOfRange: return "out_of_range";
    case AllocError::kOverlap: return "overlap";
    case AllocError::kNotAllocated: return "not_allocated";
    case AllocError::kSizeMismatch: return "size_mismatch";
    case AllocError::kWindowAbove4GiB: return "window_above_4gib";
  }
  return "unknown";
}

const std::error_category& AllocCategory() noexcept {
  static const internal::EnumCategory<AllocError> category("vfio.alloc");
  return category;
}

std::error_code make_error_code(AllocError e) noexcept {
  return {static_cast<int>(e), AllocCategory()};
}

Result<AddressAllocator> AddressAllocator::Create(std::uint64_t base, std::uint64_t size) {
  if (size == 0) return make_error_code(AllocError::kZeroSize);
  if (size - 1 > UINT64_MAX - base) return make_error_code(AllocError::kPoolOverflow);
  return AddressAllocator(base, base + (size - 1));
}

Result<std::uint64_t> AddressAllocator::Allocate(std::uint64_t size, std::uint64_t align,
                                                 Fit fit) {
  if (size == 0) return make_error_code(AllocError::kZeroSize);
  if (!IsPowerOfTwo(align)) return make_error_code(AllocError::kInvalidAlignment);
  std::optional<std::uint64_t> start;
  switch (fit) {
    case Fit::kFirst: start = FindFirst(size, align); break;
    case Fit::kLast: start = FindLast(size, align); break;
    case Fit::kAboveHighest: start = FindAboveHighest(size, align); break;
  }
  if (!start) return make_error_code(AllocError::kOutOfSpace);
  allocations_.emplace(*start, size);
  allocated_bytes_ += size;
  return *start;
}

Result<void> AddressAllocator::AllocateAt(std::uint64_t addr, std::uint64_t size) {
  if (size == 0) return make_error_code(AllocError::kZeroSize);
  if (size - 1 > UINT64_MAX - addr) return make_error_code(AllocError::kOutOfRange);
  const std::uint64_t last = addr + (size - 1);
  if (addr < first_ || last > last_) return make_error_code(AllocError::kOutOfRange);
  // Both neighbours: the next allocation may start inside the range, the previous one may
  // reach into it.
  auto next = allocations_.upper_bound(addr);
  if (next != allocations_.end() && next->first <= last) {
    return make_error_code(AllocError::kOverlap);
  }
  if (next != allocations_.begin()) {
    const auto& [prev_start, prev_size] = *std::prev(next);
    if (addr - prev_start <= prev_size - 1) return make_error_code(AllocError::kOverlap);
  }
  allocations_.emplace(addr, size);
  allocated_bytes_ += size;
  return success();
}

Result<void> AddressAllocator::Free(std::uint64_t addr, std::uint64_t size) {
  const auto it = allocations_.find(addr);
  if (it == allocations_.end()) return make_error_code(AllocError::kNotAllocated);
  if (it->second != size) return make_error_code(AllocError::kSizeMismatch);
  allocated_bytes_ -= size;
  allocations_.erase(it);
  return success();
}

std::vector<Allocation> AddressAllocator::allocations() const {
  std::vector<Allocation> out;
  out.reserve(allocations_.size());
  for (const auto& [start, size] : allocations_) out.push_back({start, size});
  return out;
}

// Every bound is inclusive, so a gap ending at 2^64 - 1 never computes 2^64.
std::optional<std::uint64_t> AddressAllocator::FitInGap(std::uint64_t gap_first,
                                                        std::uint64_t gap_last,
                                                        std::uint64_t size, std::uint64_t align,
                                                        bool lowest) noexcept {
  if (size - 1 > gap_last - gap_first) return std::nullopt;
  const std::uint64_t mask = align - 1;
  if (lowest) {
    if (gap_first > UINT64_MAX - mask) return std::nullopt;
    const std::uint64_t start = (gap_first + mask) & ~mask;
    if (start > gap_last || size - 1 > gap_last - start) return std::nullopt;
    return start;
  }
  // The highest start that still fits is gap_last - (size - 1) >= gap_first; round it down.
  const std::uint64_t start = (gap_last - (size - 1)) & ~mask;
  if (start < gap_first) return std::nullopt;
  return start;
}

std::optional<std::uint64_t> AddressAllocator::FindFirst(std::uint64_t size,
                                                         std::uint64_t align) const {
  std::uint64_t gap_first = first_;
  for (const auto& [start, length] : allocations_) {
    if (start > gap_first) {
      if (auto found = FitInGap(gap_first, start - 1, size, align, /*lowest=*/true)) {
        return found;
      }
    }
    const std::uint64_t alloc_last = start + (length - 1);
    if (alloc_last == last_) return std::nullopt;  // nothing free above it
    gap_first = alloc_last + 1;
  }
  return FitInGap(gap_first, last_, size, align, /*lowest=*/true);
}

std::optional<std::uint64_t> AddressAllocator::FindLast(std::uint64_t size,
                                                        std::uint64_t align) const {
  std::uint64_t gap_last = last_;
  for (auto it = allocations_.rbegin(); it != allocations_.rend(); ++it) {
    const auto& [start, length] = *it;
    const std::uint64_t alloc_last = start + (length - 1);
    if (alloc_last < gap_last) {
      if (auto found = FitInGap(alloc_last + 1, gap_last, size, align, /*lowest=*/false)) {
        return found;
      }
    }
    if (start == first_) return std::nullopt;  // nothing free below it
    gap_last = start - 1;
  }
  return FitInGap(first_, gap_last, size, align, /*lowest=*/false);
}

std::optional<std::uint64_t> AddressAllocator::FindAboveHighest(std::uint64_t size,
                                                                std::uint64_t align) const {
  if (allocations_.empty()) return FitInGap(first_, last_, size, align, /*lowest=*/true);
  const auto& [start, length] = *allocations_.rbegin();
  const std::uint64_t alloc_last = start + (length - 1);
  if (alloc_last == last_) return std::nullopt;
  return FitInGap(alloc_last + 1, last_, size, align, /*lowest=*/true);
}

}  // namespace vfio
