// Kernels for vfio/bar_allocator.h: BAR placement in the guest windows (natural alignment,
// no overlap, increasing addresses, 32-bit BARs below 4 GiB) and exact-match frees. Depends
// on vfio/bar_allocator.h and the runner's kernel API only.
#include <cstdint>
#include <vector>

#include "kernels/internal/device_model.h"
#include "kernels/kernel_params.h"
#include "kernels/kernel_types.h"
#include "runner/kernel.h"
#include "vfio/address.h"
#include "vfio/bar.h"
#include "vfio/bar_allocator.h"

namespace vfio_kernels {
namespace {

using internal::BarInfoOf;
using internal::CheckPlacement;

struct PlacedBar {
  vfio::Gpa addr;
  vfio::BarInfo bar;
};

// The sizes of Sequence's BARs, as log2, clamped to [0, 40].
unsigned SizeLog2(SizeOrder order, unsigned first_log2, unsigned i) {
  int log2 = static_cast<int>(first_log2);
  switch (order) {
    case SizeOrder::kDescending: log2 -= static_cast<int>(i); break;
    case SizeOrder::kAscending: log2 += static_cast<int>(i); break;
    case SizeOrder::kEqual: break;
    case SizeOrder::kAlternating: log2 -= (i % 2 == 0) ? 0 : 3; break;
  }
  return static_cast<unsigned>(log2 < 0 ? 0 : log2 > 40 ? 40 : log2);
}

// A new BAR against every BAR placed before it: no shared byte, and in one window a higher
// address than each of them.
void CheckAgainst(const std::vector<PlacedBar>& placed, const vfio::BarWindows& windows,
                  const PlacedBar& next) {
  for (const PlacedBar& p : placed) {
    const std::uint64_t p_last = p.addr.value() + (p.bar.size - 1);
    const std::uint64_t n_last = next.addr.value() + (next.bar.size - 1);
    KT_CHECK(p_last < next.addr.value() || n_last < p.addr.value());
    if (&internal::ExpectedWindow(windows, p.bar) ==
        &internal::ExpectedWindow(windows, next.bar)) {
      KT_CHECK(next.addr > p.addr);
    }
  }
}

}  // namespace

// Two BARs of 2^log2 bytes each. Every placement is naturally aligned, page-aligned for MMIO,
// inside the BAR's own window (32-bit BARs end at or below 4 GiB, 64-bit ones go high); the
// two never overlap, and in one window the second lies above the first.
kt::result<BarPair> PlaceTwo(BarWindowSet windows, BarType type_a,
                             KT_RANGE(0, 40) unsigned log2_a, BarType type_b,
                             KT_RANGE(0, 40) unsigned log2_b) {
  const vfio::BarWindows w = internal::WindowsOf(windows);
  VFIO_TRY(bars, vfio::BarAllocator::Create(w));
  const vfio::BarInfo a = BarInfoOf(type_a, std::uint64_t{1} << log2_a);
  const vfio::BarInfo b = BarInfoOf(type_b, std::uint64_t{1} << log2_b);
  VFIO_TRY(addr_a, bars.Allocate(a));
  CheckPlacement(w, a, addr_a);
  VFIO_TRY(addr_b, bars.Allocate(b));
  CheckPlacement(w, b, addr_b);
  CheckAgainst({{addr_a, a}}, w, {addr_b, b});
  return BarPair{addr_a.value(), addr_b.value()};
}
KT_KERNEL("bar_alloc.place_two", PlaceTwo);

// Up to eight BARs of one type in a size order. Each obeys the placement rules and meets
// none of the others; addresses increase. The first refusal ends the run and is the outcome;
// "placed" says how many fitted before it.
kt::result<Placed> Sequence(BarWindowSet windows, BarType type, KT_RANGE(1, 8) unsigned count,
                            KT_RANGE(0, 32) unsigned first_log2, SizeOrder order) {
  const vfio::BarWindows w = internal::WindowsOf(windows);
  VFIO_TRY(bars, vfio::BarAllocator::Create(w));
  std::vector<PlacedBar> placed;
  for (unsigned i = 0; i < count; ++i) {
    const vfio::BarInfo bar = BarInfoOf(type, std::uint64_t{1} << SizeLog2(order, first_log2, i));
    const auto addr = bars.Allocate(bar);
    if (!addr) {
      KT_OBSERVE("placed", placed.size());
      KT_CHECK(bars.PoolFor(bar).count() == placed.size());
      return addr.error();
    }
    CheckPlacement(w, bar, addr.value());
    CheckAgainst(placed, w, {addr.value(), bar});
    placed.push_back({addr.value(), bar});
  }
  KT_OBSERVE("placed", placed.size());
  return Placed{placed.size(), placed.front().addr.value(), placed.back().addr.value()};
}
KT_KERNEL("bar_alloc.sequence", Sequence);

// One BAR of any size, then a free. Sizes that are 0 or not a power of two are refused; a
// free needs the exact address, size and window, and a refused free changes nothing; after
// an exact free the same BAR lands at the same address again.
kt::result<vfio::Gpa> AllocateFree(BarWindowSet windows, BarType type,
                                   KT_RANGE(0, 0x1'0000'0000) std::uint64_t size, FreeOp op) {
  const vfio::BarWindows w = internal::WindowsOf(windows);
  VFIO_TRY(bars, vfio::BarAllocator::Create(w));
  const vfio::BarInfo bar = BarInfoOf(type, size);
  const auto addr = bars.Allocate(bar);
  KT_CHECK(addr.has_value() || bars.PoolFor(bar).count() == 0);
  if (!addr) return addr;
  CheckPlacement(w, bar, addr.value());
  const vfio::Gpa at = addr.value();
  vfio::BarInfo freed = bar;
  vfio::Gpa free_at = at;
  switch (op) {
    case FreeOp::kNone: return at;
    case FreeOp::kExact:
    case FreeOp::kTwice: break;
    case FreeOp::kWrongAddress: free_at = vfio::Gpa(at.value() + size); break;
    case FreeOp::kWrongSize: freed.size = size * 2; break;
    case FreeOp::kOtherWindow: freed = BarInfoOf(internal::OtherWindowType(type), size); break;
    case FreeOp::kZeroSize: freed.size = 0; break;
    case FreeOp::kNotPowerOfTwo: freed.size = size + 1; break;
  }
  auto before = bars.PoolFor(bar).allocations();
  auto released = bars.Free(free_at, freed);
  if (released && op == FreeOp::kTwice) {
    KT_CHECK(bars.PoolFor(bar).count() == 0);
    before = bars.PoolFor(bar).allocations();
    released = bars.Free(free_at, freed);
  }
  if (!released) {
    KT_CHECK(bars.PoolFor(bar).allocations() == before);
    return released.error();
  }
  KT_CHECK(op == FreeOp::kExact && bars.PoolFor(bar).count() == 0);
  const auto again = bars.Allocate(bar);
  KT_CHECK(again.has_value() && again.value() == at);
  return at;
}
KT_KERNEL("bar_alloc.allocate_free", AllocateFree);

}  // namespace vfio_kernels
