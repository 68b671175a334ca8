// Edge-case kernels across the vfio modules: zero sizes, the top of the 64-bit space, the
// smallest and largest MSI-X vector counts, and the boundary BAR indices. Depends on the
// vfio libraries (never vfio/passthrough.h), the kernels' models and the runner's kernel API.
#include <array>
#include <cstdint>
#include <system_error>
#include <utility>

#include "kernels/internal/device_model.h"
#include "kernels/internal/dma_invariants.h"
#include "kernels/internal/msix_model.h"
#include "kernels/kernel_params.h"
#include "kernels/kernel_types.h"
#include "runner/kernel.h"
#include "vfio/address.h"
#include "vfio/address_allocator.h"
#include "vfio/bar.h"
#include "vfio/bar_allocator.h"
#include "vfio/config_space.h"
#include "vfio/dma_map.h"
#include "vfio/msix.h"

namespace vfio_kernels {
namespace {

using internal::kPage;

template <class T>
vfio::Result<void> Drop(const vfio::Result<T>& r) {
  if (!r) return r.error();
  return vfio::success();
}

// The zero-size request of one module, and the zero_size error that module must give.
std::pair<vfio::Result<void>, std::error_code> ZeroSizeRequest(ZeroSizeOp op) {
  const vfio::Iova iova(0x10'0000);
  const vfio::Hva hva(0x7f00'0000'0000);
  vfio::DmaMapTracker dma;
  auto pool = vfio::AddressAllocator::Create(0x10'0000, 0x10'0000);
  KT_CHECK(pool.has_value());
  auto bars = vfio::BarAllocator::Create(internal::WindowsOf(BarWindowSet::kQ35));
  KT_CHECK(bars.has_value());
  const vfio::BarInfo empty_bar{vfio::BarKind::kMem32, false, 0};
  const std::error_code dma_zero = vfio::DmaError::kZeroSize;
  const std::error_code alloc_zero = vfio::AllocError::kZeroSize;
  switch (op) {
    case ZeroSizeOp::kRangeMake:
      return {Drop(vfio::IovaRange::Make(iova, 0)), vfio::AddressError::kZeroSize};
    case ZeroSizeOp::kDmaMap: return {dma.Map(iova, hva, 0, vfio::Perm::kReadWrite), dma_zero};
    case ZeroSizeOp::kDmaUnmap: return {Drop(dma.Unmap(iova, 0)), dma_zero};
    case ZeroSizeOp::kDmaTranslate:
      KT_CHECK(dma.Map(iova, hva, kPage, vfio::Perm::kRead).has_value());
      return {Drop(dma.Translate(iova, 0)), dma_zero};
    case ZeroSizeOp::kPoolCreate:
      return {Drop(vfio::AddressAllocator::Create(0x10'0000, 0)), alloc_zero};
    case ZeroSizeOp::kPoolAllocate: return {Drop(pool.value().Allocate(0, kPage)), alloc_zero};
    case ZeroSizeOp::kPoolAllocateAt: return {pool.value().AllocateAt(0x10'0000, 0), alloc_zero};
    case ZeroSizeOp::kBarAllocate: return {Drop(bars.value().Allocate(empty_bar)), alloc_zero};
    case ZeroSizeOp::kBarFree:
      return {bars.value().Free(vfio::Gpa(0xc000'0000), empty_bar), alloc_zero};
  }
  return {vfio::success(), {}};
}

// An operation on [start, start + size) near the top: `fits` when the range ends at or
// below 2^64 - 1.
struct Top {
  std::uint64_t start;
  std::uint64_t size;
  bool fits;
};

kt::result<kt::Hex> AtTopOfAddresses(TopOp op, const Top& top) {
  const vfio::Iova iova(top.start);
  if (op == TopOp::kCheckedAdd) {
    const auto sum = iova.CheckedAdd(top.size);
    KT_CHECK(sum.has_value() == (top.size <= UINT64_MAX - top.start));
    if (!sum) return sum.error();
    KT_CHECK(sum.value() >= iova);
    return kt::Hex(sum.value().value());
  }
  if (op == TopOp::kAlignUp) {
    const auto up = iova.AlignUp(top.size);
    if (!up) return up.error();
    KT_CHECK(up.value() >= iova && up.value().IsAligned(top.size));
    return kt::Hex(up.value().value());
  }
  const auto range = vfio::IovaRange::Make(iova, top.size);
  KT_CHECK(range.has_value() == top.fits);
  if (!range) return range.error();
  KT_CHECK(range.value().last() >= iova);
  KT_CHECK(range.value().last().value() - top.start == top.size - 1);
  return kt::Hex(range.value().last().value());
}

kt::result<kt::Hex> AtTopOfDma(TopOp op, const Top& top) {
  const vfio::Iova iova(top.start);
  const vfio::Iova top_page(0 - kPage);
  const vfio::Hva hva(kPage);
  vfio::DmaMapTracker dma;
  if (op == TopOp::kDmaMap) {
    const auto mapped = dma.Map(iova, hva, top.size, vfio::Perm::kReadWrite);
    const bool aligned = top.start % kPage == 0 && top.size % kPage == 0;
    KT_CHECK(mapped.has_value() == (top.fits && aligned));
    internal::CheckMapEffect({}, dma, {iova, hva, top.size, vfio::Perm::kReadWrite}, mapped);
    if (!mapped) return mapped.error();
    return kt::Hex(dma.total_bytes());
  }
  KT_CHECK(dma.Map(top_page, hva, kPage, vfio::Perm::kRead).has_value());
  if (op == TopOp::kDmaUnmap) {
    const auto before = dma.mappings();
    const auto removed = dma.Unmap(iova, top.size);
    internal::CheckUnmapEffect(before, dma, iova, top.size, removed);
    if (!removed) return removed.error();
    return kt::Hex(removed.value());
  }
  const auto translated = dma.Translate(iova, top.size);
  KT_CHECK(translated.has_value() == (top.fits && iova >= top_page));
  if (!translated) return translated.error();
  KT_CHECK(translated.value().value() == kPage + (top.start - top_page.value()));
  return kt::Hex(translated.value().value());
}

// A pool of the top 16 KiB of the space.
kt::result<kt::Hex> AtTopOfPool(TopOp op, const Top& top) {
  auto created = vfio::AddressAllocator::Create(0 - 4 * kPage, 4 * kPage);
  KT_CHECK(created.has_value());
  vfio::AddressAllocator& pool = created.value();
  if (op == TopOp::kPoolAllocate) {
    const auto addr = pool.Allocate(top.size, 1, vfio::Fit::kLast);
    if (!addr) return addr.error();
    KT_CHECK(top.size - 1 <= UINT64_MAX - addr.value());
    KT_CHECK(addr.value() + (top.size - 1) == UINT64_MAX);  // last fit ends at the very top
    return kt::Hex(addr.value());
  }
  const auto placed = pool.AllocateAt(top.start, top.size);
  KT_CHECK(placed.has_value() == (top.fits && top.start >= pool.base()));
  if (!placed) return placed.error();
  return kt::Hex(pool.allocated_bytes());
}

}  // namespace

// A zero-size request to each module is refused with that module's zero_size error.
kt::result<void> ZeroSize(ZeroSizeOp op) {
  const auto [result, expected] = ZeroSizeRequest(op);
  KT_CHECK(!result.has_value() && result.error() == expected);
  return result;
}
KT_KERNEL("edge.zero_size", ZeroSize);

// Operations within 8 KiB of 2^64 - 1 (start = 2^64 - 1 - below_top). Nothing wraps: an
// accepted range ends at or below 2^64 - 1, and each operation is refused exactly when its
// range would pass it (or breaks another rule of its module).
kt::result<kt::Hex> MaxAddress(TopOp op, KT_RANGE(0, 0x2000) std::uint64_t below_top,
                               KT_RANGE(0, 0x2000) std::uint64_t size) {
  const Top top{UINT64_MAX - below_top, size, size != 0 && size - 1 <= below_top};
  switch (op) {
    case TopOp::kCheckedAdd:
    case TopOp::kAlignUp:
    case TopOp::kRangeMake: return AtTopOfAddresses(op, top);
    case TopOp::kDmaMap:
    case TopOp::kDmaUnmap:
    case TopOp::kTranslate: return AtTopOfDma(op, top);
    case TopOp::kPoolAllocate:
    case TopOp::kPoolAllocateAt: return AtTopOfPool(op, top);
  }
  return kt::Hex(0u);
}
KT_KERNEL("edge.max_address", MaxAddress);

// 0..2049 vectors. MsixState and MsixVectors agree on which counts exist (1..2048); for
// each, Message Control reads N - 1, the PBA is ceil(N / 64) words, and all N vectors can be
// configured, enabled and delivered at once (see internal::DriveVectors).
kt::result<CoexistView> VectorCount(KT_RANGE(0, 2049) std::uint32_t vectors) {
  constexpr std::array<std::uint64_t, vfio::kMsixBarCount> kBars = {0, 0, 0, 0x1'0000, 0, 0};
  const auto state = vfio::MsixState::Create({vectors, 3, 0, 3, 0x8000}, kBars);
  const auto machine = vfio::MsixVectors::Create(vectors);
  const bool valid = vectors >= 1 && vectors <= vfio::kMsixMaxVectors;
  KT_CHECK(state.has_value() == valid && machine.has_value() == valid);
  if (!state) return state.error();
  KT_CHECK(state.value().ReadControl() == vectors - 1 && machine.value().size() == vectors);
  KT_CHECK(vfio::MsixPbaBytes(vectors) == (vectors + 63) / 64 * 8);
  const auto last = state.value().Entry(vectors - 1);
  KT_CHECK(last.has_value() && last.value().masked());
  KT_CHECK(!state.value().Entry(vectors).has_value());
  return internal::DriveVectors(vectors, vectors, /*mask_function_first=*/false);
}
KT_KERNEL("edge.vector_count", VectorCount);

// BAR indices 0..8 across the modules that take one: BarOffset has 0..6 (6 the ROM),
// DecodeBar 0..5 (no 64-bit BAR in 5), AddBar 0..6 (6 only a non-prefetchable mem32 ROM),
// an MSI-X BIR 0..5; 7 and up are refused everywhere.
kt::result<kt::Hex> BoundaryBarIndex(KT_RANGE(0, 8) unsigned index, BarType type) {
  const vfio::BarInfo bar = internal::BarInfoOf(type, 0x10'0000);
  const bool mem64 = bar.kind == vfio::BarKind::kMem64;
  const internal::SizingReadback probe = internal::ConformingReadback(bar);
  const auto decoded = vfio::DecodeBar(index, probe.low, probe.high);
  KT_OBSERVE("decode", decoded);
  KT_CHECK(decoded.has_value() == (index < vfio::kNumBars && !(mem64 && index == 5)));
  vfio::ConfigSpace config;
  const auto added = config.AddBar(index, bar, vfio::Gpa(0x8000'0000));
  KT_OBSERVE("add_bar", added);
  const bool rom_ok = index == vfio::kRomIndex && type == BarType::kMem32;
  KT_CHECK(added.has_value() == (decoded.has_value() || rom_ok));
  std::array<std::uint64_t, vfio::kMsixBarCount> bars;
  bars.fill(0x1000);
  const vfio::MsixLayout layout{1, static_cast<std::uint8_t>(index), 0,
                                static_cast<std::uint8_t>(index), 0x800};
  const auto msix = vfio::ValidateMsixLayout(layout, bars);
  KT_OBSERVE("msix_bir", msix);
  KT_CHECK(msix.has_value() == (index < vfio::kMsixBarCount));
  const auto offset = vfio::BarOffset(index);
  KT_CHECK(offset.has_value() == (index <= vfio::kRomIndex));
  if (!offset) return offset.error();
  return kt::Hex(offset.value());
}
KT_KERNEL("edge.bar_index", BoundaryBarIndex);

}  // namespace vfio_kernels
