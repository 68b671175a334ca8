// Kernels for vfio/address_allocator.h: pool creation, aligned allocation by each fit policy,
// allocation at a fixed address and exact-match frees, in pools at the bottom, in the
// middle and at the top of the 64-bit space. Depends on vfio/address_allocator.h and the
// runner's kernel API only.
#include <cstdint>
#include <utility>
#include <vector>

#include "kernels/kernel_params.h"
#include "kernels/kernel_types.h"
#include "runner/kernel.h"
#include "vfio/address.h"
#include "vfio/address_allocator.h"

namespace vfio_kernels {
namespace {

constexpr std::uint64_t kPage = 0x1000;
constexpr std::uint64_t kMiB = 0x10'0000;

vfio::AddressAllocator MakePool(PoolShape shape) {
  std::uint64_t base = 0;
  std::uint64_t size = kMiB;
  switch (shape) {
    case PoolShape::kLow: break;
    case PoolShape::kOdd:
      base = 0x1000;
      size = 0x7000;
      break;
    case PoolShape::kTop: base = 0 - kMiB; break;
  }
  auto pool = vfio::AddressAllocator::Create(base, size);
  KT_CHECK(pool.has_value());
  return std::move(pool).value();
}

void Reserve(vfio::AddressAllocator& pool, std::uint64_t addr, std::uint64_t size) {
  KT_CHECK(pool.AllocateAt(addr, size).has_value());
}

void Fill(vfio::AddressAllocator& pool, Prefill prefill) {
  const std::uint64_t first = pool.base();
  const std::uint64_t size = pool.last() - first + 1;
  switch (prefill) {
    case Prefill::kEmpty: break;
    case Prefill::kFirstPage: Reserve(pool, first, kPage); break;
    case Prefill::kMiddle: Reserve(pool, first + (size / 2 & ~(kPage - 1)), kPage); break;
    case Prefill::kLastPage: Reserve(pool, pool.last() - (kPage - 1), kPage); break;
    case Prefill::kTwoWithHole:
      Reserve(pool, first, kPage);
      Reserve(pool, first + 2 * kPage, kPage);
      break;
    case Prefill::kFull: Reserve(pool, first, size); break;
  }
}

PoolView ViewOf(const vfio::AddressAllocator& pool) {
  return {pool.base(), pool.last(), pool.count(), pool.allocated_bytes()};
}

// Sorted, disjoint, inside the pool, and allocated_bytes() is their sum.
void CheckPool(const vfio::AddressAllocator& pool) {
  std::uint64_t sum = 0;
  std::uint64_t next_free = pool.base();
  for (const vfio::Allocation& a : pool.allocations()) {
    KT_CHECK(a.size != 0 && a.start >= next_free);
    KT_CHECK(a.start <= pool.last() && a.size - 1 <= pool.last() - a.start);
    next_free = a.start + (a.size - 1);  // the last byte; the next start must pass it
    if (next_free != UINT64_MAX) ++next_free;
    sum += a.size;
  }
  KT_CHECK(pool.allocated_bytes() == sum && pool.count() == pool.allocations().size());
}

bool MeetsAny(const vfio::AddressAllocator& pool, std::uint64_t addr, std::uint64_t size) {
  const std::uint64_t last = addr + (size - 1);
  for (const vfio::Allocation& a : pool.allocations()) {
    if (a.start <= last && addr <= a.start + (a.size - 1)) return true;
  }
  return false;
}

}  // namespace

// A pool of [base, base + size): refused for size 0 or a pool passing 2^64, else its last
// byte is base + size - 1 (a pool may end exactly at 2^64 - 1).
kt::result<PoolView> PoolCreate(std::uint64_t base, std::uint64_t size) {
  const auto pool = vfio::AddressAllocator::Create(base, size);
  KT_CHECK(pool.has_value() == (size != 0 && size - 1 <= UINT64_MAX - base));
  if (!pool) return pool.error();
  KT_CHECK(pool.value().base() == base && pool.value().last() - base == size - 1);
  KT_CHECK(pool.value().count() == 0 && pool.value().allocated_bytes() == 0);
  return ViewOf(pool.value());
}
KT_KERNEL("alloc.create", PoolCreate);

// Allocate by a fit policy. The result is aligned, inside the pool and apart from every
// earlier allocation; first fit leaves no fit one alignment step lower, last fit none one
// step higher, above-highest lies above every earlier allocation. A refusal changes nothing.
kt::result<kt::Hex> PoolAllocate(PoolShape shape, Prefill prefill,
                                 KT_RANGE(0, 0x20'0000) std::uint64_t size,
                                 KT_RANGE(0, 0x10'0000) std::uint64_t align, vfio::Fit fit) {
  vfio::AddressAllocator pool = MakePool(shape);
  Fill(pool, prefill);
  const vfio::AddressAllocator before = pool;
  const auto addr = pool.Allocate(size, align, fit);
  CheckPool(pool);
  if (!addr) {
    KT_CHECK(pool.allocations() == before.allocations());
    KT_CHECK((addr.error() == vfio::AllocError::kZeroSize) == (size == 0));
    KT_CHECK((addr.error() == vfio::AllocError::kInvalidAlignment) ==
             (size != 0 && !vfio::IsPowerOfTwo(align)));
    return addr.error();
  }
  const std::uint64_t at = addr.value();
  KT_CHECK(at % align == 0 && at >= pool.base() && size - 1 <= pool.last() - at);
  KT_CHECK(!MeetsAny(before, at, size) && pool.count() == before.count() + 1);
  switch (fit) {
    case vfio::Fit::kFirst:
      if (at - before.base() >= align) {
        vfio::AddressAllocator lower = before;
        KT_CHECK(!lower.AllocateAt(at - align, size).has_value());
      }
      break;
    case vfio::Fit::kLast:
      if (align <= before.last() - at && size - 1 <= before.last() - at - align) {
        vfio::AddressAllocator higher = before;
        KT_CHECK(!higher.AllocateAt(at + align, size).has_value());
      }
      break;
    case vfio::Fit::kAboveHighest:
      for (const vfio::Allocation& a : before.allocations()) KT_CHECK(at > a.start + (a.size - 1));
      break;
  }
  return kt::Hex(at);
}
KT_KERNEL("alloc.allocate", PoolAllocate);

// Allocate exactly [addr, addr + size): accepted exactly when the range is non-empty, does
// not wrap, lies in the pool and meets no earlier allocation.
kt::result<PoolView> PoolAllocateAt(PoolShape shape, Prefill prefill, std::uint64_t addr,
                                    KT_RANGE(0, 0x20'0000) std::uint64_t size) {
  vfio::AddressAllocator pool = MakePool(shape);
  Fill(pool, prefill);
  const vfio::AddressAllocator before = pool;
  const bool fits = size != 0 && size - 1 <= UINT64_MAX - addr && addr >= pool.base() &&
                    addr + (size - 1) <= pool.last() && !MeetsAny(before, addr, size);
  const auto placed = pool.AllocateAt(addr, size);
  KT_CHECK(placed.has_value() == fits);
  CheckPool(pool);
  if (!placed) {
    KT_CHECK(pool.allocations() == before.allocations());
    return placed.error();
  }
  return ViewOf(pool);
}
KT_KERNEL("alloc.allocate_at", PoolAllocateAt);

// Free the first allocation (or the pool's first byte when there is none) in one of five
// ways: accepted exactly when an allocation starts there with that size; kNotAllocated when
// none starts there, kSizeMismatch otherwise; a refusal changes nothing.
kt::result<PoolView> PoolFree(PoolShape shape, Prefill prefill, FreeTarget target) {
  vfio::AddressAllocator pool = MakePool(shape);
  Fill(pool, prefill);
  const std::vector<vfio::Allocation> allocations = pool.allocations();
  vfio::Allocation victim{pool.base(), kPage};
  if (!allocations.empty()) victim = allocations.front();
  switch (target) {
    case FreeTarget::kExact: break;
    case FreeTarget::kWrongSize: victim.size += kPage; break;
    case FreeTarget::kInside: victim.start += kPage / 2; break;
    case FreeTarget::kNowhere: victim.start = pool.last(); break;
    case FreeTarget::kTwice: {
      const auto first = pool.Free(victim.start, victim.size);
      KT_OBSERVE("first", first);
      break;
    }
  }
  const vfio::AddressAllocator before = pool;
  bool starts = false;
  bool exact = false;
  for (const vfio::Allocation& a : before.allocations()) {
    starts = starts || a.start == victim.start;
    exact = exact || a == victim;
  }
  const auto freed = pool.Free(victim.start, victim.size);
  KT_CHECK(freed.has_value() == exact);
  CheckPool(pool);
  if (!freed) {
    KT_CHECK(pool.allocations() == before.allocations());
    KT_CHECK((freed.error() == vfio::AllocError::kNotAllocated) == !starts);
    return freed.error();
  }
  KT_CHECK(pool.count() + 1 == before.count());
  return ViewOf(pool);
}
KT_KERNEL("alloc.free", PoolFree);

}  // namespace vfio_kernels
