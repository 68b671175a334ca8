// The benchmark kernel (instrumentation/benchmark_kernel.h). Built twice: CMake defines
// KT_BENCH_VARIANT as `instrumented` for the kt_instrument() copy and `plain` for the other.
#include "instrumentation/benchmark_kernel.h"

#ifndef KT_BENCH_VARIANT
#error "KT_BENCH_VARIANT must name the variant namespace (instrumented or plain)"
#endif

namespace kt::coverage::bench::KT_BENCH_VARIANT {
namespace {

constexpr std::uint64_t kPageMask = 0xfff;

struct Mapping {
  std::uint64_t iova;
  std::uint64_t size;
};

// Existing mappings the request must not overlap.
constexpr Mapping kMappings[] = {
    {0x0000'1000, 0x1000},  {0x0001'0000, 0x4000},  {0x0010'0000, 0x10'0000},
    {0x0100'0000, 0x2000},  {0x0200'0000, 0x8000},  {0x1000'0000, 0x100'0000},
    {0x4000'0000, 0x1000},  {0x8000'0000, 0x20'0000},
};

}  // namespace

int CheckDmaMap(const DmaRequest& request) noexcept {
  if (request.size == 0) return 1;
  if ((request.iova & kPageMask) != 0 || (request.size & kPageMask) != 0) return 2;
  const std::uint64_t end = request.iova + request.size;
  if (end < request.iova) return 3;
  switch (request.flags & 3) {
    case 0: return 4;
    case 1:
    case 2:
    case 3: break;
  }
  for (const Mapping& m : kMappings) {
    if (request.iova < m.iova + m.size && m.iova < end) return 5;
  }
  return 0;
}

}  // namespace kt::coverage::bench::KT_BENCH_VARIANT
