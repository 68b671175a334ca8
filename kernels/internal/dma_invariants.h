// The DMA tracker invariants every DMA kernel checks after each operation (KT_CHECK): no
// overlaps, total bytes equal to the sum, a refused operation changes nothing, an unmap
// removes whole mappings only. Depends on vfio/dma_map.h and runner/kernel.h only.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/kernel_types.h"
#include "vfio/address.h"
#include "vfio/dma_map.h"
#include "vfio/result.h"

namespace vfio_kernels::internal {

inline constexpr std::uint64_t kPage = 0x1000;

DmaStats StatsOf(const vfio::DmaMapTracker& tracker);

// The inclusive last address of [start, start + size); size must be > 0 and not wrap.
constexpr std::uint64_t LastOf(std::uint64_t start, std::uint64_t size) noexcept {
  return start + (size - 1);
}
// Whether [a, a + a_size) and [b, b + b_size) share a byte; both non-empty, neither wrapping.
constexpr bool Intersect(std::uint64_t a, std::uint64_t a_size, std::uint64_t b,
                         std::uint64_t b_size) noexcept {
  return a <= LastOf(b, b_size) && b <= LastOf(a, a_size);
}

// Sorted by IOVA, each mapping ends before the next starts, and total_bytes() and count()
// agree with the mappings.
void CheckTracker(const vfio::DmaMapTracker& tracker);

// After tracker.Map(iova, hva, size, perm) returned `result` on a tracker that held
// `before`: refused -> unchanged; accepted -> exactly `before` plus the new mapping, which
// FindContaining finds at both ends.
void CheckMapEffect(const std::vector<vfio::DmaMapping>& before,
                    const vfio::DmaMapTracker& tracker, const vfio::DmaMapping& requested,
                    const vfio::Result<void>& result);

// After tracker.Unmap(iova, size) returned `result`: refused -> unchanged; accepted -> the
// mappings inside the range are gone, the rest untouched, none was cut (type1 v2), and the
// bytes returned are the bytes that went.
void CheckUnmapEffect(const std::vector<vfio::DmaMapping>& before,
                      const vfio::DmaMapTracker& tracker, vfio::Iova iova, std::uint64_t size,
                      const vfio::Result<std::uint64_t>& result);

}  // namespace vfio_kernels::internal
