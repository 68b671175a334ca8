// Kernels for the unmap and lookup side of vfio/dma_map.h: unmap against every layout,
// FindContaining and Translate at every boundary, and map/unmap sequences. Depends on
// vfio/dma_map.h and the runner's kernel API only.
#include <cstdint>
#include <optional>
#include <vector>

#include "kernels/internal/dma_invariants.h"
#include "kernels/kernel_params.h"
#include "kernels/kernel_types.h"
#include "runner/kernel.h"
#include "vfio/address.h"
#include "vfio/dma_map.h"

namespace vfio_kernels {
namespace {

using internal::CheckMapEffect;
using internal::CheckTracker;
using internal::CheckUnmapEffect;
using internal::StatsOf;

constexpr std::uint64_t kMapSize = 0x1'0000;  // 64 KiB
constexpr std::uint64_t kFirst = 0x10'0000;   // A
constexpr std::uint64_t kGap = 0x2'0000;      // between A and B in kTwoWithGap
constexpr vfio::Hva kHva(0x7f00'0000'0000);

// Maps one fixed, valid mapping: the setup of a kernel, so a refusal is a finding.
void MapFixed(vfio::DmaMapTracker& tracker, std::uint64_t iova, std::uint64_t hva_offset) {
  const auto mapped = tracker.Map(vfio::Iova(iova), vfio::Hva(kHva.value() + hva_offset),
                                  kMapSize, vfio::Perm::kReadWrite);
  KT_CHECK(mapped.has_value());
}

std::uint64_t SecondStart(DmaLayout layout) {
  return layout == DmaLayout::kTwoWithGap ? kFirst + kMapSize + kGap : kFirst + kMapSize;
}

void SetUp(DmaLayout layout, vfio::DmaMapTracker& tracker) {
  if (layout == DmaLayout::kEmpty) return;
  MapFixed(tracker, kFirst, 0);
  if (layout == DmaLayout::kOne) return;
  // The second buffer is not contiguous with the first in HVA.
  MapFixed(tracker, SecondStart(layout), 0x1000'0000);
}

std::uint64_t UnmapAddress(UnmapStart start, DmaLayout layout) {
  switch (start) {
    case UnmapStart::kFirstStart: return kFirst;
    case UnmapStart::kInsideFirst: return kFirst + kMapSize / 2;
    case UnmapStart::kSecondStart: return SecondStart(layout);
    case UnmapStart::kBeforeFirst: return kFirst - kMapSize;
    case UnmapStart::kUnalignedFirst: return kFirst + 0x800;
    case UnmapStart::kNearTop: return 0 - kMapSize;
  }
  return kFirst;
}

// The mappings of OpSequence: A, B adjacent after A, Span across A's end and B's start, and
// C apart from all of them.
struct Extent {
  std::uint64_t iova;
  std::uint64_t size;
};
constexpr Extent kA{0x10'0000, kMapSize};
constexpr Extent kB{0x11'0000, kMapSize};
constexpr Extent kSpan{0x10'8000, kMapSize};
constexpr Extent kC{0x20'0000, kMapSize};

void Map(vfio::DmaMapTracker& tracker, const Extent& e, const char* step) {
  const std::vector<vfio::DmaMapping> before = tracker.mappings();
  const vfio::DmaMapping m{vfio::Iova(e.iova), vfio::Hva(kHva.value() + e.iova), e.size,
                           vfio::Perm::kReadWrite};
  const auto mapped = tracker.Map(m.iova, m.hva, m.size, m.perm);
  KT_OBSERVE(step, mapped);
  CheckMapEffect(before, tracker, m, mapped);
}

void Unmap(vfio::DmaMapTracker& tracker, std::uint64_t iova, std::uint64_t size,
           const char* step) {
  const std::vector<vfio::DmaMapping> before = tracker.mappings();
  const auto removed = tracker.Unmap(vfio::Iova(iova), size);
  if (removed) {
    KT_OBSERVE(step, kt::result<kt::Hex>(kt::Hex(removed.value())));
  } else {
    KT_OBSERVE(step, kt::result<kt::Hex>(removed.error()));
  }
  CheckUnmapEffect(before, tracker, vfio::Iova(iova), size, removed);
}

void Apply(vfio::DmaMapTracker& tracker, DmaOp op, const char* step) {
  switch (op) {
    case DmaOp::kMapA: return Map(tracker, kA, step);
    case DmaOp::kMapB: return Map(tracker, kB, step);
    case DmaOp::kMapSpan: return Map(tracker, kSpan, step);
    case DmaOp::kMapC: return Map(tracker, kC, step);
    case DmaOp::kUnmapA: return Unmap(tracker, kA.iova, kA.size, step);
    case DmaOp::kUnmapAB: return Unmap(tracker, kA.iova, kA.size + kB.size, step);
    case DmaOp::kUnmapHalfA: return Unmap(tracker, kA.iova, kA.size / 2, step);
    case DmaOp::kUnmapAll: {
      const std::uint64_t bytes = tracker.total_bytes();
      const std::uint64_t removed = tracker.UnmapAll();
      KT_OBSERVE(step, kt::Hex(removed));
      KT_CHECK(removed == bytes && tracker.count() == 0 && tracker.total_bytes() == 0);
      return;
    }
  }
}

}  // namespace

// Unmap [iova, iova + size) from a layout of up to two 64 KiB mappings. CheckUnmap predicts
// Unmap; a refusal changes nothing; an accepted unmap removes only whole mappings inside the
// range and returns their bytes; a range that meets no mapping removes 0 bytes, which is not
// an error (type1 v2).
kt::result<kt::Hex> UnmapRange(DmaLayout layout, UnmapStart start,
                               KT_RANGE(0, 0x40'0000) std::uint64_t size) {
  vfio::DmaMapTracker tracker;
  SetUp(layout, tracker);
  const std::vector<vfio::DmaMapping> before = tracker.mappings();
  const vfio::Iova iova(UnmapAddress(start, layout));
  KT_OBSERVE("iova", iova);
  const auto predicted = tracker.CheckUnmap(iova, size);
  const auto removed = tracker.Unmap(iova, size);
  KT_CHECK(removed.has_value() == predicted.has_value());
  CheckUnmapEffect(before, tracker, iova, size, removed);
  KT_OBSERVE("left", StatsOf(tracker));
  if (!removed) return removed.error();
  bool meets_any = false;
  for (const vfio::DmaMapping& m : before) {
    meets_any = meets_any || internal::Intersect(m.iova.value(), m.size, iova.value(), size);
  }
  KT_CHECK(meets_any || (removed.value() == 0 && tracker.mappings() == before));
  return kt::Hex(removed.value());
}
KT_KERNEL("dma.unmap", UnmapRange);

// Lookups around A = [64 KiB, 128 KiB), B adjacent after it (its HVA elsewhere) and C after a
// gap. FindContaining finds the mapping holding iova, if any; Translate succeeds exactly when
// [iova, iova + len) lies inside one mapping (never across A and B) and then returns the HVA
// at the same offset.
kt::result<vfio::Hva> FindContaining(vfio::Iova iova, KT_RANGE(0, 0x2'0000) std::uint64_t len) {
  vfio::DmaMapTracker tracker;
  MapFixed(tracker, 0x1'0000, 0);
  MapFixed(tracker, 0x2'0000, 0x100'0000);
  MapFixed(tracker, 0x4'0000, 0x200'0000);
  const auto found = tracker.FindContaining(iova);
  KT_OBSERVE("mapping", found ? std::optional<vfio::Iova>(found->iova) : std::nullopt);
  std::optional<vfio::DmaMapping> holder;
  for (const vfio::DmaMapping& m : tracker.mappings()) {
    if (iova >= m.iova && iova.value() - m.iova.value() < m.size) holder = m;
  }
  KT_CHECK(found == holder);
  const auto hva = tracker.Translate(iova, len);
  const bool well_formed = len != 0 && len - 1 <= UINT64_MAX - iova.value();
  if (well_formed && found) {
    const std::uint64_t offset = iova.value() - found->iova.value();
    const bool fits = len <= found->size - offset;
    KT_CHECK(hva.has_value() == fits);
    KT_CHECK(!fits || hva.value().value() == found->hva.value() + offset);
  } else {
    KT_CHECK(!hva.has_value());
  }
  return hva;
}
KT_KERNEL("dma.find_containing", FindContaining);

// Four map/unmap steps over A, B, Span and C; each step's result is observed. After every
// step: no two mappings overlap, the total is the sum of the sizes, a refused step changed
// nothing and an unmap cut no mapping.
DmaStats OpSequence(DmaOp op1, DmaOp op2, DmaOp op3, DmaOp op4) {
  vfio::DmaMapTracker tracker;
  Apply(tracker, op1, "step1");
  Apply(tracker, op2, "step2");
  Apply(tracker, op3, "step3");
  Apply(tracker, op4, "step4");
  CheckTracker(tracker);
  return StatsOf(tracker);
}
KT_KERNEL("dma.op_sequence", OpSequence);

}  // namespace vfio_kernels
