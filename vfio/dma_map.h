// DMA mapping tracker with Linux VFIO type1 v2 semantics: the IOVA -> HVA mappings a device
// may use. Pure bookkeeping; depends on vfio/address.h and vfio/result.h only, never on ioctls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <system_error>
#include <type_traits>
#include <vector>

#include "vfio/address.h"
#include "vfio/result.h"

namespace vfio {

// Device access rights of one mapping; the values match VFIO_DMA_MAP_FLAG_READ / _WRITE.
enum class Perm : std::uint8_t { kNone = 0, kRead = 1, kWrite = 2, kReadWrite = 3 };

// One mapping: device addresses [iova, iova + size) reach host memory [hva, hva + size).
struct DmaMapping {
  Iova iova;
  Hva hva;
  std::uint64_t size = 0;
  Perm perm = Perm::kNone;

  friend bool operator==(const DmaMapping&, const DmaMapping&) = default;
};

enum class DmaError {
  kZeroSize = 1,       // map or unmap of 0 bytes (Linux: EINVAL)
  kUnaligned,          // iova, hva or size not a multiple of the page size (EINVAL)
  kIovaOverflow,       // iova + size passes 2^64 (EINVAL)
  kHvaOverflow,        // hva + size passes 2^64 (EINVAL)
  kNoPermission,       // Perm::kNone, or a bit other than read/write (EINVAL)
  kOutsideIovaWindow,  // the range is not inside one usable IOVA window (EINVAL)
  kOverlap,            // the range meets an existing mapping (EEXIST)
  kLimitReached,       // max_entries mappings already exist (ENOSPC)
  kPartialUnmap,       // an unmap range starts or ends inside a mapping (EINVAL on v2)
  kNotMapped,          // Translate: no single mapping covers the whole span (no Linux twin)
};
const char* ToString(DmaError e) noexcept;
const std::error_category& DmaCategory() noexcept;
std::error_code make_error_code(DmaError e) noexcept;

// The set of live DMA mappings of one container. Checks every map and unmap the way the
// type1 v2 IOMMU driver does, so a request the tracker accepts is one Linux accepts too, and a
// rejected request leaves the tracker unchanged. Thread-compatible: callers serialise access.
class DmaMapTracker {
 public:
  struct Options {
    // Smallest IOMMU page (Linux: the lowest bit of the IOVA page-size bitmap).
    std::uint64_t page_size = 4096;
    // Linux's dma_entry_limit module parameter default.
    std::size_t max_entries = 65535;
    // Usable IOVA ranges (VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE); empty: the whole 64-bit space.
    std::vector<IovaRange> windows;
  };

  DmaMapTracker();
  explicit DmaMapTracker(Options options);

  // Every check Map makes, without changing anything. When several fail, the error is the one
  // Linux reports: argument errors, then kOverlap, kLimitReached, kOutsideIovaWindow.
  Result<void> CheckMap(Iova iova, Hva hva, std::uint64_t size, Perm perm) const;
  // CheckMap, then insert the mapping.
  Result<void> Map(Iova iova, Hva hva, std::uint64_t size, Perm perm);

  // Every check Unmap makes, without changing anything.
  Result<void> CheckUnmap(Iova iova, std::uint64_t size) const;
  // Removes every mapping inside [iova, iova + size) and returns the bytes removed; 0 is not an
  // error. kPartialUnmap (and no change) when the range starts or ends inside a mapping.
  Result<std::uint64_t> Unmap(Iova iova, std::uint64_t size);
  // Removes every mapping; returns the bytes removed.
  std::uint64_t UnmapAll();

  // The mapping whose range contains iova, if any.
  std::optional<DmaMapping> FindContaining(Iova iova) const;
  // The HVA of iova when [iova, iova + len) lies inside one mapping; kZeroSize, kIovaOverflow
  // or kNotMapped otherwise.
  Result<Hva> Translate(Iova iova, std::uint64_t len) const;

  std::size_t count() const noexcept { return mappings_.size(); }
  std::uint64_t total_bytes() const noexcept { return total_bytes_; }
  // Every mapping, sorted by iova.
  std::vector<DmaMapping> mappings() const;
  const Options& options() const noexcept { return options_; }

 private:
  bool InsideOneWindow(const IovaRange& range) const noexcept;
  bool OverlapsAny(const IovaRange& range) const noexcept;

  Options options_;
  std::map<std::uint64_t, DmaMapping> mappings_;  // keyed by iova start
  std::uint64_t total_bytes_ = 0;
};

}  // namespace vfio

template <>
struct std::is_error_code_enum<vfio::DmaError> : std::true_type {};
