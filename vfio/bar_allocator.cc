// BarAllocator: one AddressAllocator per window, natural alignment, increasing placement.
// Depends on vfio/address_allocator.h and vfio/bar.h only.
#include "vfio/bar_allocator.h"

#include <algorithm>
#include <utility>

namespace vfio {
namespace {

// The pool of one window. Cannot fail: GpaRange already guarantees size > 0 and no wrap.
Result<AddressAllocator> PoolOf(const GpaRange& window) {
  return AddressAllocator::Create(window.start().value(), window.size());
}

}  // namespace

Result<std::uint64_t> BarAlignment(const BarInfo& bar) {
  if (bar.size == 0) return make_error_code(AllocError::kZeroSize);
  if (!IsPowerOfTwo(bar.size)) return make_error_code(AllocError::kSizeNotPowerOfTwo);
  if (bar.kind == BarKind::kIo) return bar.size;
  return std::max(bar.size, BarAllocator::kMmioPageSize);
}

Result<BarAllocator> BarAllocator::Create(const BarWindows& windows) {
  // A 32-bit BAR register cannot hold an address whose last byte is above 4 GiB.
  for (const GpaRange* low : {&windows.io, &windows.mmio32}) {
    if (low->last().value() > k4GiB - 1) return make_error_code(AllocError::kWindowAbove4GiB);
  }
  VFIO_TRY(io, PoolOf(windows.io));
  VFIO_TRY(mmio32, PoolOf(windows.mmio32));
  VFIO_TRY(mmio64, PoolOf(windows.mmio64));
  std::optional<AddressAllocator> pref;
  if (windows.mmio64_pref) {
    VFIO_TRY(pool, PoolOf(*windows.mmio64_pref));
    pref = std::move(pool);
  }
  return BarAllocator(windows, std::move(io), std::move(mmio32), std::move(mmio64),
                      std::move(pref));
}

BarAllocator::BarAllocator(const BarWindows& windows, AddressAllocator io,
                           AddressAllocator mmio32, AddressAllocator mmio64,
                           std::optional<AddressAllocator> mmio64_pref)
    : windows_(windows),
      io_(std::move(io)),
      mmio32_(std::move(mmio32)),
      mmio64_(std::move(mmio64)),
      mmio64_pref_(std::move(mmio64_pref)) {}

// Natural alignment is what the property suite checks (addr & (size - 1) == 0): PCIe decodes
// a BAR by masking the low log2(size) bits, so any other address splits it.
Result<Gpa> BarAllocator::Allocate(const BarInfo& bar) {
  VFIO_TRY(align, BarAlignment(bar));
  VFIO_TRY(start, MutablePoolFor(bar).Allocate(bar.size, align, Fit::kAboveHighest));
  return Gpa(start);
}

Result<void> BarAllocator::Free(Gpa addr, const BarInfo& bar) {
  // Rejects the sizes Allocate rejects, so such a Free reports the same error.
  VFIO_TRY(BarAlignment(bar));
  return MutablePoolFor(bar).Free(addr.value(), bar.size);
}

const AddressAllocator& BarAllocator::PoolFor(const BarInfo& bar) const noexcept {
  switch (bar.kind) {
    case BarKind::kIo: return io_;
    case BarKind::kMem32: return mmio32_;
    case BarKind::kMem64: return bar.prefetchable && mmio64_pref_ ? *mmio64_pref_ : mmio64_;
  }
  // Only reachable for a BarKind value outside the enumerators; the 32-bit window is the one
  // that every BAR register can address.
  return mmio32_;
}

AddressAllocator& BarAllocator::MutablePoolFor(const BarInfo& bar) noexcept {
  return const_cast<AddressAllocator&>(std::as_const(*this).PoolFor(bar));
}

}  // namespace vfio
