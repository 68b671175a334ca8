// The two-call fetch of VFIO info replies (VFIO_IOMMU_GET_INFO, VFIO_DEVICE_GET_REGION_INFO)
// and the bounded walk of their capability chains. Private to vfio_device.cc; depends on
// vfio/vfio_device.h and the uapi headers only.
#pragma once

#include <linux/vfio.h>

#include <cstddef>
#include <span>
#include <vector>

#include "vfio/result.h"
#include "vfio/vfio_device.h"

namespace vfio::internal {

// Calls `request` with `fixed` (an info struct; argsz is filled in here), then again with the
// argsz the kernel asks for when its capability chain did not fit, at most a few times and
// never beyond 64 KiB (kCorruptInfo). The reply is as long as the smaller of the buffer and the
// argsz the kernel returned; a reply shorter than `fixed` is kCorruptInfo.
Result<std::vector<std::byte>> FetchInfo(Backend& backend, int fd, unsigned long request,
                                         VfioError op, std::span<const std::byte> fixed);

// Decode a reply. Each capability header must start at or after the fixed struct and lie, with
// the capability it introduces, wholly inside the reply; a chain longer than the reply could
// hold is a loop. Any violation is kCorruptInfo, never an out-of-bounds read.
Result<IommuInfo> ParseIommuInfo(std::span<const std::byte> reply);
Result<RegionInfo> ParseRegionInfo(std::span<const std::byte> reply);

}  // namespace vfio::internal
