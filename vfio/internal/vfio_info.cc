// VFIO info replies: the two-call fetch and the bounds-checked capability walk. Everything the
// kernel reports is checked against the buffer before it is read; depends on
// vfio/vfio_device.h only.
#include "vfio/internal/vfio_info.h"

#include <cstddef>
#include <cstring>
#include <optional>

namespace vfio::internal {

namespace {

std::error_code Corrupt() { return make_error_code(VfioError::kCorruptInfo); }

// Larger than any real reply (type1's is 116 bytes with two IOVA ranges, 16 more per range),
// small enough that a corrupt argsz cannot make us allocate gigabytes.
constexpr std::uint32_t kMaxInfoBytes = 64 * 1024;
// How often a reply may ask for a larger buffer: the chain can grow between the two calls.
constexpr int kMaxInfoCalls = 3;

// A T at `offset` of buf, if it fits. memcpy because capabilities need not be aligned: type1
// puts its IOVA range capability at offset 68.
template <class T>
std::optional<T> ReadAt(std::span<const std::byte> buf, std::uint64_t offset) {
  if (offset > buf.size() || buf.size() - offset < sizeof(T)) return std::nullopt;
  T value;
  std::memcpy(&value, buf.data() + offset, sizeof(T));
  return value;
}

// Visits each capability header of the chain starting at `first` (0: none). A header must
// start at or after the fixed struct and lie wholly inside buf. No real chain has more
// headers than fit in buf, so a longer walk is a loop and is refused rather than followed.
template <class Visit>
Result<void> WalkCaps(std::span<const std::byte> buf, std::size_t fixed_size,
                      std::uint32_t first, Visit visit) {
  std::size_t ttl = buf.size() / sizeof(vfio_info_cap_header);
  for (std::uint32_t offset = first; offset != 0;) {
    if (ttl == 0 || offset < fixed_size) return Corrupt();
    --ttl;
    const auto header = ReadAt<vfio_info_cap_header>(buf, offset);
    if (!header) return Corrupt();
    VFIO_TRY(visit(*header, offset));
    offset = header->next;
  }
  return success();
}

// `count` records of `record_size` bytes starting at `offset`: inside buf?
bool ArrayFits(std::span<const std::byte> buf, std::uint64_t offset, std::uint64_t count,
               std::uint64_t record_size) {
  if (offset > buf.size()) return false;
  return count <= (buf.size() - offset) / record_size;
}

// Inclusive [start, end] pairs. A range covering all 2^64 addresses cannot be an IovaRange;
// it means "no restriction", which an empty list already says.
Result<void> ParseIovaRanges(std::span<const std::byte> buf, std::uint64_t offset,
                             std::vector<IovaRange>& out) {
  using Cap = vfio_iommu_type1_info_cap_iova_range;
  // The fixed part is read field by field: a struct ending in a flexible array cannot be held
  // in an optional.
  const auto count = ReadAt<std::uint32_t>(buf, offset + offsetof(Cap, nr_iovas));
  if (!count) return Corrupt();
  const std::uint64_t first = offset + sizeof(Cap);
  if (!ArrayFits(buf, first, *count, sizeof(vfio_iova_range))) return Corrupt();
  out.clear();
  bool unrestricted = false;
  for (std::uint32_t i = 0; i < *count; ++i) {
    const auto r = ReadAt<vfio_iova_range>(buf, first + i * sizeof(vfio_iova_range));
    if (!r) return Corrupt();
    if (r->start == 0 && r->end == UINT64_MAX) {
      unrestricted = true;
      continue;
    }
    auto range = IovaRange::FromInclusive(Iova(r->start), Iova(r->end));
    if (!range) return Corrupt();
    out.push_back(range.value());
  }
  if (unrestricted) out.clear();
  return success();
}

// Sparse areas must lie inside the region: they are what a caller will mmap.
Result<void> ParseSparseAreas(std::span<const std::byte> buf, std::uint64_t offset,
                              RegionInfo& out) {
  using Cap = vfio_region_info_cap_sparse_mmap;
  const auto count = ReadAt<std::uint32_t>(buf, offset + offsetof(Cap, nr_areas));
  if (!count) return Corrupt();
  const std::uint64_t first = offset + sizeof(Cap);
  if (!ArrayFits(buf, first, *count, sizeof(vfio_region_sparse_mmap_area))) return Corrupt();
  out.sparse_areas.clear();
  for (std::uint32_t i = 0; i < *count; ++i) {
    const auto area = ReadAt<vfio_region_sparse_mmap_area>(
        buf, first + i * sizeof(vfio_region_sparse_mmap_area));
    if (!area) return Corrupt();
    if (area->offset > out.size || area->size > out.size - area->offset) return Corrupt();
    out.sparse_areas.push_back({area->offset, area->size});
  }
  return success();
}

}  // namespace

Result<std::vector<std::byte>> FetchInfo(Backend& backend, int fd, unsigned long request,
                                         VfioError op, std::span<const std::byte> fixed) {
  std::uint32_t size = static_cast<std::uint32_t>(fixed.size());
  for (int call = 0; call < kMaxInfoCalls; ++call) {
    std::vector<std::byte> buf(size);
    std::memcpy(buf.data(), fixed.data(), fixed.size());
    std::memcpy(buf.data(), &size, sizeof(size));  // argsz
    const int rc = backend.Ioctl(fd, request, buf.data());
    if (rc < 0) return FromErrno(op, -rc);
    std::uint32_t argsz = 0;
    std::memcpy(&argsz, buf.data(), sizeof(argsz));
    if (argsz < fixed.size()) return Corrupt();
    if (argsz <= size) {
      buf.resize(argsz);
      return buf;
    }
    if (argsz > kMaxInfoBytes) return Corrupt();
    size = argsz;
  }
  return Corrupt();
}

Result<IommuInfo> ParseIommuInfo(std::span<const std::byte> buf) {
  const auto info = ReadAt<vfio_iommu_type1_info>(buf, 0);
  if (!info) return Corrupt();
  IommuInfo out;
  if (info->flags & VFIO_IOMMU_INFO_PGSIZES) out.iova_pgsizes = info->iova_pgsizes;
  if (!(info->flags & VFIO_IOMMU_INFO_CAPS)) return out;
  VFIO_TRY(WalkCaps(buf, sizeof(vfio_iommu_type1_info), info->cap_offset,
                    [&](const vfio_info_cap_header& h, std::uint64_t offset) -> Result<void> {
                      if (h.id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
                        return ParseIovaRanges(buf, offset, out.iova_ranges);
                      }
                      if (h.id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
                        const auto cap = ReadAt<vfio_iommu_type1_info_dma_avail>(buf, offset);
                        if (!cap) return Corrupt();
                        out.dma_avail = cap->avail;
                      }
                      // The migration capability and future ones are not needed here.
                      return success();
                    }));
  return out;
}

Result<RegionInfo> ParseRegionInfo(std::span<const std::byte> buf) {
  const auto info = ReadAt<vfio_region_info>(buf, 0);
  if (!info) return Corrupt();
  RegionInfo out;
  out.index = info->index;
  out.flags = info->flags;
  out.size = info->size;
  out.offset = info->offset;
  if (!(info->flags & VFIO_REGION_INFO_FLAG_CAPS)) return out;
  VFIO_TRY(WalkCaps(buf, sizeof(vfio_region_info), info->cap_offset,
                    [&](const vfio_info_cap_header& h, std::uint64_t offset) -> Result<void> {
                      if (h.id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
                        return ParseSparseAreas(buf, offset, out);
                      }
                      if (h.id == VFIO_REGION_INFO_CAP_MSIX_MAPPABLE) out.msix_mappable = true;
                      return success();
                    }));
  return out;
}

}  // namespace vfio::internal
