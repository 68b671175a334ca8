// DmaMapTracker: type1 v2 map/unmap checks over a std::map keyed by IOVA start. Depends on
// vfio/address.h only; never issues an ioctl.
#include "vfio/dma_map.h"

#include <iterator>
#include <utility>

namespace vfio {

const char* ToString(DmaError e) noexcept {
  switch (e) {
    case DmaError::kZeroSize: return "zero_size";
    case DmaError::kUnaligned: return "unaligned";
    case DmaError::kIovaOverflow: return "iova_overflow";
    case DmaError::kHvaOverflow: return "hva_overflow";
    case DmaError::kNoPermission: return "no_permission";
    case DmaError::kOutsideIovaWindow: return "outside_iova_window";
    case DmaError::kOverlap: return "overlap";
    case DmaError::kLimitReached: return "limit_reached";
    case DmaError::kPartialUnmap: return "partial_unmap";
    case DmaError::kNotMapped: return "not_mapped";
  }
  return "unknown";
}

const std::error_category& DmaCategory() noexcept {
  static const internal::EnumCategory<DmaError> category("vfio.dma");
  return category;
}

std::error_code make_error_code(DmaError e) noexcept {
  return {static_cast<int>(e), DmaCategory()};
}

namespace {

// Linux accepts a mapping that ends exactly at 2^64 - 1 (`iova + size - 1 < iova` is its wrap
// test), so the check is on the inclusive end.
bool Wraps(std::uint64_t start, std::uint64_t size) noexcept {
  return size - 1 > UINT64_MAX - start;
}

// Only the READ and WRITE bits exist; a value with neither, or with any other bit (a caller
// casting an integer), is refused like Linux refuses unknown flags.
bool ValidPerm(Perm perm) noexcept {
  const auto bits = static_cast<std::uint8_t>(perm);
  return bits != 0 && (bits & ~static_cast<std::uint8_t>(Perm::kReadWrite)) == 0;
}

}  // namespace

DmaMapTracker::DmaMapTracker() = default;

DmaMapTracker::DmaMapTracker(Options options) : options_(std::move(options)) {}

// The checks run in the order vfio_dma_do_map makes them, so when several apply the error is
// the one Linux reports: argument checks (EINVAL), then overlap (EEXIST), then the entry limit
// (ENOSPC), then the IOVA windows (EINVAL).
Result<void> DmaMapTracker::CheckMap(Iova iova, Hva hva, std::uint64_t size, Perm perm) const {
  if (size == 0) return make_error_code(DmaError::kZeroSize);
  // Addr::IsAligned is false for a page_size that is not a power of two, so a misconfigured
  // tracker refuses every mapping instead of dividing by zero.
  const std::uint64_t page = options_.page_size;
  if (!iova.IsAligned(page) || !hva.IsAligned(page) || !Iova(size).IsAligned(page)) {
    return make_error_code(DmaError::kUnaligned);
  }
  if (Wraps(iova.value(), size)) return make_error_code(DmaError::kIovaOverflow);
  if (Wraps(hva.value(), size)) return make_error_code(DmaError::kHvaOverflow);
  if (!ValidPerm(perm)) return make_error_code(DmaError::kNoPermission);

  // Cannot fail: zero size and wrap-around were refused above.
  const auto range = IovaRange::Make(iova, size);
  if (!range) return range.error();
  if (OverlapsAny(range.value())) return make_error_code(DmaError::kOverlap);
  if (mappings_.size() >= options_.max_entries) return make_error_code(DmaError::kLimitReached);
  if (!InsideOneWindow(range.value())) return make_error_code(DmaError::kOutsideIovaWindow);
  return success();
}

Result<void> DmaMapTracker::Map(Iova iova, Hva hva, std::uint64_t size, Perm perm) {
  VFIO_TRY(CheckMap(iova, hva, size, perm));
  mappings_.emplace(iova.value(), DmaMapping{iova, hva, size, perm});
  total_bytes_ += size;
  return success();
}

// vfio_dma_do_unmap's order: iova alignment, zero size, size alignment, wrap-around, then the
// v2 rule that the range may not start or end inside a mapping.
Result<void> DmaMapTracker::CheckUnmap(Iova iova, std::uint64_t size) const {
  const std::uint64_t page = options_.page_size;
  if (!iova.IsAligned(page)) return make_error_code(DmaError::kUnaligned);
  if (size == 0) return make_error_code(DmaError::kZeroSize);
  if (!Iova(size).IsAligned(page)) return make_error_code(DmaError::kUnaligned);
  if (Wraps(iova.value(), size)) return make_error_code(DmaError::kIovaOverflow);

  const Iova last(iova.value() + (size - 1));
  const auto first_hit = FindContaining(iova);
  if (first_hit && first_hit->iova != iova) return make_error_code(DmaError::kPartialUnmap);
  const auto last_hit = FindContaining(last);
  if (last_hit && last_hit->iova.value() + (last_hit->size - 1) != last.value()) {
    return make_error_code(DmaError::kPartialUnmap);
  }
  return success();
}

Result<std::uint64_t> DmaMapTracker::Unmap(Iova iova, std::uint64_t size) {
  VFIO_TRY(CheckUnmap(iova, size));
  // CheckUnmap guarantees every mapping that meets the range lies wholly inside it, so the
  // mappings starting in [iova, last] are exactly the ones to remove.
  const std::uint64_t last = iova.value() + (size - 1);
  std::uint64_t removed = 0;
  auto it = mappings_.lower_bound(iova.value());
  while (it != mappings_.end() && it->first <= last) {
    removed += it->second.size;
    it = mappings_.erase(it);
  }
  total_bytes_ -= removed;
  return removed;
}

std::uint64_t DmaMapTracker::UnmapAll() {
  const std::uint64_t removed = total_bytes_;
  mappings_.clear();
  total_bytes_ = 0;
  return removed;
}

std::optional<DmaMapping> DmaMapTracker::FindContaining(Iova iova) const {
  // The candidate is the mapping with the greatest start <= iova.
  auto it = mappings_.upper_bound(iova.value());
  if (it == mappings_.begin()) return std::nullopt;
  --it;
  const DmaMapping& m = it->second;
  if (iova.value() - m.iova.value() > m.size - 1) return std::nullopt;
  return m;
}

Result<Hva> DmaMapTracker::Translate(Iova iova, std::uint64_t len) const {
  if (len == 0) return make_error_code(DmaError::kZeroSize);
  if (Wraps(iova.value(), len)) return make_error_code(DmaError::kIovaOverflow);
  const auto m = FindContaining(iova);
  if (!m) return make_error_code(DmaError::kNotMapped);
  const std::uint64_t offset = iova.value() - m->iova.value();
  // offset < m->size, so the subtraction cannot wrap; the span may not run past the mapping
  // even into an adjacent one, whose HVA need not be contiguous.
  if (len > m->size - offset) return make_error_code(DmaError::kNotMapped);
  return Hva(m->hva.value() + offset);
}

std::vector<DmaMapping> DmaMapTracker::mappings() const {
  std::vector<DmaMapping> out;
  out.reserve(mappings_.size());
  for (const auto& [start, m] : mappings_) out.push_back(m);
  return out;
}

bool DmaMapTracker::InsideOneWindow(const IovaRange& range) const noexcept {
  if (options_.windows.empty()) return true;
  for (const IovaRange& window : options_.windows) {
    if (window.Contains(range)) return true;
  }
  return false;
}

// Two explicit neighbours: the mapping starting at or before range.start() (it overlaps when
// it reaches range.start()), and the first mapping starting after it (it overlaps when it
// starts at or before range.last()). Checking only the first is the classic bug.
bool DmaMapTracker::OverlapsAny(const IovaRange& range) const noexcept {
  auto next = mappings_.upper_bound(range.start().value());
  if (next != mappings_.end() && next->first <= range.last().value()) return true;
  if (next == mappings_.begin()) return false;
  const DmaMapping& prev = std::prev(next)->second;
  return range.start().value() - prev.iova.value() <= prev.size - 1;
}

}  // namespace vfio
