// The kernel coverage_benchmark.cc times: a DMA-map request check in the style of
// vfio/dma_map, compiled twice from one source, once instrumented and once not. <cstdint> only.
#pragma once

#include <cstdint>

namespace kt::coverage::bench {

struct DmaRequest {
  std::uint64_t iova;
  std::uint64_t size;
  std::uint32_t flags;  // bit 0 read, bit 1 write
};

// 0 when the request is valid; otherwise a small error number (zero size, unaligned,
// overflow, no permission, overlap with an existing mapping).
namespace instrumented {
int CheckDmaMap(const DmaRequest& request) noexcept;
}  // namespace instrumented
namespace plain {
int CheckDmaMap(const DmaRequest& request) noexcept;
}  // namespace plain

}  // namespace kt::coverage::bench
