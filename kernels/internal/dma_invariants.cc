// DMA tracker invariants shared by the DMA and cross-module kernels. Depends on
// vfio/dma_map.h and runner/kernel.h only.
#include "kernels/internal/dma_invariants.h"

#include <algorithm>

#include "runner/kernel.h"

namespace vfio_kernels::internal {

DmaStats StatsOf(const vfio::DmaMapTracker& tracker) {
  return {tracker.count(), tracker.total_bytes()};
}

void CheckTracker(const vfio::DmaMapTracker& tracker) {
  const std::vector<vfio::DmaMapping> mappings = tracker.mappings();
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < mappings.size(); ++i) {
    const vfio::DmaMapping& m = mappings[i];
    KT_CHECK(m.size != 0 && m.size - 1 <= UINT64_MAX - m.iova.value());
    if (i + 1 < mappings.size()) {
      // No overlaps: each mapping ends strictly before the next one starts.
      KT_CHECK(LastOf(m.iova.value(), m.size) < mappings[i + 1].iova.value());
    }
    sum += m.size;
  }
  KT_CHECK(tracker.count() == mappings.size());
  KT_CHECK(tracker.total_bytes() == sum);
}

void CheckMapEffect(const std::vector<vfio::DmaMapping>& before,
                    const vfio::DmaMapTracker& tracker, const vfio::DmaMapping& requested,
                    const vfio::Result<void>& result) {
  CheckTracker(tracker);
  const std::vector<vfio::DmaMapping> after = tracker.mappings();
  if (!result) {
    KT_CHECK(after == before);
    return;
  }
  std::vector<vfio::DmaMapping> expected = before;
  expected.push_back(requested);
  std::sort(expected.begin(), expected.end(),
            [](const vfio::DmaMapping& a, const vfio::DmaMapping& b) { return a.iova < b.iova; });
  KT_CHECK(after == expected);
  const vfio::Iova last(LastOf(requested.iova.value(), requested.size));
  KT_CHECK(tracker.FindContaining(requested.iova) == requested);
  KT_CHECK(tracker.FindContaining(last) == requested);
}

void CheckUnmapEffect(const std::vector<vfio::DmaMapping>& before,
                      const vfio::DmaMapTracker& tracker, vfio::Iova iova, std::uint64_t size,
                      const vfio::Result<std::uint64_t>& result) {
  CheckTracker(tracker);
  const std::vector<vfio::DmaMapping> after = tracker.mappings();
  if (!result) {
    KT_CHECK(after == before);
    return;
  }
  // An accepted unmap had a non-empty, non-wrapping range.
  KT_CHECK(size != 0 && size - 1 <= UINT64_MAX - iova.value());
  const std::uint64_t first = iova.value();
  const std::uint64_t last = LastOf(first, size);
  std::uint64_t gone = 0;
  std::size_t removed = 0;
  for (const vfio::DmaMapping& m : before) {
    const bool inside = m.iova.value() >= first && LastOf(m.iova.value(), m.size) <= last;
    const bool kept = std::find(after.begin(), after.end(), m) != after.end();
    // Never bisected: a mapping the range touches lies wholly inside it.
    KT_CHECK(inside || !Intersect(m.iova.value(), m.size, first, size));
    KT_CHECK(kept == !inside);
    if (inside) {
      gone += m.size;
      ++removed;
    }
  }
  KT_CHECK(after.size() + removed == before.size());
  KT_CHECK(result.value() == gone);
}

}  // namespace vfio_kernels::internal
